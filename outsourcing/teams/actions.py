"""Every change to rosters, teams, waivers and replacements goes through these functions."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from outsourcing.core import registry
from outsourcing.core.access import ensure_can_change, ensure_owner_writer, is_owner_writer
from outsourcing.core.audit import acting_as, prepare_bulk_audit
from outsourcing.core.bulk import BatchCleaner, copy_record, prepare_insert, prepare_update
from outsourcing.core.jobs import retry_while_locked
from outsourcing.core.tabular import RowErrors
from outsourcing.documents.choices import DocumentKind

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
# The columns behind MEMBER_FIELDS (identity_number is stored as its keyed hash and last four characters).
STORED_MEMBER_FIELDS = (*(f for f in MEMBER_FIELDS if f != "identity_number"), "identity_hash", "identity_last4")


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


def prepare_member(vendor: Any, fields: dict[str, Any], current: TeamMember | None = None) -> TeamMember:
    """The person these fields describe, validated as do_create_member / do_update_member validate, unsaved.

    With `current`, the fields are applied to a copy of that person (an update); otherwise a new person of
    `vendor`. Uniqueness is left to the write, which sees every row at once.
    """
    return MemberPreparer(vendor)(fields, current)


class MemberPreparer:
    """`prepare_member` for the many rows of one import, with the same rules and errors: the model's own
    `full_clean` through `core.bulk.BatchCleaner`, which works out each field's typing and verdict on a value
    once, and each new person copied from one blank person of the vendor rather than built field by field.
    The people of one import share their moment of creation."""

    def __init__(self, vendor: Any) -> None:
        self.blank = TeamMember(vendor=vendor)
        # The vendor is the caller's (already fetched): checking it exists again would cost a query per row.
        self.checks = BatchCleaner(TeamMember, exclude=["vendor"])

    def __call__(self, fields: dict[str, Any], current: TeamMember | None = None) -> TeamMember:
        member = copy_record(self.blank if current is None else current)
        typed: dict[str, Any] = {}
        errors: dict[str, list[str]] = {}
        for name, value in fields.items():
            try:  # raw values from a file are typed first, so that the model's own rules compare like with like
                typed[name] = self.checks.to_python(name, value) if name in STORED_MEMBER_FIELDS else value
            except ValidationError as exc:
                errors[name] = exc.messages
        if errors:
            raise ValidationError(errors)
        _apply(member, typed, MEMBER_FIELDS)
        self.checks.full_clean(member)
        return member  # type: ignore[return-value]


@dataclass(frozen=True)
class ImportCounts:
    created: int
    updated: int
    unchanged: int


def do_import_members(
    vendor: Any,
    *,
    rows: Iterable[tuple[int, dict[str, Any]]],
    acting_user: Any,
    errors: RowErrors,
    progress: Callable[[int], None] | None = None,
    on_commit: Callable[[ImportCounts], None] | None = None,
) -> ImportCounts | None:
    """Create or update a vendor's people from roster rows (line, fields), matched by employee number.

    Every row is validated first by `MemberPreparer` (the rules of do_create_member / do_update_member) and
    its problems added to `errors` by line; with any error nothing is written and None is returned. A
    person whose fields are all unchanged is not touched. The writes and their audit entries (the importing
    user as actor) go in a few bulk statements in one transaction, so SQLite's write lock is held briefly
    even for 10,000 rows; `on_commit(counts)` runs inside that transaction so that the caller records the
    outcome atomically with the writes. `progress(n)` is called every few hundred rows.
    """
    ensure_can_change(acting_user, TeamMember(vendor=vendor))
    numbered = list(rows)
    numbers = [str(fields.get("employee_number") or "").strip() for _line, fields in numbered]
    existing: dict[str, TeamMember] = {}
    for start in range(0, len(numbers), 900):  # SQLite's bound on query parameters
        existing.update(
            (m.employee_number, m)
            for m in TeamMember.objects.filter(vendor=vendor, employee_number__in=numbers[start : start + 900])
        )
    created: list[TeamMember] = []
    updated: list[tuple[TeamMember, TeamMember]] = []
    unchanged = 0
    seen: dict[str, int] = {}
    prepare = MemberPreparer(vendor)
    for index, ((line, fields), number) in enumerate(zip(numbered, numbers, strict=True), start=1):
        if progress is not None and index % 500 == 0:
            progress(index)
        if not number:
            errors.add(line, "employee_number", _("An employee number is required to match people on re-import."))
            continue
        if number in seen:
            errors.add(
                line,
                "employee_number",
                _("%(number)s also appears on line %(other)s.") % {"number": number, "other": seen[number]},
            )
            continue
        seen[number] = line
        current = existing.get(number)
        try:
            member = prepare(fields, current)
        except ValidationError as exc:
            errors.add_validation_error(line, exc)
            continue
        if current is None:
            created.append(member)
        elif any(getattr(current, f) != getattr(member, f) for f in STORED_MEMBER_FIELDS):
            updated.append((current, member))
        else:
            unchanged += 1
    if errors:
        return None
    counts = ImportCounts(len(created), len(updated), unchanged)
    # Everything is prepared before the transaction; inside it, only the statements run (see core.bulk).
    inserts = prepare_insert(created)
    updates = prepare_update([after for _before, after in updated], STORED_MEMBER_FIELDS)
    audit = prepare_bulk_audit(created, updated, _actor(acting_user))

    def write() -> None:
        with transaction.atomic():
            before = TeamMember.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            inserts.execute()
            # The new people are those of this vendor above the highest id before (one range query; the
            # employee number tells them apart from anything another transaction added meanwhile).
            ids = dict(
                TeamMember.objects.filter(vendor=vendor, pk__gt=before).order_by().values_list("employee_number", "pk")
            )
            for member in created:
                member.pk = ids[member.employee_number]
            updates.execute()
            audit.execute([m.pk for m in created])
            if on_commit is not None:
                on_commit(counts)

    # A background import waits out another writer's lock (nothing is written until BEGIN succeeds).
    retry_while_locked(write)
    return counts


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
def do_end_assignments(
    assignments: list[TeamAssignment], *, acting_user: Any, end_date: datetime.date, leave_reason: str
) -> list[TeamAssignment]:
    """Take several people off a team on one day for one reason: all of them or none, every refusal named
    with the person it concerns (field `ids`)."""
    if not assignments:
        raise ValidationError({"ids": _("Select at least one person.")})
    refusals: list[str] = []
    done = []
    for assignment in assignments:
        try:
            with transaction.atomic():
                done.append(
                    do_end_assignment(assignment, acting_user=acting_user, end_date=end_date, leave_reason=leave_reason)
                )
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            refusals.append(f"{assignment.person_name}: {' '.join(messages)}")
    if refusals:
        raise ValidationError({"ids": refusals})
    return done


CONTRACT_NAME_SEPARATORS = re.compile(r"[\s_.,;()\[\]（）【】]+")
MAX_CONTRACT_FILES = 200


def contract_owners(vendor: Any, names: list[str]) -> dict[str, list[TeamMember]]:
    """For each file name, the vendor's people whose employee number stands on its own in the name (between
    spaces, underscores, dots or brackets, case ignored): `E0042_劳动合同.pdf` is E0042's. One query for all."""
    tokens = {name: {t.lower() for t in CONTRACT_NAME_SEPARATORS.split(name.rsplit(".", 1)[0]) if t} for name in names}
    wanted = set().union(*tokens.values()) if tokens else set()
    members = list(
        TeamMember.objects.filter(vendor=vendor)
        .annotate(number_key=Lower("employee_number"))
        .filter(number_key__in=wanted)
        .exclude(employee_number="")
        .order_by("pk")
    )
    return {name: [m for m in members if m.number_key in tokens[name]] for name in names}  # type: ignore[attr-defined]


@transaction.atomic
def do_attach_contracts(vendor: Any, *, acting_user: Any, files: list[Any]) -> list[tuple[TeamMember, Any]]:
    """Attach many employment contracts at once, each to the person whose employee number its name carries.

    All or nothing: every file that names nobody, names several people, or is refused by the document store
    (type by content, size) is listed under `contracts`, and nothing is stored."""
    ensure_can_change(acting_user, TeamMember(vendor=vendor))
    files = [f for f in files if f]
    if not files:
        raise ValidationError({"contracts": _("Choose the contract files to upload.")})
    if len(files) > MAX_CONTRACT_FILES:
        raise ValidationError({"contracts": _("At most %(n)s files at once.") % {"n": MAX_CONTRACT_FILES}})
    owners = contract_owners(vendor, [f.name or "" for f in files])
    errors: list[str] = []
    matched: list[tuple[TeamMember, Any]] = []
    for upload in files:
        name = upload.name or ""
        found = owners.get(name, [])
        if not found:
            errors.append(_("%(file)s: no employee number of this vendor's people in the file name.") % {"file": name})
            continue
        if len(found) > 1:
            errors.append(
                _("%(file)s: the name fits several people (%(numbers)s).")
                % {"file": name, "numbers": ", ".join(m.employee_number for m in found)}
            )
            continue
        try:
            registry.check_document(upload)
        except ValidationError as exc:
            errors.append(f"{name}: {' '.join(exc.messages)}")
            continue
        matched.append((found[0], upload))
    if errors:
        raise ValidationError({"contracts": errors})
    return [
        (
            member,
            registry.attach_document(
                member, upload=upload, kind=DocumentKind.EMPLOYMENT_CONTRACT, acting_user=acting_user
            ),
        )
        for member, upload in matched
    ]


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
    from .notices import notify_replacement_pending

    notify_replacement_pending(replacement)
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
