"""What each organisation answered, for the best-practice sheets triggered by answers.

The scores file holds scores, not answers. A sheet may be triggered by an answer
(docs/practices-format.md): an option chosen (for a `multi` item, ticked), or a status row at
most, or exactly, at a step of its ladder. This record gives the recommendation engine what it
needs for them, built once from the checked answers table (`score_answers`), column by column:

- the respondents who count for an item are those whose answers make its consolidated value
  (`consolidate.py`): the reference role's when someone of that role answered it, else every
  respondent who answered it;
- an option is the organisation's answer when at least one of them chose (ticked) it; the
  record keeps how many did, and of how many;
- a status row's answer is its consolidated score (the mean of the respondents' scores, or of
  the reference role's), the engine's own `consolidate`, with the number of respondents behind
  it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from barometre.questionnaire.fields import FieldTables, build_field_tables
from barometre.questionnaire.models import MULTI_SEPARATOR, OPTION_KINDS, Questionnaire
from barometre.scoring.answers import SCORED, UNSCORED, score_answers
from barometre.scoring.consolidate import consolidate


@dataclass(frozen=True)
class ChosenOptions:
    """An item's options as the organisation answered them."""

    #: The respondents whose answers count for the item (see the module).
    counted: int
    #: Option code -> how many of them chose (ticked) it; options nobody chose are absent.
    options: Mapping[str, int]


@dataclass(frozen=True)
class RowAnswer:
    """A status row as the organisation answered it."""

    #: The consolidated score of the row, 0-100.
    score: float
    #: The respondents whose scores make it.
    counted: int


@dataclass(frozen=True)
class OrganisationAnswers:
    """One organisation's answers to the items with options and to the status rows."""

    organisation_id: str
    #: Item id -> its options chosen; items nobody answered with an option are absent.
    items: Mapping[str, ChosenOptions] = field(default_factory=dict)
    #: Status field id (`ITEM.ROW`) -> its consolidated answer; rows without a score are absent.
    rows: Mapping[str, RowAnswer] = field(default_factory=dict)


def answers_of_responses(
    questionnaire: Questionnaire,
    responses: pd.DataFrame,
    source: str = "<responses>",
    tables: FieldTables | None = None,
) -> dict[str, OrganisationAnswers]:
    """Every organisation's answers of a responses table (checked as `score_responses` does)."""
    tables = tables or build_field_tables(questionnaire)
    return organisation_answers(score_answers(responses, tables, source), tables)


def organisation_answers(
    answers: pd.DataFrame, tables: FieldTables
) -> dict[str, OrganisationAnswers]:
    """Every organisation's answers, by organisation id, from checked answers (the output of
    `score_answers`)."""
    organisations = sorted(answers["organisation_id"].unique())
    chosen = _chosen(answers, tables)
    rows = _rows(answers, tables, pd.Index(organisations, name="organisation_id"))
    return {
        organisation_id: OrganisationAnswers(
            organisation_id=organisation_id,
            items=chosen.get(organisation_id, {}),
            rows=rows.get(organisation_id, {}),
        )
        for organisation_id in organisations
    }


def _counted(answers: pd.DataFrame, tables: FieldTables) -> pd.DataFrame:
    """The answers that count for their field: the reference role's where someone of that role
    answered the field, else all of them."""
    reference = tables.fields["reference_role"].reindex(answers["field_id"]).to_numpy()
    is_reference = answers["role"].to_numpy() == reference
    keys = [answers["organisation_id"], answers["field_id"]]
    has_reference = pd.Series(is_reference, index=answers.index).groupby(keys).transform("any")
    return answers[~has_reference.to_numpy(dtype=bool) | is_reference]


def _chosen(answers: pd.DataFrame, tables: FieldTables) -> dict[str, dict[str, ChosenOptions]]:
    fields = tables.fields
    option_fields = fields.index[
        fields["kind"].isin(OPTION_KINDS - {"status"}).to_numpy(dtype=bool)
    ]
    given = (
        answers["status"].isin([SCORED, UNSCORED])
        & answers["field_id"].isin(option_fields)
        & (answers["value"] != "")
    )
    rows = _counted(answers[given], tables)
    counted = rows.groupby(["organisation_id", "field_id"])["respondent_id"].nunique()
    ticks = rows.assign(code=rows["value"].str.split(MULTI_SEPARATOR)).explode("code")
    ticks = ticks.assign(code=ticks["code"].str.strip())
    by_code = ticks.groupby(["organisation_id", "field_id", "code"])["respondent_id"].nunique()
    options: dict[tuple[str, str], dict[str, int]] = {}
    for organisation_id, field_id, code, count in zip(
        *_levels(by_code.index, 3), by_code.to_numpy(), strict=True
    ):
        options.setdefault((organisation_id, field_id), {})[code] = int(count)
    found: dict[str, dict[str, ChosenOptions]] = {}
    for organisation_id, field_id, count in zip(
        *_levels(counted.index, 2), counted.to_numpy(), strict=True
    ):
        found.setdefault(organisation_id, {})[field_id] = ChosenOptions(
            counted=int(count), options=options.get((organisation_id, field_id), {})
        )
    return found


def _levels(index: pd.Index, depth: int) -> list[list[str]]:
    """The values of each level of a grouped index, as text (an empty group has no levels)."""
    if len(index) == 0:
        return [[] for _ in range(depth)]
    return [[str(v) for v in index.get_level_values(level)] for level in range(depth)]


def _rows(
    answers: pd.DataFrame, tables: FieldTables, organisations: pd.Index
) -> dict[str, dict[str, RowAnswer]]:
    fields = tables.fields
    status_fields = fields.index[
        ((fields["kind"] == "status") & fields["scored"]).to_numpy(dtype=bool)
    ]
    if len(status_fields) == 0 or len(organisations) == 0:
        return {}
    matrix = consolidate(answers, tables, organisations)
    scores = matrix.score[status_fields]
    scored = answers[(answers["status"] == SCORED) & answers["field_id"].isin(status_fields)]
    counted = (
        _counted(scored, tables)
        .groupby(["organisation_id", "field_id"])["respondent_id"]
        .nunique()
        .unstack()
        .reindex(index=organisations, columns=status_fields)
    )
    values = scores.to_numpy(dtype=float)
    numbers = counted.to_numpy(dtype=float)
    found: dict[str, dict[str, RowAnswer]] = {}
    # A row nobody answered has no answer, even where `missing_as_zero` counts it 0.
    answered = ~np.isnan(values) & (np.nan_to_num(numbers) > 0)
    for at, column in zip(*np.nonzero(answered), strict=True):
        found.setdefault(str(organisations[at]), {})[str(status_fields[column])] = RowAnswer(
            score=float(values[at, column]), counted=int(np.nan_to_num(numbers[at, column]))
        )
    return found
