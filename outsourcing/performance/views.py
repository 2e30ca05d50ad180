from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from outsourcing.core.access import can_change, is_owner_writer, sees_all_vendors
from outsourcing.core.api import get_visible
from outsourcing.core.charts import Point, line_chart
from outsourcing.core.forms import handle_form
from outsourcing.engagements.models import Engagement
from outsourcing.vendors.models import Vendor

from . import actions
from .choices import STANDING_TONE, ReportStatus, Standing, Timeliness
from .forms import AppraisalForm, ReportForm, ReviewForm, ScheduleForm
from .models import Appraisal, ImplementationReport, ReportSchedule
from .services import long_term, missing_reports, report_statuses

TIMELINESS_TONE = {
    Timeliness.ON_TIME: "green",
    Timeliness.LATE: "amber",
    Timeliness.MISSING: "red",
    Timeliness.NOT_DUE: "grey",
}


SCHEDULES_PER_PAGE = 50


@login_required
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    # Paged, and the missing reports worked out for the shown schedules only: a portfolio has thousands.
    schedule_page = Paginator(
        ReportSchedule.objects.visible_to(request.user).select_related("engagement__vendor").order_by("pk"),
        SCHEDULES_PER_PAGE,
    ).get_page(request.GET.get("page"))
    schedules = list(schedule_page)
    missing = missing_reports(schedules, today)
    awaiting = (
        ImplementationReport.objects.visible_to(request.user)
        .filter(status__in=[ReportStatus.SUBMITTED, ReportStatus.RETURNED])
        .select_related("engagement__vendor")
        .order_by("due_date")[:100]
    )
    standings = []
    if sees_all_vendors(request.user):
        figures = long_term(None, today)
        names = dict(Vendor.objects.filter(pk__in=figures).values_list("pk", "name"))
        standings = sorted(
            (
                {
                    "vendor_id": pk,
                    "name": names.get(pk, ""),
                    "score": f[0],
                    "standing": Standing(f[1]),
                    "tone": STANDING_TONE[Standing(f[1])],
                    "n": f[2],
                }
                for pk, f in figures.items()
            ),
            key=lambda row: row["score"],  # type: ignore[arg-type, return-value]
        )
    context = {
        "title": _("Reports"),
        "schedules": [{"schedule": s, "missing": missing.get(s.engagement_id, 0)} for s in schedules],
        "schedule_page": schedule_page,
        "awaiting": awaiting,
        "standings": standings,
        "appraisals": Appraisal.objects.visible_to(request.user).select_related("vendor")[:50],
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
    review_form = ReviewForm(request.POST if action in ("accept", "return") else None)
    can_submit = can_change(request.user, ImplementationReport(engagement=engagement))
    if action == "submit" and not can_submit:
        raise PermissionDenied

    def page() -> dict[str, Any]:
        reports = {r.pk: r for r in ImplementationReport.objects.filter(engagement=engagement)}
        rows = [
            {
                "status": s,
                "report": reports.get(s.report_id) if s.report_id else None,
                "tone": TIMELINESS_TONE[Timeliness(s.timeliness)],
                "timeliness": Timeliness(s.timeliness).label,
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
            "appraisals": list(reversed(appraisals)),
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
