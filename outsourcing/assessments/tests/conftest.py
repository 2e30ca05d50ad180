"""Fixtures of the assessment tests: a small template whose arithmetic is easy to check by hand, fake
comparison criteria and blockers registered for one test and removed after it, and a helper that drives
an assessment through the flow."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from outsourcing.assessments import actions
from outsourcing.assessments.models import Assessment, AssessmentTemplate, TemplateItem, TemplateSection
from outsourcing.core import registry
from outsourcing.core.registry import Blocker, CriterionScore, VendorCriterion
from outsourcing.engagements.models import Engagement

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def small_template(db: Any) -> AssessmentTemplate:
    """s1: i1 (0–4, weight 2, evidence required), i2 (yes/no, weight 1), i3 (0–4, weight 1, only when
    i2 = yes); s2: crit (from the criterion `fake_fit`, weight 1). Maximum 5 points (4 when i3 hides)."""
    template = AssessmentTemplate.objects.create(name="Small test template")
    s1 = TemplateSection.objects.create(template=template, code="s1", title="Management", order=1)
    s2 = TemplateSection.objects.create(template=template, code="s2", title="Data", order=2)
    TemplateItem.objects.create(
        section=s1, code="i1", text="Standardized?", weight=Decimal(2), evidence_required=True, order=1
    )
    i2 = TemplateItem.objects.create(
        section=s1, code="i2", text="Implemented?", weight=Decimal(1), scale="yes_no", order=2
    )
    TemplateItem.objects.create(
        section=s1,
        code="i3",
        text="Records?",
        weight=Decimal(1),
        condition_item=i2,
        condition_value="yes",
        order=3,
    )
    TemplateItem.objects.create(
        section=s2,
        code="crit",
        text="Fit",
        weight=Decimal(1),
        source="criterion",
        criterion_code="fake_fit",
        order=1,
    )
    return template


@pytest.fixture
def item(small_template: AssessmentTemplate) -> Any:
    return lambda code: TemplateItem.objects.get(section__template=small_template, code=code)


@pytest.fixture
def fake_fit() -> Iterator[dict[int, float | None]]:
    """Register criterion `fake_fit`; tests put vendor_id → score into the returned dict."""
    scores: dict[int, float | None] = {}

    def compute(vendor_ids: Any, engagement: Any, as_of: datetime.date) -> dict[int, CriterionScore]:
        return {v: CriterionScore(scores.get(v), f"fake score of {v}") for v in vendor_ids if v in scores}

    registry.register_vendor_criterion(VendorCriterion("fake_fit", "Fake fit", compute))
    yield scores
    registry.vendor_criteria.pop("fake_fit", None)


@pytest.fixture
def fake_blockers() -> Iterator[dict[int, str]]:
    """Register a vendor blocker; tests put vendor_id → message into the returned dict."""
    blocked: dict[int, str] = {}

    def check(vendors: Any, engagement: Any, as_of: datetime.date) -> dict[int, list[Blocker]]:
        return {v.pk: [Blocker("fake_missing_qualification", blocked[v.pk])] for v in vendors if v.pk in blocked}

    registry.register_vendor_blocker(check)
    yield blocked
    registry.vendor_blockers.remove(check)


@pytest.fixture
def engagement_a(vendor_a: Any) -> Engagement:
    return Engagement.objects.create(
        code="ENG-A",
        title="运维 O&M for A",
        form="service",
        vendor=vendor_a,
        start_date=datetime.date(2026, 1, 1),
    )


@pytest.fixture
def flow(manager: Any, small_template: AssessmentTemplate) -> Any:
    """flow(vendor, vendor_user, stop_at=..., answers=...) drives an assessment to the given status."""

    def run(
        vendor: Any,
        vendor_user: Any,
        *,
        stop_at: str = "in_review",
        answers: dict[str, str] | None = None,
        engagement: Any = None,
    ) -> Assessment:
        answers = answers or {"i1": "4", "i2": "yes", "i3": "3"}
        item_of = {i.code: i for i in TemplateItem.objects.filter(section__template=small_template)}
        assessment = actions.do_create_assessment(
            acting_user=manager, vendor=vendor, template=small_template, engagement=engagement
        )
        if stop_at == "draft":
            return assessment
        actions.do_send_assessment(assessment, acting_user=manager)
        if stop_at == "sent":
            return assessment
        for code, value in answers.items():
            actions.do_answer_item(assessment, item_of[code], acting_user=vendor_user, value=value, response="见附件")
        actions.do_attach_evidence(assessment, item_of["i1"], acting_user=vendor_user, upload=pdf_upload())
        if stop_at == "answered":
            return assessment
        actions.do_submit_assessment(assessment, acting_user=vendor_user)
        if stop_at == "submitted":
            return assessment
        actions.do_start_review(assessment, acting_user=manager)
        assessment.refresh_from_db()
        return assessment

    return run


def score_all(assessment: Assessment, manager: Any, scores: dict[str, Any]) -> None:
    item_of = {i.code: i for i in TemplateItem.objects.filter(section__template=assessment.template)}
    for code, score in scores.items():
        actions.do_score_item(assessment, item_of[code], acting_user=manager, score=score)
