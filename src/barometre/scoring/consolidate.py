"""Several respondents → one value per organisation and answer field.

Methodology §3: the organisation value of a field is the mean of its respondents' scores, unless
the field names a reference role (fact indicators) and someone of that role gave a figure: then
that role's figure counts. A field nobody scored is "not applicable" when every answer given was
NA, and missing otherwise (don't know, unanswered, or nobody of the roles asked).

Under `missing_as_zero` (a dimension's setting, `fields.missing_as_zero`), a field nobody scored
counts 0 as an answer, unless every answer given was NA (it stays not applicable) or no
respondent of the organisation has a role it is asked to (it then leaves the denominators:
an organisation is not marked down for a role it has no respondent of). In a respondent's
own matrix, a field their role is asked and they did not score (unanswered, don't know)
counts 0.
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
    applicable = ~only_na
    zero = _missing_as_zero(tables, scored_fields)
    if zero.any():
        asked = _asked_in_organisation(answers, tables, organisations, scored_fields)
        counted = zero & asked & ~answered & applicable
        value = np.where(counted, 0.0, value)
        answered = answered | counted
        applicable = applicable & (asked | ~zero)

    def frame(values: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(values, index=organisations, columns=scored_fields)

    return FieldMatrix(
        score=frame(np.where(answered, value, np.nan)),
        answered=frame(answered),
        applicable=frame(applicable),
    )


def _missing_as_zero(tables: FieldTables, scored_fields: pd.Index) -> np.ndarray:
    """Per scored field, whether an unanswered answer counts 0 (row vector)."""
    if "missing_as_zero" not in tables.fields.columns:
        return np.zeros(len(scored_fields), dtype=bool)
    return tables.fields["missing_as_zero"].reindex(scored_fields).to_numpy(dtype=bool)


def _asked_in_organisation(
    answers: pd.DataFrame, tables: FieldTables, organisations: pd.Index, scored_fields: pd.Index
) -> np.ndarray:
    """Organisations x scored fields: some respondent of the organisation has a role the
    field is asked to (any answer row tells a respondent's role)."""
    roles = tables.roles.loc[scored_fields]
    org = organisations.get_indexer(pd.Index(answers["organisation_id"]))
    role = roles.columns.get_indexer(pd.Index(answers["role"]))
    keep = (org >= 0) & (role >= 0)
    present = np.zeros((len(organisations), len(roles.columns)))
    present[org[keep], role[keep]] = 1.0
    return (present @ roles.to_numpy(dtype=float).T) > 0


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

    answered = status == SCORED
    applicable = asked & (status != NA)
    counted = _missing_as_zero(tables, scored_fields) & applicable & ~answered
    matrix = FieldMatrix(
        score=frame(np.where(counted, 0.0, score)),
        answered=frame(answered | counted),
        applicable=frame(applicable),
    )
    return matrix, people
