"""Extension points through which domain apps contribute to each other without importing each other.

An app registers its contributions in its AppConfig.ready():
- dashboard cards ("what needs me today");
- activation checks: what stops an engagement from becoming active (a qualification gap, no assessment);
- vendor criteria: figures by which candidate vendors are compared (assessment score, team stability, ...).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DashboardCard:
    title: str
    count: int
    url: str
    tone: str = "grey"  # green, amber, red, grey: the same meaning as status badges
    description: str = ""


@dataclass(frozen=True)
class Blocker:
    """A reason an engagement may not become active; `code` is stable, `message` is for people."""

    code: str
    message: str


@dataclass(frozen=True)
class CriterionScore:
    """A vendor's figure on one comparison criterion: `score` 0–100 (None: no data) and how it came about."""

    score: float | None
    detail: str


@dataclass(frozen=True)
class VendorCriterion:
    """A comparison criterion. `compute(vendor_ids, engagement, as_of)` answers for all vendors at once."""

    code: str
    label: Any
    compute: Callable[[Sequence[int], Any, datetime.date], dict[int, CriterionScore]]


dashboard_cards: list[Callable[[Any], list[DashboardCard]]] = []
activation_checks: list[Callable[[Any], list[Blocker]]] = []
vendor_criteria: dict[str, VendorCriterion] = {}


def register_dashboard_cards(
    fn: Callable[[Any], list[DashboardCard]],
) -> Callable[[Any], list[DashboardCard]]:
    """`fn(user)` returns the cards this user should see (already limited to what the user may see)."""
    if fn not in dashboard_cards:
        dashboard_cards.append(fn)
    return fn


# The set-based form of an activation check, where its app gives one: `many(engagements)` answers
# {engagement pk: blockers} for a whole list in a fixed number of queries (the dashboard counts with it).
activation_checks_many: dict[Callable[[Any], list[Blocker]], Callable[[Sequence[Any]], dict[int, list[Blocker]]]] = {}


def register_activation_check(
    fn: Callable[[Any], list[Blocker]],
    many: Callable[[Sequence[Any]], dict[int, list[Blocker]]] | None = None,
) -> Callable[[Any], list[Blocker]]:
    """`fn(engagement)` returns what blocks the engagement from becoming active; empty when nothing does.
    `many`, optional, does the same for a list of engagements at once and must agree with `fn`."""
    if fn not in activation_checks:
        activation_checks.append(fn)
    if many is not None:
        activation_checks_many[fn] = many
    return fn


def register_vendor_criterion(criterion: VendorCriterion) -> VendorCriterion:
    vendor_criteria[criterion.code] = criterion
    return criterion


vendor_blockers: list[Callable[[Any, Any, datetime.date], list[Blocker]]] = []
# The set-based form of a vendor blocker, where its app gives one: `many(vendors, engagement, as_of)` answers
# {vendor pk: blockers} for a list of vendors in a fixed number of queries (the vendor comparison uses it).
vendor_blockers_many: dict[
    Callable[[Any, Any, datetime.date], list[Blocker]],
    Callable[[Sequence[Any], Any, datetime.date], dict[int, list[Blocker]]],
] = {}


def register_vendor_blocker(
    fn: Callable[[Any, Any, datetime.date], list[Blocker]],
    many: Callable[[Sequence[Any], Any, datetime.date], dict[int, list[Blocker]]] | None = None,
) -> Callable[[Any, Any, datetime.date], list[Blocker]]:
    """`fn(vendor, engagement_or_None, as_of)` returns what forbids approving the vendor whatever its score
    (e.g. a qualification the engagement requires is missing). `many`, optional, does the same for a list of
    vendors at once and must agree with `fn`."""
    if fn not in vendor_blockers:
        vendor_blockers.append(fn)
    if many is not None:
        vendor_blockers_many[fn] = many
    return fn


# Evidence files: the documents app registers the one path by which a file is attached to a record and removed
# again, so that engagements, teams, qualifications and assessments store evidence without importing it.
_document_store: dict[str, Callable[..., Any]] = {}


def register_document_store(*, attach: Callable[..., Any], delete: Callable[..., None]) -> None:
    """`attach(subject, *, upload, kind, acting_user, description="")` returns the stored Document;
    `delete(document, *, acting_user)` removes it and its bytes."""
    _document_store.update(attach=attach, delete=delete)


def attach_document(subject: Any, *, upload: Any, kind: str, acting_user: Any, description: str = "") -> Any:
    return _document_store["attach"](
        subject, upload=upload, kind=kind, acting_user=acting_user, description=description
    )


def delete_document(document: Any, *, acting_user: Any) -> None:
    _document_store["delete"](document, acting_user=acting_user)
