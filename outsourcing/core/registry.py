"""Extension points through which domain apps contribute to each other without importing each other.

Each app keeps its contributions in its `contributions.py` and registers them in its AppConfig.ready():
- dashboard cards ("what needs me today");
- activation checks: what stops an engagement from becoming active on a day (SPEC "Activation gate");
- engagement issues: what is wrong with a running engagement without blocking it (an expiring certificate);
- vendor blockers: what forbids choosing a vendor for new work whatever its scores;
- vendor criteria: figures by which candidate vendors are compared (assessment score, team stability, ...).

Every check is set-based: it answers for a whole list at once in a fixed number of queries, and the answer
for one object is the same function on a one-element list. There is no second, single-object version.
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
    """A reason an engagement may not become active (or a vendor be chosen); `code` is stable, `message` is
    for people."""

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


# fn(engagements, as_of) -> {engagement pk: blockers}; an engagement with nothing to say may be left out.
EngagementCheck = Callable[[Sequence[Any], datetime.date], dict[int, list[Blocker]]]
# fn(vendors, engagement or None, as_of) -> {vendor pk: blockers}; a vendor with none may be left out.
VendorBlocker = Callable[[Sequence[Any], Any, datetime.date], dict[int, list[Blocker]]]

dashboard_cards: list[Callable[[Any], list[DashboardCard]]] = []
activation_checks: list[EngagementCheck] = []
engagement_issues: list[EngagementCheck] = []
vendor_blockers: list[VendorBlocker] = []
vendor_criteria: dict[str, VendorCriterion] = {}
# code → label of every kind of blocker or open issue an engagement can have (for filters and dashboard cards),
# and code → its place in the lists (SPEC "Activation gate" lists the codes in a fixed order)
issue_kinds: dict[str, Any] = {}
issue_order: dict[str, int] = {}


def register_dashboard_cards(
    fn: Callable[[Any], list[DashboardCard]],
) -> Callable[[Any], list[DashboardCard]]:
    """`fn(user)` returns the cards this user should see (already limited to what the user may see)."""
    if fn not in dashboard_cards:
        dashboard_cards.append(fn)
    return fn


def register_activation_check(fn: EngagementCheck) -> EngagementCheck:
    """`fn(engagements, as_of)` says, for each engagement, what keeps it from becoming active on `as_of`."""
    if fn not in activation_checks:
        activation_checks.append(fn)
    return fn


def register_engagement_issue(fn: EngagementCheck) -> EngagementCheck:
    """`fn(engagements, as_of)` says, for each engagement, what is wrong with it on `as_of` that does not
    block its activation (an open issue of a running engagement, e.g. a certificate expiring in its term)."""
    if fn not in engagement_issues:
        engagement_issues.append(fn)
    return fn


def register_vendor_blocker(fn: VendorBlocker) -> VendorBlocker:
    """`fn(vendors, engagement_or_None, as_of)` says what forbids choosing each vendor whatever its score
    (e.g. its status, its standing, a qualification the engagement requires)."""
    if fn not in vendor_blockers:
        vendor_blockers.append(fn)
    return fn


def register_issue_kind(code: str, label: Any, order: int) -> None:
    """Name a kind of activation blocker or open issue that this app's checks report (`Blocker.code`), and its
    place in the lists of blockers (`order`, as SPEC lists the codes)."""
    issue_kinds[code] = label
    issue_order[code] = order


def register_vendor_criterion(criterion: VendorCriterion) -> VendorCriterion:
    vendor_criteria[criterion.code] = criterion
    return criterion


def _merge(keys: Sequence[Any], answers: Sequence[dict[int, list[Blocker]]]) -> dict[int, list[Blocker]]:
    result: dict[int, list[Blocker]] = {obj.pk: [] for obj in keys}
    for answer in answers:
        for pk, found in answer.items():
            if pk in result:
                result[pk].extend(found)
    for found in result.values():
        found.sort(key=lambda b: issue_order.get(b.code, 1000))  # stable: an app's own order is kept
    return result


def activation_blockers_of(engagements: Sequence[Any], as_of: datetime.date) -> dict[int, list[Blocker]]:
    """Every registered activation check's blockers of each engagement on `as_of` (pk → list, maybe empty)."""
    engagements = list(engagements)
    if not engagements:
        return {}
    return _merge(engagements, [check(engagements, as_of) for check in activation_checks])


def engagement_issues_of(engagements: Sequence[Any], as_of: datetime.date) -> dict[int, list[Blocker]]:
    """The registered non-blocking issues of each engagement on `as_of`."""
    engagements = list(engagements)
    if not engagements:
        return {}
    return _merge(engagements, [check(engagements, as_of) for check in engagement_issues])


def vendor_blockers_of(vendors: Sequence[Any], engagement: Any, as_of: datetime.date) -> dict[int, list[Blocker]]:
    """Every registered vendor blocker of each vendor (for `engagement`, or for new work in general)."""
    vendors = list(vendors)
    if not vendors:
        return {}
    return _merge(vendors, [check(vendors, engagement, as_of) for check in vendor_blockers])
