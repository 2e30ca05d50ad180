"""What the teams app contributes to other areas: the activation gate's `team_empty`, `team_not_eligible` and
`no_owner_places`, the open issues `double_booked` and `over_allocated` (the owner's staff only), a vendor
comparison criterion and dashboard cards."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from outsourcing.core import registry
from outsourcing.core.access import Role, is_admin, is_owner_writer, sees_all_vendors
from outsourcing.core.phrases import Phrase
from outsourcing.core.registry import Blocker, CriterionScore, DashboardCard, unworded
from outsourcing.engagements.choices import EngagementForm

from .choices import ImportStatus, ReplacementStatus, TeamSide
from .double_booking import DOUBLE_BOOKED, FULL_TIME, OVER_ALLOCATED, active_places, double_booked, over_allocated
from .eligibility import Verdict, key_people_not_eligible
from .models import ImportJob, Replacement, TeamAssignment, TeamMember
from .stability import Stability, stability_for_vendors

# code → (label, place in the lists as SPEC "Activation gate" orders the codes)
ISSUE_KINDS = {
    "team_empty": (gettext_lazy("Nobody on the team"), 60),
    "team_not_eligible": (gettext_lazy("Key person not eligible"), 70),
    "no_owner_places": (gettext_lazy("No owner-side places"), 83),
}
# Open issues of a running engagement that only the owner's staff may see: a vendor user must never learn
# that one of its people matches someone at another vendor (code → label, place in the lists).
OWNER_ONLY_ISSUE_KINDS = {
    DOUBLE_BOOKED: (gettext_lazy("Team member employed by another vendor too"), 95),
    OVER_ALLOCATED: (gettext_lazy("Team member planned above full time"), 96),
}


# From this many engagements on, `booking_issues` asks the whole portfolio's bookings (see there).
WHOLE_PORTFOLIO = 1000


def booking_issues(
    engagements: Sequence[Any], as_of: datetime.date, *, detail: bool = True
) -> dict[int, list[Blocker]]:
    """Open issues on `as_of` (teams.double_booking's rules): `double_booked` — a person on the engagement's
    vendor side is employed by another vendor too (same identity number); `over_allocated` — a person on it is
    planned above full time over the engagements active on `as_of`. One entry per person; the engagement's
    place must count on `as_of` (its engagement active then). Four queries for any number of engagements
    (three unworded); registered owner-only (core.registry drops them for vendor users)."""
    places = active_places(as_of).filter(engagement_id__in=registry.ids_of(engagements), member__isnull=False)
    # (engagement, person, what the wording names): the name, own vendor and identity number only when worded
    named = ("member__full_name", "member__vendor_id", "member__identity_hash") if detail else ()
    rows = list(
        places.order_by(*(("engagement_id", "member__full_name", "member_id") if detail else ()))
        .values_list("engagement_id", "member_id", *named)
        .distinct()
    )
    if not rows:
        return {}
    # The places' people matched on their own numbers (with their twins at other vendors): one query, through
    # the index of identity hashes, whatever the size of the portfolio. Asked for a large part of the portfolio
    # (the dashboard), the whole portfolio's double-booked and over-allocated people are found faster, in one
    # pass each, than those of thousands of places: the same rules, the same answer for the places' people.
    whole = len(engagements) >= WHOLE_PORTFOLIO
    hashes = places.exclude(member__identity_hash="").values("member__identity_hash")
    doubled = (double_booked(as_of) if whole else double_booked(as_of, hashes)).order_by()
    matched = list(doubled.values_list("pk", "identity_hash", "vendor_id", "vendor__name")) if detail else []
    doubled_ids = {pk for pk, *_rest in matched} if detail else set(doubled.values_list("pk", flat=True))
    over = over_allocated(as_of) if whole else over_allocated(as_of).filter(pk__in=places.values("member_id"))
    over_ids = set(over.order_by().values_list("pk", flat=True))
    result: dict[int, list[Blocker]] = {}
    doubled_rows = [row for row in rows if row[1] in doubled_ids]
    over_rows = [row for row in rows if row[1] in over_ids]
    if not detail:
        for engagement_id, *_person in doubled_rows:
            result.setdefault(engagement_id, []).append(unworded(DOUBLE_BOOKED))
        for engagement_id, *_person in over_rows:
            result.setdefault(engagement_id, []).append(unworded(OVER_ALLOCATED))
        return result
    vendors: dict[str, set[tuple[int, str]]] = {}
    for _pk, identity, vendor_id, name in matched:
        vendors.setdefault(identity, set()).add((vendor_id, name))
    doubled_message = _(
        "%(name)s is also employed by %(vendors)s on %(date)s (the same identity number is on both rosters): ask "
        "the vendor who the person really works for."
    )
    for engagement_id, _member_id, full_name, own_vendor, identity in doubled_rows:
        others = sorted(name for vendor_id, name in vendors.get(identity, ()) if vendor_id != own_vendor)
        result.setdefault(engagement_id, []).append(
            Blocker(
                DOUBLE_BOOKED,
                doubled_message % {"name": full_name, "vendors": ", ".join(others), "date": as_of.isoformat()},
            )
        )
    if over_rows:
        totals = dict(
            active_places(as_of)
            .filter(member_id__in=places.values("member_id"))
            .order_by()
            .values("member_id")
            .annotate(total=Sum("allocation_percent"))
            .values_list("member_id", "total")
        )
        over_message = _(
            "%(name)s is planned at %(total)s %% of full time (above %(full)s %%) over the engagements active on "
            "%(date)s: lower the person's allocations or replace the person."
        )
        for engagement_id, member_id, full_name, _vendor, _identity in over_rows:
            result.setdefault(engagement_id, []).append(
                Blocker(
                    OVER_ALLOCATED,
                    over_message
                    % {
                        "name": full_name,
                        "total": totals.get(member_id, 0),
                        "full": FULL_TIME,
                        "date": as_of.isoformat(),
                    },
                )
            )
    return result


def team_gate(engagements: Sequence[Any], as_of: datetime.date, *, detail: bool = True) -> dict[int, list[Blocker]]:
    """Activation gate on `as_of` (SPEC "On the team on D"): `team_empty` — nobody on the team (not for
    insourcing); `no_owner_places` — co-sourcing without an owner-side place; `team_not_eligible` — a key
    person not eligible and without a waiver. Five queries for any number of engagements."""
    ids = registry.ids_of(engagements)
    sides: dict[int, set[str]] = {}
    for engagement_id, side in (
        TeamAssignment.objects.on_team(as_of)
        .filter(engagement_id__in=ids)
        .order_by()
        .values_list("engagement_id", "side")
        .distinct()
    ):
        sides.setdefault(engagement_id, set()).add(side)
    not_eligible = key_people_not_eligible(engagements, as_of)
    date = as_of.isoformat()
    empty, no_owner = (
        (
            Blocker(
                "team_empty",
                _("Nobody is on the team on %(date)s: put the vendor's people on the team.") % {"date": date},
                _("Nobody is on the team on %(date)s: put your people on the team.") % {"date": date},
            ),
            Blocker(
                "no_owner_places",
                _("A co-sourcing team needs the owner's own staff: add an owner-side place to the team."),
                _("A co-sourcing team needs the owner's own staff: the owner adds them to the team."),
            ),
        )
        if detail
        else (unworded("team_empty"), unworded("no_owner_places"))
    )
    result: dict[int, list[Blocker]] = {}
    for engagement in engagements:
        found: list[Blocker] = []
        on_team = sides.get(engagement.pk, set())
        if not on_team and engagement.form != EngagementForm.INSOURCING:
            found.append(empty)
        if engagement.form == EngagementForm.CO_SOURCING and TeamSide.OWNER not in on_team:
            found.append(no_owner)
        verdicts = not_eligible.get(engagement.pk, [])
        if verdicts:
            found.extend(
                [not_eligible_blocker(v, date) for v in verdicts] if detail else [unworded("team_not_eligible")]
            )
        if found:
            result[engagement.pk] = found
    return result


def not_eligible_blocker(verdict: Verdict, date: str) -> Blocker:
    """`team_not_eligible` worded: who, on which day, and why."""
    params = {"name": verdict.member.full_name, "date": date, "reasons": ", ".join(verdict.reason_labels)}
    return Blocker(
        "team_not_eligible",
        _(
            "Key person %(name)s is not eligible on %(date)s (%(reasons)s) and holds no waiver: "
            "replace the person or grant a justified waiver."
        )
        % params,
        _(
            "Key person %(name)s is not eligible on %(date)s (%(reasons)s) and holds no waiver: propose "
            "a replacement, or ask the owner for a justified waiver."
        )
        % params,
    )


def stability_score(figures: Stability) -> CriterionScore:
    """0–100: half one-year retention, half (1 − turnover over the last year), whichever are known."""
    retention = next((p["survival"] for p in figures.retention if p["days"] == 365), None)
    parts = []
    if retention is not None:
        parts.append(100 * retention)
    if figures.turnover_rate is not None:
        parts.append(100 * max(0.0, 1.0 - figures.turnover_rate))
    if not parts:
        return CriterionScore(None, Phrase(gettext_noop("No people on the roster: no data.")))
    detail = Phrase(
        gettext_noop("One-year retention %(retention)s, turnover %(turnover)s over %(start)s–%(end)s."),
        retention="—" if retention is None else f"{retention:.1%}",
        turnover="—" if figures.turnover_rate is None else f"{figures.turnover_rate:.1%}",
        start=figures.start.isoformat(),
        end=figures.end.isoformat(),
    )
    return CriterionScore(sum(parts) / len(parts), detail)


def team_stability_scores(
    vendor_ids: Sequence[int], engagement: Any, as_of: datetime.date
) -> dict[int, CriterionScore]:
    figures = stability_for_vendors(vendor_ids, as_of - relativedelta(years=1), as_of)
    return {vendor_id: stability_score(figures[vendor_id]) for vendor_id in vendor_ids}


def double_booking_cards(user: Any) -> list[DashboardCard]:
    """People sold twice today: by two vendors at once (owner staff only), or planned above full time."""
    today = timezone.localdate()
    visible = TeamMember.objects.visible_to(user)
    flagged = visible.filter(pk__in=over_allocated(today).values("pk"))
    if sees_all_vendors(user):
        flagged = flagged | visible.filter(pk__in=double_booked(today).values("pk"))
    count = flagged.count()
    if not count:
        return []
    return [
        DashboardCard(
            title=_("Double-booked people"),
            count=count,
            url=reverse("teams:bookings"),
            tone="red",
            description=_("Employed by two vendors at once, or planned above full time."),
        )
    ]


def dashboard_cards(user: Any) -> list[DashboardCard]:
    pending = Replacement.objects.visible_to(user).filter(status=ReplacementStatus.PENDING).count()
    unacknowledged = TeamAssignment.objects.visible_to(user).filter(acknowledged=False).count()
    cards = []
    url = reverse("teams:list")
    if pending:
        cards.append(
            DashboardCard(
                title=_("Key-person replacements awaiting approval"),
                count=pending,
                url=url + "?pending=1",
                tone="amber",
                description=_("Approve or reject them on the engagement's team page.")
                if is_owner_writer(user)
                else _("The owner decides on them."),
            )
        )
    if unacknowledged and getattr(user, "role", None) != Role.VENDOR:
        cards.append(
            DashboardCard(
                title=_("Unapproved team changes"),
                count=unacknowledged,
                url=url + "?pending=1",
                tone="amber",
                description=_("Changes the vendor made to a team directly."),
            )
        )
    if is_admin(user):
        week_ago = timezone.now() - datetime.timedelta(days=7)
        recent = Q(updated_at__gte=week_ago) | ~Q(status=ImportStatus.FAILED)  # stuck ones however old
        problems = ImportJob.objects.failed_or_stuck().filter(recent).count()
        if problems:
            cards.append(
                DashboardCard(
                    title=_("Roster imports failed or stuck"),
                    count=problems,
                    url=reverse("teams:import-problems"),
                    tone="amber",
                    description=_("Failed in the last 7 days, or not moving."),
                )
            )
    return cards
