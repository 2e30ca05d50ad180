"""The engagement team page: who is on it, each person's verdict, waivers and replacements."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from outsourcing.core.access import can_change, ensure_can_change, ensure_owner_writer, is_owner_writer
from outsourcing.core.api import get_visible
from outsourcing.core.forms import handle_action, handle_form
from outsourcing.core.listing import selected_ids
from outsourcing.engagements.choices import EngagementForm
from outsourcing.engagements.models import Engagement

from .actions import (
    do_acknowledge_change,
    do_add_to_team,
    do_approve_replacement,
    do_end_assignment,
    do_end_assignments,
    do_grant_waiver,
    do_propose_replacement,
    do_reject_replacement,
    do_revoke_waiver,
)
from .choices import ReplacementStatus, TeamSide
from .eligibility import evaluate_members, team_members
from .forms import AssignmentForm, DecisionForm, EndAssignmentForm, ReplacementForm, WaiverForm
from .models import Replacement, TeamAssignment, Waiver
from .stability import team_metrics

TEAM_PER_PAGE = 50


def _engagement(request: HttpRequest, pk: int) -> Engagement:
    engagement = get_visible(Engagement.objects.select_related("vendor"), request.user, pk=pk)
    if engagement.vendor_id is None:
        from django.http import Http404

        raise Http404  # an insourcing engagement has no vendor team
    return engagement


def _as_of(request: HttpRequest) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()


def _page(request: HttpRequest, engagement: Engagement, status: int = 200, **forms: Any) -> HttpResponse:
    user: Any = request.user
    as_of = _as_of(request)
    co_sourcing = engagement.form == EngagementForm.CO_SOURCING
    assignments = (
        TeamAssignment.objects.visible_to(user)
        .filter(engagement=engagement)
        .select_related("member", "owner_user")
        .order_by("end_date", "-key_person", "start_date", "pk")
    )
    replacements = list(
        Replacement.objects.visible_to(user)
        .filter(engagement=engagement)
        .select_related("outgoing__member", "successor")
    )
    pending = [r for r in replacements if r.status == ReplacementStatus.PENDING]
    # The successors' eligibility on their first day: one evaluation per distinct first day, not per replacement.
    for day in {r.effective_date for r in pending}:
        starting = [r for r in pending if r.effective_date == day]
        found = {v.member_id: v for v in evaluate_members(engagement, {r.successor for r in starting}, day)}
        for replacement in starting:
            replacement.successor_verdict = found.get(replacement.successor_id)  # type: ignore[attr-defined]
    # A large team is shown a page at a time (its rows carry forms), read a page at a time, and only the shown
    # people's verdicts are worked out: the page costs the same whatever the team's size (the figures above
    # the table are counted by the database).
    current = assignments.filter(Q(end_date__isnull=True) | Q(end_date__gte=as_of))
    current_page = Paginator(current, TEAM_PER_PAGE).get_page(request.GET.get("team_page"))
    former_page = Paginator(assignments.filter(end_date__lt=as_of), TEAM_PER_PAGE).get_page(
        request.GET.get("former_page")
    )
    shown = list(current_page)
    among = {a.member_id for a in shown if a.member_id}
    verdicts = {v.member_id: v for v in evaluate_members(engagement, team_members(engagement, as_of, among), as_of)}
    for assignment in shown:
        assignment.verdict = verdicts.get(assignment.member_id) if assignment.member_id else None  # type: ignore[attr-defined]
    writer = is_owner_writer(user)
    can_vendor_edit = can_change(user, TeamAssignment(engagement=engagement, side=TeamSide.VENDOR))
    end_form = EndAssignmentForm(initial={"end_date": as_of})
    metrics = team_metrics(engagement, engagement.start_date if engagement.start_date <= as_of else as_of, as_of)
    context = {
        "title": _("Team of %(engagement)s") % {"engagement": engagement},
        "engagement": engagement,
        "as_of": as_of,
        "current_page": current_page,
        "former_page": former_page,
        "waivers": Waiver.objects.visible_to(user).filter(engagement=engagement).select_related("member", "granted_by"),
        "replacements": replacements,
        "pending": pending,
        "metrics": metrics,
        "eligible_percent": None if metrics.eligible_share is None else 100 * metrics.eligible_share,
        "can_owner": writer,
        "can_edit": can_vendor_edit,
        "assignment_form": forms.get("assignment_form")
        or AssignmentForm(engagement=engagement, co_sourcing=co_sourcing, initial={"start_date": as_of}),
        "waiver_form": forms.get("waiver_form") or WaiverForm(engagement=engagement),
        "replacement_form": forms.get("replacement_form") or ReplacementForm(engagement=engagement),
        "end_form": end_form,
        # The same fields stand in every current row's "take off the team" form: rendered once, not per row
        # (400 renders of the form's widgets took seconds on a large team).
        "end_form_fields": render_to_string("core/_form_fields.html", {"form": end_form}, request=request),
        # The bulk bar's own copy, with ids of its own.
        "bulk_end_form": EndAssignmentForm(initial={"end_date": as_of}, auto_id="id_bulk_%s"),
        "decision_form": DecisionForm(),
    }
    return render(request, "teams/engagement_team.html", context, status=status)


@login_required
def engagement_team(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _engagement(request, pk))


def _back(engagement: Engagement, anchor: str = "") -> str:
    return reverse("teams:engagement-team", kwargs={"pk": engagement.pk}) + (f"#{anchor}" if anchor else "")


@login_required
def team_add(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _engagement(request, pk)
    if request.method != "POST":
        return redirect(_back(engagement))
    ensure_can_change(
        request.user, TeamAssignment(engagement=engagement)
    )  # who may, before what is wrong with the form
    form = AssignmentForm(
        request.POST, engagement=engagement, co_sourcing=engagement.form == EngagementForm.CO_SOURCING
    )

    return handle_form(
        request,
        form,
        lambda data: do_add_to_team(engagement, acting_user=request.user, **data),
        page=lambda: _page(request, engagement, status=422, assignment_form=form),
        success=_("Added to the team."),
        redirect_to=_back(engagement),
    )


@login_required
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_visible(TeamAssignment.objects.select_related("engagement"), request.user, pk=pk)
    if request.method == "POST":
        ensure_can_change(request.user, assignment)  # who may, before what is wrong with the form
        form = EndAssignmentForm(request.POST)
        if form.is_valid():
            try:
                do_end_assignment(assignment, acting_user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("%(name)s left the team.") % {"name": assignment.person_name})
        else:
            messages.error(request, _("Give the last day and the reason for leaving."))
    return redirect(_back(assignment.engagement))


@login_required
def assignments_end_selected(request: HttpRequest, pk: int) -> HttpResponse:
    """Take the people ticked on the team off it, on one day for one reason: all of them or none."""
    engagement = _engagement(request, pk)
    if request.method == "POST":
        chosen = list(
            TeamAssignment.objects.visible_to(request.user)
            .filter(engagement=engagement, pk__in=selected_ids(request.POST))
            .select_related("engagement", "member", "owner_user")
            .order_by("pk")
        )
        form = EndAssignmentForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the last day and the reason for leaving."))
        else:
            try:
                done = do_end_assignments(chosen, acting_user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, _("Nobody was taken off the team: %(why)s") % {"why": " · ".join(exc.messages)})
            else:
                messages.success(request, _("%(n)s people taken off the team.") % {"n": len(done)})
    return redirect(_back(engagement))


@login_required
def assignment_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_visible(TeamAssignment.objects.select_related("engagement"), request.user, pk=pk)
    if request.method == "POST":
        do_acknowledge_change(assignment, acting_user=request.user)
        messages.success(request, _("Team change acknowledged."))
    return redirect(_back(assignment.engagement))


@login_required
def waiver_grant(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _engagement(request, pk)
    if request.method != "POST":
        return redirect(_back(engagement, "waivers"))
    ensure_owner_writer(request.user)
    form = WaiverForm(request.POST, engagement=engagement)
    return handle_form(
        request,
        form,
        lambda data: do_grant_waiver(engagement, acting_user=request.user, **data),
        page=lambda: _page(request, engagement, status=422, waiver_form=form),
        success=_("Waiver granted."),
        redirect_to=_back(engagement, "waivers"),
    )


@login_required
def waiver_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    waiver = get_visible(Waiver.objects.select_related("engagement"), request.user, pk=pk)
    return handle_action(
        request,
        lambda: do_revoke_waiver(waiver, acting_user=request.user),
        success=_("Waiver revoked."),
        redirect_to=_back(waiver.engagement, "waivers"),
    )


@login_required
def replacement_propose(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _engagement(request, pk)
    if request.method != "POST":
        return redirect(_back(engagement, "replacements"))
    form = ReplacementForm(request.POST, engagement=engagement)
    return handle_form(
        request,
        form,
        lambda data: do_propose_replacement(engagement, acting_user=request.user, **data),
        page=lambda: _page(request, engagement, status=422, replacement_form=form),
        success=lambda replacement: (
            _("Replacement proposed: it takes effect when the owner approves it.")
            if replacement.status == ReplacementStatus.PENDING
            else _("Replacement applied.")
        ),
        redirect_to=_back(engagement, "replacements"),
    )


@login_required
def replacement_decide(request: HttpRequest, pk: int) -> HttpResponse:
    replacement = get_visible(Replacement.objects.select_related("engagement"), request.user, pk=pk)
    form = DecisionForm(request.POST or None)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    decide = do_approve_replacement if request.POST.get("decision") == "approve" else do_reject_replacement
    return handle_action(
        request,
        lambda: decide(replacement, acting_user=request.user, note=note),
        success=lambda decided: (
            _("Replacement approved: the successor is on the team.")
            if decided.status == ReplacementStatus.APPROVED
            else _("Replacement rejected.")
        ),
        redirect_to=_back(replacement.engagement, "replacements"),
    )
