"""SurveyJS results read into the responses format (docs/responses-format.md).

A results file is a JSON list with one result per respondent: the object `survey.data` gives
(question name -> answer), or an object whose `data` key holds it beside metadata (the shape
of SurveyJS's own exports, `{"id": ..., "data": {...}}`). The form written by
`interop.surveyjs` asks for `role` and `organisation_id` on its first page; the respondent's id
is the result's `respondent_id`, else its `id` (in the result or its metadata), else its
position in the file (`R0001` for the first result, `R0002`...).

Answers become rows of the responses format: a choice's value is its option code, a checkbox
list its codes joined by `|` (SurveyJS's `"none"` is the item's exclusive option), a boolean
`yes` or `no`, a matrix `{row: column}` one row `ITEM.ROW` per answered row, a number its
shortest decimal text, SurveyJS's `"dontknow"` `DK` (unless the item has an option of that
code). SurveyJS's `"refused"` (its "Refuse to answer" item, `showRefuseItem`) is no answer:
refusing is not "not applicable", so no row is written and the report lists it
(`MappingReport.refused`). Every answer is then checked with the
rules of `barometre score` (`scoring.answers.score_answers`); every problem is told at once
with the result's index and its key, e.g. `results.json [3] "loc_channels"`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from barometre.errors import Code, Problem, ResponsesError, excerpt, problem
from barometre.interop.mapping import MappingReport
from barometre.interop.surveyjs import (
    NONE_VALUE,
    ORGANISATION_QUESTION,
    ROLE_QUESTION,
    SURVEYJS_DONT_KNOW,
    SURVEYJS_REFUSED,
    answer_code,
    load_json,
    path_step_name,
)
from barometre.questionnaire.fields import build_field_tables
from barometre.questionnaire.models import (
    CODED_KINDS,
    DONT_KNOW,
    MULTI_SEPARATOR,
    Item,
    Questionnaire,
)
from barometre.scoring.answers import RESPONSE_COLUMNS, score_answers

#: Keys of a result that say who answered, not what.
ID_KEYS = ("respondent_id", "id")
ROUTING_KEYS = frozenset({ROLE_QUESTION, ORGANISATION_QUESTION, *ID_KEYS})


def read_surveyjs_results(path: str | Path, q: Questionnaire) -> tuple[pd.DataFrame, MappingReport]:
    """The answers of a SurveyJS results file as a responses table (the five columns of
    `RESPONSE_COLUMNS`, text) and what was matched; raises `ResponsesError` with every
    problem, each with the result's index and key."""
    data = load_json(Path(path), ResponsesError)
    return surveyjs_results(data, q, source=str(path))


def surveyjs_results(
    data: Any, q: Questionnaire, source: str = "<results>"
) -> tuple[pd.DataFrame, MappingReport]:
    """`read_surveyjs_results` on parsed JSON."""
    if not isinstance(data, list):
        raise ResponsesError(source, [problem(source, Code.SURVEYJS_RESULTS_NOT_A_LIST)])
    items = {item.id: item for item in q.items}
    exclusive = {
        item.id: [o.code for o in item.options if o.exclusive]
        for item in q.items
        if item.kind == "multi"
    }
    paths = [item for item in q.items if item.kind == "path"]
    problems: list[Problem] = []
    rows: list[tuple[str, str, str, str, str]] = []
    #: for each row, where it comes from: (result index, key)
    origin: list[tuple[int, str]] = []
    seen: set[str] = set()
    unknown: dict[str, None] = {}
    refused: list[str] = []

    def at(index: int, key: str | None = None) -> str:
        return f'{source} [{index}] "{excerpt(key)}"' if key else f"{source} [{index}]"

    for index, result in enumerate(data):
        if not isinstance(result, dict):
            problems.append(
                problem(at(index), Code.SURVEYJS_RESULT_NOT_AN_OBJECT, value=excerpt(result))
            )
            continue
        answers, metadata = _split(result)
        answers = _joined_paths(answers, paths)
        who: dict[str, str] = {}
        for key in (ROLE_QUESTION, ORGANISATION_QUESTION):
            value = answers.get(key, metadata.get(key))
            if value is None or value == "":
                problems.append(problem(at(index, key), Code.SURVEYJS_RESULT_MISSING_KEY, key=key))
            elif (text := answer_code(value)) is None:
                problems.append(
                    problem(
                        at(index, key), Code.SURVEYJS_RESULT_NOT_TEXT, key=key, value=excerpt(value)
                    )
                )
            else:
                who[key] = text
        respondent = f"R{index + 1:04d}"
        for key in ID_KEYS:
            value = answers.get(key, metadata.get(key))
            if value is not None and value != "":
                text = answer_code(value)
                if text is None:
                    problems.append(
                        problem(
                            at(index, key),
                            Code.SURVEYJS_RESULT_NOT_TEXT,
                            key=key,
                            value=excerpt(value),
                        )
                    )
                else:
                    respondent = text
                break
        if len(who) < 2:
            continue
        for key, value in answers.items():
            if key in ROUTING_KEYS:
                continue
            item = items.get(key)
            if item is None:
                unknown.setdefault(str(key))
                continue
            if _is_refusal(item, value):
                seen.add(item.id)
                refused.append(at(index, key))
                continue
            converted = _answers(item, value, exclusive.get(item.id, []))
            if isinstance(converted, Problem):
                problems.append(replace(converted, location=at(index, key)))
                continue
            for field_id, answer in converted:
                if field_id is None:
                    unknown.setdefault(f"{item.id}.{answer}")
                    continue
                seen.add(field_id)
                if answer == "":
                    continue
                rows.append(
                    (who[ORGANISATION_QUESTION], respondent, who[ROLE_QUESTION], field_id, answer)
                )
                origin.append((index, key))
    frame = pd.DataFrame(rows, columns=RESPONSE_COLUMNS, dtype=object)
    tables = build_field_tables(q)
    problems.extend(_engine_problems(frame, origin, tables, source, at))
    if problems:
        raise ResponsesError(source, problems)
    fields = list(tables.fields.index)
    report = MappingReport(
        matched=tuple(f for f in fields if f in seen),
        unknown=tuple(unknown),
        missing=tuple(f for f in fields if f not in seen),
        submissions=len(data),
        answers=len(frame),
        source="results",
        refused=tuple(refused),
    )
    return frame, report


def _joined_paths(answers: dict[str, Any], paths: list[Item]) -> dict[str, Any]:
    """A path item's steps (`ITEM__STEP`, one answer each) joined into its one answer: the
    steps answered, in the order of the steps, with `|` (SurveyJS clears the answer of a step
    that is no longer shown). A step's answer that is not text is left for `_answers` to
    refuse, under the item."""
    if not paths:
        return answers
    joined = dict(answers)
    for item in paths:
        names = [path_step_name(item, step.id) for step in item.steps]
        given = [joined.pop(name) for name in names if name in joined]
        if not given or item.id in joined:
            continue
        codes = [_coded(value) for value in given if value is not None and value != ""]
        if any(code is None for code in codes):
            joined[item.id] = next(v for v in given if _coded(v) is None)
            continue
        joined[item.id] = MULTI_SEPARATOR.join(str(code) for code in codes)
    return joined


def _split(result: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A result's answers and its metadata: `{"data": {...}, ...}` or the answers alone."""
    inner = result.get("data")
    if isinstance(inner, dict):
        return inner, {k: v for k, v in result.items() if k != "data"}
    return result, {}


def _answers(
    item: Item, value: Any, exclusive: list[str]
) -> list[tuple[str | None, str]] | Problem:
    """The (field id, answer) pairs of one answer to `item` (field id None for a matrix row
    the item does not have: its row id is the answer); a `Problem` (located later) when the
    answer's JSON type is not one the item takes."""
    if value is None:
        return [(item.id, "")]
    codes = frozenset(o.code for o in item.options)
    if item.kind == "status":
        if not isinstance(value, dict):
            return problem("", Code.SURVEYJS_RESULT_NOT_ROWS, value=excerpt(value))
        rows = {row.id for row in item.rows}
        pairs: list[tuple[str | None, str]] = []
        for row, cell in value.items():
            if cell is None or cell == "":
                pairs.append((f"{item.id}.{row}", "") if row in rows else (None, str(row)))
                continue
            code = _coded(cell, codes)
            if code is None:
                return problem("", Code.SURVEYJS_RESULT_NOT_AN_ANSWER, value=excerpt(cell))
            pairs.append((f"{item.id}.{row}", code) if row in rows else (None, str(row)))
        return pairs
    if item.kind == "multi":
        ticks = value if isinstance(value, list) else [value]
        ticked = [_coded(tick, codes) for tick in ticks]
        if any(code is None for code in ticked) or isinstance(value, dict):
            return problem("", Code.SURVEYJS_RESULT_NOT_CHOICES, value=excerpt(value))
        if NONE_VALUE not in codes and len(exclusive) == 1:
            ticked = [exclusive[0] if code == NONE_VALUE else code for code in ticked]
        return [(item.id, MULTI_SEPARATOR.join(str(code) for code in ticked))]
    if isinstance(value, bool):
        return [(item.id, "yes" if value else "no")]
    code = _coded(value, codes) if item.kind in CODED_KINDS else answer_code(value)
    if code is None:
        return problem("", Code.SURVEYJS_RESULT_NOT_AN_ANSWER, value=excerpt(value))
    return [(item.id, code)]


def _is_refusal(item: Item, value: Any) -> bool:
    """Whether the answer is SurveyJS's "Refuse to answer" item (alone, or ticked in a
    checkbox's list, where SurveyJS makes it exclusive), for an item without an option of
    that code."""
    if item.kind not in (*CODED_KINDS, "multi") or item.kind == "status":
        return False
    if any(o.code == SURVEYJS_REFUSED for o in item.options):
        return False
    ticks = value if isinstance(value, list) else [value]
    return SURVEYJS_REFUSED in [tick for tick in ticks if isinstance(tick, str)]


def _coded(value: Any, codes: frozenset[str] = frozenset()) -> str | None:
    """A choice's code; SurveyJS's "Don't know" item is DK (unless `codes`, the item's
    options, holds it)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    code = answer_code(value)
    return DONT_KNOW if code == SURVEYJS_DONT_KNOW and code not in codes else code


def _engine_problems(
    frame: pd.DataFrame, origin: list[tuple[int, str]], tables, source: str, at
) -> list[Problem]:
    """The problems `barometre score` finds in these rows, located at their result and key
    (a problem of the respondent, told once per result)."""
    if frame.empty:
        return []
    checked = frame.assign(line=range(len(frame)))
    try:
        score_answers(checked, tables, source)
    except ResponsesError as error:
        found: dict[tuple[str, str, str], Problem] = {}
        for engine_problem in error.problems:
            line = int(engine_problem.location.rsplit(":", 1)[1])
            index, key = origin[line]
            column = (engine_problem.params or {}).get("column")
            if column in ("organisation_id", "respondent_id", "role"):
                key = str(column)
            elif engine_problem.code == Code.UNKNOWN_ROLE:
                key = ROLE_QUESTION
            located = replace(engine_problem, location=at(index, key))
            found.setdefault((located.location, located.code, located.message), located)
        return list(found.values())
    return []
