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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from .access import sees_all_vendors


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
    for people — the owner's staff, who act on it; `vendor_message`, where the remedy is the vendor's or the
    owner's alone, says it to the vendor's people instead (`said_to`)."""

    code: str
    message: str
    vendor_message: str = ""

    def said_to(self, vendor_side: bool) -> Blocker:
        """The blocker worded for its reader: the vendor's wording for the vendor's people where there is one."""
        if vendor_side and self.vendor_message:
            return Blocker(self.code, self.vendor_message)
        return self


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


class EngagementCheck(Protocol):
    """`fn(engagements, as_of, detail=True)` -> {engagement pk: blockers}; an engagement with nothing to say may
    be left out. With `detail=False` the check decides exactly as with `detail=True` (the same code path) but
    need not word its verdicts: each blocker may be `unworded(code)` and a code need be said only once per
    engagement. Pages that count or filter by kind ask that way (`EngagementQuerySet.open_issue_codes`)."""

    def __call__(
        self, engagements: Sequence[Any], as_of: datetime.date, *, detail: bool = True
    ) -> dict[int, list[Blocker]]: ...


class Selection(list[Any]):
    """Records loaded from a query that still selects them (`Selection(queryset)`): a set-based check filters
    by `ids_of(records)`, which is then that query as a subquery — for thousands of records it costs far less
    to build and send than a list of their ids. Like any two statements, the list and a later subquery see the
    database as it is when each runs."""

    def __init__(self, query: Any) -> None:
        super().__init__(query)
        self.query = query
        self.read: dict[str, Any] = {}  # `shared_read`: what several checks read about these same records


def shared_read(objects: Sequence[Any], key: str, read: Callable[[], Any]) -> Any:
    """`read()` once per `Selection` for every check that asks by the same `key` (e.g. the engagements'
    qualification requirements, which two checks judge); for any other sequence, read each time. What is
    shared is only read by the checks, never changed."""
    if not isinstance(objects, Selection):
        return read()
    if key not in objects.read:
        objects.read[key] = read()
    return objects.read[key]


def ids_of(objects: Sequence[Any], field: str = "pk") -> Any:
    """What a set-based check filters `…__in=` by: the records' `field` (their pk, or e.g. "vendor_id"), as
    the subquery that selected them when they are a `Selection`, else as a list of the values (no None)."""
    if isinstance(objects, Selection):
        return objects.query.order_by().values(field)
    return list(dict.fromkeys(value for value in (getattr(o, field) for o in objects) if value is not None))


@cache
def unworded(code: str) -> Blocker:
    """The blocker of kind `code` without a message: what a check says with `detail=False`."""
    return Blocker(code, "")


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
# the kinds only the owner's staff may learn of (e.g. `double_booked`: that a vendor's person also works for
# another vendor); a vendor user is never shown them, nor offered them as a filter
owner_only_kinds: set[str] = set()


def register_dashboard_cards(
    fn: Callable[[Any], list[DashboardCard]],
) -> Callable[[Any], list[DashboardCard]]:
    """`fn(user)` returns the cards this user should see (already limited to what the user may see)."""
    if fn not in dashboard_cards:
        dashboard_cards.append(fn)
    return fn


# check → the engagement fields it reads besides the pk (None: not said, so whole records are loaded for it)
_fields_read: dict[Any, frozenset[str] | None] = {}


def register_activation_check(fn: EngagementCheck, *, reads: Iterable[str] | None = None) -> EngagementCheck:
    """`fn(engagements, as_of, detail=True)` says, for each engagement, what keeps it from becoming active on
    `as_of`. `reads`: the engagement fields it reads besides the pk (see `engagement_fields_read`)."""
    if fn not in activation_checks:
        activation_checks.append(fn)
    _fields_read[fn] = None if reads is None else frozenset(reads)
    return fn


def register_engagement_issue(fn: EngagementCheck, *, reads: Iterable[str] | None = None) -> EngagementCheck:
    """`fn(engagements, as_of, detail=True)` says, for each engagement, what is wrong with it on `as_of` that does
    not block its activation (an open issue of a running engagement, e.g. a certificate expiring in its term).
    `reads`: as for `register_activation_check`."""
    if fn not in engagement_issues:
        engagement_issues.append(fn)
    _fields_read[fn] = None if reads is None else frozenset(reads)
    return fn


def engagement_fields_read() -> list[str] | None:
    """The engagement fields the registered checks read, for loading a portfolio with those alone (`only()`):
    thousands of whole engagements cost more to build than every check together spends on them. None when a
    check did not say (then whole records)."""
    fields: set[str] = set()
    for check in (*activation_checks, *engagement_issues):
        reads = _fields_read.get(check)
        if reads is None:
            return None
        fields |= reads
    return sorted(fields)


def register_vendor_blocker(fn: VendorBlocker) -> VendorBlocker:
    """`fn(vendors, engagement_or_None, as_of)` says what forbids choosing each vendor whatever its score
    (e.g. its status, its standing, a qualification the engagement requires)."""
    if fn not in vendor_blockers:
        vendor_blockers.append(fn)
    return fn


def register_issue_kind(code: str, label: Any, order: int, *, owner_only: bool = False) -> None:
    """Name a kind of activation blocker or open issue that this app's checks report (`Blocker.code`), and its
    place in the lists of blockers (`order`, as SPEC lists the codes). `owner_only`: only the owner's staff
    may see it (`issue_kinds_for`, `engagement_issues_of`)."""
    issue_kinds[code] = label
    issue_order[code] = order
    if owner_only:
        owner_only_kinds.add(code)
    else:
        owner_only_kinds.discard(code)


def issue_kinds_for(viewer: Any) -> dict[str, Any]:
    """The kinds of blocker or open issue `viewer` may see: all for the owner's staff, no owner-only one for
    anyone else."""
    if sees_all_vendors(viewer):
        return dict(issue_kinds)
    return {code: label for code, label in issue_kinds.items() if code not in owner_only_kinds}


# code → label of the vendor blockers that are not also engagement issues (a suspended vendor, a standing on
# probation, a critical finding): people read the label, never the code.
blocker_labels: dict[str, Any] = {}


def register_blocker_label(code: str, label: Any) -> None:
    blocker_labels[code] = label


def code_label(code: str) -> str:
    """The label, in the reader's language, of a blocker's or an open issue's code (the code itself only for one
    nobody registered)."""
    label = issue_kinds.get(code) or blocker_labels.get(code)
    return str(label) if label is not None else code


def register_vendor_criterion(criterion: VendorCriterion) -> VendorCriterion:
    vendor_criteria[criterion.code] = criterion
    return criterion


def _merge(
    keys: Sequence[Any], answers: Sequence[dict[int, list[Blocker]]], *, ordered: bool = True
) -> dict[int, list[Blocker]]:
    result: dict[int, list[Blocker]] = {obj.pk: [] for obj in keys}
    for answer in answers:
        for pk, found in answer.items():
            if pk in result:
                result[pk].extend(found)
    if ordered:
        for found in result.values():
            found.sort(key=lambda b: issue_order.get(b.code, 1000))  # stable: an app's own order is kept
    return result


def activation_blockers_of(
    engagements: Sequence[Any], as_of: datetime.date, *, detail: bool = True
) -> dict[int, list[Blocker]]:
    """Every registered activation check's blockers of each engagement on `as_of` (pk → list, maybe empty);
    `detail=False`: the same verdicts unworded (see `EngagementCheck`)."""
    engagements = engagements if isinstance(engagements, Selection) else list(engagements)
    if not engagements:
        return {}
    answers = [check(engagements, as_of, detail=detail) for check in activation_checks]
    return _merge(engagements, answers, ordered=detail)


def engagement_issues_of(
    engagements: Sequence[Any], as_of: datetime.date, viewer: Any, *, detail: bool = True
) -> dict[int, list[Blocker]]:
    """The registered non-blocking issues of each engagement on `as_of`, as `viewer` may see them: the
    owner-only kinds are left out for anyone but the owner's staff (the one place that decides it).
    `detail=False`: the same verdicts unworded (see `EngagementCheck`)."""
    engagements = engagements if isinstance(engagements, Selection) else list(engagements)
    if not engagements:
        return {}
    answers = [check(engagements, as_of, detail=detail) for check in engagement_issues]
    merged = _merge(engagements, answers, ordered=detail)
    if sees_all_vendors(viewer):
        return merged
    return {pk: [b for b in found if b.code not in owner_only_kinds] for pk, found in merged.items()}


def vendor_blockers_of(vendors: Sequence[Any], engagement: Any, as_of: datetime.date) -> dict[int, list[Blocker]]:
    """Every registered vendor blocker of each vendor (for `engagement`, or for new work in general)."""
    vendors = list(vendors)
    if not vendors:
        return {}
    return _merge(vendors, [check(vendors, engagement, as_of) for check in vendor_blockers])


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


# Evidence files: the documents app registers the one path by which a file is attached to a record and removed
# again, so that engagements, teams, qualifications and assessments store evidence without importing it.
_document_store: dict[str, Callable[..., Any]] = {}


def register_document_store(
    *, attach: Callable[..., Any], delete: Callable[..., None], check: Callable[..., Any] | None = None
) -> None:
    """`attach(subject, *, upload, kind, acting_user, description="")` returns the stored Document;
    `delete(document, *, acting_user)` removes it and its bytes; `check(upload)` raises the ValidationError
    (naming `file`) that `attach` would raise for the file itself, storing nothing."""
    _document_store.update(attach=attach, delete=delete)
    if check is not None:
        _document_store["check"] = check


def check_document(upload: Any) -> None:
    """Refuse a file before anything is written: a bulk upload checks every file first, so that one bad file
    leaves no stored bytes of the good ones behind."""
    _document_store["check"](upload)


def attach_document(subject: Any, *, upload: Any, kind: str, acting_user: Any, description: str = "") -> Any:
    return _document_store["attach"](
        subject, upload=upload, kind=kind, acting_user=acting_user, description=description
    )


def delete_document(document: Any, *, acting_user: Any) -> None:
    _document_store["delete"](document, acting_user=acting_user)


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
