"""Roster pages: the overview, a vendor's roster, a member, roster import and vendor stability."""

from __future__ import annotations

import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outsourcing.core import registry
from outsourcing.core.access import can_change, ensure_admin, ensure_can_change
from outsourcing.core.api import get_visible
from outsourcing.core.audit import entries_for
from outsourcing.core.exports import export_response
from outsourcing.core.forms import get_changeable, handle_action, handle_form
from outsourcing.core.jobs import failed_and_lost_tasks
from outsourcing.core.listing import Column, ListPage, render_list
from outsourcing.documents.models import Document
from outsourcing.engagements.models import Engagement
from outsourcing.vendors.models import Vendor

from .actions import do_attach_contracts, do_create_member, do_update_member
from .charts import headcount_chart, retention_chart
from .choices import EmploymentType, ReplacementStatus
from .forms import ContractsForm, DocumentForm, ImportForm, MemberForm
from .imports import COLUMNS as IMPORT_COLUMNS
from .imports import can_retry, do_retry_roster_import, do_start_roster_import
from .models import ImportJob, Replacement, TeamAssignment, TeamMember, on_team_q
from .queries import SORTS, filter_members
from .stability import compute as compute_stability
from .stability import headcount_series, retention_curve, vendor_arrays

ROSTER_COLUMNS = [
    Column("name", gettext_lazy("Full name")),
    Column("employee_number", gettext_lazy("Employee number")),
    Column("employment_type", gettext_lazy("Employment type")),
    Column("title", gettext_lazy("Title")),
    Column("hire_date", gettext_lazy("Hire date")),
    Column("left_date", gettext_lazy("Left date")),
]


def _parse_date(value: str | None, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value) if value else default
    except ValueError:
        return default


PER_PAGE = 50


VENDOR_COLUMNS = [
    Column("vendor", gettext_lazy("Vendor")),
    Column("headcount", gettext_lazy("Employed today"), numeric=True),
    Column("pages", gettext_lazy("Pages"), sortable=False),
]
TEAM_COLUMNS = [
    Column("engagement", gettext_lazy("Engagement")),
    Column("vendor", gettext_lazy("Vendor")),
    Column("size", gettext_lazy("On the team"), numeric=True),
    Column("attention", gettext_lazy("Needs attention"), sortable=False),
]
VENDOR_SORTS = {"vendor": "name", "-vendor": "-name", "headcount": "headcount", "-headcount": "-headcount"}
TEAM_SORTS = {
    "engagement": "code",
    "-engagement": "-code",
    "vendor": "vendor__name",
    "-vendor": "-vendor__name",
    "size": "team_size_sort",
    "-size": "-team_size_sort",
}


def _count_of(queryset: Any, key: str) -> Any:
    """A correlated count for sorting a whole list by a figure (only asked for when that sort is chosen)."""
    return Coalesce(
        Subquery(queryset.filter(**{key: OuterRef("pk")}).values(key).annotate(n=Count("pk")).values("n")[:1]),
        0,
    )


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Teams home: the rosters and engagement teams the user may see (a vendor user: only its own).

    Both tables are paged and sortable (`sort`/`page` and `esort`/`epage`), and their figures are counted for the
    rows of the page only (one grouped query each), so the page costs the same with 10 vendors as with 10,000;
    only sorting by a figure counts it for every row.
    """
    user: Any = request.user
    today = timezone.localdate()
    pending_only = request.GET.get("pending") == "1"
    vendors = Vendor.objects.visible_to(user)
    if request.GET.get("sort", "").lstrip("-") == "headcount":
        vendors = vendors.annotate(headcount=_count_of(TeamMember.objects.employed_on(today), "vendor"))
    vendor_list = ListPage(
        request, vendors, columns=VENDOR_COLUMNS, sorts=VENDOR_SORTS, default_sort="vendor", per_page=PER_PAGE
    )
    vendor_page = vendor_list.page
    headcounts = dict(
        TeamMember.objects.employed_on(today)
        .filter(vendor_id__in=[v.pk for v in vendor_page])
        .values_list("vendor_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for vendor in vendor_page:
        vendor.headcount = headcounts.get(vendor.pk, 0)  # type: ignore[attr-defined]
    engagements = Engagement.objects.visible_to(user).exclude(vendor__isnull=True).select_related("vendor")
    if pending_only:
        engagements = engagements.filter(
            Exists(Replacement.objects.filter(engagement=OuterRef("pk"), status=ReplacementStatus.PENDING))
            | Exists(TeamAssignment.objects.filter(engagement=OuterRef("pk"), acknowledged=False))
        )
    if request.GET.get("esort", "").lstrip("-") == "size":
        engagements = engagements.annotate(
            team_size_sort=_count_of(TeamAssignment.objects.on_team(today), "engagement")
        )
    team_list = ListPage(
        request,
        engagements,
        columns=TEAM_COLUMNS,
        sorts=TEAM_SORTS,
        default_sort="engagement",
        prefix="e",
        per_page=PER_PAGE,
    )
    engagement_page = team_list.page
    ids = [e.pk for e in engagement_page]
    team = {
        row[0]: (row[1], row[2])
        for row in TeamAssignment.objects.filter(engagement_id__in=ids)
        .values("engagement_id")
        .annotate(
            size=Count("pk", filter=on_team_q(today)),
            unacknowledged=Count("pk", filter=Q(acknowledged=False)),
        )
        .order_by()
        .values_list("engagement_id", "size", "unacknowledged")
    }
    pending = dict(
        Replacement.objects.filter(engagement_id__in=ids, status=ReplacementStatus.PENDING)
        .values_list("engagement_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for engagement in engagement_page:
        engagement.team_size, engagement.unacknowledged = team.get(engagement.pk, (0, 0))  # type: ignore[attr-defined]
        engagement.pending = pending.get(engagement.pk, 0)  # type: ignore[attr-defined]
    context = {
        "title": _("Teams"),
        "vendors": vendor_page if not pending_only else [],
        "vendor_page": vendor_page,
        "vendor_list": vendor_list,
        "engagements": engagement_page,
        "engagement_page": engagement_page,
        "team_list": team_list,
        "pending_only": pending_only,
    }
    return render(request, "teams/overview.html", context)


def _roster_queryset(request: HttpRequest, vendor: Vendor) -> tuple[Any, dict[str, Any]]:
    params: dict[str, Any] = {k: request.GET.get(k, "").strip()[:200] for k in ("q", "employment_type", "status")}
    if params["employment_type"] not in EmploymentType.values:
        params["employment_type"] = ""
    if params["status"] not in {"employed", "left"}:
        params["status"] = ""
    queryset = filter_members(TeamMember.objects.visible_to(request.user).filter(vendor=vendor), **params)
    return queryset, params


@login_required
def roster(request: HttpRequest, pk: int) -> HttpResponse:
    vendor = get_visible(Vendor.objects.all(), request.user, pk=pk)
    queryset, params = _roster_queryset(request, vendor)
    listing = ListPage(request, queryset, columns=ROSTER_COLUMNS, sorts=SORTS, default_sort="name")
    context = {
        "title": _("Roster of %(vendor)s") % {"vendor": vendor.name},
        "vendor": vendor,
        "listing": listing,
        "params": params,
        "types": EmploymentType.choices,
        "can_edit": can_change(request.user, TeamMember(vendor=vendor)),
        "today": timezone.localdate(),
    }
    return render_list(request, "teams/roster.html", "teams/_roster_results.html", context)


@login_required
def roster_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse | StreamingHttpResponse:
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    vendor = get_visible(Vendor.objects.all(), request.user, pk=pk)
    queryset, _params = _roster_queryset(request, vendor)
    queryset = queryset.order_by(SORTS.get(request.GET.get("sort", "name"), "full_name"), "pk")

    # The same columns as the import file, so an export can be edited and imported back; the identity number
    # is never kept in clear, so its column stays empty (and an empty cell keeps the number on file).
    return export_response(
        fmt,
        filename=f"roster-{vendor.pk}",
        headers=list(IMPORT_COLUMNS),
        rows=queryset.iterator(chunk_size=2000),
        row=lambda m: [
            m.employee_number,
            m.full_name,
            m.employment_type,
            m.title,
            m.hire_date,
            m.probation_end_date,
            m.left_date,
            m.prior_experience_months,
            "",
        ],
    )


@login_required
def member_create(request: HttpRequest, pk: int) -> HttpResponse:
    vendor = get_visible(Vendor.objects.all(), request.user, pk=pk)
    ensure_can_change(request.user, TeamMember(vendor=vendor))
    return handle_form(
        request,
        MemberForm(request.POST or None),
        lambda data: do_create_member(vendor=vendor, acting_user=request.user, **data),
        template="teams/member_form.html",
        context={"title": _("New team member"), "vendor": vendor},
        success=lambda member: _("%(name)s added to the roster.") % {"name": member.full_name},
        redirect_to=lambda member: reverse("teams:member", args=[member.pk]),
    )


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_changeable(TeamMember.objects.select_related("vendor"), request.user, pk=pk)
    return handle_form(
        request,
        MemberForm(request.POST or None, record=member),
        lambda data: do_update_member(member, acting_user=request.user, changes=data),
        template="teams/member_form.html",
        context={"title": _("Edit %(name)s") % {"name": member.full_name}, "vendor": member.vendor},
        success=_("Team member saved."),
        redirect_to=reverse("teams:member", args=[pk]),
    )


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_visible(TeamMember.objects.select_related("vendor"), request.user, pk=pk)
    return render(request, "teams/member_detail.html", _member_page(request, member, DocumentForm()))


def _member_page(request: HttpRequest, member: TeamMember, upload_form: DocumentForm) -> dict[str, Any]:
    from .eligibility import full_months

    today = timezone.localdate()
    assignments = list(member.assignments.select_related("engagement").order_by("-start_date"))  # type: ignore[attr-defined]
    return {
        "title": member.full_name,
        "member": member,
        "tenure_months": full_months(member.hire_date, today) if member.hire_date <= today else None,
        "employed": member.employed_on(today),
        "documents": Document.for_object(member).select_related("uploaded_by"),
        "assignments": assignments,
        "history": entries_for(member)[:200],
        "can_edit": can_change(request.user, member),
        "upload_form": upload_form,
    }


@login_required
def member_upload(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_visible(TeamMember.objects.select_related("vendor"), request.user, pk=pk)
    if request.method != "POST":
        return redirect("teams:member", pk=pk)
    ensure_can_change(request.user, member)
    form = DocumentForm(request.POST, request.FILES)
    return handle_form(
        request,
        form,
        lambda data: registry.attach_document(member, upload=data["file"], kind=data["kind"], acting_user=request.user),
        template="teams/member_detail.html",
        context=lambda: _member_page(request, member, form),
        success=_("Document attached."),
        redirect_to=reverse("teams:member", kwargs={"pk": pk}) + "#documents",
    )


@login_required
def roster_import(request: HttpRequest, pk: int) -> HttpResponse:
    vendor = get_visible(Vendor.objects.all(), request.user, pk=pk)
    ensure_can_change(request.user, ImportJob(vendor=vendor))
    return handle_form(
        request,
        ImportForm(request.POST or None, request.FILES or None),
        lambda data: do_start_roster_import(vendor, upload=data["file"], acting_user=request.user),
        template="teams/import.html",
        context=lambda: {
            "title": _("Import a roster"),
            "vendor": vendor,
            "recent": ImportJob.objects.visible_to(request.user).filter(vendor=vendor)[:10],
        },
        success=None,
        redirect_to=lambda job: reverse("teams:import-job", args=[job.pk]),
    )


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_visible(ImportJob.objects.select_related("vendor"), request.user, pk=pk)
    context = {
        "title": _("Roster import"),
        "job": job,
        "vendor": job.vendor,
        "may_retry": can_retry(job) and can_change(request.user, job),
    }
    return render_list(request, "teams/import_job.html", "teams/_import_status.html", context)


@login_required
def import_problems(request: HttpRequest) -> HttpResponse:
    """For the admin: every roster import that failed or is stuck, and background tasks that failed."""
    ensure_admin(request.user)
    jobs = ImportJob.objects.visible_to(request.user).failed_or_stuck().select_related("vendor", "created_by")
    page = Paginator(jobs, 50).get_page(request.GET.get("page"))
    context = {
        "title": _("Failed and stuck jobs"),
        "listing": {"page": page, "paginator": page.paginator, "url_with": "?"},
        "jobs": page.object_list,
        "tasks": failed_and_lost_tasks(),
    }
    return render(request, "teams/import_problems.html", context)


@login_required
def retry_import(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_visible(ImportJob.objects.select_related("vendor"), request.user, pk=pk)
    return handle_action(
        request,
        lambda: do_retry_roster_import(job, acting_user=request.user),
        success=_("The import was queued again."),
        redirect_to=reverse("teams:import-job", args=[job.pk]),
    )


@login_required
def stability(request: HttpRequest, pk: int) -> HttpResponse:
    vendor = get_visible(Vendor.objects.all(), request.user, pk=pk)
    today = timezone.localdate()
    end = _parse_date(request.GET.get("end"), today)
    start = _parse_date(request.GET.get("start"), end - relativedelta(years=1))
    if start > end:
        start, end = end, start
    hire, left = vendor_arrays(vendor.pk, end)
    figures = compute_stability(hire, left, start, end)
    context = {
        "title": _("Stability of %(vendor)s") % {"vendor": vendor.name},
        "vendor": vendor,
        "figures": figures,
        "retention": [
            {"days": p["days"], "percent": None if p["survival"] is None else 100 * p["survival"]}
            for p in figures.retention
        ],
        "turnover_percent": None if figures.turnover_rate is None else 100 * figures.turnover_rate,
        "retention_chart": retention_chart(retention_curve(hire, left, end)),
        "headcount_chart": headcount_chart(headcount_series(hire, left, start, end)),
        "start": start,
        "end": end,
    }
    return render(request, "teams/stability.html", context)


@login_required
def contracts_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload the employment contracts of many people at once, matched by the employee number in each file's
    name: all of them or none, with every file that could not be taken listed by the field."""
    vendor = get_visible(Vendor.objects, request.user, pk=pk)
    ensure_can_change(request.user, TeamMember(vendor=vendor))
    return handle_form(
        request,
        ContractsForm(request.POST if request.method == "POST" else None, request.FILES or None),
        lambda data: do_attach_contracts(vendor, acting_user=request.user, files=data["contracts"]),
        template="teams/contracts.html",
        context={"title": _("Upload employment contracts"), "vendor": vendor},
        success=lambda done: _("%(n)s contracts attached.") % {"n": len(done)},
        redirect_to=reverse("teams:roster", args=[pk]),
    )
