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
    rows = answers[answers["field_id"].isin(scored_fields)]
    reference = tables.fields["reference_role"].reindex(rows["field_id"]).to_numpy()
    is_scored = (rows["status"] == SCORED).to_numpy()
    is_reference = is_scored & (rows["role"].to_numpy() == reference)
    parts = pd.DataFrame(
        {
            "organisation_id": rows["organisation_id"].to_numpy(),
            "field_id": rows["field_id"].to_numpy(),
            "n": is_scored.astype(float),
            "sum": np.where(is_scored, rows["score"].to_numpy(), 0.0),
            "n_ref": is_reference.astype(float),
            "sum_ref": np.where(is_reference, rows["score"].to_numpy(), 0.0),
            "n_na": (rows["status"] == NA).to_numpy().astype(float),
            "n_dk": (rows["status"] == DK).to_numpy().astype(float),
        }
    )
    totals = parts.groupby(["organisation_id", "field_id"], sort=False).sum()

    def grid(column: str) -> pd.DataFrame:
        table = totals[column].unstack("field_id")
        return table.reindex(index=organisations, columns=scored_fields).fillna(0.0)

    n, total, n_ref, sum_ref = grid("n"), grid("sum"), grid("n_ref"), grid("sum_ref")
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(n_ref > 0, sum_ref / n_ref, total / n)
    answered = n > 0
    only_na = ~answered & (grid("n_na") > 0) & (grid("n_dk") == 0)
    return FieldMatrix(
        score=pd.DataFrame(np.where(answered, value, np.nan), index=organisations,
                           columns=scored_fields),
        answered=answered,
        applicable=~only_na,
    )


def respondent_matrix(answers: pd.DataFrame, tables: FieldTables) -> tuple[FieldMatrix, pd.DataFrame]:
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
    rows = answers[answers["field_id"].isin(scored_fields)]
    wide = rows.pivot(index="respondent_id", columns="field_id", values="score")
    status = rows.pivot(index="respondent_id", columns="field_id", values="status")
    wide = wide.reindex(index=people.index, columns=scored_fields)
    status = status.reindex(index=people.index, columns=scored_fields)
    asked = tables.roles.loc[scored_fields].T.reindex(people["role"]).to_numpy(dtype=bool)
    answered = (status == SCORED).to_numpy()
    applicable = asked & (status != NA).to_numpy()
    matrix = FieldMatrix(
        score=wide,
        answered=pd.DataFrame(answered, index=people.index, columns=scored_fields),
        applicable=pd.DataFrame(applicable, index=people.index, columns=scored_fields),
    )
    return matrix, people
