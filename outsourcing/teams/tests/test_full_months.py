"""Tenure counts complete calendar months, with the labour-law convention at month ends and leap days."""

import datetime

import pytest

from outsourcing.teams.eligibility import full_months

D = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (D(2024, 1, 15), D(2024, 2, 14), 0),
        (D(2024, 1, 15), D(2024, 2, 15), 1),
        (D(2023, 1, 31), D(2023, 2, 28), 1),
        (D(2023, 1, 31), D(2023, 2, 27), 0),
        (D(2024, 1, 31), D(2024, 2, 29), 1),
        (D(2024, 1, 31), D(2024, 2, 28), 0),
        (D(2024, 2, 29), D(2025, 2, 28), 12),
        (D(2024, 2, 29), D(2025, 2, 27), 11),
        (D(2023, 3, 10), D(2024, 3, 10), 12),
        (D(2023, 3, 10), D(2024, 3, 9), 11),
        (D(2024, 5, 5), D(2024, 5, 5), 0),
    ],
)
def test_it_counts_complete_months(start, end, months):
    assert full_months(start, end) == months
