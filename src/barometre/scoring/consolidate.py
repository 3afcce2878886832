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
from functools import cached_property

import numpy as np
import pandas as pd

from barometre.questionnaire.fields import FieldTables
from barometre.scoring.answer_table import DK_CODE, NA_CODE, SCORED_CODE, AnswerTable, positions


@dataclass(frozen=True)
class FieldMatrix:
    """Units (organisations or respondents) x scored fields.

    `score` holds the value where `answered`; `applicable` is False where the field is
    "not applicable" for the unit (it then leaves the denominators).
    """

    score: pd.DataFrame
    answered: pd.DataFrame
    applicable: pd.DataFrame

    @classmethod
    def concatenate(cls, parts: list[FieldMatrix]) -> FieldMatrix:
        """The units of `parts` end to end."""
        if len(parts) == 1:
            return parts[0]
        return cls(
            score=pd.concat([part.score for part in parts]),
            answered=pd.concat([part.answered for part in parts]),
            applicable=pd.concat([part.applicable for part in parts]),
        )

    @cached_property
    def terms(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The matrices the weighted means multiply, made once however many groupings are
        asked (`aggregate.group_scores`): answered score (0 elsewhere), answered and
        applicable, as floats.

        Always in column-major order, the order of a matrix made in one go: on some CPUs
        (OpenBLAS's AVX-512 kernels) a product's last digit depends on the order of its
        operand in memory, and the units of `concatenate`d parts of one row each come out
        row-major."""
        answered = np.asfortranarray(self.answered.to_numpy(dtype=float))
        applicable = np.asfortranarray(self.applicable.to_numpy(dtype=float))
        values = np.asfortranarray(np.nan_to_num(self.score.to_numpy(dtype=float)) * answered)
        return values, answered, applicable


def consolidate(
    answers: AnswerTable | pd.DataFrame, tables: FieldTables, organisations: pd.Index
) -> FieldMatrix:
    """Organisations x scored fields, from checked answers (`check_answers`, or the table of
    `score_answers`)."""
    answers = _coded(answers, tables)
    scored_fields, scored_position = _scored_fields(tables)
    org = positions(organisations, answers.organisation)
    field = scored_position[answers.field]
    keep = (org >= 0) & (field >= 0)
    status = answers.status[keep]
    score = answers.score[keep]
    role = answers.role.codes[keep]
    # The reference role of each scored field, as a code of the answers' roles (-1: none).
    reference_of = pd.Index(answers.role.values, dtype=object).get_indexer(
        pd.Index(tables.fields["reference_role"].reindex(scored_fields).to_numpy(), dtype=object)
    )
    reference = reference_of[field[keep]]
    shape = (len(organisations), len(scored_fields))
    cell = np.ravel_multi_index((org[keep], field[keep]), shape)

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(cell, weights=values, minlength=shape[0] * shape[1]).reshape(shape)

    is_scored = status == SCORED_CODE
    is_reference = is_scored & (role == reference) & (reference >= 0)
    n, n_ref = total(is_scored.astype(float)), total(is_reference.astype(float))
    sums = total(np.where(is_scored, score, 0.0))
    sums_ref = total(np.where(is_reference, score, 0.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(n_ref > 0, sums_ref / n_ref, sums / n)
    answered = n > 0
    only_na = (
        ~answered
        & (total((status == NA_CODE).astype(float)) > 0)
        & (total((status == DK_CODE).astype(float)) == 0)
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


def _coded(answers: AnswerTable | pd.DataFrame, tables: FieldTables) -> AnswerTable:
    if isinstance(answers, pd.DataFrame):
        return AnswerTable.from_frame(answers, tables)
    return answers


def _scored_fields(tables: FieldTables) -> tuple[pd.Index, np.ndarray]:
    """The scored fields, and for each field of `tables.fields` its position among them (-1
    when not scored; one more entry, -1, for a row of no field)."""
    scored = tables.fields["scored"].to_numpy(dtype=bool)
    position = np.full(len(scored) + 1, -1, dtype=np.int64)
    position[np.flatnonzero(scored)] = np.arange(int(scored.sum()))
    return tables.fields.index[scored], position


def _missing_as_zero(tables: FieldTables, scored_fields: pd.Index) -> np.ndarray:
    """Per scored field, whether an unanswered answer counts 0 (row vector)."""
    if "missing_as_zero" not in tables.fields.columns:
        return np.zeros(len(scored_fields), dtype=bool)
    return tables.fields["missing_as_zero"].reindex(scored_fields).to_numpy(dtype=bool)


def _asked_in_organisation(
    answers: AnswerTable, tables: FieldTables, organisations: pd.Index, scored_fields: pd.Index
) -> np.ndarray:
    """Organisations x scored fields: some respondent of the organisation has a role the
    field is asked to (any answer row tells a respondent's role)."""
    roles = tables.roles.loc[scored_fields]
    org = positions(organisations, answers.organisation)
    role = positions(roles.columns, answers.role)
    keep = (org >= 0) & (role >= 0)
    present = np.zeros((len(organisations), len(roles.columns)))
    present[org[keep], role[keep]] = 1.0
    return (present @ roles.to_numpy(dtype=float).T) > 0


def respondent_matrix(
    answers: AnswerTable | pd.DataFrame,
    tables: FieldTables,
    people: pd.DataFrame | None = None,
    person: np.ndarray | None = None,
) -> tuple[FieldMatrix, pd.DataFrame]:
    """Each respondent's own field scores, with the fields their role is asked as denominators.

    Returns the matrix and a table of respondents (organisation_id, role) in the same order
    (`people`, when given: `answers.people()`, already known; `person`, when given, each
    row's position in it).
    """
    answers = _coded(answers, tables)
    scored_fields, scored_position = _scored_fields(tables)
    if people is None:
        people = answers.people()
    if person is None:
        person = positions(people.index, answers.respondent)
    field = scored_position[answers.field]
    keep = field >= 0
    # Written fields x people and read through the transpose (people x fields): a DataFrame
    # stores its values so, and takes these arrays without a copy.
    shape = (len(scored_fields), len(people))
    score = np.full(shape, np.nan)
    status = np.full(shape, -1, dtype=np.int8)  # no answer
    cell = field[keep] * len(people) + person[keep]
    score.reshape(-1)[cell] = answers.score[keep]
    status.reshape(-1)[cell] = answers.status[keep]
    roles = tables.roles.loc[scored_fields]
    asked = roles.to_numpy()[:, roles.columns.get_indexer(pd.Index(people["role"]))]

    def frame(values: np.ndarray) -> pd.DataFrame:
        values = np.asfortranarray(values.T)  # a no-op: the transpose of fields x people
        return pd.DataFrame(values, index=people.index, columns=scored_fields, copy=False)

    # Computed as fields x people, the order of the arrays in memory (several times faster
    # than through their transposes, with a field's setting broadcast down its row).
    answered = status == SCORED_CODE
    applicable = asked & (status != NA_CODE)
    counted = _missing_as_zero(tables, scored_fields)[:, np.newaxis] & applicable & ~answered
    # In place: the arrays are this function's own (a wave's take hundreds of MB each).
    score[counted] = 0.0
    answered |= counted
    matrix = FieldMatrix(
        score=frame(score),
        answered=frame(answered),
        applicable=frame(applicable),
    )
    return matrix, people
