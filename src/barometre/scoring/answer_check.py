"""One answer checked in microseconds, with exactly the rules of `score_answers`.

The engine (`scoring/answers.py`) checks a responses file column by column: its fixed cost is a
few dozen pandas operations, nothing over a million answers but 15-25 ms for a single one.
The web application checks one answer at a time, as each is autosaved. `AnswerRules` holds, per
answer field, the rule the engine applies (kind, option codes, exclusive codes, bounds, roles),
built once per questionnaire from its `FieldTables`, so that an answer is checked with a few
dict and set lookups.

`AnswerRules.check` returns the problem code that `score_answers` reports first for a one-row
responses table with that role, item and answer (organisation "o", respondent "r"), or None
when the engine accepts the row; `AnswerRules.problem` makes it a `Problem` for the person who
gave the answer: its code (`FOR_RESPONDENT`) has a message written for them, shown by the web
in the reader's language (`Problem.localized`). The web also takes from `AnswerRules` the field
ids of an item (`item_fields`) and the bounds of a number (`FieldRule.minimum`, `maximum`).
`tests/scoring/test_answer_check.py` checks this equivalence on random answers against the
engine itself. For one row the engine's order is the order of its checks: an unknown item,
then an unknown role, then a role not asked, then the answer's text (at most
`MAX_ANSWER_LENGTH` characters, no NUL character: limits of every kind of answer, so that the
web stores nothing a responses file could not hold), then the answer against its item, then,
when the respondent's other answers are given (`answers=`), the conditions of conditional
questions (`not_relevant`, `option_not_relevant`). An empty role or item cannot be first: it
is already unknown. The web checks an answer without its conditions: an answer to a question
its conditions now hide is kept, and left out when the wave is scored.

Numbers are the one delicate part: the engine reads them with `pandas.to_numeric`, whose parser
is not correctly rounded for every spelling (with pandas 3.1, "+100.00000000000001" reads as
100.0 but "100.00000000000001" as 100.00000000000001). Plain decimals of at most 15 digits with a
small exponent are read by Python's `float`, which then provably gives the same double; any
other spelling that contains a digit is handed to `pandas.to_numeric` itself, so that the
answer is read exactly as in a responses file.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from barometre.errors import Code, Problem, problem
from barometre.questionnaire.fields import FieldTables
from barometre.questionnaire.models import (
    CODED_KINDS,
    DONT_KNOW,
    MULTI_SEPARATOR,
    NOT_APPLICABLE,
    NUMERIC_KINDS,
)
from barometre.questionnaire.relevance import RelevanceRules, ShownOne, shown_for
from barometre.scoring.answers import MAX_ANSWER_LENGTH, NUL

#: Answers that are always accepted for a field asked to the role ("" means unanswered).
_ALWAYS_ACCEPTED = frozenset({"", NOT_APPLICABLE, DONT_KNOW})

#: The problem told to the person answering, by the engine's code (`AnswerRules.check`): the
#: engine's messages are for the operator who reads a responses file. An answer longer than
#: `MAX_ANSWER_LENGTH` is told with `Code.TOO_LONG`, which says the limit.
FOR_RESPONDENT: Mapping[Code, Code] = MappingProxyType(
    {
        Code.UNKNOWN_ITEM: Code.ANSWER_NOT_ASKED,
        Code.UNKNOWN_ITEM_STATUS_TABLE: Code.ANSWER_NOT_ASKED,
        Code.UNKNOWN_ROLE: Code.ANSWER_REFUSED,
        Code.ROLE_NOT_ASKED: Code.ANSWER_NOT_ASKED,
        Code.NOT_AN_OPTION: Code.ANSWER_NOT_AN_OPTION,
        Code.NOT_AN_OPTION_MULTI: Code.ANSWER_NOT_AN_OPTION,
        Code.EXCLUSIVE_COMBINED: Code.ANSWER_EXCLUSIVE_COMBINED,
        Code.REPEATED_OPTION: Code.ANSWER_REPEATED_OPTION,
        Code.NOT_A_NUMBER: Code.ANSWER_NOT_A_NUMBER,
        Code.OUT_OF_RANGE: Code.ANSWER_OUT_OF_RANGE,
        Code.NUL_CHARACTER: Code.ANSWER_NUL_CHARACTER,
        Code.PATH_NOT_AN_OPTION: Code.ANSWER_NOT_AN_OPTION,
        Code.PATH_AFTER_END: Code.ANSWER_PATH_AFTER_END,
        Code.NOT_RELEVANT: Code.ANSWER_NOT_RELEVANT,
        Code.OPTION_NOT_RELEVANT: Code.ANSWER_NOT_AN_OPTION,
    }
)

# A plain decimal: sign, ASCII digits, an optional point and a short exponent.
_PLAIN_NUMBER = re.compile(r"[+-]?([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]{1,4}))?", re.ASCII)
_ASCII_DIGIT = re.compile(r"[0-9]", re.ASCII)
# Within these limits the digits make an integer below 2**53 and the power of ten is exact, so
# that any parser doing one multiplication or division (pandas' fallback) rounds once, like
# Python's correctly rounded `float` and pandas' fast_float path.
_EXACT_DIGITS = 15
_EXACT_POWER = 22


def parse_number(text: str) -> float:
    """A numeric answer as the engine reads it: decimal comma accepted, NaN if not finite.

    `text` is already stripped. Same value as `pd.to_numeric` after the engine's
    `str.replace(",", ".")` and `where(np.isfinite)`.
    """
    text = text.replace(",", ".")
    plain = _PLAIN_NUMBER.fullmatch(text)
    if plain is not None:
        whole, fraction, exponent = plain.group(1), plain.group(2) or "", plain.group(3)
        digits = len(whole) + len(fraction)
        power = (int(exponent) if exponent else 0) - len(fraction)
        if 0 < digits <= _EXACT_DIGITS and -_EXACT_POWER <= power <= _EXACT_POWER:
            return float(text)
    if _ASCII_DIGIT.search(text) is None:
        return math.nan  # no ASCII digit: the engine's parser finds no finite number
    return _engine_number(text)


def _engine_number(text: str) -> float:
    """The engine's own reading, for spellings outside the plain grammar (rare)."""
    value = pd.to_numeric(pd.Series([text], dtype=object), errors="coerce")
    number = value.to_numpy()[0]
    if not np.isfinite(number):
        return math.nan
    # int64 and uint64 compare with the float bounds as float64, as in the engine.
    return float(number)


@dataclass(frozen=True, slots=True)
class FieldRule:
    """What the engine accepts in one answer field.

    codes:     the option codes of a coded or multi field (empty for other kinds).
    exclusive: the codes of a multi field that must stand alone ("none of these").
    minimum, maximum: bounds of a numeric field, None when there is none (a percent is
               within 0-100 unless its item says otherwise).
    roles:     the roles the field is asked to.
    item_id, row_id: the item the field answers, and its row for a status table (else None).
    """

    field_id: str
    kind: str
    roles: frozenset[str]
    codes: frozenset[str] = frozenset()
    exclusive: frozenset[str] = frozenset()
    minimum: float | None = None
    maximum: float | None = None
    item_id: str = ""
    row_id: str | None = None
    #: The steps of a path item, in order: each step's codes and the position of the step
    #: each leads to (-1 when it ends the path).
    steps: tuple[Mapping[str, int], ...] = ()

    def problem(self, value: str) -> Code | None:
        """The code of the first rule a stripped, given answer breaks (not "", NA or DK)."""
        kind = self.kind
        if kind in CODED_KINDS:
            return None if value in self.codes else Code.NOT_AN_OPTION
        if kind == "multi":
            ticks = [tick.strip() for tick in value.split(MULTI_SEPARATOR)]
            if not self.codes.issuperset(ticks):
                return Code.NOT_AN_OPTION_MULTI
            if len(ticks) > 1 and not self.exclusive.isdisjoint(ticks):
                return Code.EXCLUSIVE_COMBINED
            if len(set(ticks)) < len(ticks):
                return Code.REPEATED_OPTION
            return None
        if kind in NUMERIC_KINDS:
            number = parse_number(value)
            if math.isnan(number):
                return Code.NOT_A_NUMBER
            if (self.minimum is not None and number < self.minimum) or (
                self.maximum is not None and number > self.maximum
            ):
                return Code.OUT_OF_RANGE
            return None
        if kind == "path":
            return _path_problem(self.steps, value)
        return None  # text: anything goes


@dataclass(frozen=True, eq=False)
class AnswerRules:
    """The engine's answer rules of one questionnaire, field by field.

    Build it once per questionnaire with `AnswerRules.from_tables(tables)`.
    """

    fields: Mapping[str, FieldRule]
    roles: frozenset[str]
    asked: Mapping[str, frozenset[str]]
    items: Mapping[str, tuple[FieldRule, ...]] = field(default_factory=lambda: MappingProxyType({}))
    #: The conditions of conditional questions (`check(..., answers=...)`, `shown`).
    relevance: RelevanceRules = field(default_factory=RelevanceRules)

    @classmethod
    def from_tables(cls, tables: FieldTables) -> AnswerRules:
        codes: dict[str, set[str]] = {}
        exclusive: dict[str, set[str]] = {}
        for fid, code, is_exclusive in zip(
            tables.options["field_id"],
            tables.options["code"],
            tables.options["exclusive"],
            strict=True,
        ):
            codes.setdefault(fid, set()).add(code)
            if is_exclusive:
                exclusive.setdefault(fid, set()).add(code)
        steps = _path_steps(tables)
        role_codes = [str(role) for role in tables.roles.columns]
        asked_matrix = tables.roles.to_numpy(dtype=bool)
        fields: dict[str, FieldRule] = {}
        items: dict[str, list[FieldRule]] = {}
        for position, (fid, spec) in enumerate(tables.fields.iterrows()):
            fid = str(fid)
            kind = str(spec["kind"])
            row_id = spec["row_id"]
            fields[fid] = rule = FieldRule(
                field_id=fid,
                kind=kind,
                roles=frozenset(
                    r for r, a in zip(role_codes, asked_matrix[position], strict=True) if a
                ),
                codes=frozenset(codes.get(fid, ())),
                exclusive=frozenset(exclusive.get(fid, ())),
                minimum=_bound(spec["minimum"]),
                maximum=_bound(spec["maximum"]),
                item_id=str(spec["item_id"]),
                row_id=None if row_id is None or pd.isna(row_id) else str(row_id),
                steps=steps.get(fid, ()),
            )
            items.setdefault(rule.item_id, []).append(rule)
        asked = {
            role: frozenset(fid for fid, rule in fields.items() if role in rule.roles)
            for role in role_codes
        }
        return cls(
            fields=MappingProxyType(fields),
            roles=frozenset(role_codes),
            asked=MappingProxyType(asked),
            items=MappingProxyType({item: tuple(rules) for item, rules in items.items()}),
            relevance=tables.relevance,
        )

    def check(
        self, role: str, field_id: str, value: str, answers: Mapping[str, str] | None = None
    ) -> Code | None:
        """None when the engine accepts this answer, else the code of its first problem.

        With `answers` (the respondent's answers by field id), the conditions of conditional
        questions are checked too, as `score_answers` does for a respondent with those
        answers; without, they are not (the web keeps an answer its conditions hide)."""
        field_id = field_id.strip()
        rule = self.fields.get(field_id)
        if rule is None:
            if any(row.kind == "status" for row in self.items.get(field_id, ())):
                return Code.UNKNOWN_ITEM_STATUS_TABLE
            return Code.UNKNOWN_ITEM
        role = role.strip()
        if role not in self.roles:
            return Code.UNKNOWN_ROLE
        if role not in rule.roles:
            return Code.ROLE_NOT_ASKED
        value = value.strip()
        if value in _ALWAYS_ACCEPTED:
            return self._not_shown(rule, value, answers)
        if len(value) > MAX_ANSWER_LENGTH:
            return Code.ANSWER_TOO_LONG_IN_FILE
        if NUL in value:
            return Code.NUL_CHARACTER
        return rule.problem(value) or self._not_shown(rule, value, answers)

    def shown(self, answers: Mapping[str, str]) -> ShownOne:
        """The items and options a respondent with these answers (by field id) is not shown."""
        return shown_for(self.relevance, answers)

    def _not_shown(
        self, rule: FieldRule, value: str, answers: Mapping[str, str] | None
    ) -> Code | None:
        """An answer (other than NA) to an item its conditions hide, or a choice of a hidden
        option (`score_answers`' `not_relevant`, `option_not_relevant`)."""
        if answers is None or value in ("", NOT_APPLICABLE) or self.relevance.empty:
            return None
        shown = shown_for(self.relevance, answers)
        if not shown.item_shown(rule.item_id):
            return Code.NOT_RELEVANT
        hidden = shown.hidden_options.get(rule.item_id)
        if not hidden:
            return None
        if rule.kind == "multi":
            ticks = {tick.strip() for tick in value.split(MULTI_SEPARATOR)}
            return Code.OPTION_NOT_RELEVANT if ticks & hidden else None
        return Code.OPTION_NOT_RELEVANT if value in hidden else None

    def problem(
        self, role: str, field_id: str, value: str, answers: Mapping[str, str] | None = None
    ) -> Problem | None:
        """None when the engine accepts this answer, else its first problem, located at the
        field, with a message for the person answering (`FOR_RESPONDENT`)."""
        code = self.check(role, field_id, value, answers)
        if code is None:
            return None
        if code is Code.ANSWER_TOO_LONG_IN_FILE:  # the one message with a figure
            return problem(field_id.strip(), Code.TOO_LONG, n=MAX_ANSWER_LENGTH)
        return problem(field_id.strip(), FOR_RESPONDENT[code])

    def item_fields(self, item_id: str) -> tuple[FieldRule, ...]:
        """The answer fields of an item, in the questionnaire's order: the item itself, or one
        per row of a status table (`ITEM.ROW`); empty for an unknown item."""
        return self.items.get(item_id, ())

    def asked_fields(self, role: str) -> frozenset[str]:
        """Every field asked to `role` (status rows as ITEM.ROW); empty for an unknown role."""
        return self.asked.get(role.strip(), frozenset())


def _path_steps(tables: FieldTables) -> dict[str, tuple[Mapping[str, int], ...]]:
    """Each path field's steps (`FieldRule.steps`), from `tables.paths`."""
    found: dict[str, list[dict[str, int]]] = {}
    paths = tables.paths
    for fid, step, code, goes_to in zip(
        paths["field_id"], paths["step"], paths["code"], paths["next"], strict=True
    ):
        steps = found.setdefault(str(fid), [])
        while len(steps) <= int(step):
            steps.append({})
        steps[int(step)][str(code)] = int(goes_to)
    return {fid: tuple(MappingProxyType(step) for step in steps) for fid, steps in found.items()}


def _path_problem(steps: tuple[Mapping[str, int], ...], value: str) -> Code | None:
    """The engine's rule for a path answer: each code an option of the step reached, nothing
    after an ending answer (an incomplete path is accepted: it counts as missing)."""
    position = 0
    for tick in value.split(MULTI_SEPARATOR):
        if position < 0:
            return Code.PATH_AFTER_END
        goes_to = steps[position].get(tick.strip()) if position < len(steps) else None
        if goes_to is None:
            return Code.PATH_NOT_AN_OPTION
        position = goes_to
    return None


def _bound(value) -> float | None:
    number = float(value)
    return None if math.isnan(number) else number
