"""What the search box finds: vendors by name or registration number, people by name or employee number,
engagements by code or title, certificates by number — each through `visible_to`, so a vendor's user finds
only its own company's records, exactly as on every other page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outsourcing.core.pickers import matching, offered
from outsourcing.engagements.models import Engagement
from outsourcing.qualifications.models import Qualification
from outsourcing.teams.choices import TeamSide
from outsourcing.teams.models import TeamAssignment, TeamMember
from outsourcing.vendors.models import Vendor

MAX_QUERY = 100


@dataclass(frozen=True)
class Hit:
    kind: str
    id: int
    title: str
    subtitle: str
    url: str


@dataclass(frozen=True)
class Kind:
    code: str
    label: Any
    queryset: Callable[[Any, str], QuerySet[Any]]
    hit: Callable[[Any], Hit]


def _vendors(user: Any, q: str) -> QuerySet[Vendor]:
    return matching(Vendor.objects.visible_to(user), q)


def _vendor_hit(v: Vendor) -> Hit:
    return Hit("vendor", v.pk, v.name, v.registration_number, reverse("vendors:detail", args=[v.pk]))


def _people(user: Any, q: str) -> QuerySet[TeamMember]:
    return matching(TeamMember.objects.visible_to(user), q).select_related("vendor")


def _person_hit(m: TeamMember) -> Hit:
    # Name, number, company and title tell apart two people of the same name.
    parts = [m.employee_number, m.vendor.name, m.title]
    return Hit("person", m.pk, m.full_name, " · ".join(p for p in parts if p), reverse("teams:member", args=[m.pk]))


def _engagements(user: Any, q: str) -> QuerySet[Engagement]:
    return matching(Engagement.objects.visible_to(user), q)


def _engagement_hit(e: Engagement) -> Hit:
    return Hit(
        "engagement",
        e.pk,
        e.title,
        " · ".join(p for p in (e.code or "", e.get_status_display()) if p),
        reverse("engagements:detail", args=[e.pk]),
    )


def _certificates(user: Any, q: str) -> QuerySet[Qualification]:
    return Qualification.objects.visible_to(user).filter(number__icontains=q).select_related("type", "vendor")


def _certificate_hit(c: Qualification) -> Hit:
    return Hit(
        "certificate",
        c.pk,
        c.number,
        f"{c.type.name} · {c.vendor.name}",
        reverse("qualifications:detail", args=[c.pk]),
    )


KINDS = {
    k.code: k
    for k in (
        Kind("vendor", _("Vendors"), _vendors, _vendor_hit),
        Kind("person", _("People"), _people, _person_hit),
        Kind("engagement", _("Engagements"), _engagements, _engagement_hit),
        Kind("certificate", _("Certificates"), _certificates, _certificate_hit),
    )
}


@dataclass
class Group:
    kind: Kind
    hits: list[Hit]
    count: int


def search(user: Any, q: str, *, kinds: list[str] | None = None, limit: int = 10, counts: bool = True) -> list[Group]:
    """The first `limit` hits of each kind (in a stable order) and, with `counts`, how many there are in all."""
    q = (q or "").strip()[:MAX_QUERY]
    if not q:
        return []
    groups = []
    for code in kinds or list(KINDS):
        kind = KINDS[code]
        queryset = kind.queryset(user, q).order_by(*_order(code))
        hits = [kind.hit(obj) for obj in queryset[:limit]]
        count = queryset.count() if counts and len(hits) == limit else len(hits)
        groups.append(Group(kind, hits, count))
    return groups


def _order(code: str) -> tuple[str, ...]:
    return {
        "vendor": ("name", "pk"),
        "person": ("full_name", "pk"),
        "engagement": ("title", "pk"),
        "certificate": ("number", "pk"),
        "place": ("member__full_name", "pk"),
    }[code]


# The type-ahead pickers' scopes (core.pickers): how a form narrows a kind, told by parameters of the request.
# "place": a vendor person's place on a team (the outgoing person of a replacement).
PICKABLE: dict[str, Any] = {"vendor": Vendor, "person": TeamMember, "engagement": Engagement, "place": TeamAssignment}


def _scoped(kind: str, queryset: QuerySet[Any], scope: dict[str, str]) -> QuerySet[Any]:
    vendor = scope.get("vendor", "")
    if vendor.isdigit() and kind in ("person", "engagement"):
        queryset = queryset.filter(vendor_id=int(vendor))
    if kind == "person":
        if scope.get("current") == "1":
            queryset = queryset.not_left_by(timezone.localdate())  # type: ignore[attr-defined]
        team = scope.get("team", "")
        if team.isdigit():
            queryset = queryset.filter(assignments__engagement_id=int(team)).distinct()
    if kind == "place":
        team = scope.get("team", "")
        queryset = queryset.filter(
            engagement_id=int(team) if team.isdigit() else None, side=TeamSide.VENDOR, member__isnull=False
        ).select_related("member")
        if scope.get("current") == "1":  # still open: no last day yet
            queryset = queryset.filter(end_date__isnull=True)
    return queryset


def options(user: Any, kind: str, text: str, scope: dict[str, str], chosen: list[str]) -> list[Any]:
    """A picker's choices: the chosen records, then the first matches of `text` among those of `kind` that the
    user may see, within the form's `scope` (`vendor`, and for people `current` and `team`)."""
    queryset = _scoped(kind, PICKABLE[kind].objects.visible_to(user), scope).order_by(*_order(kind))
    return offered(queryset, chosen, text)
