"""Vendor stability: headcount, separations, turnover, average tenure and Kaplan–Meier retention."""

import datetime

import numpy as np
import pytest

from outsourcing.teams.stability import NEVER, compute, vendor_arrays

pytestmark = pytest.mark.django_db
D = datetime.date


def _people(person, vendor, pairs):
    for i, (hire, left) in enumerate(pairs):
        person(vendor, full_name=f"P{i}", hire_date=hire, left_date=left, contract=False)


def test_km_worked_example_by_hand(api, manager, vendor_a, person):
    """end = 2024-12-31. Durations (days): events 50, 100, 100, 400; censored 200, 500 and 800.

    At risk at 50: 7 → S = 6/7. At 100: 6 at risk, 2 leave → S = 6/7 × 4/6 = 4/7.
    At 400: at risk are 400, 500 and 800 → 3, 1 leaves → S = 4/7 × 2/3 = 8/21.
    S(90) = 6/7, S(180) = 4/7, S(365) = 4/7, S(730) = 8/21.
    """
    end = D(2024, 12, 31)
    base = D(2020, 1, 1)
    delta = datetime.timedelta
    pairs = [
        (base, base + delta(days=50)),
        (base, base + delta(days=100)),
        (base + delta(days=10), base + delta(days=110)),
        (base, base + delta(days=400)),
        (end - delta(days=200), None),
        (end - delta(days=500), None),
        (end - delta(days=800), None),
    ]
    _people(person, vendor_a, pairs)
    body = api(manager).get(f"/vendors/{vendor_a.pk}/stability", start="2024-01-01", end="2024-12-31").json()
    survival = {p["days"]: p["survival"] for p in body["retention"]}
    assert survival[90] == pytest.approx(6 / 7)
    assert survival[180] == pytest.approx(4 / 7)
    assert survival[365] == pytest.approx(4 / 7)
    assert survival[730] == pytest.approx(8 / 21)


def test_turnover_headcount_and_average_tenure(api, manager, vendor_a, person):
    _people(
        person,
        vendor_a,
        [
            (D(2023, 1, 1), None),  # employed throughout
            (D(2023, 6, 1), D(2024, 1, 1)),  # leaves on the start day: a separation, not in headcount_start
            (D(2023, 6, 1), D(2024, 12, 31)),  # leaves on the end day: a separation, not in headcount_end
            (D(2024, 3, 1), None),  # joins during the period
            (D(2025, 1, 1), None),  # hired after the end: ignored
        ],
    )
    body = api(manager).get(f"/vendors/{vendor_a.pk}/stability", start="2024-01-01", end="2024-12-31").json()
    assert body["headcount_start"] == 2
    assert body["headcount_end"] == 2
    assert body["separations"] == 2
    assert body["average_headcount"] == 2.0
    assert body["turnover_rate"] == 1.0
    expected_tenure = ((D(2024, 12, 31) - D(2023, 1, 1)).days + (D(2024, 12, 31) - D(2024, 3, 1)).days) / 2
    assert body["average_tenure_days"] == expected_tenure


def test_turnover_is_unrounded(api, manager, vendor_a, person):
    _people(person, vendor_a, [(D(2020, 1, 1), None), (D(2020, 1, 1), None), (D(2020, 1, 1), D(2024, 6, 1))])
    body = api(manager).get(f"/vendors/{vendor_a.pk}/stability", start="2024-01-01", end="2024-12-31").json()
    assert body["average_headcount"] == 2.5
    assert body["turnover_rate"] == 1 / 2.5


def test_no_people_gives_no_data_not_an_error(api, manager, vendor_a):
    body = api(manager).get(f"/vendors/{vendor_a.pk}/stability", start="2024-01-01", end="2024-12-31").json()
    assert body["headcount_start"] == 0 and body["headcount_end"] == 0
    assert body["turnover_rate"] is None
    assert body["average_tenure_days"] is None
    assert body["retention"] == [
        {"days": 90, "survival": None},
        {"days": 180, "survival": None},
        {"days": 365, "survival": None},
        {"days": 730, "survival": None},
    ]


def test_a_period_after_everyone_left_has_zero_headcount_and_no_turnover(api, manager, vendor_a, person):
    _people(person, vendor_a, [(D(2020, 1, 1), D(2021, 1, 1))])
    body = api(manager).get(f"/vendors/{vendor_a.pk}/stability", start="2023-01-01", end="2023-12-31").json()
    assert body["average_headcount"] == 0
    assert body["turnover_rate"] is None
    assert body["average_tenure_days"] is None


def test_start_after_end_is_refused(api, manager, vendor_a):
    response = api(manager).get(f"/vendors/{vendor_a.pk}/stability", start="2024-02-01", end="2024-01-01")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "start"


def test_vendor_arrays_are_the_databases_day_numbers(vendor_a, person):
    """The database's day numbers equal date.toordinal() (leap days, month ends); still employed → NEVER; people
    hired after the end are not read."""
    _people(person, vendor_a, [(D(2024, 2, 29), None), (D(2023, 12, 31), D(2024, 3, 1)), (D(2025, 1, 1), None)])
    hire, left = vendor_arrays(vendor_a.pk, D(2024, 12, 31))
    assert sorted(zip(hire.tolist(), left.tolist(), strict=True)) == [
        (D(2023, 12, 31).toordinal(), D(2024, 3, 1).toordinal()),
        (D(2024, 2, 29).toordinal(), NEVER),
    ]
    figures = compute(np.array(hire), np.array(left), D(2024, 1, 1), D(2024, 12, 31))
    assert figures.separations == 1
