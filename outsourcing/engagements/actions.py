"""Every change to engagements, their agreements and per-form records goes through these functions.

Views, the API, imports and the demo loader all call them; each is one transaction, validates through the
models' clean() and saves under `acting_as` so that the audit trail names the author.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from outsourcing.core import registry
from outsourcing.core.access import SYSTEM, ensure_can_change, ensure_owner_writer
from outsourcing.core.audit import acting_as, prepare_bulk_audit
from outsourcing.core.bulk import prepare_insert, prepare_update
from outsourcing.core.registry import Notice
from outsourcing.core.registry import notify as registry_notify
from outsourcing.core.tabular import bounded_messages
from outsourcing.documents.choices import DocumentKind
from outsourcing.documents.models import Document

from .choices import (
    BENEFIT_FORMS,
    DELIVERABLE_FORMS,
    SLA_FORMS,
    TRANSITIONS,
    Acceptance,
    EngagementForm,
    EngagementStatus,
)
from .models import (
    AgreementVersion,
    BenefitPeriod,
    BenefitTerms,
    BenefitTier,
    CreditBand,
    Deliverable,
    Engagement,
    Measurement,
    ServiceAgreement,
    SlaMetric,
)

DUPLICATE_PERIOD = "duplicate_period"  # the code of the error the API answers with 409

ENGAGEMENT_FIELDS = (
    "code",
    "title",
    "form",
    "vendor_id",
    "description",
    "department",
    "manager_id",
    "internal_unit",
    "is_operations_maintenance",
    "start_date",
    "end_date",
    "min_tenure_months",
    "min_experience_months",
    "required_team_size",
)
AGREEMENT_FIELDS = (
    "number",
    "owner_party",
    "provider_party",
    "start_date",
    "end_date",
    "value",
    "currency",
    "monthly_fee",
    "notice_period_days",
    "decision_lead_days",
    "auto_renewal",
    "renewal_months",
    "terminated_on",
)
VERSION_FIELDS = ("effective_from", "effective_to", "changes", "signed_on", "signed_by")
DELIVERABLE_FIELDS = ("title", "description", "due_date", "delivered_on")
METRIC_FIELDS = ("name", "unit", "target", "higher_is_better", "period", "weight")
TERMS_FIELDS = ("measure", "unit", "baseline", "direction", "share_percent", "cap")
NULLABLE = frozenset(
    {"vendor_id", "manager_id", "end_date", "code", "monthly_fee", "terminated_on", "effective_to", "cap"}
)
NULLABLE |= {"delivered_on", "required_team_size"}


def _apply(obj: Any, changes: dict[str, Any], allowed: tuple[str, ...]) -> None:
    for field, value in changes.items():
        if field not in allowed:
            raise ValidationError({field: _("This field cannot be set here.")})
        if value is None and field not in NULLABLE:
            value = "" if isinstance(getattr(obj, field, None), str) else value
        if field == "code" and value == "":
            value = None
        setattr(obj, field, value)


def _save(obj: Any, acting_user: Any) -> Any:
    obj.full_clean()
    with acting_as(acting_user):
        obj.save()
    return obj


# Engagements ------------------------------------------------------------------------------------------


def _check_provider(engagement: Engagement) -> None:
    """Insourcing has the owner's own unit as provider and no vendor; every other form has a vendor.

    Checked here rather than in clean(): other apps' tests build bare engagements without an internal unit.
    """
    if engagement.form == EngagementForm.INSOURCING:
        if engagement.vendor_id:
            raise ValidationError({"vendor_id": _("Insourcing has no vendor: name the internal unit instead.")})
        if not engagement.internal_unit.strip():
            raise ValidationError({"internal_unit": _("Name the internal unit that acts as the provider.")})


def _check_manager(engagement: Engagement) -> None:
    if engagement.manager_id is None:
        return
    from outsourcing.accounts.models import User

    if not User.objects.filter(pk=engagement.manager_id, role__in=["admin", "manager"], is_active=True).exists():
        raise ValidationError({"manager_id": _("The responsible manager must be an active owner admin or manager.")})


def _check_vendor_exists(engagement: Engagement) -> None:
    from outsourcing.vendors.models import Vendor

    if engagement.vendor_id is not None and not Vendor.objects.filter(pk=engagement.vendor_id).exists():
        raise ValidationError({"vendor_id": _("There is no vendor %(id)s.") % {"id": engagement.vendor_id}})


@transaction.atomic
def do_create_engagement(*, acting_user: Any, **fields: Any) -> Engagement:
    ensure_owner_writer(acting_user)
    engagement = Engagement(status=EngagementStatus.DRAFT)
    _apply(engagement, fields, ENGAGEMENT_FIELDS)
    _check_vendor_exists(engagement)
    _check_manager(engagement)
    _check_provider(engagement)
    return _save(engagement, acting_user)


def open_team_places(engagement: Engagement, day: datetime.date) -> Any:
    """The vendor-side places of `engagement` not ended before `day`: the vendor's people on (or planned for)
    its team."""
    from django.db.models import Q

    from outsourcing.teams.choices import TeamSide
    from outsourcing.teams.models import TeamAssignment

    return TeamAssignment.objects.filter(engagement=engagement, side=TeamSide.VENDOR).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )


def _check_provider_change(engagement: Engagement, previous_vendor_id: int | None) -> None:
    """The provider cannot change under a team: the new vendor's users would be handed the previous vendor's
    staff. End the team first, or transfer the engagement (do_transfer_engagement), which ends every place."""
    if engagement.pk is None or engagement.vendor_id == previous_vendor_id:
        return
    people = open_team_places(engagement, timezone.localdate()).count()
    if people:
        raise ValidationError(
            {
                "vendor_id": _(
                    "%(count)d people are on this engagement's team: end their places first, or transfer the "
                    "engagement to the new vendor, which ends every place."
                )
                % {"count": people}
            }
        )


@transaction.atomic
def do_update_engagement(engagement: Engagement, *, acting_user: Any, changes: dict[str, Any]) -> Engagement:
    ensure_can_change(acting_user, engagement)
    previous_vendor_id = Engagement.objects.filter(pk=engagement.pk).values_list("vendor_id", flat=True).first()
    _apply(engagement, changes, ENGAGEMENT_FIELDS)
    _check_provider_change(engagement, previous_vendor_id)
    _check_vendor_exists(engagement)
    _check_manager(engagement)
    _check_provider(engagement)
    return _save(engagement, acting_user)


@transaction.atomic
def do_transfer_engagement(
    engagement: Engagement, *, vendor_id: int, acting_user: Any, on: datetime.date | None = None
) -> Engagement:
    """Hand the engagement to another vendor: every open place of the previous vendor's people ends on `on`
    (default today; a place planned to start later ends on its first day), their waivers are revoked, and the
    provider changes — each step audited under `acting_user`."""
    from outsourcing.teams.choices import LeaveReason
    from outsourcing.teams.models import Waiver

    ensure_owner_writer(acting_user)
    ensure_can_change(acting_user, engagement)
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if engagement.vendor_id == vendor_id:
        raise ValidationError({"vendor_id": _("The engagement is already with this vendor.")})
    day = on or timezone.localdate()
    now = timezone.now()
    with acting_as(acting_user):
        for place in open_team_places(engagement, day).select_for_update():
            place.end_date = max(day, place.start_date)
            place.leave_reason = LeaveReason.OTHER
            place.acknowledged = True
            place.full_clean()
            place.save()
        for waiver in Waiver.objects.filter(engagement=engagement, revoked_at__isnull=True, valid_until__gte=day):
            waiver.revoked_at = now
            waiver.revoked_by = acting_user if getattr(acting_user, "pk", None) else None
            waiver.save(update_fields=["revoked_at", "revoked_by"])
    engagement.vendor_id = vendor_id
    _check_vendor_exists(engagement)
    _check_provider(engagement)
    return _save(engagement, acting_user)


@transaction.atomic
def do_transition(engagement: Engagement, *, to: str, acting_user: Any, override_reason: str = "") -> Engagement:
    """Move the engagement through its lifecycle; becoming active needs no blockers, or an override."""
    ensure_can_change(acting_user, engagement)
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    current = EngagementStatus(engagement.status)
    if to not in EngagementStatus.values or to not in TRANSITIONS[current]:
        allowed = ", ".join(str(EngagementStatus(s).label) for s in TRANSITIONS[current]) or _("none")
        raise ValidationError(
            {
                "status": _("An engagement cannot move from %(current)s to %(to)s (allowed: %(allowed)s).")
                % {"current": current.label, "to": to, "allowed": allowed}
            }
        )
    override_reason = (override_reason or "").strip()
    if to == EngagementStatus.ACTIVE:
        today = timezone.localdate()
        blockers = Engagement.objects.filter(pk=engagement.pk).activation_blockers(today).get(engagement.pk, [])
        if blockers and not override_reason:
            raise ValidationError(
                {
                    "status": [
                        _("The engagement cannot become active: %(reason)s (%(code)s)")
                        % {"reason": b.message, "code": b.code}
                        for b in blockers
                    ]
                }
            )
        if blockers:
            if len(override_reason) < 10:
                raise ValidationError({"override_reason": _("Explain the override in at least 10 characters.")})
            engagement.override_by = acting_user if getattr(acting_user, "pk", None) else None
            engagement.override_reason = override_reason
            engagement.override_at = timezone.now()
    engagement.status = to
    return _save(engagement, acting_user)


# Agreements ------------------------------------------------------------------------------------------


@transaction.atomic
def do_save_agreement(engagement: Engagement, *, acting_user: Any, changes: dict[str, Any]) -> ServiceAgreement:
    """Create the engagement's agreement, or change it."""
    ensure_can_change(acting_user, engagement)
    agreement = ServiceAgreement.objects.filter(engagement=engagement).first() or ServiceAgreement(
        engagement=engagement
    )
    _apply(agreement, changes, AGREEMENT_FIELDS)
    agreement.engagement = engagement
    return _save(agreement, acting_user)


def do_attach_signed_agreement(
    agreement: ServiceAgreement, *, upload: UploadedFile | None, acting_user: Any, kind: str = ""
) -> Document:
    ensure_can_change(acting_user, agreement)
    kind = kind or DocumentKind.SERVICE_AGREEMENT
    if kind not in (DocumentKind.SERVICE_AGREEMENT, DocumentKind.AGREEMENT_AMENDMENT):
        raise ValidationError({"kind": _("Attach a signed agreement or an amendment here.")})
    return registry.attach_document(agreement, upload=upload, kind=kind, acting_user=acting_user)


@transaction.atomic
def do_add_version(agreement: ServiceAgreement, *, acting_user: Any, **fields: Any) -> AgreementVersion:
    ensure_can_change(acting_user, agreement)
    ServiceAgreement.objects.select_for_update().filter(pk=agreement.pk).first()
    last = agreement.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = AgreementVersion(agreement=agreement, number=last + 1)
    _apply(version, fields, VERSION_FIELDS)
    return _save(version, acting_user)


@transaction.atomic
def do_give_notice(
    agreement: ServiceAgreement, *, given_on: datetime.date, reason: str, acting_user: Any
) -> ServiceAgreement:
    """Record that the owner gave notice of non-renewal (or termination at the end date) of the current term:
    who, when and why. Notice after the notice deadline cannot end this term (SPEC "Agreement deadlines")."""
    ensure_can_change(acting_user, agreement)
    agreement = ServiceAgreement.objects.select_for_update().get(pk=agreement.pk)
    reason = (reason or "").strip()
    if agreement.notice_given_on is not None:
        raise ValidationError(
            {"given_on": _("Notice was already given on %(date)s.") % {"date": agreement.notice_given_on}}
        )
    if given_on > agreement.notice_date:
        raise ValidationError(
            {
                "given_on": _(
                    "Notice given on %(given)s is after the notice deadline %(notice_by)s: it cannot end the "
                    "current term, only a later one."
                )
                % {"given": given_on, "notice_by": agreement.notice_date}
            }
        )
    if given_on < agreement.start_date:
        raise ValidationError({"given_on": _("Notice cannot be given before the agreement starts.")})
    if not reason:
        raise ValidationError({"reason": _("Say why notice is given.")})
    agreement.notice_given_on = given_on
    agreement.notice_given_by = acting_user if getattr(acting_user, "pk", None) else None
    agreement.notice_reason = reason
    return _save(agreement, acting_user)


def _renew_once(agreement: ServiceAgreement, day: datetime.date) -> AgreementVersion | None:
    """Create the next term of one agreement whose term ended before `day`, or nothing when another run
    already did (the row lock and the re-check make the claim atomic)."""
    from dateutil.relativedelta import relativedelta

    locked = ServiceAgreement.objects.select_for_update().filter(pk=agreement.pk).renewal_due(day).first()
    if locked is None:
        return None
    old_end = locked.end_date
    new_end = old_end + relativedelta(months=locked.renewal_months)
    # Versions that ran "until the agreement ends" end with the old term, or they would overlap the new one.
    for version in locked.versions.filter(effective_to__isnull=True):
        version.effective_to = old_end
        _save(version, SYSTEM)
    locked.end_date = new_end
    _save(locked, SYSTEM)
    last = locked.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = AgreementVersion(
        agreement=locked,
        number=last + 1,
        effective_from=old_end + datetime.timedelta(days=1),
        effective_to=new_end,
        changes=_("Automatic renewal for %(months)s months, same notice period (%(days)s days).")
        % {"months": locked.renewal_months, "days": locked.notice_period_days},
        signed_on=old_end + datetime.timedelta(days=1),
        signed_by=_("automatic renewal"),
    )
    _save(version, SYSTEM)
    engagement = locked.engagement
    if engagement.manager_id:
        registry_notify(
            Notice(
                kind="agreement_renewed",
                recipient_ids=(engagement.manager_id,),
                subject=locked,
                message=gettext_noop(
                    "Agreement %(number)s of %(engagement)s renewed automatically: the new term runs from "
                    "%(start)s to %(end)s."
                ),
                params={
                    "number": locked.number,
                    "engagement": str(engagement),
                    "start": str(version.effective_from),
                    "end": str(new_end),
                },
                occasion=f"agreement_renewed:{locked.pk}:{version.effective_from}",
                url=reverse("engagements:detail", kwargs={"pk": engagement.pk}),
            )
        )
    return version


def do_renew_due_agreements(day: datetime.date) -> list[AgreementVersion]:
    """Automatic renewal (SPEC "renewing"): every auto-renewing term that ended before `day` without notice
    gets its next term, from E + 1 for the renewal term, audited and notified; running it again for the same
    day creates nothing new. A scheduler that was down for longer catches up term by term."""
    created = []
    for pk in ServiceAgreement.objects.renewal_due(day).values_list("pk", flat=True):
        while True:
            with transaction.atomic():
                version = _renew_once(ServiceAgreement(pk=pk), day)
            if version is None:
                break
            created.append(version)
    return created


# Deliverables ----------------------------------------------------------------------------------------


def _require_form(engagement: Engagement, forms: frozenset[str], field: str) -> None:
    if engagement.form not in forms:
        raise ValidationError(
            {
                field: _("An engagement of the form %(form)s does not keep these records.")
                % {"form": engagement.get_form_display()}
            }
        )


@transaction.atomic
def do_save_deliverable(
    deliverable: Deliverable | None, *, engagement: Engagement, acting_user: Any, changes: dict[str, Any]
) -> Deliverable:
    deliverable = deliverable or Deliverable(engagement=engagement)
    ensure_can_change(acting_user, deliverable)
    _require_form(engagement, DELIVERABLE_FORMS, "engagement")
    _apply(deliverable, changes, DELIVERABLE_FIELDS)
    return _save(deliverable, acting_user)


@transaction.atomic
def do_decide_deliverable(
    deliverable: Deliverable,
    *,
    decision: str,
    acting_user: Any,
    reason: str = "",
    delivered_on: datetime.date | None = None,
) -> Deliverable:
    """Accept or reject a delivered result; a rejection names its reasons."""
    ensure_can_change(acting_user, deliverable)
    if decision not in (Acceptance.ACCEPTED, Acceptance.REJECTED):
        raise ValidationError({"decision": _("Choose accepted or rejected.")})
    today = timezone.localdate()
    deliverable.delivered_on = delivered_on or deliverable.delivered_on or today
    if deliverable.delivered_on > today:
        raise ValidationError({"delivered_on": _("The delivery date is in the future.")})
    deliverable.acceptance = decision
    deliverable.acceptance_reason = reason or ""
    deliverable.decided_on = today
    deliverable.decided_by = acting_user if getattr(acting_user, "pk", None) else None
    return _save(deliverable, acting_user)


# SLA metrics and measurements ------------------------------------------------------------------------


def _validate_bands(bands: Sequence[tuple[Any, Any]]) -> list[CreditBand]:
    result: list[CreditBand] = []
    seen: set[Decimal] = set()
    for start, pct in bands:
        band = CreditBand(shortfall_from=start, credit_percent=pct)
        try:
            band.full_clean(exclude=["metric"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            messages = [f"{start}: {m}" for m in exc.messages]
            raise ValidationError({"bands": messages}) from exc
        if band.shortfall_from in seen:
            raise ValidationError({"bands": _("Two bands start at the same shortfall %(s)s.") % {"s": start}})
        seen.add(band.shortfall_from)
        result.append(band)
    return result


@transaction.atomic
def do_save_metric(
    metric: SlaMetric | None,
    *,
    engagement: Engagement,
    acting_user: Any,
    changes: dict[str, Any],
    bands: Sequence[tuple[Any, Any]] | None = None,
) -> SlaMetric:
    """Define or change a metric and (when given) replace its credit bands; stored measurements are
    re-evaluated against the new target."""
    metric = metric or SlaMetric(engagement=engagement)
    ensure_can_change(acting_user, metric)
    _require_form(engagement, SLA_FORMS, "engagement")
    _apply(metric, changes, METRIC_FIELDS)
    new_bands = _validate_bands(bands) if bands is not None else None
    _save(metric, acting_user)
    with acting_as(acting_user):
        if new_bands is not None:
            for old in metric.bands.all():
                old.delete()
            for band in new_bands:
                band.metric = metric
                band.save()
        for measurement in metric.measurements.all():
            measurement.metric = metric
            before = (measurement.shortfall, measurement.breached, measurement.attainment)
            measurement.derive()
            if before != (measurement.shortfall, measurement.breached, measurement.attainment):
                measurement.save()
    return metric


def parse_period(raw: Any) -> datetime.date:
    """A period given as a date, "2026-03-01" or "2026-03" (a spreadsheet cell may hold a datetime)."""
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = str(raw or "").strip()
    try:
        if len(text) == 7:
            return datetime.date.fromisoformat(text + "-01")
        return datetime.date.fromisoformat(text[:10])
    except ValueError as exc:
        raise ValidationError(_("“%(value)s” is not a period: write YYYY-MM or YYYY-MM-DD.") % {"value": text}) from exc


def parse_decimal(raw: Any) -> Decimal:
    if isinstance(raw, float):
        raw = repr(raw)
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": raw}) from exc
    if not value.is_finite():
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": raw})
    return value


def _metric_of(engagement: Engagement, metric_id: Any) -> SlaMetric:
    try:
        return SlaMetric.objects.select_related("engagement__agreement").get(pk=int(metric_id), engagement=engagement)
    except (SlaMetric.DoesNotExist, ValueError, TypeError) as exc:
        raise ValidationError({"metric_id": _("This engagement has no metric %(id)s.") % {"id": metric_id}}) from exc


def duplicate_period_error(metric: SlaMetric, period_start: Any) -> ValidationError:
    """The period already has a value: refused (409 in the API); changing it is a correction with a reason."""
    return ValidationError(
        {
            "period": ValidationError(
                _(
                    "%(metric)s already has a value for the period starting %(start)s. To change it, correct that "
                    "measurement and give a reason."
                )
                % {"metric": metric.name, "start": period_start},
                code=DUPLICATE_PERIOD,
            )
        }
    )


def _prepare_measurement(
    engagement: Engagement,
    metric: SlaMetric,
    period_start: Any,
    value: Any,
    note: str,
    recorded: set[tuple[int, Any]] | None = None,
) -> Measurement:
    """A new measurement, validated; a period that already has a value is refused, never overwritten.
    `recorded`: the (metric, period) pairs already recorded, when the caller read them for many rows at once."""
    if recorded is None:
        taken = Measurement.objects.filter(metric=metric, period_start=period_start).exists()
    else:
        taken = (metric.pk, period_start) in recorded
    if taken:
        raise duplicate_period_error(metric, period_start)
    measurement = Measurement(metric=metric, period_start=period_start, value=value, note=note or "")
    measurement.recorded_at = timezone.now()
    # The metric is the engagement's, already read; uniqueness was checked above (and by the constraint).
    measurement.full_clean(exclude=["metric"], validate_unique=False, validate_constraints=False)
    return measurement


def _save_new_measurements(measurements: Sequence[Measurement], acting_user: Any) -> None:
    """Save under a savepoint: two writers racing for one period meet the unique constraint, and the loser is
    told the period is taken (not a server error)."""
    try:
        with transaction.atomic(), acting_as(acting_user):
            for measurement in measurements:
                measurement.save()
    except IntegrityError as exc:
        first = measurements[0]
        raise duplicate_period_error(first.metric, first.period_start) from exc


@transaction.atomic
def do_record_measurement(
    engagement: Engagement,
    *,
    metric_id: Any,
    period_start: Any,
    value: Any,
    acting_user: Any,
    note: str = "",
) -> Measurement:
    """Record the measured value of a metric for one period that has ended and has no value yet."""
    ensure_can_change(acting_user, engagement)
    metric = _metric_of(engagement, metric_id)
    measurement = _prepare_measurement(engagement, metric, period_start, value, note)
    _save_new_measurements([measurement], acting_user)
    from .reminders import notify_breach

    notify_breach(measurement)
    return measurement


@transaction.atomic
def do_correct_measurement(measurement: Measurement, *, value: Any, reason: str, acting_user: Any) -> Measurement:
    """Change a recorded value: a correction with its reason, audited with the old and the new value."""
    ensure_can_change(acting_user, measurement)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the measured value is corrected.")})
    measurement = Measurement.objects.select_related("metric__engagement__agreement").get(pk=measurement.pk)
    try:
        new_value = parse_decimal(value)
    except ValidationError as exc:
        raise ValidationError({"value": exc.messages}) from exc
    if new_value == measurement.value:
        raise ValidationError({"value": _("The new value is the same as the recorded one.")})
    measurement.value = new_value  # auditlog records the old and the new value, with the reason beside them
    measurement.correction_reason = reason
    measurement.corrected_at = timezone.now()
    return _save(measurement, acting_user)


@transaction.atomic
def do_import_measurements(
    engagement: Engagement, *, rows: Iterable[tuple[int, str, Any, Any, str]], acting_user: Any
) -> list[Measurement]:
    """Import rows of (line, metric name, period start, value, note): all of them, or none when any is bad.

    Every bad row is listed in one error so the file can be fixed in one go.
    """
    ensure_can_change(acting_user, engagement)
    metrics = {m.name.casefold(): m for m in SlaMetric.objects.filter(engagement=engagement)}
    # The periods already recorded, read once (not a query per row); the unique constraint still guards the
    # write against anyone recording one meanwhile.
    recorded = set(Measurement.objects.filter(metric__engagement=engagement).values_list("metric_id", "period_start"))
    errors: list[str] = []
    prepared: list[Measurement] = []
    seen: set[tuple[int, Any]] = set()
    for line, name, period_start, value, note in rows:
        metric = metrics.get((name or "").strip().casefold())
        if metric is None:
            errors.append(_("Row %(line)s: unknown metric “%(name)s”.") % {"line": line, "name": name})
            continue
        try:
            period_start = parse_period(period_start)
            value = parse_decimal(value)
        except ValidationError as exc:
            errors.append(_("Row %(line)s: %(message)s") % {"line": line, "message": " ".join(exc.messages)})
            continue
        if (metric.pk, period_start) in seen:
            errors.append(_("Row %(line)s: this metric and period appear twice.") % {"line": line})
            continue
        seen.add((metric.pk, period_start))
        try:
            prepared.append(_prepare_measurement(engagement, metric, period_start, value, note, recorded=recorded))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    errors.append(
                        _("Row %(line)s, %(field)s: %(message)s") % {"line": line, "field": field, "message": message}
                    )
    if errors:
        raise ValidationError({"file": bounded_messages(errors)})
    if not prepared:
        raise ValidationError({"file": _("The file has no measurement rows.")})
    try:
        _write_measurements(prepared, acting_user)
    except IntegrityError as exc:  # a period recorded by someone else since the file was checked
        raise ValidationError(
            {"file": _("A period in the file was recorded meanwhile: import the file again.")}
        ) from exc
    from .reminders import notify_breaches

    notify_breaches(prepared)
    return prepared


def _write_measurements(prepared: list[Measurement], acting_user: Any) -> None:
    """Write validated measurements in bulk, audited: the rows are checked before the transaction and only
    written inside it, so SQLite's write lock is held briefly (see core.bulk)."""
    fields = ["value", "shortfall", "attainment", "breached", "note", "recorded_at"]
    created = [m for m in prepared if m.pk is None]
    changed = [m for m in prepared if m.pk is not None]
    before = Measurement.objects.in_bulk([m.pk for m in changed])
    inserts = prepare_insert(created)
    updates = prepare_update(changed, fields)
    audit = prepare_bulk_audit(created, [(before[m.pk], m) for m in changed if m.pk in before], acting_user)
    with transaction.atomic():
        highest = Measurement.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        inserts.execute()
        ids = {
            (metric_id, period): pk
            for pk, metric_id, period in Measurement.objects.filter(
                pk__gt=highest, metric_id__in={m.metric_id for m in created}
            ).values_list("pk", "metric_id", "period_start")
        }
        for measurement in created:
            measurement.pk = ids[(measurement.metric_id, measurement.period_start)]
        updates.execute()
        audit.execute([m.pk for m in created])


# Benefit-based relationships -------------------------------------------------------------------------


def _validate_tiers(tiers: Sequence[tuple[Any, Any]]) -> list[BenefitTier]:
    result: list[BenefitTier] = []
    seen: set[Decimal] = set()
    for start, pct in tiers:
        tier = BenefitTier(benefit_from=start, share_percent=pct)
        try:
            tier.full_clean(exclude=["terms"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            raise ValidationError({"tiers": [f"{start}: {m}" for m in exc.messages]}) from exc
        if tier.benefit_from in seen:
            raise ValidationError({"tiers": _("Two tiers start at the same benefit %(s)s.") % {"s": start}})
        seen.add(tier.benefit_from)
        result.append(tier)
    return result


@transaction.atomic
def do_save_benefit_terms(
    engagement: Engagement,
    *,
    acting_user: Any,
    changes: dict[str, Any],
    tiers: Sequence[tuple[Any, Any]] | None = None,
) -> BenefitTerms:
    ensure_can_change(acting_user, engagement)
    _require_form(engagement, BENEFIT_FORMS, "engagement")
    terms = BenefitTerms.objects.filter(engagement=engagement).first() or BenefitTerms(engagement=engagement)
    _apply(terms, changes, TERMS_FIELDS)
    new_tiers = _validate_tiers(tiers) if tiers is not None else None
    _save(terms, acting_user)
    if new_tiers is not None:
        with acting_as(acting_user):
            for old in terms.tiers.all():
                old.delete()
            for tier in new_tiers:
                tier.terms = terms
                tier.save()
    return terms


@transaction.atomic
def do_record_benefit_period(
    engagement: Engagement, *, period_start: Any, measured: Any, acting_user: Any, note: str = ""
) -> BenefitPeriod:
    """Record (or correct) the measured result of one month of a benefit-based relationship."""
    ensure_can_change(acting_user, engagement)
    _require_form(engagement, BENEFIT_FORMS, "engagement")
    period = BenefitPeriod.objects.filter(engagement=engagement, period_start=period_start).first()
    period = period or BenefitPeriod(engagement=engagement, period_start=period_start)
    period.measured = measured
    period.note = note or ""
    return _save(period, acting_user)
