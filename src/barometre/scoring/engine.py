"""The scoring pipeline: responses → organisation results (methodology §2-5).

    answers (one row per answer) ─► item scores ─► consolidated per organisation ─►
    dimension scores + coverage ─► global index, levels ─► axes ─► family, borderline

plus, from each respondent's own scores, the dispersion and the perception gap.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController

from barometre.questionnaire.fields import FieldTables, build_field_tables
from barometre.questionnaire.models import AXIS_ROLES, Questionnaire
from barometre.scoring.aggregate import group_scores, membership
from barometre.scoring.answer_table import UNSCORED_CODE, AnswerTable
from barometre.scoring.answers import check_answers
from barometre.scoring.consolidate import consolidate, respondent_matrix
from barometre.scoring.respondents import spread
from barometre.scoring.result import ScoreResult
from barometre.scoring.typology import borderline_of, family_of, levels_of

#: The roles of the two axes in the results (a questionnaire may name its axes otherwise).
AXES = list(AXIS_ROLES)


def score_responses(
    questionnaire: Questionnaire,
    responses: pd.DataFrame,
    source: str = "<responses>",
    tables: FieldTables | None = None,
) -> ScoreResult:
    """Score every organisation of a responses table (contract columns, see docs)."""
    tables = tables or build_field_tables(questionnaire)
    answers = check_answers(responses, tables, source)
    return _score_table(questionnaire, answers, tables)


def score_answer_table(
    questionnaire: Questionnaire, answers: pd.DataFrame, tables: FieldTables
) -> ScoreResult:
    """Score already checked answers (the output of `score_answers`)."""
    return _score_table(questionnaire, AnswerTable.from_frame(answers, tables), tables)


def _score_table(
    questionnaire: Questionnaire, answers: AnswerTable, tables: FieldTables
) -> ScoreResult:
    # One BLAS thread: the products are thin (units x fields times fields x a few groups),
    # twice as fast on one thread, and two threads spin against a busy CPU (as in
    # `stats.sector.estimate`). A product's numbers do not depend on the threads.
    with _threadpools().limit(limits=1, user_api="blas"):
        return _score_table_on_one_thread(questionnaire, answers, tables)


@cache
def _threadpools() -> ThreadpoolController:
    """The process's thread pools, looked up once (a lookup lists the loaded libraries: tens
    of milliseconds, more than scoring one organisation)."""
    return ThreadpoolController()


def _score_table_on_one_thread(
    questionnaire: Questionnaire, answers: AnswerTable, tables: FieldTables
) -> ScoreResult:
    method = questionnaire.methodology
    threshold = method.coverage_threshold
    column = answers.organisation
    present = np.bincount(column.codes, minlength=len(column.values)) > 0
    organisations = pd.Index(sorted(column.values[present].tolist()), name="organisation_id")
    dimension_ids = [d.id for d in questionnaire.dimensions]
    scored_fields = tables.fields[tables.fields["scored"].to_numpy(dtype=bool)]
    by_dimension = membership(scored_fields, "dimension", dimension_ids)
    by_axis = _axis_membership(questionnaire, scored_fields)

    matrix = consolidate(answers, tables, organisations)
    dimensions = group_scores(matrix, by_dimension, threshold)
    axes = group_scores(matrix, by_axis, threshold)
    items = group_scores(
        matrix,
        membership(scored_fields, "item_id", list(dict.fromkeys(scored_fields["item_id"]))),
        0.0,
    )

    people_matrix, people = respondent_matrix(answers, tables)
    dimension_spread = spread(
        group_scores(people_matrix, by_dimension, threshold), people, organisations
    )
    axis_spread = spread(group_scores(people_matrix, by_axis, threshold), people, organisations)

    dimension_weights = pd.Series({d.id: d.weight for d in questionnaire.dimensions})
    global_index = _weighted_mean_all(dimensions.score, dimension_weights)
    single_se = method.borderline.single_respondent_se
    axis_se = axis_spread.standard_error.fillna(single_se)
    if method.typology is None:  # no axis, so no standard error of one
        axis_se = axis_se * np.nan

    summary = pd.DataFrame(index=organisations)
    summary["n_respondents"] = people.groupby("organisation_id").size().reindex(organisations)
    summary["global"] = global_index
    summary["level"] = levels_of(global_index, method)
    summary["tech"] = axes.score["tech"]
    summary["transfo"] = axes.score["transfo"]
    summary["tech_se"] = axis_se["tech"]
    summary["transfo_se"] = axis_se["transfo"]
    if method.typology is None:
        nothing = [None] * len(organisations)
        summary["family"] = pd.Series(nothing, index=organisations, dtype=object)
        summary["borderline"] = pd.Series(nothing, index=organisations, dtype=object)
    else:
        summary["family"] = family_of(summary["tech"], summary["transfo"], method)
        summary["borderline"] = borderline_of(
            summary["tech"], summary["transfo"], axis_se["tech"], axis_se["transfo"], method
        )
    summary["perception_gap"] = _weighted_mean_available(
        dimension_spread.perception_gap, dimension_weights
    )
    summary = summary.join(_context(answers, tables, organisations))
    summary["perceived_gap"] = summary["perceived_score"] - summary["global"]

    return ScoreResult(
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        methodology=method,
        dimension_ids=dimension_ids,
        organisations=summary,
        dimension_scores=dimensions.score,
        dimension_coverage=dimensions.coverage,
        dimension_levels=levels_of(dimensions.score, method),
        dimension_dispersion=dimension_spread.dispersion.reindex(columns=dimension_ids),
        dimension_perception_gap=dimension_spread.perception_gap.reindex(columns=dimension_ids),
        axis_coverage=axes.coverage,
        item_scores=items.score,
        item_weights=items.answered_weight,
        roles=people.groupby(["organisation_id", "role"])
        .size()
        .unstack(fill_value=0)
        .reindex(organisations)
        .fillna(0)
        .astype(int),
    )


def _axis_membership(questionnaire: Questionnaire, scored_fields: pd.DataFrame) -> pd.DataFrame:
    """Fields x axis roles (`tech`, `transfo`): a questionnaire's named axes take the roles in
    order; without a typology, no field is on an axis (the axes' scores are then NaN)."""
    typology = questionnaire.methodology.typology
    ids = list(typology.axis_ids) if typology is not None else []
    weights = membership(scored_fields, "axis", ids)
    weights.columns = pd.Index(AXES[: len(ids)])
    return weights.reindex(columns=AXES, fill_value=0.0)


def _weighted_mean_all(scores: pd.DataFrame, weights: pd.Series) -> pd.Series:
    """Weighted mean that needs every column: NaN as soon as one is missing (§4)."""
    w = weights.reindex(scores.columns).to_numpy()
    values = scores.to_numpy(dtype=float) @ w / w.sum()
    return pd.Series(values, index=scores.index)


def _weighted_mean_available(scores: pd.DataFrame, weights: pd.Series) -> pd.Series:
    w = weights.reindex(scores.columns).to_numpy()
    present = ~np.isnan(scores.to_numpy(dtype=float))
    total = present.astype(float) @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        values = np.nan_to_num(scores.to_numpy(dtype=float)) @ w / total
    return pd.Series(np.where(total > 0, values, np.nan), index=scores.index)


def _context(answers: AnswerTable, tables: FieldTables, organisations: pd.Index) -> pd.DataFrame:
    """Context items per organisation: organisation type, dwellings, department, perceived
    maturity."""
    fields = tables.fields
    context_of = fields["context"].dropna()
    is_context = np.append(fields["context"].notna().to_numpy(dtype=bool), False)
    at = np.flatnonzero((answers.status == UNSCORED_CODE) & is_context[answers.field])
    # By organisation, then respondent (a stable sort: a respondent's rows keep their order).
    org_rank = _ranks(answers.organisation.values)[answers.organisation.codes[at]]
    person_rank = _ranks(answers.respondent.values)[answers.respondent.codes[at]]
    at = at[np.lexsort((person_rank, org_rank))]
    rows = pd.DataFrame(
        {
            "organisation_id": pd.Series(answers.organisation.texts(at), dtype=object),
            "respondent_id": pd.Series(answers.respondent.texts(at), dtype=object),
            "field_id": pd.Series(answers.field_ids[answers.field[at]], dtype=object),
            "value": pd.Series(answers.value.texts(at), dtype=object),
        }
    )
    rows = rows.assign(context=context_of.reindex(rows["field_id"]).to_numpy())
    first = rows.groupby(["organisation_id", "context"])["value"].first().unstack()
    out = pd.DataFrame(index=organisations)
    out["declared_organisation_type"] = _column(first, "organisation_type", organisations)
    out["dwellings"] = pd.to_numeric(_column(first, "dwellings", organisations), errors="coerce")
    out["department"] = _column(first, "department", organisations)
    perceived = rows[rows["context"] == "perceived_maturity"]
    rating = pd.to_numeric(perceived["value"], errors="coerce")
    field = perceived["field_id"].iloc[0] if len(perceived) else None
    mean_rating = rating.groupby(perceived["organisation_id"]).mean().reindex(organisations)
    out["perceived_maturity"] = mean_rating
    out["perceived_score"] = _rating_to_score(mean_rating, answers, tables, field)
    return out


def _ranks(values: np.ndarray) -> np.ndarray:
    """The rank of each of distinct texts in their sorted order."""
    ranks = np.empty(len(values), dtype=np.int64)
    ranks[np.argsort(values, kind="stable")] = np.arange(len(values))
    return ranks


def _column(table: pd.DataFrame, name: str, organisations: pd.Index) -> pd.Series:
    if name not in table.columns:
        return pd.Series([None] * len(organisations), index=organisations, dtype=object)
    values = table[name].reindex(organisations).astype(object)
    values[values.isna()] = None
    return values


def _rating_to_score(rating: pd.Series, answers, tables: FieldTables, field) -> pd.Series:
    """Map the self-rating onto 0-100 between its lowest and highest option (1-10 → 0-100)."""
    if field is None:
        return pd.Series(np.nan, index=rating.index)
    codes = pd.to_numeric(
        tables.options.loc[tables.options["field_id"] == field, "code"], errors="coerce"
    )
    low, high = (
        (codes.min(), codes.max())
        if codes.notna().any()
        else tables.fields.loc[field, ["minimum", "maximum"]].to_numpy(dtype=float)
    )
    if not np.isfinite(low) or not np.isfinite(high) or high <= low:
        return pd.Series(np.nan, index=rating.index)
    return 100.0 * (rating - low) / (high - low)
