"""What this app contributes to others through core.registry: dashboard cards, the standing that stops a
vendor from being chosen (a vendor blocker and the activation gate's `vendor_standing`), and the long-term
appraisal as a comparison criterion."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from outsourcing.core.access import sees_all_vendors
from outsourcing.core.phrases import Phrase
from outsourcing.core.registry import Blocker, CriterionScore, DashboardCard, ids_of, unworded

from .choices import AWAITING_REVIEW, ReportStatus, Standing
from .models import ImplementationReport, ReportSchedule
from .services import count_missing_reports, long_term

# code → (label, place in the lists as SPEC "Activation gate" orders the codes)
ISSUE_KINDS = {"vendor_standing": (gettext_lazy("Vendor on probation or blocked"), 30)}


def dashboard_cards(user: Any) -> list[DashboardCard]:
    today = timezone.localdate()
    url = reverse("performance:index")
    cards = []
    missing = count_missing_reports(ReportSchedule.objects.visible_to(user), today)
    if missing:
        cards.append(
            DashboardCard(
                _("Overdue implementation reports"),
                missing,
                url + "#reports",
                "red",
                _("Remind the vendor: these reports are past their due date.")
                if sees_all_vendors(user)
                else _("Write and submit your overdue reports on the engagement's reports page."),
            )
        )
    # One count of both, through the index of the open reports (not a scan of every report ever written).
    open_reports = (
        ImplementationReport.objects.visible_to(user)
        .filter(status__in=AWAITING_REVIEW)
        .aggregate(
            awaiting=Count("pk", filter=Q(status=ReportStatus.SUBMITTED)),
            returned=Count("pk", filter=Q(status=ReportStatus.RETURNED)),
        )
    )
    awaiting, returned = open_reports["awaiting"], open_reports["returned"]
    if awaiting and sees_all_vendors(user):
        cards.append(DashboardCard(_("Reports awaiting review"), awaiting, url + "#reports", "amber"))
    if returned and not sees_all_vendors(user):
        cards.append(
            DashboardCard(
                _("Reports returned for correction"),
                returned,
                url + "#reports",
                "amber",
                _("Read the owner's comments, correct the report and submit it again."),
            )
        )
    if sees_all_vendors(user):
        bad = sum(
            1
            for _mean, standing, _n in long_term(None, today).values()
            if standing in (Standing.PROBATION, Standing.BLOCKED)
        )
        if bad:
            cards.append(DashboardCard(_("Vendors on probation or blocked"), bad, url + "#standings", "red"))
    return cards


def _standing_verdict(figures: tuple[Decimal, Standing, int] | None) -> list[Blocker]:
    if figures and figures[1] in (Standing.PROBATION, Standing.BLOCKED):
        return [
            Blocker(
                f"standing_{figures[1]}",
                _("The vendor's long-term appraisal is %(score)s (%(standing)s): it may not be chosen for new work.")
                % {"score": figures[0], "standing": Standing(figures[1]).label},
            )
        ]
    return []


def standing_blockers(vendors: Sequence[Any], engagement: Any, as_of: datetime.date) -> dict[int, list[Blocker]]:
    """A vendor on probation or blocked by its long-term standing is not chosen for new work (one query)."""
    figures = long_term([v.pk for v in vendors], as_of)
    return {v.pk: _standing_verdict(figures.get(v.pk)) for v in vendors}


def vendor_standing(
    engagements: Sequence[Any], as_of: datetime.date, *, detail: bool = True
) -> dict[int, list[Blocker]]:
    """Activation gate `vendor_standing`: the vendor's current long-term standing is probation or blocked."""
    figures = long_term(ids_of(engagements, "vendor_id"), as_of)
    result: dict[int, list[Blocker]] = {}
    for engagement in engagements:
        found = figures.get(engagement.vendor_id) if engagement.vendor_id else None
        if found and found[1] in (Standing.PROBATION, Standing.BLOCKED):
            if not detail:
                result[engagement.pk] = [unworded("vendor_standing")]
                continue
            result[engagement.pk] = [
                Blocker(
                    "vendor_standing",
                    _(
                        "The vendor's long-term standing is %(standing)s (appraisal %(score)s): it may not start "
                        "new work until its appraisals improve."
                    )
                    % {"standing": Standing(found[1]).label.lower(), "score": found[0]},
                )
            ]
    return result


def appraisal_criterion(vendor_ids: Sequence[int], engagement: Any, as_of: datetime.date) -> dict[int, CriterionScore]:
    figures = long_term(vendor_ids, as_of)
    return {
        vendor_id: CriterionScore(
            float(figures[vendor_id][0]),
            Phrase(gettext_noop("mean of %(n)s appraisals over 12 months"), n=figures[vendor_id][2]),
        )
        if vendor_id in figures
        else CriterionScore(None, Phrase(gettext_noop("no appraisal in the last 12 months")))
        for vendor_id in vendor_ids
    }
