"""The scoring pipeline: responses → organisation results (methodology §2-5).

    answers (one row per answer) ─► item scores ─► consolidated per organisation ─►
    dimension scores + coverage ─► global index, levels ─► axes ─► family, borderline

plus, from each respondent's own scores, the dispersion and the perception gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController

from barometre.csv_codes import read_csv_codes
from barometre.memory import release_free_memory
from barometre.questionnaire.fields import FieldTables, build_field_tables
from barometre.questionnaire.models import AXIS_ROLES, Questionnaire
from barometre.scoring.aggregate import GroupScores, group_scores, membership
from barometre.scoring.answer_table import UNSCORED_CODE, AnswerTable, TextColumn, positions
from barometre.scoring.answers import LinedProblem, check_answers, check_rows, responses_error
from barometre.scoring.consolidate import FieldMatrix, consolidate, respondent_matrix
from barometre.scoring.respondents import spread
from barometre.scoring.response_rows import RESPONSE_COLUMNS, ResponseRows
from barometre.scoring.responses_file import read_responses
from barometre.scoring.result import ScoreResult
from barometre.scoring.typology import borderline_of, family_of, levels_of

#: The roles of the two axes in the results (a questionnaire may name its axes otherwise).
AXES = list(AXIS_ROLES)


#: Rows checked at once: a responses table of twice as many rows or more is checked and
#: scored in parts of whole organisations of about this many rows (a part's working arrays
#: take a few hundred MB).
PART_ROWS = 1 << 20
#: Respondents whose own scores are computed at once (a multiple of 64, see `_people_scores`).
PART_PEOPLE = 1 << 15


def score_responses(
    questionnaire: Questionnaire,
    responses: pd.DataFrame | ResponseRows,
    source: str = "<responses>",
    tables: FieldTables | None = None,
    part_rows: int = PART_ROWS,
    part_people: int = PART_PEOPLE,
) -> ScoreResult:
    """Score every organisation of a responses table (contract columns, see docs), or of its
    rows already coded (`ResponseRows`, as `score_responses_file` reads them).

    From twice `part_rows` rows, the answers are checked and scored in parts of whole
    organisations of about `part_rows` rows, then consolidated together; beyond `part_people`
    respondents, their own scores are computed by parts of them (`_people_scores`). Either
    way the result is the same, number for number, as in one go, and the problems are the
    same, in the same order (tests/scoring/test_parts.py). A respondent found in two
    organisations of different parts makes the whole be checked at once, which tells it.
    """
    tables = tables or build_field_tables(questionnaire)
    held = _Held(
        responses if isinstance(responses, ResponseRows) else ResponseRows.of_frame(responses)
    )
    return _score_rows(questionnaire, held, source, tables, part_rows, part_people)


def score_responses_file(
    questionnaire: Questionnaire,
    path: str | Path,
    source: str | None = None,
    tables: FieldTables | None = None,
    part_rows: int = PART_ROWS,
) -> ScoreResult:
    """Score a responses file: read as codes (`csv_codes.read_csv_codes`) when it is one of
    the files of the day, else through `read_responses`, which tells what is wrong; the same
    scores and the same problems either way. `source` names the file in messages (its path
    by default)."""
    name = str(path) if source is None else source
    tables = tables or build_field_tables(questionnaire)
    coded = read_csv_codes(path, RESPONSE_COLUMNS)
    if coded is None:
        return score_responses(questionnaire, read_responses(path), name, tables, part_rows)
    held = _Held(ResponseRows.of_codes(coded))
    del coded  # the rows hold their own codes
    return _score_rows(questionnaire, held, name, tables, part_rows, PART_PEOPLE)


@dataclass
class _Held:
    """Rows or answers handed to a function that takes them out (`take`): the caller keeps
    no reference, so that a large wave's arrays are freed as soon as they are used."""

    value: ResponseRows | AnswerTable | None

    def take(self) -> ResponseRows | AnswerTable:
        value, self.value = self.value, None
        assert value is not None, "taken already"
        return value


def _score_rows(
    questionnaire: Questionnaire,
    held: _Held,
    source: str,
    tables: FieldTables,
    part_rows: int,
    part_people: int,
) -> ScoreResult:
    rows = held.take()
    assert isinstance(rows, ResponseRows)
    parts = rows.by_organisations(part_rows)
    if parts is None:
        if rows.organisation.codes.dtype != np.int64:  # a file's codes: widened (see take)
            rows = rows.take(np.arange(len(rows)))
        answers = _Held(check_answers(rows, tables, source))
        del rows
        return _score_table(questionnaire, answers, tables, part_people)
    checked: list[AnswerTable] = []
    matrices: list[FieldMatrix] = []
    problems: list[LinedProblem] = []
    for part in parts:
        table, found = check_rows(rows.take(part), tables, source)
        problems.extend(found)
        if table is not None and not problems:  # after a problem, parts are only checked
            # An organisation's field values are sums over its own rows, in their order.
            matrices.append(consolidate(table, tables, _organisations(table)))
            checked.append(table.narrowed())
    del rows, parts
    if problems:
        raise responses_error(source, problems)
    release_free_memory()
    answers = _Held(AnswerTable.concatenate(checked))
    del checked
    release_free_memory()
    return _score_table(
        questionnaire, answers, tables, part_people, FieldMatrix.concatenate(matrices)
    )


def score_answer_table(
    questionnaire: Questionnaire, answers: pd.DataFrame, tables: FieldTables
) -> ScoreResult:
    """Score already checked answers (the output of `score_answers`)."""
    return _score_table(questionnaire, AnswerTable.from_frame(answers, tables), tables)


def _score_table(
    questionnaire: Questionnaire,
    answers: AnswerTable | _Held,
    tables: FieldTables,
    part_people: int = PART_PEOPLE,
    matrix: FieldMatrix | None = None,
) -> ScoreResult:
    """Score checked answers (handed over in a `_Held`, they are freed once no longer
    needed, before the respondents' spread is computed)."""
    held = answers if isinstance(answers, _Held) else _Held(answers)
    del answers
    # One BLAS thread: the products are thin (units x fields times fields x a few groups),
    # twice as fast on one thread, and two threads spin against a busy CPU (as in
    # `stats.sector.estimate`). A product's numbers do not depend on the threads.
    with _threadpools().limit(limits=1, user_api="blas"):
        return _score_table_on_one_thread(questionnaire, held, tables, part_people, matrix)


@cache
def _threadpools() -> ThreadpoolController:
    """The process's thread pools, looked up once (a lookup lists the loaded libraries: tens
    of milliseconds, more than scoring one organisation)."""
    return ThreadpoolController()


def _score_table_on_one_thread(
    questionnaire: Questionnaire,
    held: _Held,
    tables: FieldTables,
    part_people: int,
    matrix: FieldMatrix | None,
) -> ScoreResult:
    """`_score_table`; `matrix`, when given, is `consolidate(answers, ...)`, made already."""
    answers = held.take()
    assert isinstance(answers, AnswerTable)
    method = questionnaire.methodology
    threshold = method.coverage_threshold
    organisations = _organisations(answers)
    dimension_ids = [d.id for d in questionnaire.dimensions]
    scored_fields = tables.fields[tables.fields["scored"].to_numpy(dtype=bool)]
    by_dimension = membership(scored_fields, "dimension", dimension_ids)
    by_axis = _axis_membership(questionnaire, scored_fields)

    if matrix is None:
        matrix = consolidate(answers, tables, organisations)
    dimensions = group_scores(matrix, by_dimension, threshold)
    axes = group_scores(matrix, by_axis, threshold)
    items = group_scores(
        matrix,
        membership(scored_fields, "item_id", list(dict.fromkeys(scored_fields["item_id"]))),
        0.0,
    )

    people, (by_people_dimension, by_people_axis) = _people_scores(
        answers, tables, [by_dimension, by_axis], threshold, part_people
    )
    context = _context(answers, tables, organisations)
    del answers  # a wave's answers take a gigabyte: not kept while the rest is computed
    release_free_memory()
    dimension_spread = spread(by_people_dimension, people, organisations)
    axis_spread = spread(by_people_axis, people, organisations)

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
    summary = summary.join(context)
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


def _organisations(answers: AnswerTable) -> pd.Index:
    """The organisations of the answers, in sorted order."""
    column = answers.organisation
    present = np.bincount(column.codes, minlength=len(column.values)) > 0
    return pd.Index(sorted(column.values[present].tolist()), name="organisation_id")


#: A text column no row reads (see `_people_scores`).
_UNREAD = TextColumn(np.zeros(0, dtype=np.int32), np.array([""], dtype=object))


def _people_scores(
    answers: AnswerTable,
    tables: FieldTables,
    groupings: list[pd.DataFrame],
    threshold: float,
    part_people: int,
) -> tuple[pd.DataFrame, list[GroupScores]]:
    """Each respondent's own scores for each grouping of fields (`group_scores` of their
    `respondent_matrix`), and the table of respondents (sorted by identifier).

    A matrix of a million respondents by every field would take gigabytes: beyond
    `part_people` respondents, it is made for parts of them that follow one another in
    the sorted order, each (but the last, which takes what remains) of `part_people` rows.
    A matrix product's rows are computed in blocks of a few rows whose sums the BLAS orders
    by the row's place in its block; parts that start at multiples of 64 rows put every row
    at the same place as the whole matrix would, so that the numbers are the same."""
    if part_people < 64 or part_people % 64:
        raise ValueError(f"part_people must be a positive multiple of 64, not {part_people}")
    people = answers.people()
    count = len(people)
    if count <= 2 * part_people:
        matrix, _ = respondent_matrix(answers, tables, people)
        return people, [group_scores(matrix, weights, threshold) for weights in groupings]
    parts = count // part_people
    person = positions(people.index, answers.respondent)
    part = np.minimum(person // part_people, parts - 1).astype(
        np.uint16 if parts < 1 << 16 else np.int64  # a counting sort for up to 65,535 parts
    )
    rows = np.argsort(part, kind="stable")  # a counting sort: one pass
    bounds = np.cumsum(np.bincount(part, minlength=parts))[:-1]
    scores: list[list[GroupScores]] = [[] for _ in groupings]
    for number, at in enumerate(np.split(rows, bounds)):
        stop = count if number == parts - 1 else (number + 1) * part_people
        start = number * part_people
        # Given the people and each row's person, only the rows' fields, statuses and
        # scores are read: the text columns are not copied.
        subset = AnswerTable(
            organisation=_UNREAD,
            respondent=_UNREAD,
            role=_UNREAD,
            field=answers.field[at],
            status=answers.status[at],
            score=answers.score[at],
            value=_UNREAD,
            field_ids=answers.field_ids,
        )
        matrix, _ = respondent_matrix(subset, tables, people.iloc[start:stop], person[at] - start)
        for found, weights in zip(scores, groupings, strict=True):
            found.append(group_scores(matrix, weights, threshold))
        del matrix
    return people, [
        GroupScores(
            score=_end_to_end([g.score for g in found], people.index),
            coverage=_end_to_end([g.coverage for g in found], people.index),
            answered_weight=_end_to_end([g.answered_weight for g in found], people.index),
        )
        for found in scores
    ]


def _end_to_end(frames: list[pd.DataFrame], index: pd.Index) -> pd.DataFrame:
    """Frames of units that follow one another in `index`, as one frame (`pd.concat` would
    join their indexes of hundreds of thousands of texts again)."""
    values = np.concatenate([frame.to_numpy() for frame in frames])
    return pd.DataFrame(values, index=index, columns=frames[0].columns, copy=False)


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
    maturity. An organisation's value of a context is its first answer, by respondent in
    sorted order (a respondent's rows in their order); the perceived maturity is the mean of
    its respondents' ratings."""
    fields = tables.fields
    contexts = pd.Index(pd.unique(fields["context"].dropna().to_numpy(dtype=object)))
    context_of_field = np.append(
        contexts.get_indexer(pd.Index(fields["context"].to_numpy(dtype=object))), -1
    )
    at = np.flatnonzero((answers.status == UNSCORED_CODE) & (context_of_field[answers.field] >= 0))
    # Integer keys, not texts: the organisation's place among the sorted `organisations`,
    # the respondent's rank among the sorted identifiers.
    organisation = positions(organisations, answers.organisation.take(at))
    person_rank = _ranks(answers.respondent.values)[answers.respondent.codes[at]]
    order = np.lexsort((person_rank, organisation))  # stable: a respondent's rows in order
    at, organisation = at[order], organisation[order]
    context = context_of_field[answers.field[at]]
    value = answers.value.codes[at]
    # The first row of each (organisation, context), in that order.
    _, first = np.unique(organisation * len(contexts) + context, return_index=True)
    out = pd.DataFrame(index=organisations)

    def first_answers(name: str) -> pd.Series:
        """Each organisation's first answer to the context `name` (None without one)."""
        texts = np.full(len(organisations), None, dtype=object)
        if name in contexts:
            hit = first[context[first] == contexts.get_loc(name)]
            texts[organisation[hit]] = answers.value.values[value[hit]]
        return pd.Series(texts, index=organisations, dtype=object)

    out["declared_organisation_type"] = first_answers("organisation_type")
    out["dwellings"] = pd.to_numeric(first_answers("dwellings"), errors="coerce")
    out["department"] = first_answers("department")
    perceived = (
        np.flatnonzero(context == contexts.get_loc("perceived_maturity"))
        if "perceived_maturity" in contexts
        else np.zeros(0, dtype=np.int64)
    )
    # Each distinct rating read as a number once, the ratings alone (as pandas reads a
    # column: whether they are all integers decides how "-0" reads).
    present = np.unique(value[perceived])
    number = np.full(len(answers.value.values), np.nan)
    number[present] = pd.to_numeric(
        pd.Series(answers.value.values[present], dtype=object), errors="coerce"
    ).to_numpy(dtype=float)
    rating = pd.Series(number[value[perceived]])
    means = rating.groupby(organisation[perceived]).mean()
    by_place = np.full(len(organisations), np.nan)
    by_place[means.index.to_numpy(dtype=np.int64)] = means.to_numpy(dtype=float)
    mean_rating = pd.Series(by_place, index=organisations)
    field = answers.field_ids[answers.field[at[perceived[0]]]] if len(perceived) else None
    out["perceived_maturity"] = mean_rating
    out["perceived_score"] = _rating_to_score(mean_rating, answers, tables, field)
    return out


def _ranks(values: np.ndarray) -> np.ndarray:
    """The rank of each of distinct texts in their sorted order."""
    ranks = np.empty(len(values), dtype=np.int64)
    ranks[np.argsort(values, kind="stable")] = np.arange(len(values))
    return ranks


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
