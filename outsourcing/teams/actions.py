"""Every change to rosters, teams, waivers and replacements goes through these functions."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outsourcing.core.access import ensure_can_change, ensure_owner_writer, is_owner_writer
from outsourcing.core.audit import acting_as

from .choices import LeaveReason, ReplacementStatus, TeamSide
from .models import Replacement, TeamAssignment, TeamMember, Waiver

MEMBER_FIELDS = (
    "full_name",
    "employee_number",
    "employment_type",
    "title",
    "hire_date",
    "probation_end_date",
    "left_date",
    "prior_experience_months",
    "identity_number",  # write-only: kept as a keyed hash (teams.identity)
)
NULLABLE = {"probation_end_date", "left_date", "hire_date", "identity_number"}


def _apply(obj: Any, changes: dict[str, Any], allowed: tuple[str, ...]) -> None:
    for field, value in changes.items():
        if field not in allowed:
            raise ValidationError({field: _("This field cannot be set here.")})
        if value is None and field not in NULLABLE:
            value = 0 if field == "prior_experience_months" else ""
        setattr(obj, field, value)


def _actor(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


@transaction.atomic
def do_create_member(*, vendor: Any, acting_user: Any, **fields: Any) -> TeamMember:
    member = TeamMember(vendor=vendor)
    ensure_can_change(acting_user, member)
    _apply(member, fields, MEMBER_FIELDS)
    member.full_clean()
    with acting_as(acting_user):
        member.save()
    return member


@transaction.atomic
def do_update_member(member: TeamMember, *, acting_user: Any, changes: dict[str, Any]) -> TeamMember:
    ensure_can_change(acting_user, member)
    _apply(member, changes, MEMBER_FIELDS)
    member.full_clean()
    with acting_as(acting_user):
        member.save()
    return member


@transaction.atomic
def do_add_to_team(
    engagement: Any,
    *,
    acting_user: Any,
    role: str,
    start_date: datetime.date,
    member: TeamMember | None = None,
    key_person: bool = False,
    side: str = TeamSide.VENDOR,
    owner_user: Any = None,
    owner_name: str = "",
    allocation_percent: int = 100,
) -> TeamAssignment:
    """Put a person on the team. The owner's additions stand; the vendor's own stay flagged for review."""
    assignment = TeamAssignment(
        engagement=engagement,
        side=side,
        member=member,
        owner_user=owner_user,
        owner_name=(owner_name or "").strip(),
        role=(role or "").strip(),
        key_person=key_person,
        allocation_percent=allocation_percent,
        start_date=start_date,
        acknowledged=is_owner_writer(acting_user),
    )
    if side == TeamSide.OWNER:
        ensure_owner_writer(acting_user)
    else:
        ensure_can_change(acting_user, assignment)
    if (
        member is not None
        and TeamAssignment.objects.filter(engagement=engagement, member=member, end_date__isnull=True).exists()
    ):
        raise ValidationError({"member_id": _("This person is already on the team.")})
    assignment.full_clean()
    with acting_as(acting_user):
        assignment.save()
    return assignment


@transaction.atomic
def do_end_assignment(
    assignment: TeamAssignment, *, acting_user: Any, end_date: datetime.date, leave_reason: str
) -> TeamAssignment:
    """Take a person off the team. The vendor cannot drop a key person: it proposes a replacement."""
    if assignment.side == TeamSide.OWNER:
        ensure_owner_writer(acting_user)
    ensure_can_change(acting_user, assignment)
    if assignment.end_date is not None:
        raise ValidationError({"end_date": _("This person has already left the team.")})
    if assignment.key_person and not is_owner_writer(acting_user):
        raise PermissionDenied(_("A key person leaves the team only through a replacement the owner approves."))
    assignment.end_date = end_date
    assignment.leave_reason = leave_reason
    assignment.acknowledged = is_owner_writer(acting_user)
    assignment.full_clean()
    with acting_as(acting_user):
        assignment.save()
    return assignment


@transaction.atomic
def do_acknowledge_change(assignment: TeamAssignment, *, acting_user: Any) -> TeamAssignment:
    ensure_owner_writer(acting_user)
    if not assignment.acknowledged:
        assignment.acknowledged = True
        with acting_as(acting_user):
            assignment.save(update_fields=["acknowledged"])
    return assignment


@transaction.atomic
def do_grant_waiver(
    engagement: Any,
    *,
    member: TeamMember,
    acting_user: Any,
    justification: str,
    valid_until: datetime.date,
    valid_from: datetime.date | None = None,
) -> Waiver:
    ensure_owner_writer(acting_user)
    waiver = Waiver(
        engagement=engagement,
        member=member,
        justification=justification,
        valid_from=valid_from or timezone.localdate(),
        valid_until=valid_until,
        granted_by=_actor(acting_user),
    )
    waiver.full_clean()
    with acting_as(acting_user):
        waiver.save()
    return waiver


@transaction.atomic
def do_revoke_waiver(waiver: Waiver, *, acting_user: Any) -> Waiver:
    ensure_owner_writer(acting_user)
    if waiver.revoked_at is not None:
        raise ValidationError({"waiver": _("This waiver is already revoked.")})
    waiver.revoked_at = timezone.now()
    waiver.revoked_by = _actor(acting_user)
    with acting_as(acting_user):
        waiver.save(update_fields=["revoked_at", "revoked_by"])
    return waiver


def _apply_replacement(replacement: Replacement, acting_user: Any) -> None:
    """End the outgoing place the day before the successor starts, and seat the successor."""
    outgoing = replacement.outgoing
    if TeamAssignment.objects.filter(
        engagement=replacement.engagement, member=replacement.successor, end_date__isnull=True
    ).exists():
        raise ValidationError({"successor_id": _("The successor is already on the team.")})
    outgoing.end_date = replacement.effective_date - datetime.timedelta(days=1)
    outgoing.leave_reason = LeaveReason.REPLACED
    outgoing.acknowledged = True
    outgoing.full_clean()
    outgoing.save()
    successor = TeamAssignment(
        engagement=replacement.engagement,
        side=TeamSide.VENDOR,
        member=replacement.successor,
        role=outgoing.role,
        key_person=outgoing.key_person,
        start_date=replacement.effective_date,
        acknowledged=True,
    )
    successor.full_clean()
    successor.save()
    replacement.new_assignment = successor


@transaction.atomic
def do_propose_replacement(
    engagement: Any,
    *,
    outgoing: TeamAssignment,
    successor: TeamMember,
    reason: str,
    effective_date: datetime.date,
    acting_user: Any,
) -> Replacement:
    """The vendor proposes; a key person's replacement waits for the owner, any other applies at once."""
    outgoing = TeamAssignment.objects.select_for_update().get(pk=outgoing.pk)
    replacement = Replacement(
        engagement=engagement,
        outgoing=outgoing,
        successor=successor,
        reason=reason,
        effective_date=effective_date,
        key_person=outgoing.key_person,
        proposed_by=_actor(acting_user),
    )
    ensure_can_change(acting_user, replacement)
    replacement.full_clean()
    if Replacement.objects.filter(outgoing=outgoing, status=ReplacementStatus.PENDING).exists():
        raise ValidationError({"outgoing_id": _("A replacement of this person already awaits a decision.")})
    with acting_as(acting_user):
        if not outgoing.key_person:
            _apply_replacement(replacement, acting_user)
            replacement.status = ReplacementStatus.APPLIED
            replacement.decided_at = timezone.now()
        replacement.save()
    return replacement


def _decide(replacement: Replacement, acting_user: Any) -> Replacement:
    ensure_owner_writer(acting_user)
    replacement = Replacement.objects.select_for_update().get(pk=replacement.pk)
    if replacement.status != ReplacementStatus.PENDING:
        raise ValidationError({"status": _("This replacement was already decided.")})
    return replacement


@transaction.atomic
def do_approve_replacement(replacement: Replacement, *, acting_user: Any, note: str = "") -> Replacement:
    replacement = _decide(replacement, acting_user)
    if len(note) > 1000:
        raise ValidationError({"note": _("At most 1000 characters.")})
    if replacement.outgoing.end_date is not None:
        raise ValidationError({"outgoing_id": _("The outgoing person has already left the team.")})
    with acting_as(acting_user):
        _apply_replacement(replacement, acting_user)
        replacement.status = ReplacementStatus.APPROVED
        replacement.decided_by = _actor(acting_user)
        replacement.decided_at = timezone.now()
        replacement.decision_note = note
        replacement.save()
    return replacement


@transaction.atomic
def do_reject_replacement(replacement: Replacement, *, acting_user: Any, note: str = "") -> Replacement:
    replacement = _decide(replacement, acting_user)
    if len(note) > 1000:
        raise ValidationError({"note": _("At most 1000 characters.")})
    with acting_as(acting_user):
        replacement.status = ReplacementStatus.REJECTED
        replacement.decided_by = _actor(acting_user)
        replacement.decided_at = timezone.now()
        replacement.decision_note = note
        replacement.save()
    return replacement
