"""Answers → item scores, for every answer at once.

Takes the responses table (one row per answer, the contract of `docs/responses-format.md`),
checks every row against the questionnaire and gives each answer a status and a score on 0-100.
All problems are collected and raised together, each with its line in the file. The work is
done column by column with pandas: there is no Python loop per answer.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from barometre.errors import Code, Problem, ResponsesError, excerpt, problem
from barometre.identifiers import IDENTIFIER_MAX_LENGTH, valid_identifiers
from barometre.questionnaire.fields import FieldTables
from barometre.questionnaire.models import (
    CODED_KINDS,
    DONT_KNOW,
    MULTI_SEPARATOR,
    NOT_APPLICABLE,
    NUMERIC_KINDS,
)
from barometre.questionnaire.relevance import ShownTable, shown_to_respondents

RESPONSE_COLUMNS = ["organisation_id", "respondent_id", "role", "item_id", "answer"]

#: Longest answer, in characters once stripped (a text answer is a comment, not a document);
#: the web's text boxes stop at the same length.
MAX_ANSWER_LENGTH = 4000
#: The character no answer may hold: PostgreSQL cannot store it in a text column.
NUL = "\x00"

#: Status of an answer after parsing.
SCORED, NA, DK, MISSING, UNSCORED = "scored", "na", "dk", "missing", "unscored"


def score_answers(
    responses: pd.DataFrame, tables: FieldTables, source: str = "<responses>"
) -> pd.DataFrame:
    """Check and score every answer.

    `responses` has the five contract columns as strings, an empty answer meaning unanswered.
    The line of each row in its file is taken from a `line` column when there is one (see
    `read_responses`), else from the row's position after a header line. Returns one row per
    answer with columns organisation_id, respondent_id, role, field_id, status, score, value.
    Raises `ResponsesError` listing every problem.
    """
    frame = _normalise(responses)
    checks = _Checks(frame, source)
    fields = tables.fields
    known = frame["item_id"].isin(fields.index)
    known_roles = frame["role"].isin(tables.roles.columns)
    status_table = _status_tables(frame["item_id"], ~known, fields)
    checks.report(~known & ~status_table, Code.UNKNOWN_ITEM, item=_column("item_id"))
    checks.report(status_table, Code.UNKNOWN_ITEM_STATUS_TABLE, item=_column("item_id"))
    checks.report(
        ~known_roles,
        Code.UNKNOWN_ROLE,
        role=_column("role"),
        declared=", ".join(tables.roles.columns),
    )
    asked = _asked(frame, tables) | ~known | ~known_roles
    checks.report(~asked, Code.ROLE_NOT_ASKED, item=_column("item_id"), role=_column("role"))
    _check_respondents(frame, checks)
    duplicated = frame.duplicated(["respondent_id", "item_id"], keep="first")
    checks.report(
        duplicated,
        Code.DUPLICATE_ANSWER,
        respondent=_column("respondent_id"),
        item=_column("item_id"),
    )
    refused = _check_answer_text(frame, checks)

    # A refused answer is not read against its item (its problem is told already).
    scored = _score_known(frame[known & ~refused], fields, tables.options, checks)
    _path_scores(scored, frame[known & ~refused], tables, checks)
    shown = _check_shown(scored, frame, known & ~refused, tables, checks)
    checks.raise_if_any()
    result = frame[known].assign(field_id=frame["item_id"]).join(scored)
    result = _hidden_as_not_applicable(result, frame, tables, shown)
    return result[
        ["organisation_id", "respondent_id", "role", "field_id", "status", "score", "value"]
    ].reset_index(drop=True)


#: A parameter of a problem, from the offending rows: a function of them (one value per row) or
#: one value for all.
Param = Callable[[pd.DataFrame], pd.Series] | str


class _Checks:
    """Collects problems; messages are built only for the offending rows."""

    def __init__(self, frame: pd.DataFrame, source: str):
        self.frame = frame
        self.source = source
        self.problems: list[tuple[int, Problem]] = []

    def report(self, mask: pd.Series, code: Code, **params: Param) -> None:
        """A problem `code` on each row of `mask`, with the template's `params` (see `Param`)."""
        hit = mask.index[mask.to_numpy(dtype=bool)]
        if len(hit) == 0:
            return
        rows = self.frame.loc[hit]
        columns = {
            name: value(rows).tolist() if callable(value) else [value] * len(rows)
            for name, value in params.items()
        }
        for at, line in enumerate(rows["line"].tolist()):
            values = {name: column[at] for name, column in columns.items()}
            self.problems.append((int(line), problem(f"{self.source}:{line}", code, **values)))

    def raise_if_any(self) -> None:
        if self.problems:
            ordered = [p for _, p in sorted(self.problems, key=lambda lp: lp[0])]
            raise ResponsesError(self.source, ordered)


def _normalise(responses: pd.DataFrame) -> pd.DataFrame:
    """Text columns stripped, as plain object arrays (fast numpy comparisons)."""
    frame = pd.DataFrame({c: _stripped(responses[c]) for c in RESPONSE_COLUMNS})
    if "line" in responses.columns:
        frame["line"] = responses["line"].to_numpy()
    else:
        frame["line"] = np.arange(len(frame)) + 2  # the header is line 1
    return frame


def _stripped(column: pd.Series) -> pd.Series:
    # Strip each distinct value once rather than every cell: answers repeat a lot.
    codes, uniques = pd.factorize(column.astype(object), use_na_sentinel=True)
    cleaned = np.array(["" if pd.isna(u) else str(u).strip() for u in uniques] + [""], dtype=object)
    return pd.Series(cleaned[codes], dtype=object)


def _status_tables(item_ids: pd.Series, unknown: pd.Series, fields: pd.DataFrame) -> pd.Series:
    """The unknown items that are status tables (answered without their row), looked up only
    among the unknown ones."""
    found = pd.Series(False, index=item_ids.index)
    if unknown.any():
        tables = fields.loc[fields["kind"] == "status", "item_id"]
        found[unknown] = item_ids[unknown].isin(tables).to_numpy()
    return found


def _rows_of(values: pd.Series) -> Callable[[pd.DataFrame], pd.Series]:
    """A problem's parameter: an excerpt of the rows' value in `values` (indexed as the
    frame)."""
    return lambda rows: values.loc[rows.index].map(excerpt)


def _column(name: str) -> Callable[[pd.DataFrame], pd.Series]:
    """A problem's parameter: an excerpt of the rows' value in the column `name` (a message
    never quotes a whole answer)."""
    return lambda rows: rows[name].map(excerpt)


def _check_answer_text(frame: pd.DataFrame, checks: _Checks) -> pd.Series:
    """Answers too long or holding a NUL character, told (as `AnswerRules` tells them, after
    the item and the role); returns which rows they are."""
    # Each distinct answer is measured once: answers repeat a lot.
    codes, uniques = pd.factorize(frame["answer"])
    sizes = np.fromiter(map(len, uniques), dtype=np.int64, count=len(uniques))
    nuls = np.fromiter((NUL in text for text in uniques), dtype=bool, count=len(uniques))
    length = pd.Series(sizes[codes], index=frame.index)
    too_long = length > MAX_ANSWER_LENGTH
    checks.report(
        too_long,
        Code.ANSWER_TOO_LONG_IN_FILE,
        item=_column("item_id"),
        length=_rows_of(length),
        limit=str(MAX_ANSWER_LENGTH),
    )
    nul = ~too_long & pd.Series(nuls[codes], index=frame.index)
    checks.report(nul, Code.NUL_CHARACTER, column="answer")
    return too_long | nul


def _asked(frame: pd.DataFrame, tables: FieldTables) -> pd.Series:
    roles = tables.roles
    rows = roles.index.get_indexer(pd.Index(frame["item_id"]))
    cols = roles.columns.get_indexer(pd.Index(frame["role"]))
    valid = (rows >= 0) & (cols >= 0)
    asked = np.zeros(len(frame), dtype=bool)
    asked[valid] = roles.to_numpy()[rows[valid], cols[valid]]
    return pd.Series(asked, index=frame.index)


def _check_respondents(frame: pd.DataFrame, checks: _Checks) -> None:
    by_respondent = frame.groupby("respondent_id")
    for column in ("organisation_id", "role"):
        first = by_respondent[column].transform("first")
        checks.report(
            frame[column] != first,
            Code.INCONSISTENT_RESPONDENT,
            respondent=_column("respondent_id"),
            column=column,
            value=_column(column),
            earlier=_rows_of(first),
        )
    for column in ("organisation_id", "respondent_id", "role", "item_id"):
        checks.report(frame[column] == "", Code.EMPTY_VALUE, column=column)
    # The identifiers name files and database rows: the frame's own rule (identifiers.py).
    for column in ("organisation_id", "respondent_id"):
        checks.report(
            ~valid_identifiers(frame[column]) & (frame[column] != ""),
            Code.INVALID_IDENTIFIER,
            column=column,
            value=_column(column),
            limit=str(IDENTIFIER_MAX_LENGTH),
        )


def _score_known(frame: pd.DataFrame, fields: pd.DataFrame, options: pd.DataFrame, checks):
    kind = fields["kind"].reindex(frame["item_id"]).to_numpy()
    is_scored = fields["scored"].reindex(frame["item_id"]).to_numpy(dtype=bool)
    answer = frame["answer"]
    status = pd.Series(MISSING, index=frame.index, dtype=object)
    score = pd.Series(np.nan, index=frame.index)
    status[answer == NOT_APPLICABLE] = NA
    status[answer == DONT_KNOW] = DK
    given = (answer != "") & (answer != NOT_APPLICABLE) & (answer != DONT_KNOW)

    coded = given & np.isin(kind, list(CODED_KINDS))
    score[coded] = _coded_scores(frame[coded], options, checks)
    multi = given & (kind == "multi")
    score[multi] = _multi_scores(frame[multi], options, checks)
    numeric = given & np.isin(kind, list(NUMERIC_KINDS))
    score[numeric] = _numeric_scores(frame[numeric], fields, checks)

    status[given] = np.where(is_scored[given.to_numpy()], SCORED, UNSCORED)
    score[given & ~is_scored] = np.nan
    return pd.DataFrame({"status": status, "score": score, "value": answer})


def _coded_scores(frame: pd.DataFrame, options: pd.DataFrame, checks) -> pd.Series:
    position = _option_positions(frame["item_id"], frame["answer"], options)
    checks.report(
        pd.Series(position < 0, index=frame.index),
        Code.NOT_AN_OPTION,
        answer=_column("answer"),
        item=_column("item_id"),
        options=lambda rows: _valid_codes(rows["item_id"], options),
    )
    values = options["score"].to_numpy()[np.where(position >= 0, position, 0)]
    return pd.Series(np.where(position >= 0, values, np.nan), index=frame.index)


def _multi_scores(frame: pd.DataFrame, options: pd.DataFrame, checks) -> pd.Series:
    ticks = frame["answer"].str.split(MULTI_SEPARATOR).explode()
    ticks = pd.Series(_stripped(ticks).to_numpy(), index=ticks.index, dtype=object)
    item = frame["item_id"].reindex(ticks.index)
    position = _option_positions(item, ticks, options)
    bad = pd.Series(position < 0, index=ticks.index).groupby(level=0).any()
    checks.report(
        bad,
        Code.NOT_AN_OPTION_MULTI,
        answer=_column("answer"),
        item=_column("item_id"),
        options=lambda rows: _valid_codes(rows["item_id"], options),
    )
    safe = np.where(position >= 0, position, 0)
    weight = pd.Series(
        np.where(position >= 0, options["weight"].to_numpy()[safe], 0.0), index=ticks.index
    )
    exclusive = pd.Series(
        (position >= 0) & options["exclusive"].to_numpy()[safe], index=ticks.index
    )
    option_score = np.nan_to_num(options["score"].to_numpy()[safe])
    # An exclusive option without a weight stands alone: the item is worth its score. A
    # weighted exclusive option earns weight x score / 100 of the item's denominator, which
    # holds its weight (docs/questionnaire-format.md, weighted exclusive options).
    alone = exclusive & (weight == 0.0)
    exclusive_score = pd.Series(np.where(alone, option_score, 0.0), index=ticks.index)
    credit = pd.Series(
        np.where(exclusive, weight * option_score / 100.0, weight), index=ticks.index
    )
    per_answer = pd.DataFrame(
        {
            "weight": weight,
            "credit": credit,
            "exclusive": exclusive,
            "alone": alone,
            "exclusive_score": exclusive_score,
            "tick": ticks,
        }
    )
    grouped = per_answer.groupby(level=0)
    count = grouped["tick"].size()
    n_exclusive = grouped["exclusive"].sum()
    checks.report(
        (n_exclusive > 0) & (count > 1), Code.EXCLUSIVE_COMBINED, answer=_column("answer")
    )
    repeated = (
        pd.Series(
            pd.DataFrame({"row": ticks.index, "tick": ticks.to_numpy()}).duplicated().to_numpy(),
            index=ticks.index,
        )
        .groupby(level=0)
        .any()
    )
    checks.report(repeated, Code.REPEATED_OPTION, answer=_column("answer"))
    counted = ~options["exclusive"] | (options["weight"] > 0)  # weighted exclusives count
    total = options[counted].groupby("field_id")["weight"].sum()
    denominator = total.reindex(frame["item_id"]).to_numpy()
    share = 100.0 * grouped["credit"].sum().to_numpy() / denominator
    return pd.Series(
        np.where(
            grouped["alone"].sum().to_numpy() > 0,
            grouped["exclusive_score"].sum().to_numpy(),
            share,
        ),
        index=frame.index,
    )


def _path_scores(scored: pd.DataFrame, frame: pd.DataFrame, tables: FieldTables, checks) -> None:
    """Path answers (`yes|yes|no`) followed step by step, in place in `scored`: the score of
    the ending answer, or "missing" for a path that stops before its end. A code that is not
    an option of the step reached, or a code after an ending answer, is a problem.

    One pass per step position of the longest path (a loop over the questionnaire, not over
    the answers): each answer's current step and its code at that position are looked up at
    once in `tables.paths`."""
    paths = tables.paths
    kind = tables.fields["kind"].reindex(frame["item_id"]).to_numpy()
    answer = frame["answer"]
    rows = (kind == "path") & (answer != "") & (answer != NOT_APPLICABLE) & (answer != DONT_KNOW)
    if not rows.any():
        return
    frame = frame[rows]
    codes = frame["answer"].str.split(MULTI_SEPARATOR)
    count = codes.str.len().to_numpy()
    path_fields = pd.Index(pd.unique(paths["field_id"]))
    code_index = pd.Index(pd.unique(paths["code"]))
    n_steps = int(paths["step"].max()) + 1
    width = len(code_index)

    def keys(field: np.ndarray, step: np.ndarray, code: np.ndarray) -> np.ndarray:
        valid = (field >= 0) & (step >= 0) & (code >= 0)
        return np.where(valid, (field * n_steps + step) * width + code, -1)

    table = pd.Index(
        keys(
            path_fields.get_indexer(pd.Index(paths["field_id"])),
            paths["step"].to_numpy(),
            code_index.get_indexer(pd.Index(paths["code"])),
        )
    )
    field = path_fields.get_indexer(pd.Index(frame["item_id"]))
    step = np.zeros(len(frame), dtype=np.int64)  # the step reached; -1 once the path ended
    ended = np.full(len(frame), -1, dtype=np.int64)  # the row of `paths` that ended it
    score = np.full(len(frame), np.nan)
    bad = np.zeros(len(frame), dtype=bool)
    bad_code = np.full(len(frame), "", dtype=object)
    bad_step = np.full(len(frame), "", dtype=object)
    after = np.zeros(len(frame), dtype=bool)
    next_step = paths["next"].to_numpy()
    for position in range(n_steps + 1):
        present = ~bad & (count > position)
        if not present.any():
            break
        code = _stripped(codes.str.get(position)).to_numpy()
        # A code after an ending answer: the answer goes on past the end.
        past = present & (step < 0)
        after |= past
        bad |= past
        if past.any():
            bad_code[past] = paths["code"].to_numpy()[ended[past]]
            bad_step[past] = paths["step_id"].to_numpy()[ended[past]]
        looked = present & ~past
        found = table.get_indexer(
            pd.Index(
                keys(field, np.where(looked, step, -1), code_index.get_indexer(pd.Index(code)))
            )
        )
        wrong = looked & (found < 0)
        if wrong.any():
            bad |= wrong
            bad_code[wrong] = code[wrong]
            reached = paths.drop_duplicates(["field_id", "step"]).set_index(["field_id", "step"])
            where = pd.MultiIndex.from_arrays([frame["item_id"].to_numpy()[wrong], step[wrong]])
            bad_step[wrong] = reached["step_id"].reindex(where).to_numpy()
        ok = looked & (found >= 0)
        goes_to = next_step[np.where(ok, found, 0)]
        ends = ok & (goes_to < 0)
        score[ends] = paths["score"].to_numpy()[found[ends]]
        ended[ends] = found[ends]
        step = np.where(ok, goes_to, step)
    index = frame.index
    answer_of, item_of = _column("answer"), _column("item_id")
    checks.report(
        pd.Series(bad & after, index=index),
        Code.PATH_AFTER_END,
        answer=answer_of,
        item=item_of,
        chosen=_rows_of(pd.Series(bad_code, index=index)),
        step=_rows_of(pd.Series(bad_step, index=index)),
    )
    options = paths.groupby(["field_id", "step_id"], sort=False)["code"].agg(", ".join)
    checks.report(
        pd.Series(bad & ~after, index=index),
        Code.PATH_NOT_AN_OPTION,
        answer=answer_of,
        item=item_of,
        chosen=_rows_of(pd.Series(bad_code, index=index)),
        step=_rows_of(pd.Series(bad_step, index=index)),
        options=lambda hit: pd.Series(
            options.reindex(
                pd.MultiIndex.from_arrays(
                    [hit["item_id"].to_numpy(), pd.Series(bad_step, index=index)[hit.index]]
                )
            ).to_numpy(),
            index=hit.index,
        ),
    )
    complete = step < 0
    is_scored = tables.fields["scored"].reindex(frame["item_id"]).to_numpy(dtype=bool)
    scored.loc[index, "score"] = np.where(complete & is_scored, score, np.nan)
    scored.loc[index, "status"] = np.where(complete, np.where(is_scored, SCORED, UNSCORED), MISSING)


def _numeric_scores(frame: pd.DataFrame, fields: pd.DataFrame, checks) -> pd.Series:
    value = pd.to_numeric(frame["answer"].str.replace(",", ".", regex=False), errors="coerce")
    value = value.where(np.isfinite(value))  # "inf" and "nan" are not figures
    checks.report(
        value.isna(), Code.NOT_A_NUMBER, answer=_column("answer"), item=_column("item_id")
    )
    spec = fields.reindex(frame["item_id"])
    low, high = spec["minimum"].to_numpy(), spec["maximum"].to_numpy()
    v = value.to_numpy()
    outside = (~np.isnan(low) & (v < low)) | (~np.isnan(high) & (v > high))
    checks.report(
        pd.Series(outside, index=frame.index),
        Code.OUT_OF_RANGE,
        answer=_column("answer"),
        item=_column("item_id"),
        range=lambda rows: _range_text(rows["item_id"], fields),
    )
    worst, best = spec["worst"].to_numpy(), spec["best"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.clip((v - worst) / (best - worst), 0.0, 1.0)
    return pd.Series(100.0 * share, index=frame.index)


def _option_positions(item_ids: pd.Series, codes: pd.Series, options: pd.DataFrame) -> np.ndarray:
    """Row of `options` matching each (item, code) pair, -1 where there is none.

    Pairs are encoded as integers (field number x number of codes + code number) so that the
    lookup is one hash join on integers instead of millions of string concatenations.
    """
    fields = pd.Index(pd.unique(options["field_id"]))
    code_index = pd.Index(pd.unique(options["code"]))
    width = len(code_index)
    option_field = fields.get_indexer(pd.Index(options["field_id"]))
    option_code = code_index.get_indexer(pd.Index(options["code"]))
    option_keys = option_field * width + option_code
    field = fields.get_indexer(pd.Index(item_ids))
    code = code_index.get_indexer(pd.Index(codes))
    keys = np.where((field >= 0) & (code >= 0), field * width + code, -1)
    return pd.Index(option_keys).get_indexer(pd.Index(keys))


def _valid_codes(item_ids: pd.Series, options: pd.DataFrame) -> pd.Series:
    codes = options.groupby("field_id", sort=False)["code"].agg(", ".join)
    listed = codes.reindex(item_ids).fillna("")
    return pd.Series(listed.to_numpy(), index=item_ids.index)


def _range_text(item_ids: pd.Series, fields: pd.DataFrame) -> pd.Series:
    spec = fields.reindex(item_ids)
    text = (
        "[" + spec["minimum"].map("{:g}".format) + ", " + spec["maximum"].map("{:g}".format) + "]"
    )
    return pd.Series(text.str.replace("nan", "…").to_numpy(), index=item_ids.index)


# --- conditional questions (`relevant`, questionnaire/relevance.py) ------------------------


def _check_shown(
    scored: pd.DataFrame,
    frame: pd.DataFrame,
    usable: pd.Series,
    tables: FieldTables,
    checks: _Checks,
) -> ShownTable | None:
    """Items and options hidden by their conditions, per respondent (from their own answers).

    An answer other than NA to an item not shown, or choosing an option not shown, is told
    (`not_relevant`, `option_not_relevant`); an item not shown is "not applicable"; a multi
    item's share counts only the options shown to the respondent. Returns what is shown, or
    None when the questionnaire has no condition."""
    rules = tables.relevance
    if rules.empty or frame.empty:
        return None
    table = shown_to_respondents(rules, frame["respondent_id"], frame["item_id"], frame["answer"])
    rows = frame[usable]
    person = table.respondents.get_indexer(pd.Index(rows["respondent_id"]))
    item_of = tables.fields["item_id"].reindex(rows["item_id"]).to_numpy(dtype=object)
    answer = rows["answer"].to_numpy(dtype=object)
    given = (answer != "") & (answer != NOT_APPLICABLE)
    hidden = np.zeros(len(rows), dtype=bool)
    for item_id, shown in table.items.items():
        hidden |= (item_of == item_id) & ~shown[person]
    texts = {item_id: rule.text() for item_id, rule in rules.items.items()}
    condition = pd.Series(item_of, index=rows.index, dtype=object).map(texts).fillna("")
    checks.report(
        pd.Series(hidden & given, index=rows.index),
        Code.NOT_RELEVANT,
        item=_column("item_id"),
        answer=_column("answer"),
        respondent=_column("respondent_id"),
        condition=_rows_of(condition),
    )
    scored.loc[rows.index[hidden], "status"] = NA
    scored.loc[rows.index[hidden], "score"] = np.nan
    _check_shown_options(scored, rows, table, person, item_of, ~hidden & given, tables, checks)
    return table


def _check_shown_options(scored, rows, table, person, item_of, open_, tables, checks) -> None:
    """Choices of options not shown told; multi shares over the options shown."""
    if not table.options:
        return
    rules = tables.relevance
    options = tables.options
    kind = tables.fields["kind"].reindex(rows["item_id"]).to_numpy(dtype=object)
    answer = rows["answer"]
    ticks = answer.str.split(MULTI_SEPARATOR, regex=False).explode().str.strip()
    hidden_weight = np.zeros(len(rows))
    for (item_id, code), shown in table.options.items():
        here = open_ & (item_of == item_id) & ~shown[person]
        if not here.any():
            continue
        ticked = (ticks == code).groupby(level=0).any().reindex(rows.index).to_numpy(dtype=bool)
        chosen = here & np.where(kind == "multi", ticked, answer.to_numpy(dtype=object) == code)
        checks.report(
            pd.Series(chosen, index=rows.index),
            Code.OPTION_NOT_RELEVANT,
            answer=_column("answer"),
            item=_column("item_id"),
            option=code,
            respondent=_column("respondent_id"),
            condition=rules.options[item_id][code].text(),
        )
        spec = options[(options["field_id"] == item_id) & (options["code"] == code)]
        if len(spec):  # an option that stands alone has weight 0: it is in no denominator
            hidden_weight += np.where(here & (kind == "multi"), spec["weight"].iloc[0], 0.0)
    _share_of_shown(scored, rows, ticks, hidden_weight, options)


def _share_of_shown(scored, rows, ticks, hidden_weight, options) -> None:
    """A multi share is ticked weight / weight of the options shown: the engine's share over
    every option of weight > 0, scaled by total / (total - hidden), unless an option that
    stands alone (exclusive, weight 0) is ticked."""
    at = hidden_weight > 0
    if not at.any():
        return
    exclusive = options[options["exclusive"] & (options["weight"] == 0)]
    pairs = pd.MultiIndex.from_arrays([exclusive["field_id"], exclusive["code"]])
    field_of_tick = rows["item_id"].reindex(ticks.index)
    is_exclusive = pd.MultiIndex.from_arrays([field_of_tick, ticks]).isin(pairs)
    any_exclusive = (
        pd.Series(is_exclusive, index=ticks.index).groupby(level=0).any().reindex(rows.index)
    ).to_numpy(dtype=bool)
    total = options[options["weight"] > 0].groupby("field_id")["weight"].sum()
    total_of = total.reindex(rows["item_id"]).to_numpy(dtype=float)
    scale = at & ~any_exclusive & (total_of > hidden_weight)
    index = rows.index[scale]
    factor = total_of[scale] / (total_of[scale] - hidden_weight[scale])
    scored.loc[index, "score"] = scored.loc[index, "score"].to_numpy(dtype=float) * factor


def _hidden_as_not_applicable(
    result: pd.DataFrame, frame: pd.DataFrame, tables: FieldTables, shown: ShownTable | None
) -> pd.DataFrame:
    """A "not applicable" row for each field of an item not shown to a respondent whose role
    it is asked of, when the responses have no row for it: it leaves the denominators."""
    if shown is None or not shown.items:
        return result
    people = frame.drop_duplicates("respondent_id")[["organisation_id", "respondent_id", "role"]]
    person = shown.respondents.get_indexer(pd.Index(people["respondent_id"]))
    fields = tables.fields
    added = []
    for item_id, shown_to in shown.items.items():
        for fid in fields.index[fields["item_id"].to_numpy() == item_id]:
            asked = tables.roles.loc[fid].reindex(people["role"]).fillna(False)
            mask = ~shown_to[person] & asked.to_numpy(dtype=bool)
            added.append(people[mask].assign(field_id=fid))
    extra = pd.concat(added, ignore_index=True) if added else people.iloc[:0]
    present = pd.MultiIndex.from_frame(result[["respondent_id", "field_id"]])
    wanted = pd.MultiIndex.from_frame(extra[["respondent_id", "field_id"]])
    extra = extra[~wanted.isin(present)].assign(status=NA, score=np.nan, value="")
    if extra.empty:
        return result
    return pd.concat([result, extra], ignore_index=True)
