"""Pages of the owner's set-up: an engagement's qualification requirements and the catalogue of types."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outsourcing.core.access import is_admin, is_owner_writer
from outsourcing.core.api import get_visible
from outsourcing.core.audit import entries_for_queryset
from outsourcing.core.forms import handle_form
from outsourcing.core.listing import Column, ListPage
from outsourcing.engagements.models import Engagement

from .actions import do_add_requirement, do_remove_requirement, do_save_qualification_type
from .forms import QualificationTypeForm, RequirementForm
from .models import Qualification, QualificationRequirement, QualificationType, counts_q
from .services import best_levels, split_requirements


def _as_of(request: HttpRequest) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()


ENGAGEMENT_COLUMNS = [
    Column("engagement", gettext_lazy("Engagement")),
    Column("vendor", gettext_lazy("Vendor")),
    Column("requirements", gettext_lazy("Requirements"), numeric=True),
    Column("result", gettext_lazy("Result"), sortable=False),  # worked out for the shown page only
]
ENGAGEMENT_SORTS = {
    "engagement": "code",
    "-engagement": "-code",
    "vendor": "vendor__name",
    "-vendor": "-vendor__name",
    "requirements": "requirement_total",
    "-requirements": "-requirement_total",
}


@login_required
def engagement_index(request: HttpRequest) -> HttpResponse:
    """Engagements with their qualification requirements and how many their vendor meets today."""
    today = timezone.localdate()
    engagements = Engagement.objects.visible_to(request.user).select_related("vendor")
    if request.GET.get("sort", "").lstrip("-") == "requirements":
        engagements = engagements.annotate(requirement_total=Count("qualification_requirements"))
    listing = ListPage(
        request, engagements, columns=ENGAGEMENT_COLUMNS, sorts=ENGAGEMENT_SORTS, default_sort="engagement", per_page=50
    )
    page = listing.page
    rows = list(page.object_list)
    requirements = list(
        QualificationRequirement.objects.filter(engagement__in=rows).select_related("type").order_by("type__code")
    )
    best = best_levels(
        sorted({e.vendor_id for e in rows if e.vendor_id}), sorted({r.type_id for r in requirements}), today
    )
    by_engagement: dict[int, list[QualificationRequirement]] = {}
    for requirement in requirements:
        by_engagement.setdefault(requirement.engagement_id, []).append(requirement)
    for engagement in rows:
        own = by_engagement.get(engagement.pk, [])
        _met, missing = split_requirements(own, best, engagement.vendor_id)
        engagement.requirement_count = len(own)  # type: ignore[attr-defined]
        engagement.missing_codes = missing  # type: ignore[attr-defined]
    context = {"title": _("Qualification requirements"), "listing": listing, "rows": rows, "today": today}
    return render(request, "qualifications/engagements.html", context)


@login_required
def engagement_requirements(request: HttpRequest, pk: int) -> HttpResponse:
    """What the engagement requires of its vendor, and on a date which requirements its vendor meets."""
    engagement = get_visible(Engagement.objects.select_related("vendor"), request.user, pk=pk)
    as_of = _as_of(request)
    if request.method == "POST" and not is_owner_writer(request.user):
        raise PermissionDenied

    def page() -> dict[str, Any]:
        requirements = list(
            QualificationRequirement.objects.filter(engagement=engagement).select_related("type").order_by("type__code")
        )
        held = (
            {
                q.type_id: q
                for q in Qualification.objects.filter(
                    counts_q(as_of), vendor_id=engagement.vendor_id, type__in=[r.type_id for r in requirements]
                )
                .select_related("type")
                .order_by("type_id", "level")
            }
            if engagement.vendor_id
            else {}
        )
        rows = []
        for requirement in requirements:
            best = held.get(requirement.type_id)  # ordered by level: the last one kept is the highest
            rows.append(
                {
                    "requirement": requirement,
                    "best": best,
                    "met": best is not None and requirement.is_met_by(best.level),
                }
            )
        return {
            "title": _("Qualification requirements of %(engagement)s") % {"engagement": engagement},
            "engagement": engagement,
            "rows": rows,
            "met_count": sum(1 for row in rows if row["met"]),
            "as_of": as_of,
            "can_edit": is_owner_writer(request.user),
        }

    return handle_form(
        request,
        RequirementForm(request.POST or None),
        lambda data: do_add_requirement(
            engagement, acting_user=request.user, type_code=data["type"].code, min_level=data["min_level"]
        ),
        template="qualifications/requirements.html",
        context=page,
        renamed={"type_code": "type"},
        success=_("Requirement added."),
        redirect_to=reverse("qualifications:engagement-requirements", args=[pk]),
    )


@login_required
def requirement_remove(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = get_visible(QualificationRequirement.objects.all(), request.user, pk=pk)
    if request.method == "POST":
        do_remove_requirement(requirement, acting_user=request.user)
        messages.success(request, _("Requirement removed."))
    return redirect("qualifications:engagement-requirements", pk=requirement.engagement_id)


@login_required
def type_list(request: HttpRequest) -> HttpResponse:
    """The catalogue of qualification types; admins add and edit types."""
    types = QualificationType.objects.order_by("category", "code")
    context = {
        "title": _("Qualification types"),
        "types": types,
        "can_edit": is_admin(request.user),
        "history": entries_for_queryset(types).select_related("actor").order_by("-timestamp")[:50]
        if is_admin(request.user)
        else [],
    }
    return render(request, "qualifications/types.html", context)


@login_required
def type_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not is_admin(request.user):
        raise PermissionDenied
    qtype = QualificationType.objects.filter(pk=pk).first() if pk else None
    if pk and qtype is None:
        raise Http404
    return handle_form(
        request,
        QualificationTypeForm(request.POST or None, record=qtype),
        lambda data: do_save_qualification_type(qtype, acting_user=request.user, changes=data),
        template="qualifications/form.html",
        context={"title": _("Edit %(type)s") % {"type": qtype} if qtype else _("New qualification type")},
        success=_("Qualification type saved."),
        redirect_to="qualifications:types",
    )
