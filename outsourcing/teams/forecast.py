"""Team attrition forecast: how many of an engagement team's people are likely to leave their company soon.

SPEC "Attrition forecast", to the letter: S is the vendor's Kaplan–Meier survival over its people as of D
(the Retention definition with end = D), pooled over all vendors' people when the vendor has fewer than
`POOL_BELOW` departures. A person on the team's vendor side on D with tenure t days leaves within h days with
probability 1 − S(t + h) / S(t) (1 when S(t) = 0); the count of leavers is Poisson-binomial, and the 80 %
interval is [smallest k with P(N ≤ k) ≥ 0.10, smallest k with P(N ≤ k) ≥ 0.90].

Everything is set-based: one query of (vendor, hire, left) triples and one of the teams' people, then numpy.
Forecasting every team of the portfolio costs one Kaplan–Meier fit per vendor that has people on a team.
The backtest replays the same per-person forecast on past days for the vendors' whole rosters (using only
what was known on each day: a departure after D is censored at D) and compares it with what then happened,
so the owner can see how far to trust it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from outsourcing.engagements.models import Engagement

from .choices import TeamSide
from .models import TeamAssignment, TeamMember, employed_q, on_team_q
from .stability import _fetch, day_arrays, day_number, kaplan_meier

HORIZONS = (91, 182, 365)
POOL_BELOW = 20  # departures: below this a vendor's own curve is too noisy to trust, so all vendors' is used
LOW_QUANTILE, HIGH_QUANTILE = 0.10, 0.90
# A team calls for attention when 15 % or more of it is expected to leave within a year (annual attrition of
# 13–20 % is commonly reported for IT services; a team above that is losing people faster than the market) or
# when the key people expected to leave add up to half a person or more.
ATTENTION_YEARLY_SHARE = 0.15
ATTENTION_KEY_PEOPLE = 0.5
_TOLERANCE = 1e-9  # cumulative probabilities are sums of floats: an exact 0.10 must count as reached


@dataclass(frozen=True)
class Curve:
    """A right-continuous Kaplan–Meier step function: S(t) = survival[i] for times[i] ≤ t < times[i + 1]."""

    times: np.ndarray
    survival: np.ndarray
    pooled: bool

    def at(self, days: np.ndarray) -> np.ndarray:
        index = np.searchsorted(self.times, days, side="right") - 1
        values = self.survival[np.clip(index, 0, None)] if self.survival.size else np.ones(days.shape)
        return np.where(index < 0, 1.0, values)


def leave_probabilities(curve: Curve, tenure_days: np.ndarray, horizon: int) -> np.ndarray:
    """1 − S(t + h) / S(t) for every tenure t; 1 where S(t) = 0 (nobody that long has ever stayed)."""
    now = curve.at(tenure_days)
    later = curve.at(tenure_days + horizon)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(now > 0, 1.0 - later / np.where(now > 0, now, 1.0), 1.0)


def poisson_binomial(probabilities: Sequence[float] | np.ndarray) -> np.ndarray:
    """P(N = k) for k = 0 … n, N the number of successes of independent trials with these probabilities."""
    pmf = np.ones(1)
    for p in np.asarray(probabilities, dtype=float):
        pmf = np.concatenate([pmf * (1.0 - p), [0.0]]) + np.concatenate([[0.0], pmf * p])
    return pmf


def interval(probabilities: Sequence[float] | np.ndarray) -> tuple[int, int]:
    """(low, high): the smallest k with P(N ≤ k) ≥ 0.10, resp. ≥ 0.90."""
    cdf = np.cumsum(poisson_binomial(probabilities))
    low = int(np.argmax(cdf >= LOW_QUANTILE - _TOLERANCE))
    high = int(np.argmax(cdf >= HIGH_QUANTILE - _TOLERANCE))
    return low, high


# --- survival curves, per vendor and pooled -------------------------------------------------------------------


def _curve(hire: np.ndarray, left: np.ndarray, day: int, pooled: bool) -> Curve:
    """The Retention definition with end = day over people hired on or before it (arrays already filtered)."""
    events = left <= day
    times, survival = kaplan_meier(np.where(events, left - hire, day - hire), events)
    return Curve(times=times, survival=survival, pooled=pooled)


@dataclass
class _People:
    """People hired on or before the latest day asked, sorted by vendor: (vendor, hire, left) day numbers."""

    vendor: np.ndarray
    hire: np.ndarray
    left: np.ndarray

    @classmethod
    def load(cls, last_day: datetime.date, vendor_id: int | None = None) -> _People:
        """Everyone's (or one vendor's) people: one query, straight from the cursor."""
        people = TeamMember.objects.filter(hire_date__lte=last_day)
        if vendor_id is not None:
            people = people.filter(vendor_id=vendor_id)
        rows = _fetch(
            people.order_by("vendor_id")
            .annotate(hire=day_number("hire_date"), left=day_number("left_date"))
            .values_list("vendor_id", "hire", "left")
        )
        hire, left = day_arrays(rows)
        return cls(vendor=np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)), hire=hire, left=left)

    def curves(self, vendor_ids: Iterable[int], day: datetime.date) -> dict[int, Curve]:
        """Each vendor's curve as of `day`, or the pooled one for a vendor with fewer than POOL_BELOW departures."""
        d = day.toordinal()
        known = self.hire <= d
        vendor, hire, left = self.vendor[known], self.hire[known], self.left[known]
        wanted = np.unique(np.fromiter(vendor_ids, dtype=np.int64))
        starts = np.searchsorted(vendor, wanted, side="left")
        ends = np.searchsorted(vendor, wanted, side="right")
        pooled: Curve | None = None
        result: dict[int, Curve] = {}
        for vendor_id, lo, hi in zip(wanted.tolist(), starts.tolist(), ends.tolist(), strict=True):
            if np.count_nonzero(left[lo:hi] <= d) >= POOL_BELOW:
                result[vendor_id] = _curve(hire[lo:hi], left[lo:hi], d, pooled=False)
            else:
                if pooled is None:
                    pooled = _curve(hire, left, d, pooled=True)
                result[vendor_id] = pooled
        return result


def vendor_departures(vendor_id: int, day: datetime.date) -> int:
    """Departures counted by the Retention definition as of `day` (people hired by then who left by then)."""
    return TeamMember.objects.filter(vendor_id=vendor_id, hire_date__lte=day).left_by(day).count()


# --- the forecast -----------------------------------------------------------------------------------------------


@dataclass
class HorizonForecast:
    days: int
    expected: float
    low: int
    high: int
    key_expected: float  # the part of `expected` that falls on key people


@dataclass
class MemberForecast:
    member_id: int
    full_name: str
    key_person: bool
    tenure_days: int
    leave_probability: dict[int, float]


@dataclass
class TeamForecast:
    engagement_id: int
    as_of: datetime.date
    pooled: bool
    members: list[MemberForecast] = field(default_factory=list)
    horizons: list[HorizonForecast] = field(default_factory=list)
    path: list[HorizonForecast] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def key_people(self) -> int:
        return sum(1 for m in self.members if m.key_person)

    @property
    def calls_for_attention(self) -> bool:
        """More of the team expected to leave within a year than IT services usually lose, or a key person
        more likely to go than not."""
        year = self.horizon(365)
        return bool(self.members) and (
            year.expected >= ATTENTION_YEARLY_SHARE * self.size or year.key_expected >= ATTENTION_KEY_PEOPLE
        )

    def chart_path(self) -> list[tuple[int, float, int, int]]:
        """(month, expected, low, high) from today (0 leavers) to 12 months ahead."""
        return [(0, 0.0, 0, 0)] + [(m, h.expected, h.low, h.high) for m, h in enumerate(self.path, start=1)]

    def horizon(self, days: int) -> HorizonForecast:
        return next(h for h in self.horizons if h.days == days)

    def as_dict(self) -> dict[str, Any]:
        """The API's shape (SPEC contract row `GET /engagements/{id}/attrition-forecast`); figures unrounded."""
        return {
            "as_of": self.as_of,
            "pooled": self.pooled,
            "horizons": [{"days": h.days, "expected": h.expected, "low": h.low, "high": h.high} for h in self.horizons],
            "members": [
                {"member_id": m.member_id, "leave_probability": {str(h): p for h, p in m.leave_probability.items()}}
                for m in self.members
            ],
        }


def _team_rows(engagement_ids: Sequence[int], day: datetime.date) -> list[tuple[Any, ...]]:
    """(engagement, member, vendor, name, key person, hire, left) of the employed on the vendor side on `day`."""
    on_team, employed = on_team_q(day), employed_q(day, prefix="member__")
    return list(
        TeamAssignment.objects.filter(on_team, employed, engagement_id__in=list(engagement_ids), side=TeamSide.VENDOR)
        .order_by("engagement_id", "member__full_name", "member_id")
        .values_list(
            "engagement_id",
            "member_id",
            "member__vendor_id",
            "member__full_name",
            "key_person",
            "member__hire_date",
            "member__left_date",
        )
    )


def _horizon(days: int, p: np.ndarray, key: np.ndarray) -> HorizonForecast:
    low, high = interval(p)
    return HorizonForecast(days=days, expected=float(p.sum()), low=low, high=high, key_expected=float(p[key].sum()))


# The team page's chart: expected leavers at each month end over the next year (a month = 365/12 days).
PATH_DAYS = tuple(round(365 * m / 12) for m in range(1, 13))


def forecast_teams(
    engagement_ids: Sequence[int], day: datetime.date, *, people: _People | None = None, path: bool = False
) -> dict[int, TeamForecast]:
    """The forecast of every listed engagement's team on `day`, in a fixed number of queries.

    `path=True` also gives each team's expected leavers with the band at each month end (for the chart).
    """
    rows = _team_rows(engagement_ids, day)
    result = {pk: TeamForecast(engagement_id=pk, as_of=day, pooled=False) for pk in engagement_ids}
    if rows:
        people = people or _People.load(day)
        curves = people.curves({r[2] for r in rows}, day)
        d = day.toordinal()
        by_engagement: dict[int, list[tuple[Any, ...]]] = {}
        for row in rows:
            team = by_engagement.setdefault(row[0], [])
            if not team or team[-1][1] != row[1]:  # rows are ordered by person: two places count once
                team.append(row)
        for engagement_id, team in by_engagement.items():
            result[engagement_id] = _forecast_one(engagement_id, day, d, team, curves, path)
    for forecast in result.values():
        if not forecast.horizons:
            forecast.horizons = [_horizon(h, np.empty(0), np.empty(0, dtype=bool)) for h in HORIZONS]
            forecast.path = [_horizon(h, np.empty(0), np.empty(0, dtype=bool)) for h in PATH_DAYS] if path else []
    return result


def _forecast_one(
    engagement_id: int,
    day: datetime.date,
    d: int,
    team: list[tuple[Any, ...]],
    curves: dict[int, Curve],
    path: bool,
) -> TeamForecast:
    tenure = np.fromiter((d - r[5].toordinal() for r in team), dtype=np.int64, count=len(team))
    vendors = np.fromiter((r[2] for r in team), dtype=np.int64, count=len(team))
    key = np.fromiter((bool(r[4]) for r in team), dtype=bool, count=len(team))

    def probabilities(horizon: int) -> np.ndarray:
        # A team's vendor side is normally one vendor's people; should another vendor's person stand on it,
        # each person is judged by their own company's curve.
        p = np.empty(len(team))
        for vendor_id in np.unique(vendors).tolist():
            mask = vendors == vendor_id
            p[mask] = leave_probabilities(curves[vendor_id], tenure[mask], horizon)
        return p

    standard = {h: probabilities(h) for h in HORIZONS}
    return TeamForecast(
        engagement_id=engagement_id,
        as_of=day,
        pooled=any(curves[v].pooled for v in set(vendors.tolist())),
        members=[
            MemberForecast(
                member_id=r[1],
                full_name=r[3],
                key_person=bool(r[4]),
                tenure_days=int(tenure[i]),
                leave_probability={h: float(standard[h][i]) for h in HORIZONS},
            )
            for i, r in enumerate(team)
        ],
        horizons=[_horizon(h, standard[h], key) for h in HORIZONS],
        path=[_horizon(h, probabilities(h), key) for h in PATH_DAYS] if path else [],
    )


def forecast_team(engagement_id: int, day: datetime.date, *, path: bool = False) -> TeamForecast:
    """One team's forecast: the portfolio computation applied to one engagement.

    When the team's vendor has enough departures of its own, only its people are read (the pooled curve
    needs everyone's).
    """
    vendor_ids = set(
        TeamAssignment.objects.filter(engagement_id=engagement_id, side=TeamSide.VENDOR).values_list(
            "member__vendor_id", flat=True
        )
    )
    people = None
    if len(vendor_ids) == 1:
        (vendor_id,) = vendor_ids
        if vendor_departures(vendor_id, day) >= POOL_BELOW:
            people = _People.load(day, vendor_id)
    return forecast_teams([engagement_id], day, people=people, path=path)[engagement_id]


# --- the backtest -----------------------------------------------------------------------------------------------


@dataclass
class Decile:
    decile: int
    forecasts: int
    p_min: float
    p_max: float
    predicted: float
    actual: int


@dataclass
class Backtest:
    """Forecasts made on past days against what then happened: how far the forecast can be trusted."""

    as_of: datetime.date
    horizon: int
    forecast_days: list[datetime.date]
    forecasts: int
    predicted: float
    actual: int
    deciles: list[Decile]

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of,
            "horizon": self.horizon,
            "forecast_days": self.forecast_days,
            "forecasts": self.forecasts,
            "predicted": self.predicted,
            "actual": self.actual,
            "deciles": [d.__dict__ for d in self.deciles],
        }


def provider_ids(user: Any) -> list[int]:
    """The vendors whose forecasts `user` may replay: providers of the engagements the user can see."""
    engagements = Engagement.objects.visible_to(user).filter(vendor__isnull=False)
    return sorted(set(engagements.values_list("vendor_id", flat=True)))


def backtest_days(today: datetime.date, horizon: int, months: int) -> list[datetime.date]:
    """First days of the month whose outcome over `horizon` days is known by `today`, newest `months` of them."""
    latest = today - datetime.timedelta(days=horizon)
    year, month = latest.year, latest.month
    days = []
    for _ in range(months):
        days.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sorted(days)


def backtest(vendor_ids: Sequence[int], today: datetime.date, *, horizon: int = 365, months: int = 12) -> Backtest:
    """Replay the forecast for every person employed by the listed vendors on each past month start, and
    compare it with who really left.

    The person is the forecast's unit (a team's forecast is the sum over its people), so the backtest takes
    everyone on those vendors' rosters, not only those who happened to be on a team: far more history. Each
    forecast uses only what was known on its day (a departure after it is censored there, exactly as in a live
    forecast); the outcome is whether the person left within `horizon` days after it. The forecasts are grouped
    into deciles of predicted probability, each with its predicted and actual departures.
    """
    days = backtest_days(today, horizon, months)
    people = _People.load(days[-1])
    of_vendors = np.isin(people.vendor, np.fromiter(vendor_ids, dtype=np.int64))
    predicted: list[np.ndarray] = []
    actual: list[np.ndarray] = []
    for day in days:
        d = day.toordinal()
        employed = of_vendors & (people.hire <= d) & (people.left > d)
        if not employed.any():
            continue
        vendors, hire, left = people.vendor[employed], people.hire[employed], people.left[employed]
        curves = people.curves(np.unique(vendors).tolist(), day)
        p = np.empty(vendors.size)
        for vendor_id, curve in curves.items():
            mask = vendors == vendor_id
            p[mask] = leave_probabilities(curve, d - hire[mask], horizon)
        predicted.append(p)
        actual.append(left <= d + horizon)
    p_all = np.concatenate(predicted) if predicted else np.empty(0)
    a_all = np.concatenate(actual) if actual else np.empty(0, dtype=bool)
    order = np.argsort(p_all, kind="stable")
    deciles = [
        Decile(
            decile=i + 1,
            forecasts=int(part.size),
            p_min=float(p_all[part].min()),
            p_max=float(p_all[part].max()),
            predicted=float(p_all[part].sum()),
            actual=int(np.count_nonzero(a_all[part])),
        )
        for i, part in enumerate(np.array_split(order, 10))
        if part.size
    ]
    return Backtest(
        as_of=today,
        horizon=horizon,
        forecast_days=days,
        forecasts=int(p_all.size),
        predicted=float(p_all.sum()),
        actual=int(np.count_nonzero(a_all)),
        deciles=deciles,
    )
