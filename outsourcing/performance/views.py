from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outsourcing.core.access import can_change, is_owner_writer, sees_all_vendors
from outsourcing.core.api import get_visible
from outsourcing.core.charts import Point, line_chart
from outsourcing.core.forms import handle_form
from outsourcing.core.listing import Column, ListPage, both_ways, record_id, selected_ids
from outsourcing.engagements.models import Engagement
from outsourcing.vendors.models import Vendor

from . import actions
from .choices import AWAITING_REVIEW, STANDING_TONE, ReportStatus, Standing, Timeliness
from .forms import AppraisalForm, ReportForm, ReviewForm, ScheduleForm, WriteReportForm
from .models import REPORT_FIELDS, Appraisal, ImplementationReport, ReportDraft, ReportSchedule
from .services import (
    long_term,
    long_term_mean,
    long_term_rows,
    missing_reports,
    open_periods,
    report_statuses,
    standing_for,
)

TIMELINESS_TONE = {
    Timeliness.ON_TIME: "green",
    Timeliness.LATE: "amber",
    Timeliness.MISSING: "red",
    Timeliness.NOT_DUE: "grey",
}


SCHEDULES_PER_PAGE = 50
SCHEDULE_COLUMNS = [
    Column("engagement", gettext_lazy("Engagement")),
    Column("vendor", gettext_lazy("Vendor")),
    Column("frequency", gettext_lazy("Frequency")),
    Column("missing", gettext_lazy("Missing reports"), sortable=False),  # worked out for the shown page only
]
SCHEDULE_SORTS = both_ways(
    {
        "engagement": "engagement__code",
        "vendor": "engagement__vendor__name",
        "frequency": "frequency",
    }
)
AWAITING_COLUMNS = [
    Column("engagement", gettext_lazy("Engagement")),
    Column("period", gettext_lazy("Period")),
    Column("due", gettext_lazy("Due")),
    Column("status", gettext_lazy("Status")),
]
AWAITING_SORTS = both_ways(
    {
        "engagement": "engagement__code",
        "period": "period_start",
        "due": "due_date",
        "status": "status",
    }
)
APPRAISAL_COLUMNS = [
    Column("vendor", gettext_lazy("Vendor")),
    Column("period", gettext_lazy("Period")),
    Column("total", gettext_lazy("Total"), numeric=True),
    Column("standing", gettext_lazy("Standing")),
]
APPRAISAL_SORTS = both_ways(
    {
        "vendor": "vendor__name",
        "period": "period_end",
        "total": "total",
        "standing": "standing",
    }
)
STANDING_COLUMNS = [
    Column("vendor", gettext_lazy("Vendor")),
    Column("score", gettext_lazy("Long-term score"), numeric=True),
    Column("standing", gettext_lazy("Standing")),
    Column("n", gettext_lazy("Appraisals"), numeric=True),
]
# Sorted in SQL over the long-term rows (`long_term_rows`): the standing follows the score, best first.
STANDING_SORTS = {
    "vendor": "vendor__name",
    "-vendor": "-vendor__name",
    "score": "mean",
    "-score": "-mean",
    "standing": "-mean",
    "-standing": "mean",
    "n": "n",
    "-n": "-n",
}


VENDOR_APPRAISAL_COLUMNS = [
    Column("period", gettext_lazy("Period")),
    *(
        Column(key, label, numeric=True)
        for key, label in (
            ("quality", gettext_lazy("Quality")),
            ("inspection", gettext_lazy("Inspection")),
            ("timeliness", gettext_lazy("Timeliness")),
            ("stability", gettext_lazy("Stability")),
            ("total", gettext_lazy("Total")),
        )
    ),
    Column("standing", gettext_lazy("Standing")),
    Column("explain", gettext_lazy("How it was scored"), sortable=False),
]
VENDOR_APPRAISAL_SORTS = both_ways(
    {
        "period": "period_end",
        **{key: key for key in ("quality", "inspection", "timeliness", "stability", "total", "standing")},
    }
)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    # Paged, and the missing reports worked out for the shown schedules only: a portfolio has thousands.
    schedule_list = ListPage(
        request,
        ReportSchedule.objects.visible_to(request.user).select_related("engagement__vendor"),
        columns=SCHEDULE_COLUMNS,
        sorts=SCHEDULE_SORTS,
        default_sort="engagement",
        per_page=SCHEDULES_PER_PAGE,
    )
    schedules = list(schedule_list.page)
    missing = missing_reports(schedules, today)
    awaiting = ListPage(
        request,
        ImplementationReport.objects.visible_to(request.user)
        .filter(status__in=AWAITING_REVIEW)
        .select_related("engagement__vendor"),
        columns=AWAITING_COLUMNS,
        sorts=AWAITING_SORTS,
        default_sort="due",
        prefix="w",
        per_page=50,
    )
    standings = None
    if sees_all_vendors(request.user):
        # Sorted and paged in SQL (worst first unless asked otherwise): the portfolio has thousands of appraised
        # vendors, so only the shown page's figures are worded.
        standings = ListPage(
            request,
            long_term_rows(today),
            columns=STANDING_COLUMNS,
            sorts=STANDING_SORTS,
            default_sort="score",
            prefix="s",
            per_page=50,
            tiebreak="vendor_id",
        )
        rows = list(standings.page)
        names = dict(Vendor.objects.filter(pk__in=[r["vendor_id"] for r in rows]).values_list("pk", "name"))
        shown = []
        for row in rows:
            score = long_term_mean(row["mean"])
            standing = standing_for(score)
            shown.append(
                {
                    "vendor_id": row["vendor_id"],
                    "name": names.get(row["vendor_id"], ""),
                    "score": score,
                    "standing": standing,
                    "tone": STANDING_TONE[standing],
                    "n": row["n"],
                }
            )
        standings.page.object_list = shown
    appraisals = ListPage(
        request,
        Appraisal.objects.visible_to(request.user).select_related("vendor"),
        columns=APPRAISAL_COLUMNS,
        sorts=APPRAISAL_SORTS,
        default_sort="-period",
        prefix="a",
        per_page=50,
    )
    context = {
        "title": _("Reports"),
        "schedules": [{"schedule": s, "missing": missing.get(s.engagement_id, 0)} for s in schedules],
        "schedule_list": schedule_list,
        "awaiting": awaiting,
        "standings": standings,
        "appraisals": appraisals,
        "writer": is_owner_writer(request.user),
    }
    return render(request, "performance/index.html", context)


@login_required
def engagement_reports(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_visible(Engagement.objects.select_related("vendor"), request.user, pk=pk)
    schedule = ReportSchedule.objects.filter(engagement=engagement).select_related("engagement").first()
    today = timezone.localdate()
    statuses = report_statuses(schedule, today) if schedule else []
    open_periods = [s.period for s in statuses if s.report_id is None or s.report_status == ReportStatus.RETURNED]
    action = request.POST.get("action", "") if request.method == "POST" else ""
    initial = {} if schedule else {"first_period_start": engagement.start_date}
    schedule_form = ScheduleForm(request.POST if action == "schedule" else None, record=schedule, initial=initial)
    report_form = ReportForm(request.POST if action == "submit" else None, periods=open_periods)
    review_for = record_id(request.POST.get("report")) if action in ("accept", "return") else None
    review_form = ReviewForm(request.POST if action in ("accept", "return") else None, auto_id=f"id_r{review_for}_%s")
    can_submit = can_change(request.user, ImplementationReport(engagement=engagement))
    if action == "submit" and not can_submit:
        raise PermissionDenied

    def page() -> dict[str, Any]:
        from django.contrib.contenttypes.models import ContentType

        from outsourcing.documents.models import Document

        reports = {r.pk: r for r in ImplementationReport.objects.filter(engagement=engagement)}
        attachments: dict[int, list[Any]] = {}
        for document in Document.objects.filter(
            content_type=ContentType.objects.get_for_model(ImplementationReport), object_id__in=list(reports)
        ).order_by("uploaded_at", "pk"):
            attachments.setdefault(document.object_id, []).append(document)
        open_starts = {p.start for p in open_periods}
        rows = [
            {
                "status": s,
                "report": reports.get(s.report_id) if s.report_id else None,
                "attachments": attachments.get(s.report_id or 0, []),
                "tone": TIMELINESS_TONE[Timeliness(s.timeliness)],
                "timeliness": Timeliness(s.timeliness).label,
                "writable": can_submit and s.period.start in open_starts,
                # One review form per submitted report, each with its own ids; the one just sent keeps its errors.
                "review_form": review_form
                if s.report_id == review_for
                else ReviewForm(auto_id=f"id_r{s.report_id}_%s"),
            }
            for s in reversed(statuses)
        ]
        return {
            "title": _("Implementation reports"),
            "engagement": engagement,
            "schedule": schedule,
            "rows": rows,
            "schedule_form": schedule_form,
            "report_form": report_form,
            "review_form": review_form,
            "review_for": review_for,
            "writer": is_owner_writer(request.user),
            "can_submit": can_submit and bool(open_periods),
        }

    def save(data: dict[str, Any]) -> Any:
        if action == "schedule":
            return actions.do_set_schedule(engagement, acting_user=request.user, **data)
        if action == "submit":
            return actions.do_submit_report(engagement, acting_user=request.user, **data)
        report = get_visible(
            ImplementationReport.objects, request.user, pk=request.POST.get("report"), engagement=engagement
        )
        return actions.do_review_report(report, acting_user=request.user, accept=action == "accept", **data)

    form = {"schedule": schedule_form, "submit": report_form}.get(action, review_form)
    done = {"schedule": _("Schedule saved."), "submit": _("Report submitted.")}.get(action, _("Review saved."))
    if action not in ("schedule", "submit", "accept", "return"):
        return render(request, "performance/engagement.html", page())
    return handle_form(
        request,
        form,
        save,
        template="performance/engagement.html",
        context=page,
        success=done,
        redirect_to=reverse("performance:engagement", args=[pk]),
    )


@login_required
def vendor_appraisals(request: HttpRequest, pk: int) -> HttpResponse:
    vendor = get_visible(Vendor.objects, request.user, pk=pk)
    if request.method == "POST" and not is_owner_writer(request.user):
        raise PermissionDenied

    def page() -> dict[str, Any]:
        appraisals = list(Appraisal.objects.filter(vendor=vendor).order_by("period_end", "pk"))
        figures = long_term([vendor.pk], timezone.localdate()).get(vendor.pk)
        chart = (
            line_chart(
                [Point(a.period_end.strftime("%Y-%m"), float(a.total)) for a in appraisals[-24:]],
                title=_("Appraisal total by period"),
                x_label=_("Period end (month)"),
                y_label=_("Score (0–100)"),
                y_max=100,
                bands=[(90, _("excellent")), (75, _("good")), (60, _("watch")), (40, _("probation"))],
            )
            if appraisals
            else None
        )
        standing = (
            {
                "score": figures[0],
                "standing": Standing(figures[1]),
                "tone": STANDING_TONE[Standing(figures[1])],
                "n": figures[2],
            }
            if figures
            else None
        )
        return {
            "title": _("Appraisals"),
            "vendor": vendor,
            "appraisals": ListPage(
                request,
                Appraisal.objects.filter(vendor=vendor),
                columns=VENDOR_APPRAISAL_COLUMNS,
                sorts=VENDOR_APPRAISAL_SORTS,
                default_sort="-period",
                per_page=100,
            ),
            "standing": standing,
            "chart": chart,
            "writer": is_owner_writer(request.user),
        }

    return handle_form(
        request,
        AppraisalForm(request.POST or None),
        lambda data: actions.do_appraise(vendor, acting_user=request.user, **data),
        template="performance/vendor.html",
        context=page,
        success=_("Appraisal recorded."),
        redirect_to=reverse("performance:vendor", args=[pk]),
    )


@login_required
def report_write(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    """The vendor writes (or corrects and resubmits) the report of one open period on one form: the text is
    kept as a draft while they write (autosave, or "Save draft"), the reviewer's comments on a returned report
    stand next to it, attachments go with the submission."""
    engagement = get_visible(Engagement.objects.select_related("vendor"), request.user, pk=pk)
    if not can_change(request.user, ReportDraft(engagement=engagement)):
        raise PermissionDenied
    schedule = ReportSchedule.objects.filter(engagement=engagement).select_related("engagement").first()
    try:
        start = datetime.date.fromisoformat(period)
    except ValueError as exc:
        raise Http404 from exc
    chosen = (
        next((p for p in open_periods(schedule, timezone.localdate()) if p.start == start), None) if schedule else None
    )
    if chosen is None:
        raise Http404
    report = ImplementationReport.objects.filter(engagement=engagement, period_start=start).first()
    draft = ReportDraft.objects.filter(engagement=engagement, period_start=start).first()
    source = draft or report
    initial = {f: getattr(source, f) for f in REPORT_FIELDS} if source else {}
    here = reverse("performance:report-write", args=[pk, start.isoformat()])
    htmx = bool(getattr(request, "htmx", False))

    if request.method == "POST" and request.POST.get("action") == "draft":
        content = {f: request.POST.get(f, "") for f in REPORT_FIELDS}
        try:
            saved = actions.do_save_report_draft(engagement, acting_user=request.user, period_start=start, **content)
        except ValidationError as exc:
            if htmx:
                return render(request, "performance/_draft_status.html", {"errors": exc.messages})
            form = WriteReportForm(request.POST, initial=initial)
            form.is_valid()
            form.add_error(None, exc)
            return render(
                request, "performance/report_write.html", _write_context(engagement, chosen, report, draft, form)
            )
        saved_at = timezone.localtime(saved.saved_at if saved else (draft.saved_at if draft else timezone.now()))
        if htmx:
            return render(request, "performance/_draft_status.html", {"saved_at": saved_at})
        messages.success(request, _("Draft saved at %(time)s.") % {"time": saved_at.strftime("%H:%M")})
        if request.FILES:
            messages.warning(request, _("Files are attached when you submit the report: choose them again then."))
        return redirect(here)

    form = WriteReportForm(request.POST or None, request.FILES or None, initial=initial)
    return handle_form(
        request,
        form,
        lambda data: actions.do_submit_report(
            engagement,
            acting_user=request.user,
            period_start=start,
            attachments=data.pop("attachments") or [],
            **data,
        ),
        template="performance/report_write.html",
        context=lambda: _write_context(engagement, chosen, report, draft, None),
        success=_("Report submitted."),
        redirect_to=reverse("performance:engagement", args=[pk]),
    )


def _write_context(engagement: Any, period: Any, report: Any, draft: Any, form: Any) -> dict[str, Any]:
    from outsourcing.documents.models import Document

    context: dict[str, Any] = {
        "title": _("Implementation report %(start)s – %(end)s") % {"start": period.start, "end": period.end},
        "engagement": engagement,
        "period": period,
        "report": report,
        "draft": draft,
        "attachments": list(Document.for_object(report)) if report else [],
    }
    if form is not None:
        context["form"] = form
    return context


@login_required
def reports_accept_selected(request: HttpRequest) -> HttpResponse:
    """Accept the reports ticked in the review queue: all of them or none."""
    from outsourcing.core.access import ensure_owner_writer

    ensure_owner_writer(request.user)
    if request.method != "POST":
        return redirect("performance:index")
    ids = selected_ids(request.POST)
    chosen = list(ImplementationReport.objects.visible_to(request.user).filter(pk__in=ids).select_related("engagement"))
    try:
        done = actions.do_accept_reports(chosen, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)s reports accepted.") % {"n": len(done)})
    return redirect("performance:index")
