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


# Notices and reminders ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """Something to tell people: `message` is an English msgid with %(name)s placeholders (marked with
    gettext_noop by the app that sends it) rendered in each recipient's language from `params`. `occasion`
    names the event once and for all: each recipient gets each occasion once, however often it is sent."""

    kind: str
    recipient_ids: tuple[int, ...]
    subject: Any  # the model instance the notice is about; the inbox links to `url`
    message: str
    params: dict[str, str]
    occasion: str
    url: str = ""


notifiers: list[Callable[[Notice], int]] = []
reminder_sources: list[Callable[[datetime.date], list[Notice]]] = []
daily_jobs: list[Callable[[datetime.date], Any]] = []


def register_notifier(fn: Callable[[Notice], int]) -> Callable[[Notice], int]:
    """`fn(notice)` delivers a notice (the notifications app registers the inbox and e-mail)."""
    if fn not in notifiers:
        notifiers.append(fn)
    return fn


def notify(notice: Notice) -> int:
    """Deliver `notice` through every registered notifier; how many new notifications it made."""
    return sum(fn(notice) for fn in notifiers)


def register_reminder_source(fn: Callable[[datetime.date], list[Notice]]) -> Callable[[datetime.date], list[Notice]]:
    """`fn(day)` returns the reminders due on `day` (set-based: a fixed number of queries for all records)."""
    if fn not in reminder_sources:
        reminder_sources.append(fn)
    return fn


def register_daily_job(fn: Callable[[datetime.date], Any]) -> Callable[[datetime.date], Any]:
    """`fn(day)` is run once by the daily pass before the reminders (e.g. automatic renewals); it must be
    idempotent: the pass may run again for the same day."""
    if fn not in daily_jobs:
        daily_jobs.append(fn)
    return fn


def reminder_offset(due: datetime.date, day: datetime.date) -> str | None:
    """SPEC "Reminders": 30, 7 and 0 days before the due date, then once "overdue" the day after."""
    days = (due - day).days
    if days in (30, 7, 0):
        return str(days)
    if days == -1:
        return "overdue"
    return None


def reminder_days(day: datetime.date) -> list[datetime.date]:
    """The due dates that have a reminder on `day` (for a set-based `due__in=` filter)."""
    return [day + datetime.timedelta(days=n) for n in (30, 7, 0, -1)]


def vendor_user_ids(vendor_ids: Sequence[int]) -> dict[int, list[int]]:
    """{vendor id: its active users' ids}, in one query (the people who act for a vendor)."""
    from django.contrib.auth import get_user_model

    result: dict[int, list[int]] = {}
    rows = get_user_model().objects.filter(vendor_id__in=set(vendor_ids), is_active=True).values_list("vendor_id", "pk")
    for vendor_id, pk in rows:
        result.setdefault(vendor_id, []).append(pk)
    return result


def admin_ids() -> list[int]:
    """The owner's active admins: they hear of what has no responsible manager."""
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(role="admin", is_active=True).values_list("pk", flat=True))


def engagement_people(engagement: Any, *, manager: bool = True, vendor: bool = False) -> tuple[int, ...]:
    """Who can act on an engagement: its responsible manager (the admins when it has none) and, when asked,
    the vendor's active users."""
    ids: list[int] = []
    if manager:
        ids.extend([engagement.manager_id] if engagement.manager_id else admin_ids())
    if vendor and engagement.vendor_id:
        ids.extend(vendor_user_ids([engagement.vendor_id]).get(engagement.vendor_id, []))
    return tuple(ids)
