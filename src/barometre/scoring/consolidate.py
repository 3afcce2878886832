"""Several respondents → one value per organisation and answer field.

Methodology §3: the organisation value of a field is the mean of its respondents' scores, unless
the field names a reference role (fact indicators) and someone of that role gave a figure: then
that role's figure counts. A field nobody scored is "not applicable" when every answer given was
NA, and missing otherwise (don't know, unanswered, or nobody of the roles asked).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from barometre.questionnaire.fields import FieldTables
from barometre.scoring.answers import DK, NA, SCORED


@dataclass(frozen=True)
class FieldMatrix:
    """Units (organisations or respondents) x scored fields.

    `score` holds the value where `answered`; `applicable` is False where the field is
    "not applicable" for the unit (it then leaves the denominators).
    """

    score: pd.DataFrame
    answered: pd.DataFrame
    applicable: pd.DataFrame


def consolidate(answers: pd.DataFrame, tables: FieldTables, organisations: pd.Index) -> FieldMatrix:
    scored_fields = tables.fields.index[tables.fields["scored"].to_numpy(dtype=bool)]
    org = organisations.get_indexer(pd.Index(answers["organisation_id"]))
    field = scored_fields.get_indexer(pd.Index(answers["field_id"]))
    keep = (org >= 0) & (field >= 0)
    status = answers["status"].to_numpy()[keep]
    score = answers["score"].to_numpy(dtype=float)[keep]
    role = answers["role"].to_numpy()[keep]
    reference = tables.fields["reference_role"].reindex(scored_fields).to_numpy()[field[keep]]
    shape = (len(organisations), len(scored_fields))
    cell = np.ravel_multi_index((org[keep], field[keep]), shape)

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(cell, weights=values, minlength=shape[0] * shape[1]).reshape(shape)

    is_scored = status == SCORED
    is_reference = is_scored & (role == reference)
    n, n_ref = total(is_scored.astype(float)), total(is_reference.astype(float))
    sums = total(np.where(is_scored, score, 0.0))
    sums_ref = total(np.where(is_reference, score, 0.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(n_ref > 0, sums_ref / n_ref, sums / n)
    answered = n > 0
    only_na = (
        ~answered
        & (total((status == NA).astype(float)) > 0)
        & (total((status == DK).astype(float)) == 0)
    )

    def frame(values: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(values, index=organisations, columns=scored_fields)

    return FieldMatrix(
        score=frame(np.where(answered, value, np.nan)),
        answered=frame(answered),
        applicable=frame(~only_na),
    )


def respondent_matrix(
    answers: pd.DataFrame, tables: FieldTables
) -> tuple[FieldMatrix, pd.DataFrame]:
    """Each respondent's own field scores, with the fields their role is asked as denominators.

    Returns the matrix and a table of respondents (organisation_id, role) in the same order.
    """
    scored_fields = tables.fields.index[tables.fields["scored"].to_numpy(dtype=bool)]
    people = (
        answers[["respondent_id", "organisation_id", "role"]]
        .drop_duplicates("respondent_id")
        .set_index("respondent_id")
        .sort_index()
    )
    person = people.index.get_indexer(pd.Index(answers["respondent_id"]))
    field = scored_fields.get_indexer(pd.Index(answers["field_id"]))
    keep = field >= 0
    shape = (len(people), len(scored_fields))
    score = np.full(shape, np.nan)
    status = np.full(shape, "", dtype=object)
    score[person[keep], field[keep]] = answers["score"].to_numpy(dtype=float)[keep]
    status[person[keep], field[keep]] = answers["status"].to_numpy()[keep]
    roles = tables.roles.loc[scored_fields]
    asked = roles.to_numpy()[:, roles.columns.get_indexer(pd.Index(people["role"]))].T

    def frame(values: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(values, index=people.index, columns=scored_fields)

    matrix = FieldMatrix(
        score=frame(score),
        answered=frame(status == SCORED),
        applicable=frame(asked & (status != NA)),
    )
    return matrix, people
