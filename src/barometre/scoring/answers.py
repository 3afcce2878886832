"""Answers → item scores, for every answer at once.

Takes the responses table (one row per answer, the contract of `docs/responses-format.md`),
checks every row against the questionnaire and gives each answer a status and a score on 0-100.
All problems are collected and raised together, each with its line in the file.

Each text column is read once into integer codes and its distinct values, stripped
(`answer_table.TextColumn`); every check and every score is then array indexing: a row's field,
role and option are looked up per distinct text, or in a table of the questionnaire indexed
by integers (fields x option codes). A multi or path answer is read once per distinct
(field, answer) pair, not per row. There is no Python loop per answer, and messages are built
only for the offending rows.
"""

from __future__ import annotations

import re
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
from barometre.scoring.answer_table import (
    DK,
    DK_CODE,
    MISSING,
    MISSING_CODE,
    NA,
    NA_CODE,
    SCORED,
    SCORED_CODE,
    UNSCORED,
    UNSCORED_CODE,
    AnswerTable,
    TextColumn,
    positions,
    text_column,
)
from barometre.scoring.response_rows import RESPONSE_COLUMNS, ResponseRows

__all__ = [
    "DK",
    "MAX_ANSWER_LENGTH",
    "MISSING",
    "NA",
    "NUL",
    "RESPONSE_COLUMNS",
    "SCORED",
    "UNSCORED",
    "check_answers",
    "score_answers",
]


#: Longest answer, in characters once stripped (a text answer is a comment, not a document);
#: the web's text boxes stop at the same length.
MAX_ANSWER_LENGTH = 4000
#: The character no answer may hold: PostgreSQL cannot store it in a text column.
NUL = "\x00"


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
    return check_answers(responses, tables, source).frame()


def check_answers(
    responses: pd.DataFrame | ResponseRows, tables: FieldTables, source: str = "<responses>"
) -> AnswerTable:
    """`score_answers`, its result kept as integer codes (the engine's input); `responses`
    may be the rows already coded."""
    if not isinstance(responses, ResponseRows):
        responses = ResponseRows.of_frame(responses)
    answers, problems = check_rows(responses, tables, source)
    if problems:
        raise responses_error(source, problems)
    assert answers is not None
    return answers


#: A problem and the line of its row (problems are told in the order of their lines).
LinedProblem = tuple[int, Problem]


def responses_error(source: str, problems: list[LinedProblem]) -> ResponsesError:
    """The error telling `problems` in the order of their lines (a line's own problems in the
    order they were found)."""
    return ResponsesError(source, [p for _, p in sorted(problems, key=lambda lp: lp[0])])


def check_rows(
    rows: ResponseRows, tables: FieldTables, source: str = "<responses>"
) -> tuple[AnswerTable | None, list[LinedProblem]]:
    """`check_answers` of coded rows, its problems returned (with their lines) instead of
    raised: the answers when there is none, else None."""
    checks = _Checks(rows, source)
    fields = tables.fields
    field = positions(fields.index, rows.item)
    known = field >= 0
    role_column = positions(tables.roles.columns, rows.role)
    known_roles = role_column >= 0
    status_items = pd.Index(fields.loc[fields["kind"] == "status", "item_id"], dtype=object)
    status_table = ~known & _of_values(rows.item, lambda values: values.isin(status_items))
    checks.report(~known & ~status_table, Code.UNKNOWN_ITEM, item=_column("item_id"))
    checks.report(status_table, Code.UNKNOWN_ITEM_STATUS_TABLE, item=_column("item_id"))
    checks.report(
        ~known_roles,
        Code.UNKNOWN_ROLE,
        role=_column("role"),
        declared=", ".join(tables.roles.columns),
    )
    asked = _asked(field, role_column, tables) | ~known | ~known_roles
    checks.report(~asked, Code.ROLE_NOT_ASKED, item=_column("item_id"), role=_column("role"))
    _check_respondents(rows, checks)
    checks.report(
        _repeated(
            rows.respondent.codes * len(rows.item.values) + rows.item.codes,
            len(rows.respondent.values) * len(rows.item.values),
        ),
        Code.DUPLICATE_ANSWER,
        respondent=_column("respondent_id"),
        item=_column("item_id"),
    )
    refused = _check_answer_text(rows, checks)

    # A refused answer is not read against its item (its problem is told already).
    usable = known & ~refused
    scored = _Scored.of(rows, field, usable, tables, checks)
    shown = _check_shown(scored, rows, field, usable, tables, checks)
    if checks.problems:
        return None, checks.problems
    kept = np.flatnonzero(known) if not known.all() else slice(None)
    table = AnswerTable(
        organisation=rows.organisation.take(kept),
        respondent=rows.respondent.take(kept),
        role=rows.role.take(kept),
        field=field[kept],
        status=scored.status[kept],
        score=scored.score[kept],
        value=rows.answer.take(kept),
        field_ids=fields.index.to_numpy(dtype=object),
    )
    return _hidden_as_not_applicable(table, tables, shown), []


#: A parameter of a problem, from the offending rows: a function of the rows and their
#: positions (one value per row), or one value for all.
Param = Callable[[ResponseRows, np.ndarray], list] | str


class _Checks:
    """Collects problems; messages are built only for the offending rows."""

    def __init__(self, rows: ResponseRows, source: str):
        self.rows = rows
        self.source = source
        self.problems: list[LinedProblem] = []

    def report(self, mask: np.ndarray | pd.Series, code: Code, **params: Param) -> None:
        """A problem `code` on each row of `mask` (one flag per row, or a boolean Series
        indexed by row positions), with the template's `params` (see `Param`)."""
        if isinstance(mask, pd.Series):
            hit = mask.index.to_numpy(dtype=np.int64)[mask.to_numpy(dtype=bool)]
        else:
            hit = np.flatnonzero(mask)
        if len(hit) == 0:
            return
        columns = {
            name: value(self.rows, hit) if callable(value) else [value] * len(hit)
            for name, value in params.items()
        }
        for at, line in enumerate(self.rows.line[hit].tolist()):
            values = {name: column[at] for name, column in columns.items()}
            self.problems.append((int(line), problem(f"{self.source}:{line}", code, **values)))


def _of_values(column: TextColumn, test: Callable[[pd.Index], np.ndarray]) -> np.ndarray:
    """A flag per row, from `test` run once on the column's distinct values."""
    return np.asarray(test(pd.Index(column.values, dtype=object)), dtype=bool)[column.codes]


def _excerpts(values) -> list[str]:
    return [excerpt(value) for value in values]


def _column(name: str) -> Param:
    """A problem's parameter: an excerpt of the rows' value in the column `name` (a message
    never quotes a whole answer)."""
    return lambda rows, hit: _excerpts(rows.texts(name, hit))


def _per_row(values: np.ndarray, of_row: np.ndarray) -> Param:
    """A problem's parameter: an excerpt of `values[of_row[row]]` for each offending row."""
    return lambda rows, hit: _excerpts(values[of_row[hit]])


def _rows_of(values: pd.Series) -> Param:
    """A problem's parameter: an excerpt of the rows' value in `values` (indexed by row
    position)."""
    return lambda rows, hit: values.loc[hit].map(excerpt).tolist()


def _asked(field: np.ndarray, role_column: np.ndarray, tables: FieldTables) -> np.ndarray:
    roles = tables.roles.to_numpy(dtype=bool)
    # One more row and column, False, for a row of no field or no role.
    table = np.zeros((roles.shape[0] + 1, roles.shape[1] + 1), dtype=bool)
    table[:-1, :-1] = roles
    width = table.shape[1]
    row = np.where(field >= 0, field, len(roles))
    column = np.where(role_column >= 0, role_column, width - 1)
    return table.reshape(-1)[row * width + column]


def _first_rows(column: TextColumn) -> np.ndarray:
    """For each code of `column`, the position of the first row holding it."""
    first = np.full(len(column.values), len(column.codes), dtype=np.int64)
    np.minimum.at(first, column.codes, np.arange(len(column.codes), dtype=np.int64))
    return first


def _check_respondents(rows: ResponseRows, checks: _Checks) -> None:
    first = _first_rows(rows.respondent)[rows.respondent.codes]
    for name in ("organisation_id", "role"):
        column = rows.columns[name]
        earlier = column.codes[first]
        checks.report(
            column.codes != earlier,
            Code.INCONSISTENT_RESPONDENT,
            respondent=_column("respondent_id"),
            column=name,
            value=_column(name),
            earlier=_per_row(column.values, earlier),
        )
    for name in ("organisation_id", "respondent_id", "role", "item_id"):
        column = rows.columns[name]
        checks.report(column.codes == column.code_of(""), Code.EMPTY_VALUE, column=name)
    # The identifiers name files and database rows: the frame's own rule (identifiers.py).
    for name in ("organisation_id", "respondent_id"):
        column = rows.columns[name]
        valid = _valid_identifiers(column.values)
        checks.report(
            ~valid[column.codes] & (column.codes != column.code_of("")),
            Code.INVALID_IDENTIFIER,
            column=name,
            value=_column(name),
            limit=str(IDENTIFIER_MAX_LENGTH),
        )


#: The characters of identifiers (`identifiers.is_identifier`), and \x01 that joins them.
_IDENTIFIER_TEXT = re.compile(r"[A-Za-z0-9_.\x01-]*")


def _valid_identifiers(values: np.ndarray) -> np.ndarray:
    """`identifiers.valid_identifiers` of distinct texts; when they are all identifiers but
    "" (the usual case), told by one scan of them joined instead of one match each."""
    texts = [value for value in values.tolist() if value != ""]
    sizes = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    joined = "\x01".join(texts)
    if (
        joined.count("\x01") == max(len(texts) - 1, 0)
        and _IDENTIFIER_TEXT.fullmatch(joined) is not None
        and bool(np.all((sizes >= 1) & (sizes <= IDENTIFIER_MAX_LENGTH)))
        and "." not in texts
        and ".." not in texts
    ):
        return values != ""
    return valid_identifiers(pd.Series(values, dtype=object)).to_numpy(dtype=bool)


#: Keys below this many times the rows are told apart by a flag per possible key (a byte
#: each: at most twice the memory of the keys themselves).
_FLAGS_PER_ROW = 16


def _repeated(keys: np.ndarray, size: int) -> np.ndarray:
    """Which rows hold a key an earlier row holds (the second and later of each key), the
    keys being integers in [0, `size`)."""
    repeated = np.zeros(len(keys), dtype=bool)
    if size <= _FLAGS_PER_ROW * len(keys):
        # As many distinct keys as rows (the usual case) tells there is no repeat: a flag
        # per key is set in one pass, where sorting a wave's millions of keys takes longer.
        seen = np.zeros(size, dtype=bool)
        seen[keys] = True
        if np.count_nonzero(seen) == len(keys):
            return repeated
    ordered = np.sort(keys)
    twice = ordered[1:][ordered[1:] == ordered[:-1]]
    if len(twice) == 0:
        return repeated
    rows = np.flatnonzero(np.isin(keys, np.unique(twice)))
    repeated[rows] = pd.Series(keys[rows]).duplicated(keep="first").to_numpy()
    return repeated


def _check_answer_text(rows: ResponseRows, checks: _Checks) -> np.ndarray:
    """Answers too long or holding a NUL character, told (as `AnswerRules` tells them, after
    the item and the role); returns which rows they are."""
    answer = rows.answer
    # Each distinct answer is measured once: answers repeat a lot.
    sizes = np.fromiter(map(len, answer.values), dtype=np.int64, count=len(answer.values))
    nuls = np.fromiter((NUL in text for text in answer.values), dtype=bool, count=len(sizes))
    too_long = (sizes > MAX_ANSWER_LENGTH)[answer.codes]
    checks.report(
        too_long,
        Code.ANSWER_TOO_LONG_IN_FILE,
        item=_column("item_id"),
        length=lambda rows, hit: pd.Series(sizes[answer.codes[hit]]).map(excerpt).tolist(),
        limit=str(MAX_ANSWER_LENGTH),
    )
    nul = ~too_long & nuls[answer.codes]
    checks.report(nul, Code.NUL_CHARACTER, column="answer")
    return too_long | nul


def _distinct(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys' first positions, and each key's number among them."""
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


class _Scored:
    """Status (codes of `STATUSES`) and score of every row (read only where usable)."""

    def __init__(self, status: np.ndarray, score: np.ndarray):
        self.status = status
        self.score = score

    @classmethod
    def of(
        cls,
        rows: ResponseRows,
        field: np.ndarray,
        usable: np.ndarray,
        tables: FieldTables,
        checks: _Checks,
    ) -> _Scored:
        fields = tables.fields
        field_ids = fields.index.to_numpy(dtype=object)
        kind = fields["kind"].to_numpy(dtype=object)
        is_scored = fields["scored"].to_numpy(dtype=bool)
        answer = rows.answer
        # The status each distinct answer gives (a given answer: scored, made unscored below
        # for an unscored field), and the class of each field's kind.
        value_status = np.full(len(answer.values), SCORED_CODE, dtype=np.int8)
        value_status[answer.values == ""] = MISSING_CODE
        value_status[answer.values == NOT_APPLICABLE] = NA_CODE
        value_status[answer.values == DONT_KNOW] = DK_CODE
        status = value_status[answer.codes]
        given = usable & (status == SCORED_CODE)
        status[~given & (status == SCORED_CODE)] = MISSING_CODE
        safe = np.where(usable, field, 0)
        classes = (CODED_KINDS, {"multi"}, NUMERIC_KINDS, {"path"})
        field_class = np.zeros(len(kind) + 1, dtype=np.int8)
        for number, kinds in enumerate(classes, start=1):
            field_class[:-1][np.isin(kind, list(kinds))] = number
        row_class = np.where(given, field_class[safe], 0)
        coded, multi, numeric, path = (np.flatnonzero(row_class == n) for n in range(1, 5))
        score = np.full(len(rows), np.nan)
        score[coded] = _coded_scores(rows, coded, safe, tables, checks)
        score[multi] = _multi_scores(rows, multi, safe, field_ids, tables.options, checks)
        score[numeric] = _numeric_scores(rows, numeric, safe, field_ids, fields, checks)

        unscored = given & ~is_scored[safe]
        status[unscored] = UNSCORED_CODE
        score[unscored] = np.nan
        scored = cls(status, score)
        _path_scores(scored, rows, path, safe, field_ids, tables, checks)
        return scored


class _OptionTable:
    """The row of `options` of each (field, code), as a fields x codes table of integers."""

    def __init__(self, options: pd.DataFrame, field_ids: pd.Index):
        self.codes = pd.Index(pd.unique(options["code"].to_numpy(dtype=object)), dtype=object)
        field = field_ids.get_indexer(pd.Index(options["field_id"].to_numpy(dtype=object)))
        code = self.codes.get_indexer(pd.Index(options["code"].to_numpy(dtype=object)))
        # One more column for a code of no option, one more row for an option of no field.
        self.width = len(self.codes) + 1
        self.table = np.full((len(field_ids) + 1) * self.width, -1, dtype=np.int64)
        self.table[field * self.width + code] = np.arange(len(options))

    def rows(self, field: np.ndarray, answer: TextColumn, at: np.ndarray) -> np.ndarray:
        """The option row of each row `at` (its field and answer), -1 where there is none."""
        code = self.codes.get_indexer(pd.Index(answer.values, dtype=object))
        code[code < 0] = len(self.codes)
        return self.table[field[at] * self.width + code[answer.codes[at]]]


def _coded_scores(
    rows: ResponseRows, at: np.ndarray, field: np.ndarray, tables: FieldTables, checks: _Checks
) -> np.ndarray:
    options = tables.options
    position = _OptionTable(options, tables.fields.index).rows(field, rows.answer, at)
    bad = np.zeros(len(rows), dtype=bool)
    bad[at[position < 0]] = True
    checks.report(
        bad,
        Code.NOT_AN_OPTION,
        answer=_column("answer"),
        item=_column("item_id"),
        options=_valid_codes_of(options),
    )
    values = options["score"].to_numpy()[np.where(position >= 0, position, 0)]
    return np.where(position >= 0, values, np.nan)


def _pairs(
    rows: ResponseRows, at: np.ndarray, field: np.ndarray, field_ids: np.ndarray
) -> tuple[pd.DataFrame, np.ndarray]:
    """The distinct (field, answer) pairs of the rows `at`, as a table of item_id and answer
    texts, and each row's pair."""
    answer = rows.answer
    first, pair = _distinct(field[at] * len(answer.values) + answer.codes[at])
    frame = pd.DataFrame(
        {
            "item_id": pd.Series(field_ids[field[at[first]]], dtype=object),
            "answer": pd.Series(answer.texts(at[first]), dtype=object),
        }
    )
    return frame, pair


def _multi_scores(
    rows: ResponseRows,
    at: np.ndarray,
    field: np.ndarray,
    field_ids: np.ndarray,
    options: pd.DataFrame,
    checks: _Checks,
) -> np.ndarray:
    if len(at) == 0:
        return np.zeros(0)
    frame, pair = _pairs(rows, at, field, field_ids)
    multi = _multi_of_pairs(frame, options)

    def flagged(per_pair: np.ndarray) -> np.ndarray:
        flags = np.zeros(len(rows), dtype=bool)
        flags[at] = per_pair[pair]
        return flags

    checks.report(
        flagged(multi["bad"]),
        Code.NOT_AN_OPTION_MULTI,
        answer=_column("answer"),
        item=_column("item_id"),
        options=_valid_codes_of(options),
    )
    checks.report(flagged(multi["combined"]), Code.EXCLUSIVE_COMBINED, answer=_column("answer"))
    checks.report(flagged(multi["repeated"]), Code.REPEATED_OPTION, answer=_column("answer"))
    return multi["score"][pair]


def _multi_of_pairs(frame: pd.DataFrame, options: pd.DataFrame) -> dict[str, np.ndarray]:
    """Score and problems of each distinct multi answer (`frame`: item_id, answer)."""
    ticks = frame["answer"].str.split(MULTI_SEPARATOR).explode()
    ticks = pd.Series(_stripped(ticks), index=ticks.index, dtype=object)
    item = frame["item_id"].reindex(ticks.index)
    position = _option_positions(item, ticks, options)
    bad = pd.Series(position < 0, index=ticks.index).groupby(level=0).any()
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
    repeated = (
        pd.Series(
            pd.DataFrame({"row": ticks.index, "tick": ticks.to_numpy()}).duplicated().to_numpy(),
            index=ticks.index,
        )
        .groupby(level=0)
        .any()
    )
    counted = ~options["exclusive"] | (options["weight"] > 0)  # weighted exclusives count
    total = options[counted].groupby("field_id")["weight"].sum()
    denominator = total.reindex(frame["item_id"]).to_numpy()
    share = 100.0 * grouped["credit"].sum().to_numpy() / denominator
    return {
        "bad": bad.to_numpy(dtype=bool),
        "combined": ((n_exclusive > 0) & (count > 1)).to_numpy(dtype=bool),
        "repeated": repeated.to_numpy(dtype=bool),
        "score": np.where(
            grouped["alone"].sum().to_numpy() > 0,
            grouped["exclusive_score"].sum().to_numpy(),
            share,
        ),
    }


def _stripped(column: pd.Series) -> np.ndarray:
    """The column's texts stripped, a missing cell as "" (each distinct value once)."""
    return text_column(column).texts()


def _path_scores(
    scored: _Scored,
    rows: ResponseRows,
    at: np.ndarray,
    field: np.ndarray,
    field_ids: np.ndarray,
    tables: FieldTables,
    checks: _Checks,
) -> None:
    """Path answers (`yes|yes|no`, the rows `at`) followed step by step, in place in
    `scored`: the score of the ending answer, or "missing" for a path that stops before its
    end. A code that is not an option of the step reached, or a code after an ending answer,
    is a problem. Each distinct (item, answer) pair is followed once."""
    if len(at) == 0:
        return
    frame, pair = _pairs(rows, at, field, field_ids)
    path = _path_of_pairs(frame, tables.paths)

    def flagged(per_pair: np.ndarray) -> np.ndarray:
        flags = np.zeros(len(rows), dtype=bool)
        flags[at] = per_pair[pair]
        return flags

    row_pair = np.zeros(len(rows), dtype=np.int64)
    row_pair[at] = pair
    chosen = _per_row(path["bad_code"], row_pair)
    step = _per_row(path["bad_step"], row_pair)
    checks.report(
        flagged(path["bad"] & path["after"]),
        Code.PATH_AFTER_END,
        answer=_column("answer"),
        item=_column("item_id"),
        chosen=chosen,
        step=step,
    )
    options = tables.paths.groupby(["field_id", "step_id"], sort=False)["code"].agg(", ".join)
    checks.report(
        flagged(path["bad"] & ~path["after"]),
        Code.PATH_NOT_AN_OPTION,
        answer=_column("answer"),
        item=_column("item_id"),
        chosen=chosen,
        step=step,
        options=lambda rows, hit: options.reindex(
            pd.MultiIndex.from_arrays(
                [frame["item_id"].to_numpy()[row_pair[hit]], path["bad_step"][row_pair[hit]]]
            )
        ).tolist(),
    )
    complete = path["step"] < 0
    is_scored = tables.fields["scored"].to_numpy(dtype=bool)[field[at]]
    done = complete[pair]
    scored.score[at] = np.where(done & is_scored, path["score"][pair], np.nan)
    scored.status[at] = np.where(
        done, np.where(is_scored, SCORED_CODE, UNSCORED_CODE), MISSING_CODE
    )


def _path_of_pairs(frame: pd.DataFrame, paths: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each distinct path answer (`frame`: item_id, answer) followed step by step.

    One pass per step position of the longest path (a loop over the questionnaire, not over
    the answers): each answer's current step and its code at that position are looked up at
    once in `paths`."""
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
        code = _stripped(codes.str.get(position))
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
                keys(
                    field,
                    np.where(looked, step, -1),
                    code_index.get_indexer(pd.Index(code, dtype=object)),
                )
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
    return {
        "bad": bad,
        "after": after,
        "bad_code": bad_code,
        "bad_step": bad_step,
        "step": step,
        "score": score,
    }


def _numeric_scores(
    rows: ResponseRows,
    at: np.ndarray,
    field: np.ndarray,
    field_ids: np.ndarray,
    fields: pd.DataFrame,
    checks: _Checks,
) -> np.ndarray:
    answer = rows.answer
    # Each distinct answer given to a numeric item is read once.
    present = np.flatnonzero(np.bincount(answer.codes[at], minlength=len(answer.values)))
    texts = pd.Series(answer.values[present], dtype=object)
    parsed = pd.to_numeric(texts.str.replace(",", ".", regex=False), errors="coerce")
    parsed = parsed.where(np.isfinite(parsed))  # "inf" and "nan" are not figures
    number = np.full(len(answer.values), np.nan)
    number[present] = parsed.to_numpy(dtype=float)
    v = number[answer.codes[at]]
    not_number = np.zeros(len(rows), dtype=bool)
    not_number[at[np.isnan(v)]] = True
    checks.report(not_number, Code.NOT_A_NUMBER, answer=_column("answer"), item=_column("item_id"))
    low = fields["minimum"].to_numpy(dtype=float)[field[at]]
    high = fields["maximum"].to_numpy(dtype=float)[field[at]]
    outside = np.zeros(len(rows), dtype=bool)
    outside[at] = (~np.isnan(low) & (v < low)) | (~np.isnan(high) & (v > high))
    checks.report(
        outside,
        Code.OUT_OF_RANGE,
        answer=_column("answer"),
        item=_column("item_id"),
        range=lambda rows, hit: _range_text(
            pd.Series(field_ids[field[hit]], dtype=object), fields
        ).tolist(),
    )
    worst = fields["worst"].to_numpy(dtype=float)[field[at]]
    best = fields["best"].to_numpy(dtype=float)[field[at]]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.clip((v - worst) / (best - worst), 0.0, 1.0)
    return 100.0 * share


def _option_positions(item_ids: pd.Series, codes: pd.Series, options: pd.DataFrame) -> np.ndarray:
    """Row of `options` matching each (item, code) pair, -1 where there is none.

    Pairs are encoded as integers (field number x number of codes + code number) so that the
    lookup is one hash join on integers instead of string concatenations.
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


def _valid_codes_of(options: pd.DataFrame) -> Param:
    """A problem's parameter: the codes of the options of each offending row's item."""
    codes = options.groupby("field_id", sort=False)["code"].agg(", ".join)
    return lambda rows, hit: codes.reindex(rows.texts("item_id", hit)).fillna("").tolist()


def _range_text(item_ids: pd.Series, fields: pd.DataFrame) -> pd.Series:
    spec = fields.reindex(item_ids)
    text = (
        "[" + spec["minimum"].map("{:g}".format) + ", " + spec["maximum"].map("{:g}".format) + "]"
    )
    return pd.Series(text.str.replace("nan", "…").to_numpy(), index=item_ids.index)


# --- conditional questions (`relevant`, questionnaire/relevance.py) ------------------------


def _check_shown(
    scored: _Scored,
    rows: ResponseRows,
    field: np.ndarray,
    usable: np.ndarray,
    tables: FieldTables,
    checks: _Checks,
) -> ShownTable | None:
    """Items and options hidden by their conditions, per respondent (from their own answers).

    An answer other than NA to an item not shown, or choosing an option not shown, is told
    (`not_relevant`, `option_not_relevant`); an item not shown is "not applicable"; a multi
    item's share counts only the options shown to the respondent. Returns what is shown, or
    None when the questionnaire has no condition."""
    rules = tables.relevance
    if rules.empty or len(rows) == 0:
        return None
    table = shown_to_respondents(
        rules,
        pd.Series(rows.respondent.texts(), dtype=object),
        pd.Series(rows.item.texts(), dtype=object),
        pd.Series(rows.answer.texts(), dtype=object),
    )
    at = np.flatnonzero(usable)
    index = pd.Index(at)
    person = table.respondents.get_indexer(pd.Index(rows.respondent.texts(at), dtype=object))
    item_of = tables.fields["item_id"].to_numpy(dtype=object)[field[at]]
    answer = rows.answer.texts(at)
    given = (answer != "") & (answer != NOT_APPLICABLE)
    hidden = np.zeros(len(at), dtype=bool)
    for item_id, shown in table.items.items():
        hidden |= (item_of == item_id) & ~shown[person]
    texts = {item_id: rule.text() for item_id, rule in rules.items.items()}
    condition = pd.Series(item_of, index=index, dtype=object).map(texts).fillna("")
    checks.report(
        pd.Series(hidden & given, index=index),
        Code.NOT_RELEVANT,
        item=_column("item_id"),
        answer=_column("answer"),
        respondent=_column("respondent_id"),
        condition=_rows_of(condition),
    )
    scored.status[at[hidden]] = NA_CODE
    scored.score[at[hidden]] = np.nan
    _check_shown_options(scored, rows, at, table, person, item_of, ~hidden & given, tables, checks)
    return table


def _check_shown_options(scored, rows, at, table, person, item_of, open_, tables, checks) -> None:
    """Choices of options not shown told; multi shares over the options shown."""
    if not table.options:
        return
    rules = tables.relevance
    options = tables.options
    index = pd.Index(at)
    field_ids = pd.Series(rows.item.texts(at), index=index, dtype=object)
    kind = tables.fields["kind"].reindex(field_ids).to_numpy(dtype=object)
    answer = pd.Series(rows.answer.texts(at), index=index, dtype=object)
    ticks = answer.str.split(MULTI_SEPARATOR, regex=False).explode().str.strip()
    hidden_weight = np.zeros(len(at))
    for (item_id, code), shown in table.options.items():
        here = open_ & (item_of == item_id) & ~shown[person]
        if not here.any():
            continue
        ticked = (ticks == code).groupby(level=0).any().reindex(index).to_numpy(dtype=bool)
        chosen = here & np.where(kind == "multi", ticked, answer.to_numpy(dtype=object) == code)
        checks.report(
            pd.Series(chosen, index=index),
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
    _share_of_shown(scored, at, field_ids, ticks, hidden_weight, options)


def _share_of_shown(scored, at, field_ids, ticks, hidden_weight, options) -> None:
    """A multi share is ticked weight / weight of the options shown: the engine's share over
    every option of weight > 0, scaled by total / (total - hidden), unless an option that
    stands alone (exclusive, weight 0) is ticked."""
    hiding = hidden_weight > 0
    if not hiding.any():
        return
    exclusive = options[options["exclusive"] & (options["weight"] == 0)]
    pairs = pd.MultiIndex.from_arrays([exclusive["field_id"], exclusive["code"]])
    field_of_tick = field_ids.reindex(ticks.index)
    is_exclusive = pd.MultiIndex.from_arrays([field_of_tick, ticks]).isin(pairs)
    any_exclusive = (
        pd.Series(is_exclusive, index=ticks.index).groupby(level=0).any().reindex(field_ids.index)
    ).to_numpy(dtype=bool)
    total = options[options["weight"] > 0].groupby("field_id")["weight"].sum()
    total_of = total.reindex(field_ids).to_numpy(dtype=float)
    scale = hiding & ~any_exclusive & (total_of > hidden_weight)
    rows = at[scale]
    factor = total_of[scale] / (total_of[scale] - hidden_weight[scale])
    scored.score[rows] = scored.score[rows] * factor


def _hidden_as_not_applicable(
    table: AnswerTable, tables: FieldTables, shown: ShownTable | None
) -> AnswerTable:
    """A "not applicable" row for each field of an item not shown to a respondent whose role
    it is asked of, when the responses have no row for it: it leaves the denominators."""
    if shown is None or not shown.items:
        return table
    first = _first_rows(table.respondent)
    people = np.sort(first[first < len(table)])  # each respondent's first row, in order
    person = shown.respondents.get_indexer(pd.Index(table.respondent.texts(people), dtype=object))
    role = positions(tables.roles.columns, table.role.take(people))
    roles = tables.roles.to_numpy(dtype=bool)
    fields = tables.fields
    item_ids = fields["item_id"].to_numpy(dtype=object)
    added_rows, added_fields = [], []
    for item_id, shown_to in shown.items.items():
        for at in np.flatnonzero(item_ids == item_id):
            asked = np.where(role >= 0, roles[at, np.maximum(role, 0)], False)
            mask = ~shown_to[person] & asked
            added_rows.append(people[mask])
            added_fields.append(np.full(int(mask.sum()), at, dtype=np.int64))
    if not added_rows:
        return table
    rows = np.concatenate(added_rows)
    field = np.concatenate(added_fields)
    width = len(fields) + 1
    present = table.respondent.codes * width + table.field
    wanted = table.respondent.codes[rows] * width + field
    new = ~np.isin(wanted, present)
    rows, field = rows[new], field[new]
    if len(rows) == 0:
        return table

    def joined(column: TextColumn, codes: np.ndarray) -> TextColumn:
        return TextColumn(np.concatenate([column.codes, codes]), column.values)

    return AnswerTable(
        organisation=joined(table.organisation, table.organisation.codes[rows]),
        respondent=joined(table.respondent, table.respondent.codes[rows]),
        role=joined(table.role, table.role.codes[rows]),
        field=np.concatenate([table.field, field]),
        status=np.concatenate([table.status, np.full(len(rows), NA_CODE, dtype=np.int8)]),
        score=np.concatenate([table.score, np.full(len(rows), np.nan)]),
        value=joined(table.value, np.full(len(rows), table.value.code_of(""), dtype=np.int64)),
        field_ids=table.field_ids,
    )
