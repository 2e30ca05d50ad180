"""The result of an assessment: a score per section and overall, where every point is traced.

Each item line says how many points it earned out of how many, by which rule, on which evidence:
- an item the vendor answers earns weight × reviewer's score ÷ scale maximum (0 while unscored);
- an item filled from the system's data earns weight × criterion score ÷ 100; when the system has no data
  for it (the vendor has no roster yet), it is shown as "no data" and left out of the score — neither points
  nor maximum, so its section is renormalised over what is known — until the data is supplied or the reviewer
  scores it by hand; while such an item is open, the result recommends nothing (SPEC "Missing data is not zero");
- an item whose condition is not met is hidden and not scored (it counts neither points nor maximum).
Overall and section scores are 100 × points ÷ maximum. Blockers (from the vendor-blocker registry, plus
open critical findings) forbid approval whatever the score; otherwise the admin's thresholds decide.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from outsourcing.core import registry
from outsourcing.core.access import sees_all_vendors
from outsourcing.core.numbers import SCORE_PLACES, rounded
from outsourcing.core.phrases import stored
from outsourcing.documents.models import Document
from outsourcing.vendors.models import new_work_blockers_of

from .choices import AssessmentStatus, ItemSource, Recommendation, Severity
from .explanations import rule
from .models import Answer, Assessment, AssessmentSettings, TemplateItem

HUNDRED = Decimal(100)


def _two(value: Decimal) -> str:
    # One rounding for every figure of the result (core.numbers): the rule, the columns and the headline agree.
    return str(rounded(value, SCORE_PLACES))


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def recommend(
    score: Decimal | None, has_blockers: bool, settings: AssessmentSettings, missing_data: Sequence[str] = ()
) -> tuple[str, dict[str, Any]]:
    """(recommendation, the rule that gave it, as a stored rule: `explanations.say` words it); no recommendation
    ("") while items have no data."""
    if has_blockers:
        return Recommendation.REJECT, rule("blocked")
    if missing_data:
        return "", rule("missing_data", codes=", ".join(missing_data))
    if score is None:
        return Recommendation.REJECT, rule("nothing_scored")
    # The thresholds judge the score as it is shown (rounded once, half up, to two places): a result never
    # reads "80.00 < 80".
    shown = rounded(score, SCORE_PLACES)
    assert shown is not None
    if shown >= settings.approve_threshold:
        return Recommendation.APPROVE, rule("approve", score=shown, threshold=settings.approve_threshold)
    if shown >= settings.conditions_threshold:
        return Recommendation.APPROVE_WITH_CONDITIONS, rule(
            "approve_with_conditions", low=settings.conditions_threshold, score=shown, high=settings.approve_threshold
        )
    return Recommendation.REJECT, rule("reject", score=shown, threshold=settings.conditions_threshold)


def _criterion_scores(
    codes: set[str], assessment: Assessment, as_of: datetime.date
) -> dict[str, registry.CriterionScore | None]:
    scores: dict[str, registry.CriterionScore | None] = {}
    for code in sorted(codes):
        criterion = registry.vendor_criteria.get(code)
        if criterion is None:
            scores[code] = None
            continue
        scores[code] = criterion.compute([assessment.vendor_id], assessment.engagement, as_of).get(assessment.vendor_id)
    return scores


def criterion_has_data(assessment: Assessment, item: TemplateItem, as_of: datetime.date | None = None) -> bool:
    """Does the system have data for this item filled from a criterion (else the reviewer may score it)?"""
    figure = _criterion_scores({item.criterion_code}, assessment, as_of or timezone.localdate())[item.criterion_code]
    return figure is not None and figure.score is not None


def _visible(item: TemplateItem, by_item: dict[int, Answer], items: dict[int, TemplateItem], seen: set[int]) -> bool:
    if not item.condition_item_id:
        return True
    if item.pk in seen:  # a cycle of conditions shows nothing rather than looping
        return False
    condition = items.get(item.condition_item_id)
    if condition is None or not _visible(condition, by_item, items, seen | {item.pk}):
        return False
    answer = by_item.get(condition.pk)
    return bool(answer and answer.value == item.condition_value)


def load(assessment: Assessment) -> tuple[list[TemplateItem], dict[int, Answer], dict[int, list[Document]]]:
    """The template's items, the answers by item and the evidence by answer: three queries."""
    items = list(
        TemplateItem.objects.filter(section__template_id=assessment.template_id)
        .select_related("section", "condition_item")
        .order_by("section__order", "section__pk", "order", "pk")
    )
    answers = {a.item_id: a for a in Answer.objects.filter(assessment=assessment).select_related("scored_by")}
    evidence: dict[int, list[Document]] = {}
    if answers:
        docs = Document.objects.filter(
            content_type=ContentType.objects.get_for_model(Answer),
            object_id__in=[a.pk for a in answers.values()],
        ).order_by("uploaded_at", "pk")
        for doc in docs:
            evidence.setdefault(doc.object_id, []).append(doc)
    return items, answers, evidence


def visible_item_ids(items: list[TemplateItem], answers: dict[int, Answer]) -> set[int]:
    by_pk = {i.pk: i for i in items}
    return {i.pk for i in items if _visible(i, answers, by_pk, set())}


def compute_result(assessment: Assessment, as_of: datetime.date | None = None) -> dict[str, Any]:
    """The explanation structure of the result (see the module docstring); JSON-serialisable."""
    as_of = as_of or timezone.localdate()
    settings = AssessmentSettings.current()
    items, answers, evidence = load(assessment)
    shown = visible_item_ids(items, answers)
    criteria = _criterion_scores(
        {i.criterion_code for i in items if i.source == ItemSource.CRITERION}, assessment, as_of
    )
    sections: list[dict[str, Any]] = []
    by_section: dict[int, dict[str, Any]] = {}
    total_points = total_max = Decimal(0)
    complete = True
    missing_data: list[str] = []
    for item in items:
        section = by_section.get(item.section_id)
        if section is None:
            section = {
                "code": item.section.code,
                "title": item.section.title,
                "title_zh_hans": item.section.title_zh_hans,
                "points": Decimal(0),
                "max_points": Decimal(0),
                "items": [],
            }
            by_section[item.section_id] = section
            sections.append(section)
        answer = answers.get(item.pk)
        weight = item.weight
        line: dict[str, Any] = {
            "item_id": item.pk,
            "code": item.code,
            "text": item.text,
            "text_zh_hans": item.text_zh_hans,
            "weight": float(weight),
            "source": item.source,
            "answer": answer.value if answer else "",
            "evidence": [d.as_dict() for d in evidence.get(answer.pk, [])] if answer else [],
        }
        if item.pk not in shown:
            condition = item.condition_item
            line.update(
                status="hidden",
                points=None,
                max_points=0.0,
                rule=rule("hidden", code=condition.code if condition else "?", value=item.condition_value),
            )
            section["items"].append(line)
            continue
        points = Decimal(0)
        figure = criteria.get(item.criterion_code) if item.source == ItemSource.CRITERION else None
        no_data = item.source == ItemSource.CRITERION and (figure is None or figure.score is None)
        if no_data and (answer is None or answer.score is None):
            missing_data.append(item.code)
            line.update(
                status="no_data",
                points=None,
                max_points=0.0,
                criterion_detail=stored(figure.detail) if figure else "",
                rule=rule("no_data", code=item.criterion_code),
            )
            section["items"].append(line)
            continue
        if figure is not None and figure.score is not None:
            status = "scored"
            raw = Decimal(str(figure.score))
            points = weight * raw / HUNDRED
            explained = rule("criterion", code=item.criterion_code, score=_two(raw), weight=weight, points=_two(points))
            line["criterion_score"] = float(raw)
            line["criterion_detail"] = stored(figure.detail)  # msgid and parameters (core.phrases)
        elif answer is None or answer.score is None:
            status = "unscored"
            complete = False
            explained = rule("unscored", weight=weight)
        else:
            status = "scored"
            points = weight * answer.score / item.scale_max
            explained = rule(
                "reviewer_without_data" if no_data else "reviewer",
                score=answer.score.normalize(),
                max=item.scale_max,
                weight=weight,
                points=_two(points),
            )
            line["review_note"] = answer.review_note
            line["reviewer_score"] = float(answer.score)
        line.update(status=status, points=float(points), max_points=float(weight), rule=explained)
        section["points"] += points
        section["max_points"] += weight
        total_points += points
        total_max += weight
        section["items"].append(line)
    score = total_points * HUNDRED / total_max if total_max else None
    for section in sections:
        pts, mx = section["points"], section["max_points"]
        section["score"] = _num(pts * HUNDRED / mx) if mx else None
        section["points"], section["max_points"] = float(pts), float(mx)
    blockers = [
        {"code": b.code, "message": str(b.message)}
        for b in new_work_blockers_of([assessment.vendor], as_of, assessment.engagement).get(assessment.vendor_id, [])
    ]
    critical = assessment.findings.filter(severity=Severity.CRITICAL).select_related("item")
    blockers.extend(
        {
            "code": "critical_finding",
            "message": _("Critical finding%(item)s: %(text)s")
            % {"item": f" ({f.item.code})" if f.item else "", "text": f.description[:200]},
        }
        for f in critical
    )
    recommendation, recommendation_rule = recommend(score, bool(blockers), settings, missing_data)
    return {
        "as_of": as_of.isoformat(),
        "score": _num(score),
        "score_decimal": str(score) if score is not None else None,
        "points": float(total_points),
        "max_points": float(total_max),
        "complete": complete and not missing_data,
        "missing_data": missing_data,
        "sections": sections,
        "blockers": blockers,
        "recommendation": str(recommendation),
        "recommendation_rule": recommendation_rule,
        "thresholds": {
            "approve": float(settings.approve_threshold),
            "conditions": float(settings.conditions_threshold),
        },
    }


def may_see_review(user: Any, assessment: Assessment) -> bool:
    """The owner's staff see scores as they are given; the vendor sees them once the assessment is completed
    (until then the reviewer's scores and notes are working papers; returned items and findings are shown)."""
    return sees_all_vendors(user) or assessment.status == AssessmentStatus.COMPLETED


def result_of(assessment: Assessment) -> dict[str, Any]:
    """The frozen result of a completed assessment, or the live one of a running assessment."""
    if assessment.result is not None:
        return assessment.result
    return compute_result(assessment)
