"""Team attrition forecast: how many of an engagement team's people are likely to leave their company soon.

SPEC "Attrition forecast", to the letter: S is the vendor's Kaplan–Meier survival over its people as of D
(the Retention definition with end = D), pooled over all vendors' people when the vendor has fewer than
`POOL_BELOW` departures. A person on the team's vendor side on D with tenure t days leaves within h days with
probability 1 − S(t + h) / S(t) (1 when S(t) = 0); the count of leavers is Poisson-binomial, and the 80 %
interval is [smallest k with P(N ≤ k) ≥ 0.10, smallest k with P(N ≤ k) ≥ 0.90].

Everything is set-based: one query of (vendor, hire, left) triples, one of the teams' people and one of the
required team sizes, then numpy. Forecasting every team of the portfolio is one Kaplan–Meier fit of all
vendors together and array operations over all people and teams (no loop over teams or vendors): about 5 s
for 5,000 teams of a 200,000-people portfolio, most of it reading the dates (docs/benchmarks.md).
Each team's expected headcount (size today less expected leavers, with the band) is compared with the size
the engagement needs (`Engagement.required_team_size`).
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


@dataclass(frozen=True)
class Headcount:
    """The team's expected size after `days` if nobody joins: its size today less the expected leavers, with
    the 80 % band (the low end = size − the band's high count of leavers)."""

    days: int
    expected: float
    low: int
    high: int
    below_required: bool | None  # the band's low end under the size the engagement needs (None: none set)


@dataclass
class TeamForecast:
    engagement_id: int
    as_of: datetime.date
    pooled: bool
    members: list[MemberForecast] = field(default_factory=list)
    horizons: list[HorizonForecast] = field(default_factory=list)
    path: list[HorizonForecast] = field(default_factory=list)
    required_size: int | None = None  # Engagement.required_team_size

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def key_people(self) -> int:
        return sum(1 for m in self.members if m.key_person)

    def headcount(self, horizon: HorizonForecast) -> Headcount:
        size, required = self.size, self.required_size
        low = size - horizon.high
        return Headcount(
            days=horizon.days,
            expected=size - horizon.expected,
            low=low,
            high=size - horizon.low,
            below_required=None if required is None else low < required,
        )

    @property
    def headcounts(self) -> list[Headcount]:
        return [self.headcount(h) for h in self.horizons]

    @property
    def short_of_required(self) -> bool:
        """With 80 % confidence the team may, within 12 months, hold fewer people than the engagement needs:
        the low end of the headcount band falls below the required team size (today's size included)."""
        return any(h.below_required for h in self.headcounts) or (
            self.required_size is not None and self.size < self.required_size
        )

    @property
    def calls_for_attention(self) -> bool:
        """More of the team expected to leave within a year than IT services usually lose, a key person
        more likely to go than not, or a team that may fall below the size the engagement needs."""
        year = self.horizon(365)
        return self.short_of_required or (
            bool(self.members)
            and (year.expected >= ATTENTION_YEARLY_SHARE * self.size or year.key_expected >= ATTENTION_KEY_PEOPLE)
        )

    def chart_path(self) -> list[tuple[int, float, int, int]]:
        """(month, expected, low, high) from today (0 leavers) to 12 months ahead."""
        return [(0, 0.0, 0, 0)] + [(m, h.expected, h.low, h.high) for m, h in enumerate(self.path, start=1)]

    def horizon(self, days: int) -> HorizonForecast:
        return next(h for h in self.horizons if h.days == days)

    def as_dict(self) -> dict[str, Any]:
        """The API's shape (SPEC contract row `GET /engagements/{id}/attrition-forecast`, with the headcount
        against the required team size beside it); figures unrounded."""
        return {
            "as_of": self.as_of,
            "pooled": self.pooled,
            "team_size": self.size,
            "required_team_size": self.required_size,
            "calls_for_attention": self.calls_for_attention,
            "short_of_required": self.short_of_required,
            "horizons": [
                {
                    "days": h.days,
                    "expected": h.expected,
                    "low": h.low,
                    "high": h.high,
                    "headcount_expected": c.expected,
                    "headcount_low": c.low,
                    "headcount_high": c.high,
                    "below_required": c.below_required,
                }
                for h, c in zip(self.horizons, self.headcounts, strict=True)
            ],
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


# The team page's chart: expected leavers at each month end over the next year (a month = 365/12 days).
PATH_DAYS = tuple(round(365 * m / 12) for m in range(1, 13))


# --- set-based arithmetic over many groups at once ------------------------------------------------------------
#
# Many small sequences (one survival curve per vendor, one leaver count per team) are computed as rows of a
# matrix, padded with numbers that change nothing (a factor 1, a probability 0). Rows are bucketed by length
# rounded up to a power of two, so padding at most doubles the work, and each row's arithmetic is the very
# sequence of operations the one-group functions above perform: a team's figures do not depend on the
# other teams computed with it.


def _buckets(lengths: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """(width, indices of the groups) with each group's length rounded up to a power of two."""
    if lengths.size == 0:
        return []
    widths = np.left_shift(1, np.ceil(np.log2(np.maximum(lengths, 1))).astype(np.int64))
    return [(int(w), np.flatnonzero(widths == w)) for w in np.unique(widths)]


def _segmented_cumprod(factors: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The running product of `factors` within each segment [start, start + length)."""
    out = np.empty_like(factors)
    for width, groups in _buckets(lengths):
        columns = np.arange(width)
        index = starts[groups][:, None] + columns
        valid = columns < lengths[groups][:, None]
        matrix = np.where(valid, factors[np.where(valid, index, 0)], 1.0)
        out[index[valid]] = np.cumprod(matrix, axis=1)[valid]
    return out


_SPAN = np.int64(1) << 32  # a duration in days is below this: (group, days) packs into one sortable int64


@dataclass(frozen=True)
class _Curves:
    """Kaplan–Meier curves of many groups at once: `keys` = group × _SPAN + event time, sorted, and S just
    after each. The same figures as `kaplan_meier` on each group alone."""

    keys: np.ndarray
    survival: np.ndarray

    @classmethod
    def fit(cls, group: np.ndarray, durations: np.ndarray, events: np.ndarray) -> _Curves:
        everyone = np.sort(group * _SPAN + durations)
        keys, deaths = np.unique(group[events] * _SPAN + durations[events], return_counts=True)
        if keys.size == 0:
            return cls(keys=keys, survival=np.empty(0))
        groups = keys // _SPAN
        group_end = np.searchsorted(everyone, (groups + 1) * _SPAN, side="left")
        at_risk = group_end - np.searchsorted(everyone, keys, side="left")
        _unique, starts, lengths = np.unique(groups, return_index=True, return_counts=True)
        return cls(keys=keys, survival=_segmented_cumprod(1.0 - deaths / at_risk, starts, lengths))

    def at(self, group: np.ndarray, days: np.ndarray) -> np.ndarray:
        """S_group(days), right-continuous; 1 before a group's first event (or for a group without any)."""
        if self.keys.size == 0:
            return np.ones(days.shape)
        wanted = group * _SPAN + days
        index = np.searchsorted(self.keys, wanted, side="right") - 1
        found = (index >= 0) & (self.keys[np.clip(index, 0, None)] // _SPAN == group)
        return np.where(found, self.survival[np.clip(index, 0, None)], 1.0)


def _leave_probabilities(curves: _Curves, group: np.ndarray, tenure: np.ndarray, horizon: int) -> np.ndarray:
    """`leave_probabilities` for every person at once, each on their group's curve."""
    now = curves.at(group, tenure)
    later = curves.at(group, tenure + horizon)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(now > 0, 1.0 - later / np.where(now > 0, now, 1.0), 1.0)


def _intervals(p: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`interval` of every team at once: teams are the segments [start, start + length) of `p`."""
    low = np.zeros(lengths.size, dtype=np.int64)
    high = np.zeros(lengths.size, dtype=np.int64)
    for width, teams in _buckets(lengths):
        columns = np.arange(width)
        index = starts[teams][:, None] + columns
        valid = columns < lengths[teams][:, None]
        matrix = np.where(valid, p[np.where(valid, index, 0)], 0.0)
        pmf = np.zeros((teams.size, width + 1))
        pmf[:, 0] = 1.0
        for j in range(width):  # the Poisson-binomial recursion, one trial (a column) for all teams at once
            q = matrix[:, j : j + 1]
            shifted = np.concatenate([np.zeros((teams.size, 1)), pmf[:, :-1] * q], axis=1)
            pmf = pmf * (1.0 - q) + shifted
        cdf = np.cumsum(pmf, axis=1)
        low[teams] = np.argmax(cdf >= LOW_QUANTILE - _TOLERANCE, axis=1)
        high[teams] = np.argmax(cdf >= HIGH_QUANTILE - _TOLERANCE, axis=1)
    return low, high


def _segment_sums(values: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    sums = np.zeros(lengths.size)
    nonempty = lengths > 0
    if nonempty.any():
        sums[nonempty] = np.add.reduceat(values, starts[nonempty])
    return sums


def _survival_groups(
    people: _People, vendors: np.ndarray, day: datetime.date
) -> tuple[_Curves, np.ndarray, np.ndarray]:
    """One fit for every vendor asked and for everyone (the pooled curve, the last group number); for each
    entry of `vendors` its group (its own when the vendor has POOL_BELOW departures by `day`, else the pooled
    one) and whether that is the pooled one."""
    d = day.toordinal()
    known = people.hire <= d
    vendor, hire, left = people.vendor[known], people.hire[known], people.left[known]
    events = left <= d
    durations = np.where(events, left - hire, d - hire)
    wanted = np.unique(vendors)
    position = np.searchsorted(wanted, vendor)
    mine = (position < wanted.size) & (wanted[np.clip(position, 0, wanted.size - 1)] == vendor)
    departures = np.bincount(position[mine & events], minlength=wanted.size)
    pooled_group = wanted.size
    # the vendors' own people under their own group number, and everyone once more under the pooled one
    group = np.concatenate([position[mine], np.full(vendor.size, pooled_group)]).astype(np.int64)
    curves = _Curves.fit(group, np.concatenate([durations[mine], durations]), np.concatenate([events[mine], events]))
    own = departures >= POOL_BELOW
    group_of_wanted = np.where(own, np.arange(wanted.size), pooled_group)
    group_of = group_of_wanted[np.searchsorted(wanted, vendors)]
    return curves, group_of, group_of == pooled_group


def forecast_teams(
    engagement_ids: Sequence[int], day: datetime.date, *, people: _People | None = None, path: bool = False
) -> dict[int, TeamForecast]:
    """The forecast of every listed engagement's team on `day`, in a fixed number of queries, set-based: one
    Kaplan–Meier fit for all vendors together, every person's probabilities and every team's interval as
    array operations (no loop over teams or vendors).

    `path=True` also gives each team's expected leavers with the band at each month end (for the chart).
    """
    engagement_ids = list(engagement_ids)
    rows = _team_rows(engagement_ids, day)
    required = dict(Engagement.objects.filter(pk__in=engagement_ids).values_list("pk", "required_team_size"))
    result = {
        pk: TeamForecast(engagement_id=pk, as_of=day, pooled=False, required_size=required.get(pk))
        for pk in engagement_ids
    }
    team: list[tuple[Any, ...]] = []
    for row in rows:  # rows are ordered by team and person: a person's second place counts once
        if not team or team[-1][:2] != row[:2]:
            team.append(row)
    horizons = HORIZONS + (PATH_DAYS if path else ())
    if team:
        n, d = len(team), day.toordinal()
        engagement = np.fromiter((r[0] for r in team), dtype=np.int64, count=n)
        vendors = np.fromiter((r[2] for r in team), dtype=np.int64, count=n)
        key = np.fromiter((bool(r[4]) for r in team), dtype=bool, count=n)
        tenure = np.fromiter((d - r[5].toordinal() for r in team), dtype=np.int64, count=n)
        people = people or _People.load(day)
        curves, group, pooled_row = _survival_groups(people, vendors, day)
        teams, starts, lengths = np.unique(engagement, return_index=True, return_counts=True)
        pooled = _segment_sums(pooled_row.astype(float), starts, lengths) > 0
        figures: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
        for h in horizons:
            p = _leave_probabilities(curves, group, tenure, h)
            low, high = _intervals(p, starts, lengths)
            key_sums = _segment_sums(np.where(key, p, 0.0), starts, lengths)
            figures[h] = (p, _segment_sums(p, starts, lengths), low, high, key_sums)
        for i, (pk, start, length) in enumerate(zip(teams.tolist(), starts.tolist(), lengths.tolist(), strict=True)):
            forecast = result[pk]
            forecast.pooled = bool(pooled[i])
            forecast.members = [
                MemberForecast(
                    member_id=team[j][1],
                    full_name=team[j][3],
                    key_person=bool(team[j][4]),
                    tenure_days=int(tenure[j]),
                    leave_probability={h: float(figures[h][0][j]) for h in HORIZONS},
                )
                for j in range(start, start + length)
            ]
            made = {
                h: HorizonForecast(
                    days=h,
                    expected=float(figures[h][1][i]),
                    low=int(figures[h][2][i]),
                    high=int(figures[h][3][i]),
                    key_expected=float(figures[h][4][i]),
                )
                for h in horizons
            }
            forecast.horizons = [made[h] for h in HORIZONS]
            forecast.path = [made[h] for h in PATH_DAYS] if path else []
    for forecast in result.values():
        if not forecast.horizons:
            forecast.horizons = [HorizonForecast(h, 0.0, 0, 0, 0.0) for h in HORIZONS]
            forecast.path = [HorizonForecast(h, 0.0, 0, 0, 0.0) for h in PATH_DAYS] if path else []
    return result


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
