"""Processing orders past their due date, for the owner's staff and for the processor itself."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from outsourcing.core.registry import DashboardCard

from .choices import IN_PROGRESS
from .models import ProcessingOrder


def cards(user: Any) -> list[DashboardCard]:
    overdue = (
        ProcessingOrder.objects.visible_to(user)
        .filter(status__in=IN_PROGRESS, due_date__lt=timezone.localdate())
        .count()
    )
    if not overdue:
        return []
    url = reverse("processing:list") + "?overdue=1"
    return [DashboardCard(title=_("Overdue processing orders"), count=overdue, url=url, tone="red")]
