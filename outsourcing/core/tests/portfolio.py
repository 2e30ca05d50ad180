"""Building blocks of the cross-app tests: an engagement of any form that passes the activation gate, and
the single changes that each break one of its conditions (SPEC "Activation gate")."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from outsourcing.assessments.models import Assessment, AssessmentTemplate
from outsourcing.core.access import SYSTEM
from outsourcing.documents.actions import do_attach_document
from outsourcing.engagements.models import BenefitTerms, Deliverable, Engagement, ServiceAgreement, SlaMetric
from outsourcing.performance.models import Appraisal
from outsourcing.qualifications.models import Qualification, QualificationRequirement, QualificationType
from outsourcing.teams.models import TeamAssignment, TeamMember, Waiver
from outsourcing.vendors.models import Vendor

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FORMS = ("contracting_out", "service", "insourcing", "co_sourcing", "benefit_based")


def today() -> datetime.date:
    return timezone.localdate()


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("signed.pdf", PDF, content_type="application/pdf")


def approved_vendor(name: str, *, assessed: str | None = "approve") -> Vendor:
    """An approved vendor with a current assessment recommending `assessed` (None: no assessment)."""
    vendor = Vendor.objects.create(name=name, registration_number=f"R-{name}", country="DE", status="approved")
    if assessed:
        assess(vendor, assessed)
    return vendor


def assess(vendor: Vendor, recommendation: str, *, engagement: Any = None, days_ago: int = 1) -> Assessment:
    return Assessment.objects.create(
        vendor=vendor,
        engagement=engagement,
        template=AssessmentTemplate.objects.order_by("pk").first(),
        status="completed",
        completed_at=timezone.now() - datetime.timedelta(days=days_ago),
        score=Decimal("94.3") if recommendation == "approve" else Decimal("40"),
        recommendation=recommendation,
    )


def eligible_person(vendor: Vendor, name: str = "Key Person", **fields: Any) -> TeamMember:
    values: dict[str, Any] = {
        "full_name": name,
        "employment_type": "regular",
        "hire_date": today() - datetime.timedelta(days=3 * 365),
        "probation_end_date": today() - datetime.timedelta(days=2 * 365),
    }
    values.update(fields)
    member = TeamMember.objects.create(vendor=vendor, **values)
    do_attach_document(member, upload=pdf(), kind="employment_contract", acting_user=SYSTEM)
    return member


def ready_engagement(form: str, vendor: Vendor | None, title: str = "", *, status: str = "selection") -> Engagement:
    """An engagement of `form` that nothing keeps from becoming active today."""
    day = today()
    engagement = Engagement.objects.create(
        title=title or f"{form} ready",
        form=form,
        vendor=None if form == "insourcing" else vendor,
        internal_unit="IT operations" if form == "insourcing" else "",
        status=status,
        start_date=day - datetime.timedelta(days=30),
        end_date=day + datetime.timedelta(days=335),
    )
    agreement = ServiceAgreement.objects.create(
        engagement=engagement,
        number=f"SA-{engagement.pk}",
        owner_party="Owner",
        provider_party="Provider",
        start_date=day - datetime.timedelta(days=30),
        end_date=day + datetime.timedelta(days=335),
        notice_date=day + datetime.timedelta(days=245),
        value=Decimal("1000.00"),
    )
    do_attach_document(agreement, upload=pdf(), kind="service_agreement", acting_user=SYSTEM)
    if form == "service":
        SlaMetric.objects.create(engagement=engagement, name="Availability", unit="%", target=Decimal("99.9"))
    elif form == "benefit_based":
        BenefitTerms.objects.create(
            engagement=engagement, measure="Energy cost", baseline=Decimal(1000), share_percent=Decimal(20)
        )
    elif form == "contracting_out":
        Deliverable.objects.create(engagement=engagement, title="Design", due_date=day + datetime.timedelta(days=60))
    if vendor is not None and form != "insourcing":
        member = eligible_person(vendor, f"Key of {engagement.title}")
        place(engagement, member, key_person=True)
    if form == "co_sourcing":
        TeamAssignment.objects.create(
            engagement=engagement, side="owner", owner_name="Owner Staff", role="Lead", start_date=engagement.start_date
        )
    return engagement


def place(engagement: Engagement, member: TeamMember, *, key_person: bool = False, **fields: Any) -> TeamAssignment:
    values: dict[str, Any] = {"role": "Engineer", "start_date": engagement.start_date}
    values.update(fields)
    return TeamAssignment.objects.create(engagement=engagement, member=member, key_person=key_person, **values)


def put_on_probation(vendor: Vendor, total: str = "45") -> Appraisal:
    return Appraisal.objects.create(
        vendor=vendor,
        period_start=today() - datetime.timedelta(days=90),
        period_end=today() - datetime.timedelta(days=1),
        total=Decimal(total),
        standing="probation" if Decimal(total) < 60 else "good",
    )


def require(engagement: Engagement, code: str = "iso27001") -> QualificationRequirement:
    return QualificationRequirement.objects.create(engagement=engagement, type=QualificationType.objects.get(code=code))


def certify(vendor: Vendor, code: str = "iso27001", *, valid_until: datetime.date | None = None) -> Qualification:
    return Qualification.objects.create(
        vendor=vendor,
        type=QualificationType.objects.get(code=code),
        number=f"{code}-{vendor.pk}",
        issuer="CQC",
        valid_from=today() - datetime.timedelta(days=100),
        valid_until=valid_until or today() + datetime.timedelta(days=1000),
        verification_status="verified",
    )


def waive(engagement: Engagement, member: TeamMember) -> Waiver:
    return Waiver.objects.create(
        engagement=engagement,
        member=member,
        justification="Needed for the migration weekend.",
        valid_from=today() - datetime.timedelta(days=1),
        valid_until=today() + datetime.timedelta(days=30),
    )
