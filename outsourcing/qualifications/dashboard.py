"""Dashboard cards: certificates that need someone's attention today."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from outsourcing.core.access import sees_all_vendors
from outsourcing.core.registry import DashboardCard

from .choices import DerivedStatus
from .models import Qualification
from .services import attention_counts


def qualification_cards(user: Any) -> list[DashboardCard]:
    """Certificates expiring within 30 days (not yet renewed) and certificates waiting for verification."""
    visible = Qualification.objects.visible_to(user).filter(superseded_by__isnull=True)
    counts = attention_counts(visible, timezone.localdate())
    url = reverse("qualifications:list")
    cards = []
    if counts["expiring"]:
        cards.append(
            DashboardCard(
                title=_("Certificates expiring within 30 days"),
                count=counts["expiring"],
                url=f"{url}?status={DerivedStatus.EXPIRING}",
                tone="amber",
                description=_("Ask the vendor for the renewed certificate."),
            )
        )
    if counts["pending"]:
        cards.append(
            DashboardCard(
                title=_("Certificates pending verification"),
                count=counts["pending"],
                url=f"{url}?status={DerivedStatus.UNVERIFIED}",
                tone="amber",
                description=_("Check them against the issuer's register, then verify or reject."),
            )
        )
    if counts["rejected"] and not sees_all_vendors(user):
        cards.append(
            DashboardCard(
                title=_("Certificates rejected by the owner"),
                count=counts["rejected"],
                url=f"{url}?status={DerivedStatus.REJECTED}",
                tone="red",
                description=_("Read the reason, correct the certificate and it goes back for verification."),
            )
        )
    return cards
