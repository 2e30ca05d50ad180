"""The typed answers of `GET /assessments/{id}/result` and `POST /scoring/compare` (SPEC "Missing data is not
zero"): every figure as scoring.py and comparison.py compute it, unrounded."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from outsourcing.documents.choices import DocumentKind
from outsourcing.vendors.choices import VendorStatus

from .choices import ItemSource, Recommendation


class EvidenceRefOut(Schema):
    """An evidence file; download it from GET /documents/{id}."""

    id: int
    kind: DocumentKind
    sha256: str
    name: str


class AssessmentBlockerOut(Schema):
    code: str = Field(description="An activation-gate or vendor blocker code, or critical_finding")
    message: str


class ResultLineOut(Schema):
    """One item of the template: its points and the rule that gave them."""

    item_id: int
    code: str
    text: str
    weight: float
    source: ItemSource
    answer: str = Field(description="The vendor's answer (empty when none)")
    evidence: list[EvidenceRefOut]
    status: Literal["scored", "unscored", "no_data", "hidden"] = Field(
        description="no_data: an item filled from the system without data, left out of the score; hidden: its "
        "condition does not hold"
    )
    points: float | None = Field(description="null when the item is not scored (hidden, no data)")
    max_points: float
    rule: str = Field(description="How the points came about, in the caller's language")
    criterion_score: float | None = Field(None, description="The system's figure 0 … 100, for an item filled from it")
    criterion_detail: str | None = None
    reviewer_score: float | None = Field(None, description="The reviewer's score on the item's scale")
    review_note: str | None = None


class ResultSectionOut(Schema):
    code: str
    title: str
    points: float
    max_points: float
    score: float | None = Field(description="0 … 100; null when nothing in the section is scored")
    items: list[ResultLineOut]


class ThresholdsOut(Schema):
    approve: float
    conditions: float


class AssessmentResultOut(Schema):
    as_of: datetime.date
    score: float | None = Field(description="0 … 100 over the scored items; null when nothing is scored")
    points: float
    max_points: float
    complete: bool = Field(description="Every shown item is scored and no item lacks data")
    missing_data: list[str] = Field(description="Codes of items filled from the system that have no data")
    sections: list[ResultSectionOut]
    blockers: list[AssessmentBlockerOut]
    recommendation: Recommendation | Literal[""] = Field(description="Empty while data is missing")
    recommendation_rule: str
    thresholds: ThresholdsOut


class CriterionOut(Schema):
    code: str
    label: str
    weight: float = Field(description="Normalised: the weights sum to 1")


class CriterionCellOut(Schema):
    score: float | None = Field(description="0 … 100; null for no data")
    detail: str
    contribution: float = Field(description="The criterion's part of the total (0 where there is no data)")


class ComparisonRowOut(Schema):
    rank: int
    vendor_id: int
    vendor: str = Field(description="The vendor's name")
    status: VendorStatus
    flags: list[str] = Field(description="Why this vendor may be compared but not chosen")
    total: float | None = Field(description="Σ wᵢsᵢ / Σ wᵢ over the criteria with data; null when coverage is 0")
    coverage: float = Field(description="The share of the weight that has data, 0 … 1")
    insufficient_data: bool = Field(description="coverage < 0.5: no recommendation")
    recommended: bool
    criteria: dict[str, CriterionCellOut] = Field(description="Keyed by criterion code")


class ComparisonOut(Schema):
    engagement_id: int
    as_of: datetime.date
    criteria: list[CriterionOut]
    weight_source: Literal["equal", "typed", "ahp"]
    consistency_ratio: float | None = Field(description="The AHP matrix's CR; null for other weights")
    rows: list[ComparisonRowOut]
