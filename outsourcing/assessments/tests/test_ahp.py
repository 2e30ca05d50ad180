"""AHP: weights from the principal eigenvector, consistency ratio with Saaty's random indices, and the
validation of the matrix — pinned against Saaty's published 3×3 example and at the edges."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import ValidationError

from outsourcing.assessments.ahp import derive_weights

SAATY = [[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]


def test_saatys_classic_example_gives_published_weights_and_cr() -> None:
    result = derive_weights(["cost", "quality", "delivery"], SAATY)
    assert result.weights["cost"] == pytest.approx(0.6370, abs=5e-5)
    assert result.weights["quality"] == pytest.approx(0.2583, abs=5e-5)
    assert result.weights["delivery"] == pytest.approx(0.1047, abs=5e-5)
    assert sum(result.weights.values()) == pytest.approx(1.0, abs=1e-12)
    assert result.lambda_max == pytest.approx(3.0385, abs=5e-5)
    assert result.consistency_ratio == pytest.approx(0.0332, abs=5e-4)
    assert result.consistent


def test_a_single_criterion_weighs_one_and_is_consistent() -> None:
    result = derive_weights(["only"], [[1]])
    assert result.weights == {"only": 1.0}
    assert result.consistency_ratio == 0.0


def test_two_criteria_always_have_cr_zero() -> None:
    result = derive_weights(["a", "b"], [[1, 4], [0.25, 1]])
    assert result.weights["a"] == pytest.approx(0.8)
    assert result.weights["b"] == pytest.approx(0.2)
    assert result.consistency_ratio == 0.0
    assert result.consistent


def test_ten_criteria_from_a_consistent_matrix_give_back_the_weights() -> None:
    truth = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    matrix = [[a / b for b in truth] for a in truth]
    result = derive_weights([f"c{i}" for i in range(10)], matrix)
    for i, w in enumerate(truth):
        assert result.weights[f"c{i}"] == pytest.approx(w / 55, abs=1e-9)
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-9)


def test_an_inconsistent_matrix_has_cr_above_the_limit() -> None:
    # a ≫ b, b ≫ c but c ≫ a: a circular judgement.
    result = derive_weights(["a", "b", "c"], [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])
    assert result.consistency_ratio > 0.10
    assert not result.consistent


def test_eleven_criteria_are_refused_naming_criteria() -> None:
    with pytest.raises(ValidationError) as exc:
        derive_weights([f"c{i}" for i in range(11)], [[1] * 11 for _ in range(11)])
    assert "criteria" in exc.value.message_dict


@pytest.mark.parametrize(
    ("criteria", "matrix", "field"),
    [
        (["a", "b"], [[1, 2], [0.4, 1]], "matrix"),  # not reciprocal
        (["a", "b"], [[1, 0], [0, 1]], "matrix"),  # zero
        (["a", "b"], [[1, -2], [-0.5, 1]], "matrix"),  # negative
        (["a", "b"], [[1, 2, 3], [0.5, 1, 1]], "matrix"),  # not square
        (["a", "b"], [[2, 2], [0.5, 1]], "matrix"),  # diagonal not 1
        (["a", "a"], [[1, 2], [0.5, 1]], "criteria"),  # duplicate names
        ([], [], "criteria"),
    ],
)
def test_invalid_input_is_refused_naming_the_field(criteria: list[str], matrix: list[list[float]], field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        derive_weights(criteria, matrix)
    assert field in exc.value.message_dict


def test_reciprocity_is_checked_within_one_millionth() -> None:
    derive_weights(["a", "b"], [[1, 3], [1 / 3 + 5e-7, 1]])
    with pytest.raises(ValidationError):
        derive_weights(["a", "b"], [[1, 3], [1 / 3 + 2e-6, 1]])


@pytest.mark.django_db
def test_api_returns_unrounded_weights_and_cr(api, manager) -> None:  # type: ignore[no-untyped-def]
    response = api(manager).post("/scoring/ahp", {"criteria": ["cost", "quality", "delivery"], "matrix": SAATY})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"weights", "consistency_ratio", "consistent"}
    assert body["weights"]["cost"] == pytest.approx(0.63698557, abs=1e-8)
    assert body["consistency_ratio"] == pytest.approx(0.0331992, abs=1e-7)
    assert body["consistent"] is True


@pytest.mark.django_db
def test_api_refuses_eleven_criteria_and_non_reciprocal_matrix_with_422(api, manager) -> None:  # type: ignore[no-untyped-def]
    client = api(manager)
    n = 11
    response = client.post("/scoring/ahp", {"criteria": [f"c{i}" for i in range(n)], "matrix": [[1] * n] * n})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "criteria"
    response = client.post("/scoring/ahp", {"criteria": ["a", "b"], "matrix": [[1, 2], [2, 1]]})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "matrix"


@pytest.mark.django_db
def test_api_reports_an_inconsistent_matrix_without_refusing_it(api, manager) -> None:  # type: ignore[no-untyped-def]
    body = (
        api(manager)
        .post(
            "/scoring/ahp",
            {"criteria": ["a", "b", "c"], "matrix": [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]},
        )
        .json()
    )
    assert body["consistent"] is False
    assert body["consistency_ratio"] > 0.10


def test_weights_do_not_depend_on_the_order_of_criteria() -> None:
    names = ["cost", "quality", "delivery"]
    base = derive_weights(names, SAATY).weights
    for perm in itertools.permutations(range(3)):
        matrix = [[SAATY[i][j] for j in perm] for i in perm]
        weights = derive_weights([names[i] for i in perm], matrix).weights
        for name in names:
            assert weights[name] == pytest.approx(base[name], abs=1e-12)
