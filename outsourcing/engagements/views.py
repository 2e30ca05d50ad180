"""Engagement pages: the list with filters and exports, the detail page, create/edit and transitions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from outsourcing.core.access import can_change, ensure_owner_writer, is_owner_writer, sees_all_vendors
from outsourcing.core.api import get_visible
from outsourcing.core.audit import entries_for, entries_for_queryset
from outsourcing.core.exports import export_response
from outsourcing.core.forms import apply_form_errors, get_changeable, handle_action, handle_form
from outsourcing.core.listing import Column, ListPage, record_id, render_list
from outsourcing.core.pickers import chosen_in, picker_html
from outsourcing.documents.models import Document
from outsourcing.vendors.models import Vendor

from .actions import do_create_engagement, do_transfer_engagement, do_transition, do_update_engagement
from .choices import (
    AGREEMENT_TONE,
    BENEFIT_FORMS,
    DELIVERABLE_FORMS,
    SLA_FORMS,
    TRANSITIONS,
    AgreementState,
    EngagementForm,
    EngagementStatus,
)
from .forms import EngagementForm as EngagementEditForm
from .forms import TransferForm, TransitionForm
from .models import Deliverable, Engagement, Measurement, ServiceAgreement, SlaMetric
from .queries import SORTS, filter_engagements, is_issue, issue_choices
from .reports import Gap, PeriodCredits, attainment_charts, benefit_report, measurement_gaps, sla_report

COLUMNS = [
    Column("code", gettext_lazy("Code")),
    Column("title", gettext_lazy("Title")),
    Column("form", gettext_lazy("Form")),
    Column("vendor", gettext_lazy("Provider")),
    Column("status", gettext_lazy("Status")),
    Column("start", gettext_lazy("Start")),
    Column("end", gettext_lazy("End")),
]


def _filtered(request: HttpRequest) -> tuple[Any, dict[str, str]]:
    params = {k: request.GET.get(k, "").strip()[:200] for k in ("q", "form", "status", "vendor", "issue", "agreement")}
    if params["form"] not in EngagementForm.values:
        params["form"] = ""
    if params["status"] not in EngagementStatus.values:
        params["status"] = ""
    if not is_issue(params["issue"], request.user):
        params["issue"] = ""
    if params["agreement"] not in AgreementState.values:
        params["agreement"] = ""
    picked = chosen_in(request.GET, "vendor", Vendor.objects.visible_to(request.user))
    params["vendor"] = picked[0] if picked else ""
    if record_id(params["vendor"]) is None:
        params["vendor"] = ""
    queryset = filter_engagements(
        Engagement.objects.visible_to(request.user),
        viewer=request.user,
        q=params["q"],
        form=params["form"],
        status=params["status"],
        vendor_id=params["vendor"] or None,
        issue=params["issue"],
        agreement=params["agreement"],
    )
    return queryset, params


@login_required
def engagement_list(request: HttpRequest) -> HttpResponse:
    queryset, params = _filtered(request)
    listing = ListPage(request, queryset, columns=COLUMNS, sorts=SORTS, default_sort="-start")
    context = {
        "title": _("Engagements"),
        "listing": listing,
        "params": params,
        "forms": EngagementForm.choices,
        "statuses": EngagementStatus.choices,
        "agreement_states": AgreementState.choices,
        "vendor_picker": picker_html(
            "vendor",
            Vendor.objects.visible_to(request.user).order_by("name", "pk"),
            "vendor",
            chosen=[params["vendor"]],
            text=request.GET.get("vendor__find", ""),
            label=_("Vendor"),
            everything=True,
        ),
        "issues": issue_choices(request.user),
        "can_create": is_owner_writer(request.user),
    }
    return render_list(request, "engagements/list.html", "engagements/_results.html", context)


@login_required
def engagement_export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    queryset, _params = _filtered(request)
    queryset = queryset.order_by(SORTS.get(request.GET.get("sort", ""), "-start_date"), "pk")
    headers = [
        _("Code"),
        _("Title"),
        _("Form"),
        _("Provider"),
        _("Owning department"),
        _("Responsible manager"),
        _("Status"),
        _("Operation and maintenance"),
        _("Start"),
        _("End"),
        _("Minimum tenure (months)"),
        _("Minimum experience (months)"),
    ]
    return export_response(
        fmt,
        filename="engagements",
        headers=[str(h) for h in headers],
        rows=queryset.iterator(chunk_size=2000),
        row=lambda e: [
            e.code or "",
            e.title,
            e.get_form_display(),
            e.provider_name,
            e.department,
            e.manager.username if e.manager_id else "",
            e.get_status_display(),
            _("yes") if e.is_operations_maintenance else _("no"),
            e.start_date,
            e.end_date,
            e.min_tenure_months,
            e.min_experience_months,
        ],
    )


def _team_url(engagement: Engagement) -> str | None:
    try:
        return reverse("teams:engagement-team", kwargs={"pk": engagement.pk})
    except NoReverseMatch:
        return None


SLA_MONTHS = 12  # the detail page shows a year of SLA periods at a time


@dataclass
class SlaPage:
    """The SLA periods the detail page shows: a year of them (the latest first), and what the cards need."""

    periods: list[PeriodCredits] = field(default_factory=list)
    last_period: PeriodCredits | None = None
    gaps: list[Gap] = field(default_factory=list)  # over the whole history: the card counts them all
    number: int = 1
    since: datetime.date | None = None
    before: datetime.date | None = None
    has_earlier: bool = False


def _sla_periods(request: HttpRequest, engagement: Engagement, today: datetime.date, metrics: list[Any]) -> SlaPage:
    """The year of periods of page `sla_page` (1: the last twelve months and anything later): a long history
    is read a year at a time, so the page costs the same however many years of measurements there are."""
    number = request.GET.get("sla_page", "1")
    page = SlaPage(number=min(int(number), 1000) if number.isdigit() and int(number) > 0 else 1)
    page.gaps = measurement_gaps(engagement, today, metrics)
    month = today.replace(day=1)
    page.since = month - relativedelta(months=SLA_MONTHS * page.number)
    page.before = None if page.number == 1 else page.since + relativedelta(months=SLA_MONTHS)
    page.periods = sla_report(engagement, today, since=page.since, before=page.before, gaps=page.gaps, metrics=metrics)
    # The cards speak of the latest period of all: page 1's last one, or else the report from the newest start on.
    latest = page.periods if page.number == 1 and page.periods else []
    if not latest:
        newest = Measurement.objects.filter(metric__engagement=engagement).aggregate(newest=Max("period_start"))
        starts = [d for d in (newest["newest"], *(g.period_start for g in page.gaps)) if d is not None]
        if starts:
            latest = sla_report(engagement, today, since=max(starts), gaps=page.gaps, metrics=metrics)
    page.last_period = latest[-1] if latest else None
    page.has_earlier = any(g.period_start < page.since for g in page.gaps) or (
        Measurement.objects.filter(metric__engagement=engagement, period_start__lt=page.since).exists()
    )
    return page


@login_required
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_visible(Engagement.objects.select_related("vendor", "manager", "override_by"), request.user, pk=pk)
    today = timezone.localdate()
    # The badge asks the same set-based rule as the list filter, the dashboard card and the reminders.
    agreement = ServiceAgreement.objects.with_state(today).filter(engagement=engagement).first()
    agreement_state = AgreementState(agreement.deadline_state) if agreement else None  # type: ignore[attr-defined]
    versions = list(agreement.versions.all()) if agreement else []
    deliverables = list(Deliverable.objects.filter(engagement=engagement).select_related("decided_by"))
    metrics = list(
        SlaMetric.objects.filter(engagement=engagement)
        .select_related("engagement__agreement")
        .prefetch_related("bands")
    )
    sla = _sla_periods(request, engagement, today, metrics) if engagement.form in SLA_FORMS else SlaPage()
    periods = sla.periods
    terms, payouts = benefit_report(engagement) if engagement.form in BENEFIT_FORMS else (None, [])
    one = Engagement.objects.filter(pk=engagement.pk)
    blockers = (
        one.activation_blockers(today).get(engagement.pk, [])
        if engagement.status in (EngagementStatus.DRAFT, EngagementStatus.SELECTION)
        else []
    )
    open_issues = one.open_issues(today, request.user).get(engagement.pk, [])
    # The vendor's people read each blocker as it concerns them (what they do, or that the owner decides).
    vendor_side = not sees_all_vendors(request.user)
    blockers = [b.said_to(vendor_side) for b in blockers]
    open_issues = [b.said_to(vendor_side) for b in open_issues]
    late_ids = set(Deliverable.objects.filter(engagement=engagement).late(today).values_list("pk", flat=True))
    late = [d for d in deliverables if d.pk in late_ids]
    last_period = sla.last_period
    issues: list[str] = []
    if agreement and agreement_state in (AgreementState.DECISION_DUE, AgreementState.EXPIRING):
        issues.append(agreement.advice(today, for_vendor=not sees_all_vendors(request.user)))
    if agreement_state == AgreementState.EXPIRED and engagement.status == EngagementStatus.ACTIVE:
        issues.append(_("The engagement is active but its agreement has expired."))
    issues.extend(
        _("Deliverable “%(title)s” was due on %(date)s.") % {"title": d.title, "date": d.due_date} for d in late
    )
    if last_period and last_period.breaches:
        issues.append(
            _("%(n)s SLA breach(es) in the period from %(date)s.")
            % {"n": last_period.breaches, "date": last_period.period_start}
        )
    issues.extend(b.message for b in blockers)
    documents = (
        list(Document.objects.visible_to(request.user).filter(pk__in=Document.for_object(agreement).values("pk")))
        if agreement
        else []
    )
    editable = can_change(request.user, engagement)
    current = EngagementStatus(engagement.status)
    history_objects = [engagement, *([agreement] if agreement else []), *versions, *deliverables, *metrics]
    if terms:
        history_objects.append(terms)
    context = {
        "title": str(engagement),
        "engagement": engagement,
        "agreement": agreement,
        "agreement_state": agreement_state,
        "agreement_tone": AGREEMENT_TONE[agreement_state] if agreement_state else "red",
        "agreement_advice": agreement.advice(today, for_vendor=not sees_all_vendors(request.user)) if agreement else "",
        "versions": versions,
        "documents": documents,
        "deliverables": deliverables,
        "late_ids": late_ids,
        "metrics": metrics,
        "periods": periods,
        "last_period": last_period,
        "charts": attainment_charts(engagement, today, metrics) if metrics else [],
        "gap_count": len(sla.gaps),
        "sla": sla,
        "terms": terms,
        "payouts": payouts,
        "blockers": blockers,
        "open_issues": open_issues,
        "issues": issues,
        "issue_count": len(issues) + len(open_issues),
        "team_url": _team_url(engagement),
        "shows_sla": engagement.form in SLA_FORMS,
        "shows_deliverables": engagement.form in DELIVERABLE_FORMS,
        "shows_benefit": engagement.form in BENEFIT_FORMS,
        "can_edit": editable,
        "transitions": [(s, EngagementStatus(s).label) for s in TRANSITIONS[current]] if editable else [],
        "transition_form": TransitionForm(),
        "history": (
            entries_for(*history_objects)
            | entries_for_queryset(Measurement.objects.filter(metric__engagement=engagement))  # corrections
        )
        .select_related("actor", "content_type")
        .order_by("-timestamp")[:200],
    }
    return render(request, "engagements/detail.html", context)


@login_required
def engagement_create(request: HttpRequest) -> HttpResponse:
    ensure_owner_writer(request.user)
    form = EngagementEditForm(request.POST or None)
    return handle_form(
        request,
        form,
        lambda data: do_create_engagement(acting_user=request.user, **form.changes()),
        template="engagements/form.html",
        context={"title": _("New engagement")},
        success=lambda engagement: _("Engagement %(title)s created.") % {"title": engagement.title},
        redirect_to=lambda engagement: reverse("engagements:detail", args=[engagement.pk]),
    )


@login_required
def engagement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_changeable(Engagement.objects, request.user, pk=pk)
    form = EngagementEditForm(request.POST or None, record=engagement)
    return handle_form(
        request,
        form,
        lambda data: do_update_engagement(engagement, acting_user=request.user, changes=form.changes()),
        template="engagements/form.html",
        context={
            "title": _("Edit %(title)s") % {"title": engagement.title},
            "engagement": engagement,
            "transfer": engagement.vendor_id is not None,
        },
        success=_("Engagement saved."),
        redirect_to=reverse("engagements:detail", args=[pk]),
    )


@login_required
@require_POST
def engagement_transition(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_changeable(Engagement.objects, request.user, pk=pk)  # who may, before what is wrong
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the new status."))
        return redirect("engagements:detail", pk=pk)
    return handle_action(
        request,
        lambda: do_transition(engagement, acting_user=request.user, **form.cleaned_data),
        success=lambda moved: _("The engagement is now %(status)s.") % {"status": moved.get_status_display()},
        redirect_to=reverse("engagements:detail", args=[pk]),
    )


@login_required
def engagement_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """Hand the engagement to another vendor: the way to change the provider while people are on the team."""
    engagement = get_visible(Engagement.objects, request.user, pk=pk)
    if not can_change(request.user, engagement):
        raise PermissionDenied
    form = TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_transfer_engagement(
                engagement,
                vendor_id=form.cleaned_data["vendor"].pk,
                on=form.cleaned_data["on"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("Engagement transferred; the previous vendor's places have ended."))
            return redirect("engagements:detail", pk=pk)
    return render(
        request,
        "engagements/form.html",
        {
            "title": _("Transfer %(title)s to another vendor") % {"title": engagement.title},
            "form": form,
            "engagement": engagement,
        },
    )
