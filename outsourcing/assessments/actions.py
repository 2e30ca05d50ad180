"""Every change to assessment templates, assessments, answers and findings goes through these functions.

Each transition of the flow draft → sent → submitted → in review → completed (or returned → submitted)
is guarded by the one table of `flow.py`: a call in the wrong state is refused with a ValidationError naming
`status` (422 in the API), a call by the wrong person with 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from outsourcing.core import registry
from outsourcing.core.access import (
    ensure_admin,
    ensure_can_change,
    ensure_owner_writer,
)
from outsourcing.core.audit import acting_as
from outsourcing.documents.choices import DocumentKind
from outsourcing.documents.models import Document

from . import scoring
from .choices import AssessmentStatus, ItemSource
from .flow import ensure_allowed
from .models import (
    Answer,
    Assessment,
    AssessmentSettings,
    AssessmentTemplate,
    Finding,
    TemplateItem,
    TemplateSection,
)

S = AssessmentStatus
TEMPLATE_FIELDS = ("name", "description", "is_active")
SECTION_FIELDS = ("code", "title", "title_zh_hans", "description", "description_zh_hans", "order")
ITEM_FIELDS = (
    "code",
    "text",
    "text_zh_hans",
    "guidance",
    "guidance_zh_hans",
    "weight",
    "scale",
    "evidence_required",
    "source",
    "criterion_code",
    "condition_item",
    "condition_value",
    "order",
)
SETTINGS_FIELDS = (
    "approve_threshold",
    "conditions_threshold",
    "critical_months",
    "high_months",
    "standard_months",
    "unset_months",
)


def _apply(obj: Any, changes: dict[str, Any], allowed: Iterable[str]) -> None:
    allowed = tuple(allowed)
    for field, value in changes.items():
        if field not in allowed:
            raise ValidationError({field: _("This field cannot be set here.")})
        setattr(obj, field, value)


def _save(obj: Any, acting_user: Any) -> Any:
    obj.full_clean()
    with acting_as(acting_user):
        obj.save()
    return obj


# --- configuration (admins) -------------------------------------------------------------------------


@transaction.atomic
def do_save_settings(*, acting_user: Any, changes: dict[str, Any]) -> AssessmentSettings:
    ensure_admin(acting_user)
    settings = AssessmentSettings.current()
    _apply(settings, changes, SETTINGS_FIELDS)
    return _save(settings, acting_user)


@transaction.atomic
def do_save_template(
    template: AssessmentTemplate | None, *, acting_user: Any, changes: dict[str, Any]
) -> AssessmentTemplate:
    ensure_admin(acting_user)
    template = template or AssessmentTemplate()
    _apply(template, changes, TEMPLATE_FIELDS)
    return _save(template, acting_user)


@transaction.atomic
def do_save_section(
    section: TemplateSection | None,
    *,
    template: AssessmentTemplate,
    acting_user: Any,
    changes: dict[str, Any],
) -> TemplateSection:
    ensure_admin(acting_user)
    section = section or TemplateSection(template=template)
    _apply(section, changes, SECTION_FIELDS)
    section.validate_constraints()
    return _save(section, acting_user)


@transaction.atomic
def do_save_item(
    item: TemplateItem | None, *, section: TemplateSection, acting_user: Any, changes: dict[str, Any]
) -> TemplateItem:
    ensure_admin(acting_user)
    item = item or TemplateItem(section=section)
    _apply(item, changes, ITEM_FIELDS)
    return _save(item, acting_user)


@transaction.atomic
def do_delete_item(item: TemplateItem, *, acting_user: Any) -> None:
    ensure_admin(acting_user)
    try:
        with acting_as(acting_user):
            item.delete()
    except ProtectedError as exc:
        raise ValidationError(
            {"item": _("This item has answers in assessments; change its text or weight instead of deleting it.")}
        ) from exc


# --- the assessment flow ----------------------------------------------------------------------------


def _previous_answers(vendor_id: int, exclude_pk: int) -> dict[tuple[str, str], Answer]:
    last = (
        Assessment.objects.filter(vendor_id=vendor_id)
        .exclude(status=S.DRAFT)
        .exclude(pk=exclude_pk)
        .order_by("-submitted_at", "-created_at", "-pk")
        .first()
    )
    if last is None:
        return {}
    answers = Answer.objects.filter(assessment=last).select_related("item__section")
    return {(a.item.section.code, a.item.code): a for a in answers}


@transaction.atomic
def do_create_assessment(
    *,
    acting_user: Any,
    vendor: Any,
    template: AssessmentTemplate,
    engagement: Any = None,
    title: str = "",
    due_date: Any = None,
    start_from_last: bool = False,
) -> Assessment:
    """A new draft with one (empty, or copied from the vendor's last assessment) answer per item."""
    ensure_owner_writer(acting_user)
    if not template.is_active:
        raise ValidationError({"template_id": _("This template is retired; choose an active one.")})
    assessment = Assessment(vendor=vendor, template=template, engagement=engagement, title=title, due_date=due_date)
    _save(assessment, acting_user)
    previous = _previous_answers(vendor.pk, assessment.pk) if start_from_last else {}
    if start_from_last and previous:
        first = next(iter(previous.values()))
        assessment.based_on_id = first.assessment_id
        with acting_as(acting_user):
            assessment.save(update_fields=["based_on"])
    items = TemplateItem.objects.filter(section__template=template).select_related("section")
    with acting_as(acting_user):
        for item in items:
            answer = Answer(assessment=assessment, item=item)
            old = previous.get((item.section.code, item.code))
            if old is not None and item.source == ItemSource.VENDOR and old.value in item.scale_values:
                answer.value, answer.response = old.value, old.response
            answer.save()
    return assessment


@transaction.atomic
def do_send_assessment(assessment: Assessment, *, acting_user: Any) -> Assessment:
    ensure_allowed(assessment, acting_user, "send")
    assessment.status = S.SENT
    assessment.sent_at = timezone.now()
    return _save(assessment, acting_user)


def _answer_for(assessment: Assessment, item: TemplateItem, acting_user: Any) -> Answer:
    """The answer to `item`; created on first use when the admin added the item after the assessment began."""
    if item.section.template_id != assessment.template_id:
        raise ValidationError({"item_id": _("The item is not part of this assessment.")})
    answer = Answer.objects.select_related("item", "assessment").filter(assessment=assessment, item=item).first()
    if answer is None:
        answer = Answer(assessment=assessment, item=item)
        ensure_can_change(acting_user, answer)
        with acting_as(acting_user):
            answer.save()
    return answer


def _ensure_vendor_may_edit(answer: Answer, acting_user: Any) -> None:
    ensure_can_change(acting_user, answer)
    assessment = answer.assessment
    ensure_allowed(assessment, acting_user, "answer")
    if answer.item.source != ItemSource.VENDOR:
        raise ValidationError({"item_id": _("This item is filled from the system's own data, not answered.")})
    if assessment.status == S.RETURNED and not answer.returned:
        raise ValidationError({"item_id": _("Only the items returned for correction can be changed now.")})


@transaction.atomic
def do_answer_item(
    assessment: Assessment, item: TemplateItem, *, acting_user: Any, value: str, response: str = ""
) -> Answer:
    answer = _answer_for(assessment, item, acting_user)
    _ensure_vendor_may_edit(answer, acting_user)
    answer.value = (value or "").strip()
    answer.response = response or ""
    if not answer.value:
        raise ValidationError({"value": _("Choose an answer.")})
    answer.answered_at = timezone.now()
    return _save(answer, acting_user)


@transaction.atomic
def do_attach_evidence(
    assessment: Assessment, item: TemplateItem, *, acting_user: Any, upload: Any, description: str = ""
) -> Document:
    answer = _answer_for(assessment, item, acting_user)
    _ensure_vendor_may_edit(answer, acting_user)
    return registry.attach_document(
        answer,
        upload=upload,
        kind=DocumentKind.ASSESSMENT_EVIDENCE,
        acting_user=acting_user,
        description=description,
    )


def _check_uploads(files: dict[int, Any], errors: dict[str, list[str]]) -> None:
    for item_pk, upload in files.items():
        try:
            registry.check_document(upload)
        except ValidationError as exc:
            errors.setdefault(f"file-{item_pk}", []).extend(exc.messages)


@transaction.atomic
def do_save_answers(
    assessment: Assessment,
    *,
    acting_user: Any,
    answers: dict[int, dict[str, str]],
    files: dict[int, Any] | None = None,
) -> list[Answer]:
    """Save the vendor's whole questionnaire page at once: all of it or nothing.

    `answers` maps item ids to {"value", "response"}; only what changed is written (autosave sends the page
    every few seconds). A draft may leave an answer empty; submitting asks for every one. Errors name the
    page's fields (`value-<item id>`, `file-<item id>`) so that each appears next to its item."""
    files = files or {}
    ensure_allowed(assessment, acting_user, "answer")
    items, current, _evidence = scoring.load(assessment)
    by_pk = {item.pk: item for item in items}
    errors: dict[str, list[str]] = {}
    changed: list[Answer] = []
    for item_pk in sorted(set(answers) | set(files)):
        item = by_pk.get(item_pk)
        if item is None:
            errors.setdefault("item_id", []).append(_("The item is not part of this assessment."))
            continue
        answer = current.get(item_pk) or Answer(assessment=assessment, item=item)
        answer.assessment = assessment
        posted = answers.get(item_pk)
        if posted is not None:
            value, response = (posted.get("value") or "").strip(), posted.get("response") or ""
            if (value, response) == (answer.value, answer.response) and answer.pk:
                posted = None
            else:
                answer.value, answer.response = value, response
        if posted is None and item_pk not in files:
            continue
        try:
            _ensure_vendor_may_edit(answer, acting_user)
            answer.full_clean()
        except ValidationError as exc:
            for message in exc.messages:
                errors.setdefault(f"value-{item_pk}", []).append(message)
            continue
        if posted is not None:
            answer.answered_at = timezone.now()
        changed.append(answer)
    _check_uploads(files, errors)
    if errors:
        raise ValidationError(errors)
    with acting_as(acting_user):
        for answer in changed:
            answer.save()
    for answer in changed:
        upload = files.get(answer.item_id)
        if upload is not None:
            registry.attach_document(
                answer, upload=upload, kind=DocumentKind.ASSESSMENT_EVIDENCE, acting_user=acting_user
            )
    return changed


@transaction.atomic
def do_save_review(
    assessment: Assessment,
    *,
    acting_user: Any,
    scores: dict[int, dict[str, str]],
    returns: dict[int, str] | None = None,
) -> list[Answer]:
    """Save the reviewer's whole page at once: scores and notes, and the items returned with what to correct.

    All of it or nothing; errors name `score-<item id>` and `reason-<item id>`. Only what changed is written.
    A returned item keeps the vendor's answer; the vendor sees the reason next to it."""
    returns = {pk: reason.strip() for pk, reason in (returns or {}).items() if (reason or "").strip()}
    ensure_allowed(assessment, acting_user, "score")
    if returns:
        ensure_allowed(assessment, acting_user, "return_item")
    items, current, _evidence = scoring.load(assessment)
    by_pk = {item.pk: item for item in items}
    shown = scoring.visible_item_ids(items, current)
    errors: dict[str, list[str]] = {}
    changed: list[Answer] = []
    for item_pk in sorted(set(scores) | set(returns)):
        item = by_pk.get(item_pk)
        if item is None or item_pk not in shown:
            errors.setdefault(f"score-{item_pk}", []).append(
                _("This item is hidden by its condition and is not scored.")
            )
            continue
        answer = current.get(item_pk) or Answer(assessment=assessment, item=item)
        answer.assessment = assessment
        if item_pk in returns:
            if item.source != ItemSource.VENDOR:
                errors.setdefault(f"reason-{item_pk}", []).append(
                    _("This item is filled from the system's own data, not answered.")
                )
                continue
            answer.returned, answer.return_reason, answer.score = True, returns[item_pk][:3000], None
        else:
            posted = scores[item_pk]
            raw, note = (posted.get("score") or "").strip(), posted.get("note") or ""
            if item.source != ItemSource.VENDOR and scoring.criterion_has_data(assessment, item):
                continue  # filled from the system's own data: nothing to score by hand
            try:
                score = Decimal(raw) if raw else None
            except InvalidOperation:
                errors.setdefault(f"score-{item_pk}", []).append(_("The score must be a number."))
                continue
            if (score, note) == (answer.score, answer.review_note):
                continue
            answer.score, answer.review_note = score, note
            answer.scored_by = acting_user if getattr(acting_user, "pk", None) else None
        try:
            ensure_can_change(acting_user, answer)
            answer.full_clean()
        except ValidationError as exc:
            for message in exc.messages:
                errors.setdefault(f"score-{item_pk}", []).append(message)
            continue
        changed.append(answer)
    if errors:
        raise ValidationError(errors)
    with acting_as(acting_user):
        for answer in changed:
            answer.save()
    if returns and assessment.status != S.RETURNED:
        assessment.status = S.RETURNED
        _save(assessment, acting_user)
        from .notices import notify_returned

        notify_returned(assessment, "; ".join(returns.values()))
    return changed


@transaction.atomic
def do_submit_assessment(assessment: Assessment, *, acting_user: Any) -> Assessment:
    ensure_allowed(assessment, acting_user, "submit")
    items, answers, evidence = scoring.load(assessment)
    shown = scoring.visible_item_ids(items, answers)
    unanswered, no_evidence = [], []
    for item in items:
        if item.pk not in shown or item.source != ItemSource.VENDOR:
            continue
        answer = answers.get(item.pk)
        if answer is None or not answer.value:
            unanswered.append(item.code)
        elif item.evidence_required and not evidence.get(answer.pk):
            no_evidence.append(item.code)
    errors: dict[str, list[str]] = {}
    if unanswered:
        errors["answers"] = [_("Answer every item first; still open: %(codes)s.") % {"codes": ", ".join(unanswered)}]
    if no_evidence:
        errors["evidence"] = [_("These items need evidence uploaded: %(codes)s.") % {"codes": ", ".join(no_evidence)}]
    if errors:
        raise ValidationError(errors)
    with acting_as(acting_user):
        for answer in answers.values():
            if answer.returned:
                answer.returned = False
                answer.save(update_fields=["returned"])
    assessment.status = S.SUBMITTED
    assessment.submitted_at = timezone.now()
    _save(assessment, acting_user)
    from .notices import notify_submitted

    notify_submitted(assessment)
    return assessment


@transaction.atomic
def do_start_review(assessment: Assessment, *, acting_user: Any) -> Assessment:
    ensure_allowed(assessment, acting_user, "start_review")
    assessment.status = S.IN_REVIEW
    if getattr(acting_user, "pk", None):
        assessment.reviewer = acting_user
    return _save(assessment, acting_user)


def _reviewable_answer(assessment: Assessment, item: TemplateItem, acting_user: Any) -> Answer:
    answer = _answer_for(assessment, item, acting_user)
    if item.source != ItemSource.VENDOR and scoring.criterion_has_data(assessment, item):
        raise ValidationError(
            {"item_id": _("This item is filled from the system's own data; it is not scored by hand.")}
        )
    items, answers, _evidence = scoring.load(assessment)
    if item.pk not in scoring.visible_item_ids(items, answers):
        raise ValidationError({"item_id": _("This item is hidden by its condition and is not scored.")})
    return answer


@transaction.atomic
def do_score_item(
    assessment: Assessment, item: TemplateItem, *, acting_user: Any, score: Any, note: str = ""
) -> Answer:
    ensure_allowed(assessment, acting_user, "score")
    answer = _reviewable_answer(assessment, item, acting_user)
    try:
        answer.score = Decimal(str(score))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"score": _("The score must be a number.")}) from exc
    answer.review_note = note or ""
    answer.scored_by = acting_user if getattr(acting_user, "pk", None) else None
    return _save(answer, acting_user)


@transaction.atomic
def do_return_item(assessment: Assessment, item: TemplateItem, *, acting_user: Any, reason: str) -> Answer:
    ensure_allowed(assessment, acting_user, "return_item")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say what the vendor must correct.")})
    if item.source != ItemSource.VENDOR:
        raise ValidationError({"item_id": _("This item is filled from the system's own data, not answered.")})
    answer = _reviewable_answer(assessment, item, acting_user)
    answer.returned = True
    answer.return_reason = reason.strip()
    answer.score = None
    _save(answer, acting_user)
    if assessment.status != S.RETURNED:
        assessment.status = S.RETURNED
        _save(assessment, acting_user)
        from .notices import notify_returned

        notify_returned(assessment, answer.return_reason)
    return answer


@transaction.atomic
def do_record_finding(
    assessment: Assessment,
    *,
    acting_user: Any,
    severity: str,
    description: str,
    item: TemplateItem | None = None,
    evidence: Document | None = None,
) -> Finding:
    ensure_allowed(assessment, acting_user, "record_finding")
    finding = Finding(
        assessment=assessment,
        item=item,
        severity=severity,
        description=(description or "").strip(),
        evidence=evidence,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    return _save(finding, acting_user)


@transaction.atomic
def do_comment_finding(finding: Finding, *, acting_user: Any, comment: str) -> Finding:
    ensure_allowed(finding.assessment, acting_user, "comment")
    finding.vendor_comment = (comment or "").strip()
    return _save(finding, acting_user)


@transaction.atomic
def do_complete_assessment(assessment: Assessment, *, acting_user: Any, conclusion: str = "") -> Assessment:
    """Freeze the result: every shown item the vendor answers must be scored first."""
    ensure_allowed(assessment, acting_user, "complete")
    result = scoring.compute_result(assessment)
    unscored = [
        line["code"]
        for section in result["sections"]
        for line in section["items"]
        if line["status"] in ("unscored", "no_data")  # an item without data must be supplied or scored by hand
    ]
    if unscored:
        raise ValidationError(
            {"answers": _("Score every item first; still unscored: %(codes)s.") % {"codes": ", ".join(unscored)}}
        )
    assessment.status = S.COMPLETED
    assessment.completed_at = timezone.now()
    assessment.conclusion = conclusion or ""
    assessment.result = result
    assessment.score = (
        Decimal(result["score_decimal"]).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
        if result["score_decimal"]
        else None
    )
    assessment.recommendation = result["recommendation"]
    assessment.has_blockers = bool(result["blockers"])
    return _save(assessment, acting_user)
