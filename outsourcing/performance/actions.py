"""Every change to report schedules, implementation reports and appraisals goes through these functions."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from outsourcing.core import registry
from outsourcing.core.access import ensure_can_change, ensure_owner_writer
from outsourcing.core.audit import acting_as
from outsourcing.core.phrases import Phrase
from outsourcing.documents.choices import DocumentKind
from outsourcing.processing.models import Receipt

from .choices import ReportStatus
from .models import REPORT_FIELDS, Appraisal, ImplementationReport, ReportDraft, ReportSchedule
from .services import _schedule_periods, criterion_score, open_periods, score, timeliness_score


def _save(obj: Any, acting_user: Any) -> Any:
    obj.full_clean()
    with acting_as(acting_user):
        obj.save()
    return obj


def _user_or_none(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


@transaction.atomic
def do_set_schedule(
    engagement: Any, *, acting_user: Any, frequency: str, first_period_start: datetime.date, due_days: int
) -> ReportSchedule:
    ensure_owner_writer(acting_user)
    schedule = ReportSchedule.objects.filter(engagement=engagement).first() or ReportSchedule(engagement=engagement)
    schedule.frequency, schedule.first_period_start, schedule.due_days = (
        frequency,
        first_period_start,
        due_days,
    )
    return _save(schedule, acting_user)


@transaction.atomic
def do_save_report_draft(
    engagement: Any, *, acting_user: Any, period_start: datetime.date, **content: str
) -> ReportDraft | None:
    """Keep what the vendor has written so far for an open period (autosave): nothing is checked but the lengths,
    nothing counts as submitted. Returns None when nothing changed (nothing is written then)."""
    ensure_can_change(acting_user, ReportDraft(engagement=engagement))
    schedule = ReportSchedule.objects.filter(engagement=engagement).select_related("engagement").first()
    if schedule is None or period_start not in {p.start for p in open_periods(schedule, timezone.localdate())}:
        raise ValidationError({"period_start": _("No report can be written for this period now.")})
    draft = ReportDraft.objects.filter(engagement=engagement, period_start=period_start).first()
    draft = draft or ReportDraft(engagement=engagement, period_start=period_start)
    changes = {f: content[f] or "" for f in REPORT_FIELDS if f in content}
    if draft.pk and all(getattr(draft, f) == v for f, v in changes.items()):
        return None
    for field, value in changes.items():
        setattr(draft, field, value)
    draft.saved_at = timezone.now()
    draft.saved_by = _user_or_none(acting_user)
    return _save(draft, acting_user)


@transaction.atomic
def do_submit_report(
    engagement: Any,
    *,
    acting_user: Any,
    period_start: datetime.date,
    received_at: datetime.datetime | None = None,
    attachments: list[Any] | None = None,
    **content: Any,
) -> ImplementationReport:
    """Submit the report of one completed period, or resubmit one that was returned (its earlier content and
    attachments are kept unless changed), with optional attachments; the period's draft is removed.

    All or nothing: a refused attachment (type by content, size) stores nothing, and names `attachments`.
    `received_at` lets the owner record a report that arrived earlier on paper or by mail."""
    ensure_can_change(acting_user, ImplementationReport(engagement=engagement))  # who may, before what is wrong
    attachments = [f for f in attachments or [] if f]
    file_errors: list[str] = []
    for upload in attachments:
        try:
            registry.check_document(upload)
        except ValidationError as exc:
            file_errors.extend(f"{upload.name}: {m}" for m in exc.messages)
    if file_errors:
        raise ValidationError({"attachments": file_errors})
    schedule = ReportSchedule.objects.filter(engagement=engagement).select_related("engagement").first()
    if schedule is None:
        raise ValidationError({"period_start": _("This engagement has no report schedule yet.")})
    period = next((p for p in _schedule_periods(schedule, timezone.localdate()) if p.start == period_start), None)
    if period is None:
        raise ValidationError({"period_start": _("Not the start of a completed reporting period.")})
    report = ImplementationReport.objects.filter(engagement=engagement, period_start=period_start).first()
    if report is not None and report.status != ReportStatus.RETURNED:
        raise ValidationError({"period_start": _("The report for this period was already submitted.")})
    report = report or ImplementationReport(
        engagement=engagement, period_start=period.start, period_end=period.end, due_date=period.due
    )
    ensure_can_change(acting_user, report)
    for field in ("project_management", "appraisal_execution", "resources", "service_level"):
        if field in content:
            setattr(report, field, content[field])
    if received_at is not None:
        ensure_owner_writer(acting_user)
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = received_at or timezone.now()
    report.submitted_by = _user_or_none(acting_user)
    _save(report, acting_user)
    for upload in attachments:
        registry.attach_document(
            report, upload=upload, kind=DocumentKind.IMPLEMENTATION_REPORT, acting_user=acting_user
        )
    with acting_as(acting_user):
        ReportDraft.objects.filter(engagement=engagement, period_start=period.start).delete()
    return report


@transaction.atomic
def do_review_report(
    report: ImplementationReport, *, acting_user: Any, accept: bool, comments: str = ""
) -> ImplementationReport:
    ensure_owner_writer(acting_user)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted report can be reviewed.")})
    if not accept and not comments.strip():
        raise ValidationError({"comments": _("Say what must be corrected when returning a report.")})
    report.status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
    report.review_comments = comments
    report.reviewed_at = timezone.now()
    report.reviewed_by = _user_or_none(acting_user)
    _save(report, acting_user)
    if not accept:
        from .notices import notify_report_returned

        notify_report_returned(report)
    return report


@transaction.atomic
def do_attach_report_file(report: ImplementationReport, *, acting_user: Any, upload: Any) -> Any:
    """Add an attachment to a submitted or returned report (an accepted one is closed)."""
    ensure_can_change(acting_user, report)
    if report.status == ReportStatus.ACCEPTED:
        raise ValidationError({"status": _("An accepted report takes no more attachments.")})
    return registry.attach_document(
        report, upload=upload, kind=DocumentKind.IMPLEMENTATION_REPORT, acting_user=acting_user
    )


@transaction.atomic
def do_accept_reports(reports: list[ImplementationReport], *, acting_user: Any) -> list[ImplementationReport]:
    """Accept several submitted reports at once (the review queue): all of them or none, every refusal named."""
    ensure_owner_writer(acting_user)
    if not reports:
        raise ValidationError({"ids": _("Select at least one report.")})
    refused = [str(r) for r in reports if r.status != ReportStatus.SUBMITTED]
    if refused:
        raise ValidationError(
            {"ids": _("Only submitted reports can be accepted; not: %(reports)s.") % {"reports": "; ".join(refused)}}
        )
    return [do_review_report(r, acting_user=acting_user, accept=True) for r in reports]


@transaction.atomic
def do_appraise(
    vendor: Any,
    *,
    acting_user: Any,
    period_start: datetime.date,
    period_end: datetime.date,
    engagement: Any = None,
    inspection: Decimal | None = None,
    comments: str = "",
) -> Appraisal:
    """Appraise a vendor for a period from the figures the system holds, plus the owner's inspection score."""
    ensure_owner_writer(acting_user)
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    if inspection is not None and not (Decimal("0") <= inspection <= Decimal("100")):
        raise ValidationError({"inspection": _("A score from 0 to 100.")})
    quality, quality_detail = criterion_score("past_performance", vendor.pk, engagement, period_end)
    stability, stability_detail = criterion_score("team_stability", vendor.pk, engagement, period_end)
    timeliness, timeliness_detail = timeliness_score(vendor.pk, period_start, period_end)
    inspection_detail = Phrase(
        gettext_noop("entered by the appraiser")
        if inspection is not None
        else gettext_noop("no inspection score entered")
    )
    if inspection is None:
        # Without a score from the appraiser, the incoming inspection of the vendor's processed goods gives one.
        inspected, failed = Receipt.objects.inspection_totals([vendor.pk], period_start, period_end).get(
            vendor.pk, (Decimal("0"), Decimal("0"))
        )
        if inspected:
            inspection = (100 * (1 - failed / inspected)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            inspection_detail = Phrase(
                gettext_noop(
                    "incoming inspection: %(failed)s of %(inspected)s received were rejected or sent to rework"
                ),
                failed=f"{failed.normalize():f}",
                inspected=f"{inspected.normalize():f}",
            )
    parts = {"quality": quality, "inspection": inspection, "timeliness": timeliness, "stability": stability}
    details = {
        "quality": quality_detail,
        "inspection": inspection_detail,
        "timeliness": timeliness_detail,
        "stability": stability_detail,
    }
    try:
        result = score(parts, details)
    except ValueError as exc:
        raise ValidationError(
            {"inspection": _("No figure is available for this period: enter an inspection score.")}
        ) from exc
    appraisal = Appraisal(
        vendor=vendor,
        engagement=engagement,
        period_start=period_start,
        period_end=period_end,
        quality=quality,
        inspection=inspection,
        timeliness=timeliness,
        stability=stability,
        total=result.total,
        standing=result.standing,
        explanation=result.explanation,
        comments=comments,
        appraised_by=_user_or_none(acting_user),
    )
    return _save(appraisal, acting_user)
