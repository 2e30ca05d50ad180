"""What this app gives the rest of the system through core.registry: a comparison criterion, an
activation check for engagements and dashboard cards."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from outsourcing.core.access import Role, sees_all_vendors
from outsourcing.core.phrases import Phrase
from outsourcing.core.registry import Blocker, CriterionScore, DashboardCard, VendorCriterion, unworded

from .choices import AssessmentStatus, Recommendation
from .models import Answer, Assessment

# code → (label, place in the lists as SPEC "Activation gate" orders the codes)
ISSUE_KINDS = {
    "assessment_missing": (gettext_lazy("No current assessment"), 40),
    "assessment_rejected": (gettext_lazy("Assessment recommends rejection"), 41),
}


def _assessment_score(vendor_ids: Sequence[int], engagement: Any, as_of: datetime.date) -> dict[int, CriterionScore]:
    latest = Assessment.objects.current_for(vendor_ids, as_of)
    scores: dict[int, CriterionScore] = {}
    for vendor_id in vendor_ids:
        assessment = latest.get(vendor_id)
        if assessment is None or assessment.score is None:
            scores[vendor_id] = CriterionScore(
                None, Phrase(gettext_noop("No completed assessment within the re-examination cycle."))
            )
            continue
        scores[vendor_id] = CriterionScore(
            float(assessment.score),
            Phrase(
                gettext_noop("Assessment #%(pk)s completed %(date)s: %(rec)s%(blocked)s."),
                pk=assessment.pk,
                date=timezone.localdate(assessment.completed_at).isoformat() if assessment.completed_at else "",
                rec=Phrase.label(Recommendation(assessment.recommendation).label) if assessment.recommendation else "—",
                blocked=Phrase(gettext_noop(" (blocked)")) if assessment.has_blockers else "",
            ),
        )
    return scores


ASSESSMENT_SCORE = VendorCriterion("assessment_score", gettext_lazy("Assessment score"), _assessment_score)


def assessment_gate(
    engagements: Sequence[Any], as_of: datetime.date, *, detail: bool = True
) -> dict[int, list[Blocker]]:
    """Activation gate `assessment_missing` / `assessment_rejected`: the vendor's current assessment on `as_of`
    (see `AssessmentQuerySet.current_for`), whatever engagement it was made for. One query."""
    current = Assessment.objects.current_for({e.vendor_id for e in engagements if e.vendor_id}, as_of)
    missing = (
        Blocker(
            "assessment_missing",
            _(
                "The vendor has no management-system assessment completed within its re-examination "
                "cycle: send it an assessment and complete the review."
            ),
            _(
                "Your management system has no assessment completed within its re-examination cycle: "
                "answer the assessment the owner sends you."
            ),
        )
        if detail
        else unworded("assessment_missing")
    )
    result: dict[int, list[Blocker]] = {}
    for engagement in engagements:
        if engagement.vendor_id is None:
            continue
        assessment = current.get(engagement.vendor_id)
        if assessment is None:
            result[engagement.pk] = [missing]
        elif assessment.recommendation == Recommendation.REJECT:
            result[engagement.pk] = [rejected(assessment) if detail else unworded("assessment_rejected")]
    return result


def rejected(assessment: Assessment) -> Blocker:
    """`assessment_rejected` worded: which assessment recommends rejection, and when it was completed."""
    return Blocker(
        "assessment_rejected",
        _(
            "The vendor's current assessment (#%(pk)s, completed %(date)s) recommends rejection: "
            "choose another vendor or re-assess it."
        )
        % {"pk": assessment.pk, "date": timezone.localdate(assessment.completed_at).isoformat()},
        _(
            "Your current assessment (#%(pk)s, completed %(date)s) recommends rejection: the owner "
            "decides whether to assess you again."
        )
        % {"pk": assessment.pk, "date": timezone.localdate(assessment.completed_at).isoformat()},
    )


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
