"""Field scores → weighted means over groups of fields (dimensions, axes), with coverage.

Methodology §4: a group's score is the weighted mean of its answered field scores, reported only
when the answered weight reaches the coverage threshold of the applicable weight ("not
applicable" fields leave both). Computed as matrix products: units x fields times fields x groups.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from barometre.scoring.consolidate import FieldMatrix

#: Coverage is compared with a tolerance so that 13/20 counts as 65 % despite binary rounding.
COVERAGE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class GroupScores:
    score: pd.DataFrame  # units x groups, NaN where coverage is insufficient
    coverage: pd.DataFrame  # units x groups, share of applicable weight answered (NaN if none)
    answered_weight: pd.DataFrame  # units x groups, weight of the answered fields


def membership(fields: pd.DataFrame, column: str, groups: list[str]) -> pd.DataFrame:
    """Fields x groups matrix holding each field's weight in its group."""
    matrix = np.zeros((len(fields), len(groups)))
    position = pd.Index(groups).get_indexer(pd.Index(fields[column]))
    inside = position >= 0
    matrix[np.flatnonzero(inside), position[inside]] = fields["weight"].to_numpy()[inside]
    return pd.DataFrame(matrix, index=fields.index, columns=groups)


def group_scores(matrix: FieldMatrix, weights: pd.DataFrame, threshold: float) -> GroupScores:
    """Weighted mean and coverage of each group (a column of `weights`) for each unit."""
    w = weights.reindex(matrix.score.columns).to_numpy()
    values, answered, applicable = matrix.terms
    answered_weight = answered @ w
    applicable_weight = applicable @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        coverage = np.where(applicable_weight > 0, answered_weight / applicable_weight, np.nan)
        score = (values @ w) / answered_weight
    enough = coverage >= threshold - COVERAGE_TOLERANCE
    index, columns = matrix.score.index, weights.columns
    return GroupScores(
        score=pd.DataFrame(np.where(enough, score, np.nan), index=index, columns=columns),
        coverage=pd.DataFrame(coverage, index=index, columns=columns),
        answered_weight=pd.DataFrame(answered_weight, index=index, columns=columns),
    )
