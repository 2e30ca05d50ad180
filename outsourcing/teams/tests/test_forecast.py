"""Team attrition forecast (SPEC "Attrition forecast"): leave probabilities, the Poisson-binomial interval,
pooling, the API, and the backtest against what really happened."""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np
import pytest

from outsourcing.teams.forecast import (
    POOL_BELOW,
    Curve,
    backtest,
    backtest_days,
    forecast_team,
    forecast_teams,
    interval,
    leave_probabilities,
    poisson_binomial,
)
from outsourcing.teams.models import TeamAssignment

D = datetime.date
DAY = datetime.timedelta(days=1)
AS_OF = D(2026, 6, 30)
TEAM_START = D(2024, 1, 1)


def curve(times: list[int], survival: list[float], pooled: bool = False) -> Curve:
    return Curve(times=np.array(times, dtype=np.int64), survival=np.array(survival), pooled=pooled)


# --- the arithmetic, by hand --------------------------------------------------------------------------------------

KNOWN = curve([100, 200, 400], [0.8, 0.6, 0.3])  # S = 1 before 100, 0.8 on [100, 200), 0.6 on [200, 400), 0.3 after


def test_leave_probability_by_hand_over_91_days():
    """t = 50: 1 − S(141)/S(50) = 1 − 0.8/1 = 0.2; t = 150: 1 − S(241)/S(150) = 1 − 0.6/0.8 = 0.25;
    t = 450: nobody leaves after day 400, so 0."""
    p = leave_probabilities(KNOWN, np.array([50, 150, 450]), 91)
    assert p == pytest.approx([0.2, 0.25, 0.0])


def test_leave_probability_by_hand_over_365_days():
    """t = 50: 1 − S(415) = 0.7; t = 150: 1 − 0.3/0.8 = 0.625; t = 450: 0."""
    p = leave_probabilities(KNOWN, np.array([50, 150, 450]), 365)
    assert p == pytest.approx([0.7, 0.625, 0.0])


def test_the_curve_is_right_continuous_at_an_event_time():
    """S(100) already counts the departures at day 100: from t = 100, 1 − S(200)/S(100) = 1 − 0.6/0.8."""
    assert leave_probabilities(KNOWN, np.array([100]), 100) == pytest.approx([0.25])
    assert leave_probabilities(KNOWN, np.array([99]), 1) == pytest.approx([0.2])
    assert leave_probabilities(KNOWN, np.array([98]), 1) == pytest.approx([0.0])


def test_a_tenure_nobody_ever_stayed_means_leaving_for_certain():
    everyone_left = curve([100], [0.0])
    assert leave_probabilities(everyone_left, np.array([150, 20]), 91) == pytest.approx([1.0, 1.0])


def test_an_empty_curve_means_nobody_leaves():
    assert leave_probabilities(curve([], []), np.array([10, 1000]), 365) == pytest.approx([0.0, 0.0])


def test_poisson_binomial_by_hand():
    """p = 0.2, 0.25, 0: P(0) = 0.8 × 0.75 = 0.6, P(1) = 0.2 × 0.75 + 0.8 × 0.25 = 0.35, P(2) = 0.05."""
    assert poisson_binomial([0.2, 0.25, 0.0]) == pytest.approx([0.6, 0.35, 0.05, 0.0])


@pytest.mark.parametrize(
    ("probabilities", "expected"),
    [
        ([0.2, 0.25, 0.0], (0, 1)),  # cdf 0.6, 0.95
        ([0.7, 0.625, 0.0], (0, 2)),  # cdf 0.1125, 0.5625, 1
        ([0.9], (0, 1)),  # P(N ≤ 0) = 0.10 exactly reaches the low quantile
        ([0.5, 0.5], (0, 2)),  # cdf 0.25, 0.75: 0.90 first reached at 2
        ([0.95, 0.95], (2, 2)),  # P(N ≤ 1) = 0.0025 + 2 × 0.95 × 0.05 = 0.0975, just below 0.10
        ([], (0, 0)),
    ],
)
def test_the_80_percent_interval(probabilities, expected):
    assert interval(probabilities) == expected


# --- from the database ------------------------------------------------------------------------------------------


@pytest.fixture
def place() -> Any:
    def make(engagement: Any, member: Any, *, key: bool = False, start: D = TEAM_START, **fields: Any) -> Any:
        return TeamAssignment.objects.create(
            engagement=engagement, member=member, role="Engineer", key_person=key, start_date=start, **fields
        )

    return make


def _leavers(person: Any, vendor: Any, count: int, *, hired: D, stayed_days: int) -> None:
    for i in range(count):
        person(vendor, full_name=f"Leaver {i}", hire_date=hired, left_date=hired + stayed_days * DAY, contract=False)


def _team_of_three(person: Any, place: Any, engagement: Any) -> list[Any]:
    people = [
        person(engagement.vendor, full_name="A new", hire_date=AS_OF - 50 * DAY, contract=False),
        person(engagement.vendor, full_name="B middle", hire_date=AS_OF - 150 * DAY, contract=False),
        person(engagement.vendor, full_name="C senior", hire_date=AS_OF - 450 * DAY, contract=False),
    ]
    for i, member in enumerate(people):
        place(engagement, member, key=(i == 0))
    return people


def test_a_team_of_three_worked_by_hand(person, place, engagement_a):
    """20 people left after exactly 100 days; the three on the team are censored at 50, 150 and 450 days.

    At day 100, 22 are at risk (the one at 50 days is not) and 20 leave: S(100) = 2/22 = 1/11, and nothing
    happens after. So the newcomer (t = 50) leaves within 91 days with 1 − (1/11)/1 = 10/11; the others,
    already past day 100, with 0. The vendor has 20 departures: its own curve, not pooled.
    """
    _leavers(person, engagement_a.vendor, POOL_BELOW, hired=D(2024, 1, 1), stayed_days=100)
    newcomer, middle, senior = _team_of_three(person, place, engagement_a)
    forecast = forecast_team(engagement_a.pk, AS_OF)
    assert forecast.pooled is False
    by_member = {m.member_id: m.leave_probability for m in forecast.members}
    assert by_member[newcomer.pk][91] == pytest.approx(10 / 11)
    assert by_member[newcomer.pk][365] == pytest.approx(10 / 11)
    assert by_member[middle.pk] == {91: 0.0, 182: 0.0, 365: 0.0}
    assert by_member[senior.pk][365] == 0.0
    h91 = forecast.horizon(91)
    assert h91.expected == pytest.approx(10 / 11)
    assert (h91.low, h91.high) == (1, 1)  # P(N = 0) = 1/11 < 0.10: even the low end has one leaving
    assert h91.key_expected == pytest.approx(10 / 11)  # the newcomer is the key person


def test_fewer_than_20_departures_pool_all_vendors(person, place, engagement_a, vendor_b):
    """Vendor A has 19 departures: its forecast uses everyone's people (A's and B's) and says so."""
    _leavers(person, engagement_a.vendor, POOL_BELOW - 1, hired=D(2024, 1, 1), stayed_days=100)
    _leavers(person, vendor_b, 5, hired=D(2024, 1, 1), stayed_days=300)
    newcomer, *_ = _team_of_three(person, place, engagement_a)
    forecast = forecast_team(engagement_a.pk, AS_OF)
    assert forecast.pooled is True
    # Pooled at risk at 100: A's 19 leavers, B's 5, and A's people at 150 and 450 = 26; 19 leave → S = 7/26.
    # At 300: at risk are B's 5 and A's 450-day person = 6; 5 leave → S = 7/26 × 1/6.
    p = {m.member_id: m.leave_probability for m in forecast.members}[newcomer.pk]
    assert p[91] == pytest.approx(1 - 7 / 26)
    assert p[365] == pytest.approx(1 - 7 / 26 / 6)


def test_only_people_on_the_vendor_side_on_the_day_and_employed_count(person, place, engagement_a):
    _leavers(person, engagement_a.vendor, POOL_BELOW, hired=D(2024, 1, 1), stayed_days=100)
    on_team = person(engagement_a.vendor, full_name="On team", hire_date=D(2025, 1, 1), contract=False)
    left_company = person(
        engagement_a.vendor, full_name="Left", hire_date=D(2025, 1, 1), left_date=AS_OF, contract=False
    )
    off_team = person(engagement_a.vendor, full_name="Off team", hire_date=D(2025, 1, 1), contract=False)
    later = person(engagement_a.vendor, full_name="Later", hire_date=D(2025, 1, 1), contract=False)
    place(engagement_a, on_team)
    place(engagement_a, on_team, start=D(2025, 2, 1))  # a second place of the same person counts once
    place(engagement_a, left_company)
    place(engagement_a, off_team, end_date=AS_OF - DAY)
    place(engagement_a, later, start=AS_OF + DAY)
    forecast = forecast_team(engagement_a.pk, AS_OF)
    assert [m.member_id for m in forecast.members] == [on_team.pk]


def test_an_empty_team_expects_nobody_to_leave(engagement_a):
    forecast = forecast_team(engagement_a.pk, AS_OF)
    assert forecast.members == []
    assert [(h.days, h.expected, h.low, h.high) for h in forecast.horizons] == [
        (91, 0.0, 0, 0),
        (182, 0.0, 0, 0),
        (365, 0.0, 0, 0),
    ]


def test_the_portfolio_forecast_agrees_with_each_team_and_takes_flat_queries(
    person, place, engagement_a, engagement_b, django_assert_max_num_queries
):
    _leavers(person, engagement_a.vendor, POOL_BELOW, hired=D(2024, 1, 1), stayed_days=100)
    _team_of_three(person, place, engagement_a)
    place(engagement_b, person(engagement_b.vendor, full_name="B one", hire_date=D(2026, 5, 1), contract=False))
    with django_assert_max_num_queries(3):  # the teams' people, everyone's dates, the required team sizes
        both = forecast_teams([engagement_a.pk, engagement_b.pk], AS_OF)
    for pk in (engagement_a.pk, engagement_b.pk):
        assert both[pk].as_dict() == forecast_team(pk, AS_OF).as_dict()


def test_survival_agrees_with_lifelines(person, place, engagement_a):
    """S from our Kaplan–Meier against lifelines' KaplanMeierFitter on a random workforce with ties."""
    lifelines = pytest.importorskip("lifelines")
    rng = np.random.default_rng(7)
    vendor = engagement_a.vendor
    durations, events = [], []
    for i in range(120):
        hired = AS_OF - int(rng.integers(30, 1500)) * DAY
        stays = int(rng.integers(20, 1400)) // 10 * 10  # multiples of 10 days: many ties
        left = hired + stays * DAY if hired + stays * DAY <= AS_OF else None
        member = person(vendor, full_name=f"P{i}", hire_date=hired, left_date=left, contract=False)
        durations.append((left or AS_OF).toordinal() - hired.toordinal())
        events.append(left is not None)
        if left is None and i % 3 == 0:
            place(engagement_a, member)
    fitter = lifelines.KaplanMeierFitter().fit(durations, event_observed=events)
    forecast = forecast_team(engagement_a.pk, AS_OF)
    assert forecast.pooled is False and forecast.members
    for member in forecast.members:
        t = member.tenure_days
        for h in (91, 182, 365):
            now, later = fitter.survival_function_at_times([t, t + h]).to_numpy()
            expected = 1.0 if now == 0 else 1 - later / now
            assert member.leave_probability[h] == pytest.approx(expected, abs=1e-12)


# --- the API ----------------------------------------------------------------------------------------------------


def test_the_api_answers_the_contract_shape(api, vendor_a_user, person, place, engagement_a):
    _leavers(person, engagement_a.vendor, POOL_BELOW, hired=D(2024, 1, 1), stayed_days=100)
    newcomer, *_ = _team_of_three(person, place, engagement_a)
    response = api(vendor_a_user).get(f"/engagements/{engagement_a.pk}/attrition-forecast", as_of="2026-06-30")
    assert response.status_code == 200
    body = response.json()
    assert body["as_of"] == "2026-06-30" and body["pooled"] is False
    assert [h["days"] for h in body["horizons"]] == [91, 182, 365]
    assert body["horizons"][0]["expected"] == pytest.approx(10 / 11)
    first = next(m for m in body["members"] if m["member_id"] == newcomer.pk)
    assert set(first["leave_probability"]) == {"91", "182", "365"}


def test_another_vendor_sees_no_forecast(api, vendor_b_user, engagement_a):
    assert api(vendor_b_user).get(f"/engagements/{engagement_a.pk}/attrition-forecast").status_code == 404


def test_a_bad_date_is_named(api, manager, engagement_a):
    response = api(manager).get(f"/engagements/{engagement_a.pk}/attrition-forecast", as_of="2026-02-30")
    assert response.status_code == 422
    assert "as_of" in response.content.decode()


# --- the backtest -----------------------------------------------------------------------------------------------


def test_backtest_days_are_month_starts_whose_outcome_is_known():
    days = backtest_days(D(2026, 11, 30), 365, 3)
    assert days == [D(2025, 9, 1), D(2025, 10, 1), D(2025, 11, 1)]
    assert all(day + 365 * DAY <= D(2026, 11, 30) for day in days)


def test_backtest_compares_forecasts_with_who_left(api, manager, vendor_b_user, person, place, engagement_a):
    """Two people hired on 2023-01-01; on each forecast day they are judged by what was known then.

    Twenty people left after 100 days long ago (so the curve says nobody past day 100 leaves): the forecast says
    0 for the team. But one of them really leaves during the year after: the backtest shows 1 actual
    departure against 0 predicted — an honest miss the owner can see.
    """
    _leavers(person, engagement_a.vendor, POOL_BELOW, hired=D(2020, 1, 1), stayed_days=100)
    stays = person(engagement_a.vendor, full_name="Stays", hire_date=D(2023, 1, 1), contract=False)
    goes = person(engagement_a.vendor, full_name="Goes", hire_date=D(2023, 1, 1), left_date=D(2025, 6, 1))
    place(engagement_a, stays, start=D(2023, 1, 1))
    place(engagement_a, goes, start=D(2023, 1, 1))
    result = backtest([engagement_a.vendor_id], D(2025, 11, 30), horizon=182, months=3)
    assert result.forecast_days == [D(2025, 4, 1), D(2025, 5, 1), D(2025, 6, 1)]
    # On 04-01 and 05-01 both are employed (2 forecasts each); on 06-01 'Goes' has left: 1 forecast.
    assert result.forecasts == 5
    assert result.predicted == pytest.approx(0.0)
    assert result.actual == 2  # 'Goes' left within 182 days of 04-01 and of 05-01
    assert sum(d.forecasts for d in result.deciles) == 5
    # The API looks back 12 month starts, 2024-07-01 … 2025-06-01: two forecasts on each but the last (23);
    # 'Goes' left within 182 days of each month start from 2024-12-01 on (6).
    body = api(manager).get("/attrition-forecast/backtest", horizon=182, as_of="2025-11-30").json()
    assert (body["forecasts"], body["actual"]) == (23, 6)
    theirs = api(vendor_b_user).get("/attrition-forecast/backtest", horizon=182, as_of="2025-11-30").json()
    assert theirs["forecasts"] == 0  # B's user is shown only B's people: none


def test_backtest_horizon_is_bounded(api, manager):
    response = api(manager).get("/attrition-forecast/backtest", horizon=0)
    assert response.status_code == 422
    assert "horizon" in response.content.decode()


# --- the pages --------------------------------------------------------------------------------------------------


def test_the_forecast_page_shows_the_figures_and_the_chart(web, manager, person, place, engagement_a):
    _leavers(person, engagement_a.vendor, POOL_BELOW, hired=D(2024, 1, 1), stayed_days=100)
    _team_of_three(person, place, engagement_a)
    page = web(manager).get(f"/teams/engagements/{engagement_a.pk}/team/forecast", {"as_of": "2026-06-30"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "0.9" in html and "1–1" in html  # 10/11 expected within 3 months, interval 1–1
    assert "<svg" in html and "A new" in html
    assert "Calls for attention" in html  # 0.9 of 3 people within a year is more than 15 %


def test_the_team_page_loads_the_forecast_panel(web, manager, engagement_a):
    html = web(manager).get(f"/teams/engagements/{engagement_a.pk}/team").content.decode()
    assert f"/teams/engagements/{engagement_a.pk}/team/forecast" in html
    panel = web(manager).get(f"/teams/engagements/{engagement_a.pk}/team/forecast", headers={"HX-Request": "true"})
    assert "<html" not in panel.content.decode() and "attrition-forecast" in panel.content.decode()


def test_another_vendor_gets_404_on_the_forecast_page(web, vendor_b_user, engagement_a):
    assert web(vendor_b_user).get(f"/teams/engagements/{engagement_a.pk}/team/forecast").status_code == 404


def test_the_backtest_page(web, manager, person, place, engagement_a):
    _leavers(person, engagement_a.vendor, POOL_BELOW, hired=D(2020, 1, 1), stayed_days=100)
    stays = person(engagement_a.vendor, full_name="Stays", hire_date=D(2023, 1, 1), contract=False)
    place(engagement_a, stays, start=D(2023, 1, 1))
    page = web(manager).get("/teams/forecast/backtest", {"horizon": "182"})
    assert page.status_code == 200
    assert "Calibration by decile" in page.content.decode()


# --- against the size the engagement needs ----------------------------------------------------------------------


def _steady_team(person: Any, place: Any, engagement: Any) -> Any:
    """20 seniors (450 days: past every departure, so they stay for certain) and one newcomer (50 days, not a
    key person). At day 100 the 20 leavers and the 20 seniors are at risk and 20 leave: S(100) = 1/2, and
    nothing happens after, so the newcomer leaves within any horizon with 1/2. Half a leaver of 21 is well
    under 15 %, so only the required size can make this team call for attention."""
    _leavers(person, engagement.vendor, POOL_BELOW, hired=D(2024, 1, 1), stayed_days=100)
    for i in range(20):
        place(engagement, person(engagement.vendor, full_name=f"S{i:02d}", hire_date=AS_OF - 450 * DAY, contract=False))
    newcomer = person(engagement.vendor, full_name="New", hire_date=AS_OF - 50 * DAY, contract=False)
    place(engagement, newcomer)
    return newcomer


@pytest.mark.parametrize(("required", "short"), [(None, False), (19, False), (20, False), (21, True), (22, True)])
def test_headcount_against_the_required_size_worked_by_hand(person, place, engagement_a, required, short):
    """Headcount after h = 21 − 1/2 expected leavers = 20.5; the 80 % band of leavers is 0–1 (P(N = 0) = 1/2
    reaches 0.10, 0.90 only at N ≤ 1), so the headcount band is 20–21 at every horizon: a team that needs 20 is
    fine (the low end equals it), one that needs 21 (today's size) may fall below it and calls for attention."""
    _steady_team(person, place, engagement_a)
    engagement_a.required_team_size = required
    engagement_a.save()
    forecast = forecast_team(engagement_a.pk, AS_OF)
    assert forecast.size == 21 and forecast.required_size == required
    for headcount in forecast.headcounts:
        assert headcount.expected == pytest.approx(20.5)
        assert (headcount.low, headcount.high) == (20, 21)
        assert headcount.below_required is (None if required is None else short)
    assert forecast.short_of_required is short
    assert forecast.calls_for_attention is short


def test_today_below_the_required_size_calls_for_attention_even_empty(engagement_a):
    engagement_a.required_team_size = 1
    engagement_a.save()
    forecast = forecast_team(engagement_a.pk, AS_OF)
    assert forecast.size == 0 and forecast.short_of_required and forecast.calls_for_attention


def test_the_required_size_is_set_through_the_api_bounded_and_audited(api, manager, person, place, engagement_a):
    from auditlog.models import LogEntry

    rest = api(manager)
    for bad in (0, -1, 100_001):
        response = rest.patch(f"/engagements/{engagement_a.pk}", {"required_team_size": bad})
        assert response.status_code == 422 and "required_team_size" in response.content.decode()
    assert rest.get(f"/engagements/{engagement_a.pk}").json()["required_team_size"] is None
    assert rest.patch(f"/engagements/{engagement_a.pk}", {"required_team_size": 21}).status_code == 200
    entry = LogEntry.objects.get_for_object(engagement_a).order_by("-timestamp").first()
    assert entry is not None and "required_team_size" in entry.changes_dict
    _steady_team(person, place, engagement_a)
    body = rest.get(f"/engagements/{engagement_a.pk}/attrition-forecast", as_of="2026-06-30").json()
    assert (body["team_size"], body["required_team_size"]) == (21, 21)
    assert body["short_of_required"] is True and body["calls_for_attention"] is True
    year = body["horizons"][2]
    assert year["headcount_expected"] == pytest.approx(20.5)
    assert (year["headcount_low"], year["headcount_high"], year["below_required"]) == (20, 21, True)
    assert rest.patch(f"/engagements/{engagement_a.pk}", {"required_team_size": None}).status_code == 200
    body = rest.get(f"/engagements/{engagement_a.pk}/attrition-forecast", as_of="2026-06-30").json()
    assert body["required_team_size"] is None and body["horizons"][2]["below_required"] is None


def test_the_forecast_panel_compares_with_the_required_size(web, manager, person, place, engagement_a):
    _steady_team(person, place, engagement_a)
    engagement_a.required_team_size = 21
    engagement_a.save()
    html = web(manager).get(f"/teams/engagements/{engagement_a.pk}/team/forecast", {"as_of": "2026-06-30"}).content
    html = html.decode()
    assert "The engagement needs 21 people on the team; 21 are on it today" in html
    assert "Below the size needed" in html and "Calls for attention" in html
    assert html.count("data-below-required") == 3


# --- set-based: the portfolio at once equals each vendor and team on its own -------------------------------------


def test_the_vectorised_forecast_equals_the_one_team_arithmetic(person, place, vendor_a, vendor_b):
    """Random vendors (two with their own curve, one pooled), teams of 1 to 40 people with a few on two teams:
    every figure equals `leave_probabilities` on each vendor's own `kaplan_meier` curve and `interval` on each
    team alone (the definitions the hand-worked tests pin)."""
    from outsourcing.engagements.models import Engagement
    from outsourcing.teams.forecast import HORIZONS, _People
    from outsourcing.vendors.models import Vendor

    rng = np.random.default_rng(3)
    small = Vendor.objects.create(name="Small", registration_number="R-SMALL", country="CN")
    vendors = [vendor_a, vendor_b, small]
    staff: dict[int, list[Any]] = {}
    for vendor, people, leave_rate in ((vendor_a, 160, 0.5), (vendor_b, 90, 0.4), (small, 25, 0.2)):
        for i in range(people):
            hired = AS_OF - int(rng.integers(1, 2500)) * DAY
            stays = int(rng.integers(1, 2000)) // 7 * 7 + 1  # ties
            left = hired + stays * DAY if rng.random() < leave_rate and hired + stays * DAY <= AS_OF else None
            member = person(vendor, full_name=f"{vendor.pk}-{i}", hire_date=hired, left_date=left, contract=False)
            if left is None:
                staff.setdefault(vendor.pk, []).append(member)
    engagements = []
    for k in range(12):
        vendor = vendors[k % 3]
        engagement = Engagement.objects.create(
            code=f"V-{k}", title=f"V {k}", form="service", vendor=vendor, start_date=D(2020, 1, 1)
        )
        engagements.append(engagement)
        size = min(len(staff[vendor.pk]), int(rng.integers(1, 41)))
        for index, member in enumerate(rng.choice(staff[vendor.pk], size=size, replace=False)):
            place(engagement, member, key=bool(index % 5 == 0))
    forecasts = forecast_teams([e.pk for e in engagements], AS_OF)
    people = _People.load(AS_OF)
    curves = people.curves([v.pk for v in vendors], AS_OF)
    assert [curves[v.pk].pooled for v in vendors] == [False, False, True]
    for engagement in engagements:
        forecast = forecasts[engagement.pk]
        assert forecast.members and forecast.pooled is curves[engagement.vendor_id].pooled
        tenure = np.array([m.tenure_days for m in forecast.members])
        key = np.array([m.key_person for m in forecast.members])
        for h in HORIZONS:
            p = leave_probabilities(curves[engagement.vendor_id], tenure, h)
            assert [m.leave_probability[h] for m in forecast.members] == pytest.approx(p.tolist(), abs=1e-12)
            mine = forecast.horizon(h)
            assert mine.expected == pytest.approx(p.sum(), abs=1e-9)
            assert mine.key_expected == pytest.approx(p[key].sum(), abs=1e-9)
            assert (mine.low, mine.high) == interval(p)
