"""What this app gives the rest of the system through core.registry: a comparison criterion, an
activation check for engagements and dashboard cards."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outsourcing.core.access import Role, sees_all_vendors
from outsourcing.core.registry import Blocker, CriterionScore, DashboardCard, VendorCriterion

from .choices import AssessmentStatus, Recommendation
from .models import Answer, Assessment


def latest_completed_by_vendor(
    vendor_ids: Sequence[int], engagement: Any, as_of: datetime.date | None = None
) -> dict[int, Assessment]:
    """The latest completed assessment of each vendor that applies to `engagement`, in one query."""
    scoped = Assessment.objects.latest_completed(vendor_ids, engagement)
    if as_of is not None:
        scoped = scoped.filter(completed_at__date__lte=as_of)
    latest = scoped.filter(vendor_id=OuterRef("vendor_id")).order_by("-completed_at", "-pk").values("pk")[:1]
    winners = scoped.annotate(latest_pk=Subquery(latest)).filter(pk=F("latest_pk"))
    return {
        a.vendor_id: a
        for a in winners.only("pk", "vendor_id", "score", "recommendation", "has_blockers", "completed_at")
    }


def _assessment_score(vendor_ids: Sequence[int], engagement: Any, as_of: datetime.date) -> dict[int, CriterionScore]:
    latest = latest_completed_by_vendor(vendor_ids, engagement, as_of)
    scores: dict[int, CriterionScore] = {}
    for vendor_id in vendor_ids:
        assessment = latest.get(vendor_id)
        if assessment is None or assessment.score is None:
            scores[vendor_id] = CriterionScore(None, _("No completed assessment."))
            continue
        scores[vendor_id] = CriterionScore(
            float(assessment.score),
            _("Assessment #%(pk)s completed %(date)s: %(rec)s%(blocked)s.")
            % {
                "pk": assessment.pk,
                "date": timezone.localdate(assessment.completed_at).isoformat() if assessment.completed_at else "",
                "rec": assessment.get_recommendation_display(),
                "blocked": _(" (blocked)") if assessment.has_blockers else "",
            },
        )
    return scores


ASSESSMENT_SCORE = VendorCriterion("assessment_score", gettext_lazy("Assessment score"), _assessment_score)


def _activation_verdict(assessment: Assessment | None) -> list[Blocker]:
    if assessment is None:
        return [Blocker("assessment_missing", _("The vendor has no completed assessment."))]
    if assessment.recommendation == Recommendation.REJECT or assessment.has_blockers:
        return [
            Blocker(
                "assessment_rejected",
                _("The vendor's latest assessment (#%(pk)s) recommends rejection or has blockers.")
                % {"pk": assessment.pk},
            )
        ]
    return []


def assessment_activation_check(engagement: Any) -> list[Blocker]:
    """An engagement's vendor needs a completed assessment that neither rejects nor is blocked."""
    if engagement.vendor_id is None:
        return []
    return _activation_verdict(latest_completed_by_vendor([engagement.vendor_id], engagement).get(engagement.vendor_id))


def assessment_activation_check_many(engagements: Sequence[Any]) -> dict[int, list[Blocker]]:
    """`assessment_activation_check` for many engagements in one query: each engagement's vendor's latest
    completed assessment that is general or for that engagement."""
    with_vendor = [e for e in engagements if e.vendor_id is not None]
    candidates = (
        Assessment.objects.filter(
            Q(engagement__isnull=True) | Q(engagement_id__in=[e.pk for e in with_vendor]),
            vendor_id__in={e.vendor_id for e in with_vendor},
            status=AssessmentStatus.COMPLETED,
        )
        .order_by("vendor_id", "-completed_at", "-pk")
        .only("pk", "vendor_id", "engagement_id", "recommendation", "has_blockers", "completed_at")
    )
    by_vendor: dict[int, list[Assessment]] = {}
    for assessment in candidates:
        by_vendor.setdefault(assessment.vendor_id, []).append(assessment)
    result: dict[int, list[Blocker]] = {e.pk: [] for e in engagements}
    for engagement in with_vendor:
        latest = next(
            (
                a
                for a in by_vendor.get(engagement.vendor_id, [])
                if a.engagement_id is None or a.engagement_id == engagement.pk
            ),
            None,
        )
        result[engagement.pk] = _activation_verdict(latest)
    return result


def dashboard_cards(user: Any) -> list[DashboardCard]:
    base = reverse("assessments:list")
    visible = Assessment.objects.visible_to(user)
    if sees_all_vendors(user):
        counts = visible.aggregate(
            review=Count("pk", filter=Q(status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.IN_REVIEW]))
        )
        returned = (
            Answer.objects.visible_to(user).filter(returned=True, assessment__status=AssessmentStatus.RETURNED).count()
        )
        return [
            DashboardCard(
                _("Assessments awaiting review"),
                counts["review"],
                base + "?status=awaiting_review",
                "amber" if counts["review"] else "green",
                _("Submitted by vendors, waiting for the owner's reviewer."),
            ),
            DashboardCard(
                _("Returned items awaiting the vendor"),
                returned,
                base + "?status=returned",
                "amber" if returned else "green",
                _("Items sent back for correction that the vendor has not resubmitted."),
            ),
        ]
    if getattr(user, "role", None) == Role.VENDOR:
        to_answer = visible.filter(status__in=[AssessmentStatus.SENT, AssessmentStatus.RETURNED]).count()
        return [
            DashboardCard(
                _("Assessments to answer"),
                to_answer,
                base + "?status=to_answer",
                "amber" if to_answer else "green",
                _("Questionnaires sent to you or returned for correction."),
            )
        ]
    return []
