"""The Analytic Hierarchy Process: criterion weights from pairwise judgements (Saaty).

Pure functions, no Django models: the API, the comparison page and the tests all call `derive_weights`.
Weights are the principal eigenvector of the pairwise matrix normalised to sum 1; the consistency ratio
CR = CI / RI with CI = (λmax − n) / (n − 1) and Saaty's random indices; a matrix is consistent when
CR ≤ 0.10. Invalid input raises a Django ValidationError naming the field (`criteria` or `matrix`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_CRITERIA = 10
RECIPROCAL_TOLERANCE = 1e-6
CONSISTENCY_LIMIT = 0.10
# Saaty's random consistency indices for n = 3 … 10 (n ≤ 2 is always consistent).
RANDOM_INDEX = {3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49}


@dataclass(frozen=True)
class AhpResult:
    weights: dict[str, float]
    lambda_max: float
    consistency_index: float
    consistency_ratio: float

    @property
    def consistent(self) -> bool:
        return self.consistency_ratio <= CONSISTENCY_LIMIT


def _validate(criteria: Sequence[str], matrix: Sequence[Sequence[float]]) -> np.ndarray:
    names = [str(c).strip() for c in criteria]
    n = len(names)
    if n == 0:
        raise ValidationError({"criteria": _("Name at least one criterion.")})
    if n > MAX_CRITERIA:
        raise ValidationError(
            {
                "criteria": _("At most %(max)d criteria can be compared; %(n)d were given.")
                % {"max": MAX_CRITERIA, "n": n}
            }
        )
    if any(not name for name in names):
        raise ValidationError({"criteria": _("Every criterion needs a name.")})
    if len(set(names)) != n:
        raise ValidationError({"criteria": _("Criterion names must be unique.")})
    if len(matrix) != n or any(len(row) != n for row in matrix):
        raise ValidationError(
            {
                "matrix": _("The matrix must be square with one row and one column per criterion (%(n)d × %(n)d).")
                % {"n": n}
            }
        )
    try:
        values = np.array([[float(v) for v in row] for row in matrix], dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"matrix": _("Every judgement must be a number.")}) from exc
    if not np.all(np.isfinite(values)) or np.any(values <= 0):
        raise ValidationError({"matrix": _("Every judgement must be a positive number.")})
    for i in range(n):
        if abs(values[i][i] - 1.0) > RECIPROCAL_TOLERANCE:
            raise ValidationError(
                {"matrix": _("The diagonal must be 1 (row %(row)d compares a criterion with itself).") % {"row": i + 1}}
            )
        for j in range(i + 1, n):
            if abs(values[j][i] - 1.0 / values[i][j]) > RECIPROCAL_TOLERANCE:
                raise ValidationError(
                    {
                        "matrix": _(
                            "The matrix must be reciprocal: cell (%(j)d, %(i)d) must be 1 ÷ cell (%(i)d, %(j)d)."
                        )
                        % {"i": i + 1, "j": j + 1}
                    }
                )
    return values


def derive_weights(criteria: Sequence[str], matrix: Sequence[Sequence[float]]) -> AhpResult:
    """Weights, λmax, CI and CR of a pairwise comparison matrix (unrounded)."""
    values = _validate(criteria, matrix)
    names = [str(c).strip() for c in criteria]
    n = len(names)
    eigenvalues, eigenvectors = np.linalg.eig(values)
    index = int(np.argmax(eigenvalues.real))
    lambda_max = float(eigenvalues[index].real)
    vector = np.abs(eigenvectors[:, index].real)
    weights = vector / vector.sum()
    if n <= 2:
        # A 1×1 or reciprocal 2×2 matrix is always perfectly consistent (λmax = n exactly).
        ci = cr = 0.0
        lambda_max = float(n)
    else:
        ci = (lambda_max - n) / (n - 1)
        cr = ci / RANDOM_INDEX[n]
        if math.isclose(cr, 0.0, abs_tol=1e-12):
            cr = 0.0
    return AhpResult(
        weights={name: float(w) for name, w in zip(names, weights, strict=True)},
        lambda_max=lambda_max,
        consistency_index=ci,
        consistency_ratio=cr,
    )
