"""Every change to engagements, their agreements and per-form records goes through these functions.

Views, the API, imports and the demo loader all call them; each is one transaction, validates through the
models' clean() and saves under `acting_as` so that the audit trail names the author.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from outsourcing.core.access import ensure_can_change, ensure_owner_writer
from outsourcing.core.audit import acting_as
from outsourcing.core.registry import Blocker, activation_checks, activation_checks_many
from outsourcing.documents.actions import do_attach_document
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
    "auto_renewal",
    "terminated_on",
)
VERSION_FIELDS = ("effective_from", "effective_to", "changes", "signed_on", "signed_by")
DELIVERABLE_FIELDS = ("title", "description", "due_date", "delivered_on")
METRIC_FIELDS = ("name", "unit", "target", "higher_is_better", "period", "weight")
TERMS_FIELDS = ("measure", "unit", "baseline", "direction", "share_percent", "cap")
NULLABLE = frozenset(
    {"vendor_id", "manager_id", "end_date", "code", "monthly_fee", "terminated_on", "effective_to", "cap"}
)
NULLABLE |= {"delivered_on"}


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


def has_signed_agreement(engagement: Engagement) -> bool:
    agreement = ServiceAgreement.objects.filter(engagement=engagement).first()
    return bool(agreement and Document.for_object(agreement).filter(kind=DocumentKind.SERVICE_AGREEMENT).exists())


def blocked_from_activation(engagements: Sequence[Engagement]) -> set[int]:
    """The pks of `engagements` that something keeps from becoming active (as `activation_blockers` says),
    set-based: one query for the signed agreements and one set-based call per registered check that has a
    set-based form; an engagement already known to be blocked is not asked about again."""
    pending = {e.pk: e for e in engagements}
    if not pending:
        return set()
    signed_copy = Document.objects.filter(
        content_type=ContentType.objects.get_for_model(ServiceAgreement),
        object_id=OuterRef("pk"),
        kind=DocumentKind.SERVICE_AGREEMENT,
    )
    signed = set(
        ServiceAgreement.objects.filter(engagement_id__in=list(pending))
        .filter(Exists(signed_copy))
        .values_list("engagement_id", flat=True)
    )
    blocked = set(pending) - signed
    for check in activation_checks:
        rest = [e for pk, e in pending.items() if pk not in blocked]
        if not rest:
            break
        many = activation_checks_many.get(check)
        if many is not None:
            blocked |= {pk for pk, found in many(rest).items() if found}
        else:
            blocked |= {e.pk for e in rest if check(e)}
    return blocked


def activation_blockers(engagement: Engagement) -> list[Blocker]:
    """Everything that keeps the engagement from becoming active: our own check and other apps'."""
    blockers = []
    if not has_signed_agreement(engagement):
        blockers.append(Blocker("no_signed_agreement", str(_("No service agreement with a signed copy is on file."))))
    for check in activation_checks:
        blockers.extend(check(engagement))
    return blockers


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
        blockers = activation_blockers(engagement)
        if blockers and not override_reason:
            raise ValidationError(
                {
                    "status": [
                        _("The engagement cannot become active: %(reason)s") % {"reason": b.message} for b in blockers
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
    return do_attach_document(agreement, upload=upload, kind=kind, acting_user=acting_user)


@transaction.atomic
def do_add_version(agreement: ServiceAgreement, *, acting_user: Any, **fields: Any) -> AgreementVersion:
    ensure_can_change(acting_user, agreement)
    ServiceAgreement.objects.select_for_update().filter(pk=agreement.pk).first()
    last = agreement.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = AgreementVersion(agreement=agreement, number=last + 1)
    _apply(version, fields, VERSION_FIELDS)
    return _save(version, acting_user)


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


def _prepare_measurement(
    engagement: Engagement, metric: SlaMetric, period_start: Any, value: Any, note: str
) -> Measurement:
    measurement = Measurement.objects.filter(metric=metric, period_start=period_start).first() or Measurement(
        metric=metric, period_start=period_start
    )
    measurement.metric = metric
    measurement.value = value
    measurement.note = note or ""
    measurement.recorded_at = timezone.now()
    measurement.full_clean()
    return measurement


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
    """Record (or correct) the measured value of a metric for one period."""
    ensure_can_change(acting_user, engagement)
    metric = _metric_of(engagement, metric_id)
    measurement = _prepare_measurement(engagement, metric, period_start, value, note)
    with acting_as(acting_user):
        measurement.save()
    return measurement


@transaction.atomic
def do_import_measurements(
    engagement: Engagement, *, rows: Iterable[tuple[int, str, Any, Any, str]], acting_user: Any
) -> list[Measurement]:
    """Import rows of (line, metric name, period start, value, note): all of them, or none when any is bad.

    Every bad row is listed in one error so the file can be fixed in one go.
    """
    ensure_can_change(acting_user, engagement)
    metrics = {m.name.casefold(): m for m in SlaMetric.objects.filter(engagement=engagement)}
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
            prepared.append(_prepare_measurement(engagement, metric, period_start, value, note))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    errors.append(
                        _("Row %(line)s, %(field)s: %(message)s") % {"line": line, "field": field, "message": message}
                    )
    if errors:
        raise ValidationError({"file": errors})
    if not prepared:
        raise ValidationError({"file": _("The file has no measurement rows.")})
    with acting_as(acting_user):
        for measurement in prepared:
            measurement.save()
    return prepared


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
