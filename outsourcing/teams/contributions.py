"""What the teams app contributes to other areas: a vendor comparison criterion and dashboard cards."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from outsourcing.core.access import Role, is_owner_writer, sees_all_vendors
from outsourcing.core.registry import CriterionScore, DashboardCard

from .choices import ReplacementStatus
from .double_booking import double_booked, over_allocated
from .models import Replacement, TeamAssignment, TeamMember
from .stability import Stability, stability_for_vendors


def stability_score(figures: Stability) -> CriterionScore:
    """0–100: half one-year retention, half (1 − turnover over the last year), whichever are known."""
    retention = next((p["survival"] for p in figures.retention if p["days"] == 365), None)
    parts = []
    if retention is not None:
        parts.append(100 * retention)
    if figures.turnover_rate is not None:
        parts.append(100 * max(0.0, 1.0 - figures.turnover_rate))
    if not parts:
        return CriterionScore(None, _("No people on the roster: no data."))
    detail = _("One-year retention %(retention)s, turnover %(turnover)s over %(start)s–%(end)s.") % {
        "retention": "—" if retention is None else f"{retention:.1%}",
        "turnover": "—" if figures.turnover_rate is None else f"{figures.turnover_rate:.1%}",
        "start": figures.start.isoformat(),
        "end": figures.end.isoformat(),
    }
    return CriterionScore(sum(parts) / len(parts), detail)


def team_stability_scores(
    vendor_ids: Sequence[int], engagement: Any, as_of: datetime.date
) -> dict[int, CriterionScore]:
    figures = stability_for_vendors(vendor_ids, as_of - relativedelta(years=1), as_of)
    return {vendor_id: stability_score(figures[vendor_id]) for vendor_id in vendor_ids}


def double_booking_cards(user: Any) -> list[DashboardCard]:
    """People sold twice today: by two vendors at once (owner staff only), or planned above full time."""
    today = timezone.localdate()
    visible = TeamMember.objects.visible_to(user)
    flagged = visible.filter(pk__in=over_allocated(today).values("pk"))
    if sees_all_vendors(user):
        flagged = flagged | visible.filter(pk__in=double_booked(today).values("pk"))
    count = flagged.count()
    if not count:
        return []
    return [
        DashboardCard(
            title=_("Double-booked people"),
            count=count,
            url=reverse("teams:bookings"),
            tone="red",
            description=_("Employed by two vendors at once, or planned above full time."),
        )
    ]


def dashboard_cards(user: Any) -> list[DashboardCard]:
    pending = Replacement.objects.visible_to(user).filter(status=ReplacementStatus.PENDING).count()
    unacknowledged = TeamAssignment.objects.visible_to(user).filter(acknowledged=False).count()
    cards = []
    url = reverse("teams:list")
    if pending:
        cards.append(
            DashboardCard(
                title=_("Key-person replacements awaiting approval"),
                count=pending,
                url=url + "?pending=1",
                tone="amber",
                description=_("Approve or reject them on the engagement's team page.")
                if is_owner_writer(user)
                else _("The owner decides on them."),
            )
        )
    if unacknowledged and getattr(user, "role", None) != Role.VENDOR:
        cards.append(
            DashboardCard(
                title=_("Unapproved team changes"),
                count=unacknowledged,
                url=url + "?pending=1",
                tone="amber",
                description=_("Changes the vendor made to a team directly."),
            )
        )
    return cards
