"""`AnswerRules.check` gives, for one answer, exactly the first problem `score_answers` reports."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from barometre.errors import ResponsesError
from barometre.questionnaire import build_field_tables, load_questionnaire, parse_questionnaire
from barometre.questionnaire.fields import FieldTables
from barometre.questionnaire.models import NUMERIC_KINDS
from barometre.scoring.answer_check import FOR_RESPONDENT, AnswerRules, FieldRule, parse_number
from barometre.scoring.answers import score_answers
from tests.helpers import TINY
from tests.scoring.test_path_items import TABLES as PATH_TABLES

TINY_TABLES = build_field_tables(parse_questionnaire(TINY, "tiny"))
HLM_TABLES = build_field_tables(load_questionnaire("hlm-2026"))
TINY_RULES = AnswerRules.from_tables(TINY_TABLES)
HLM_RULES = AnswerRules.from_tables(HLM_TABLES)


def engine_code(tables: FieldTables, role: str, field_id: str, value: str) -> str | None:
    """What the web did before `AnswerRules`: the engine on a one-row responses table."""
    row = pd.DataFrame(
        [
            {
                "organisation_id": "o",
                "respondent_id": "r",
                "role": role,
                "item_id": field_id,
                "answer": value,
            }
        ]
    )
    try:
        score_answers(row, tables, source="answer")
    except ResponsesError as exc:
        return exc.problems[0].code
    return None


# --- hand-written cases on the tiny questionnaire ----------------------------------------------

ACCEPTED = [
    ("direction", "a_scale", "3"),
    ("direction", "a_scale", ""),
    ("direction", "a_scale", "   "),
    ("direction", "a_scale", "NA"),
    ("clientele", "a_single", " DK "),
    ("direction", "a_single", "z"),
    ("direction", "a_multi", "p|q"),
    ("direction", "a_multi", " p | r |q"),
    ("direction", "a_multi", "none"),
    ("direction", "a_multi", "DK"),
    ("direction", "a_status.r2", "partial"),
    ("direction", "b_sponsor", "yes"),
    ("numerique", "a_pct", "0"),
    ("numerique", "a_pct", "100"),
    ("numerique", "a_pct", "12,5"),
    ("numerique", "a_pct", "+.5"),
    ("numerique", "a_pct", "1e2"),
    ("numerique", "a_pct", "NA"),
    ("direction", "b_mail", "100000"),  # no maximum
    ("direction", "b_mail", "-0"),
    ("direction", "ctx_comment", "anything | at all, 12"),
    (" direction ", " a_scale ", " 4 "),  # every column is stripped
    ("direction", "ctx_family", "OPH"),
    ("direction", "ctx_comment", "é" * 4000),
    ("direction", "ctx_comment", " " + "x" * 4000 + "\n"),  # counted once stripped
]

REFUSED = [
    ("direction", "nope", "1", "unknown_item"),
    ("direction", "a_status", "planned", "unknown_item_status_table"),  # answered by row
    ("direction", "", "1", "unknown_item"),  # before empty_value
    ("boss", "nope", "x", "unknown_item"),  # the item is reported before the role
    ("boss", "a_scale", "1", "unknown_role"),
    ("", "a_scale", "1", "unknown_role"),  # before empty_value
    ("Direction", "a_scale", "1", "unknown_role"),
    ("boss", "a_scale", "not a code", "unknown_role"),
    ("direction", "a_pct", "50", "role_not_asked"),
    ("direction", "a_pct", "NA", "role_not_asked"),
    ("numerique", "ctx_family", "bad", "role_not_asked"),
    ("direction", "a_scale", "5", "not_an_option"),
    ("direction", "a_scale", "na", "not_an_option"),
    ("direction", "a_single", "X", "not_an_option"),
    ("direction", "b_sponsor", "oui", "not_an_option"),
    ("direction", "a_status.r1", "done", "not_an_option"),
    ("direction", "a_multi", "p|s", "not_an_option_multi"),
    ("direction", "a_multi", "p|", "not_an_option_multi"),
    ("direction", "a_multi", "NA|p", "not_an_option_multi"),
    ("direction", "a_multi", "none|zz", "not_an_option_multi"),  # before exclusive_combined
    ("direction", "a_multi", "p|p|zz", "not_an_option_multi"),  # before repeated_option
    ("direction", "a_multi", "none|p", "exclusive_combined"),
    ("direction", "a_multi", "none|none", "exclusive_combined"),  # before repeated_option
    ("direction", "a_multi", "p|p", "repeated_option"),
    ("direction", "a_multi", "q | p |q ", "repeated_option"),
    ("numerique", "a_pct", "abc", "not_a_number"),
    ("numerique", "a_pct", "50%", "not_a_number"),
    ("numerique", "a_pct", "1,5,2", "not_a_number"),
    ("numerique", "a_pct", "1 000", "not_a_number"),
    ("numerique", "a_pct", "inf", "not_a_number"),
    ("numerique", "a_pct", "nan", "not_a_number"),
    ("direction", "b_mail", "1e400", "not_a_number"),
    ("direction", "b_mail", "١٢", "not_a_number"),  # Python's float would read 12
    ("direction", "b_mail", "1_000", "not_a_number"),  # and 1000 here
    ("numerique", "a_pct", "101", "out_of_range"),
    ("numerique", "a_pct", "-1", "out_of_range"),
    ("numerique", "a_pct", "100,01", "out_of_range"),
    ("numerique", "a_pct", "100.00000000000001", "out_of_range"),
    ("direction", "b_mail", "-0,5", "out_of_range"),
    # the answer's text, before its item's rules: 4,000 characters (stripped), no NUL
    ("direction", "ctx_comment", "x" * 4001, "answer_too_long_in_file"),
    ("direction", "a_scale", "3" * 4001, "answer_too_long_in_file"),
    ("direction", "ctx_comment", "a\x00b", "nul_character"),
    ("direction", "a_scale", "\x003", "nul_character"),
    ("direction", "a_pct", "x" * 4001, "role_not_asked"),  # the role first
]


@pytest.mark.parametrize(("role", "field_id", "value"), ACCEPTED)
def test_accepted_answers(role, field_id, value):
    assert TINY_RULES.check(role, field_id, value) is None
    assert engine_code(TINY_TABLES, role, field_id, value) is None


@pytest.mark.parametrize(("role", "field_id", "value", "code"), REFUSED)
def test_refused_answers(role, field_id, value, code):
    assert TINY_RULES.check(role, field_id, value) == code
    assert engine_code(TINY_TABLES, role, field_id, value) == code


def test_each_reachable_code_is_covered():
    codes = {case[3] for case in REFUSED}
    assert codes == {
        "unknown_item",
        "unknown_item_status_table",
        "unknown_role",
        "role_not_asked",
        "not_an_option",
        "not_an_option_multi",
        "not_a_number",
        "out_of_range",
        "exclusive_combined",
        "repeated_option",
        "answer_too_long_in_file",
        "nul_character",
    }
    # each has its message for the person answering; a too long answer's says the limit
    expected = {*FOR_RESPONDENT, "answer_too_long_in_file"}
    # path items' codes are covered on a path questionnaire (tests/scoring/test_path_items.py)
    expected -= {"path_not_an_option", "path_after_end"}
    # conditional questions' codes, with the respondent's answers (test_conditional_items.py)
    expected -= {"not_relevant", "option_not_relevant"}
    assert codes == expected


def test_a_too_long_answer_is_told_its_limit_and_a_nul_what_is_wrong():
    """The web saved a 2 MB text answer, and PostgreSQL cannot store a NUL character: the
    rules the web applies (`AnswerRules.problem`) refuse both, as a responses file does."""
    too_long = TINY_RULES.problem("direction", "ctx_comment", "x" * 2_000_000)
    assert too_long is not None
    assert (too_long.code, too_long.location) == ("too_long", "ctx_comment")
    assert too_long.message == "This answer is too long: at most 4000 characters."
    nul = TINY_RULES.problem("direction", "ctx_comment", "before\x00after")
    assert nul is not None and nul.code == "answer_nul_character"
    assert TINY_RULES.problem("direction", "ctx_comment", "x" * 4000) is None


def test_empty_role_or_item_is_reported_as_unknown_first():
    """empty_value is raised too, but after unknown_item / unknown_role: never first."""
    for role, field_id in (("", "a_scale"), ("direction", "")):
        row = pd.DataFrame(
            [{"organisation_id": "o", "respondent_id": "r", "role": role, "item_id": field_id}]
        ).assign(answer="1")
        with pytest.raises(ResponsesError) as caught:
            score_answers(row, TINY_TABLES, source="answer")
        codes = [p.code for p in caught.value.problems]
        assert "empty_value" in codes
        assert codes[0] == TINY_RULES.check(role, field_id, "1") != "empty_value"


def test_rules_of_the_tiny_questionnaire():
    multi = TINY_RULES.fields["a_multi"]
    assert multi.kind == "multi"
    assert multi.codes == {"p", "q", "r", "none"}
    assert multi.exclusive == {"none"}
    pct = TINY_RULES.fields["a_pct"]
    assert (pct.minimum, pct.maximum) == (0.0, 100.0)  # percent defaults
    assert pct.roles == {"numerique", "clientele"}
    mail = TINY_RULES.fields["b_mail"]
    assert (mail.minimum, mail.maximum) == (0.0, None)
    assert TINY_RULES.fields["b_sponsor"].codes == {"yes", "no"}
    assert TINY_RULES.fields["a_status.r1"].codes == {
        "not_considered",
        "planned",
        "piloting",
        "partial",
        "generalised",
    }


def test_asked_fields():
    direction = TINY_RULES.asked_fields("direction")
    assert "a_pct" not in direction
    assert {"a_status.r1", "a_status.r2", "ctx_family", "ctx_comment"} <= direction
    assert "a_status" not in direction
    for role in TINY_TABLES.roles.columns:
        expected = set(TINY_TABLES.roles.index[TINY_TABLES.roles[role]])
        assert TINY_RULES.asked_fields(role) == expected
    assert TINY_RULES.asked_fields("nobody") == frozenset()
    assert len(HLM_RULES.asked_fields("numerique")) == int(HLM_TABLES.roles["numerique"].sum())


def test_rules_are_frozen():
    with pytest.raises(AttributeError):
        TINY_RULES.roles = frozenset()  # type: ignore[misc]
    with pytest.raises(TypeError):
        TINY_RULES.fields["x"] = TINY_RULES.fields["a_scale"]  # type: ignore[index]


# --- the numeric reading, against pandas directly (fast, so many examples) ---------------------


def engine_number(text: str) -> float:
    value = pd.to_numeric(pd.Series([text.replace(",", ".")], dtype=object), errors="coerce")
    return float(value.where(np.isfinite(value)).to_numpy()[0])


DIGITS = st.text(alphabet="0123456789", max_size=22)


@st.composite
def number_texts(draw) -> str:
    sign = draw(st.sampled_from(["", "", "+", "-"]))
    whole = draw(DIGITS)
    point = draw(st.sampled_from(["", ".", ","]))
    fraction = draw(DIGITS) if point else ""
    exponent = draw(
        st.one_of(
            st.just(""),
            st.builds(
                lambda e, s, n: f"{e}{s}{n}",
                st.sampled_from("eE"),
                st.sampled_from(["", "+", "-"]),
                st.integers(0, 400),
            ),
        )
    )
    junk = draw(st.sampled_from(["", "", "", "", "x", "_", "e", ".", "%", "\x00"]))
    return sign + whole + point + fraction + exponent + junk


NEAR_BOUNDS = st.builds(
    lambda sign, bound, tail: f"{sign}{bound}{tail}",
    st.sampled_from(["", "+", "-"]),
    st.sampled_from(["0", "100", "99", "365", "1000", "0.", "100.", "99.9", "1e2", "10e1"]),
    st.sampled_from(["", "0000000000000001", "00000000000001", "9999999999999999", "5"]),
)


@settings(max_examples=500, deadline=None)
@given(st.one_of(number_texts(), NEAR_BOUNDS, st.text(max_size=12)))
@example("+100.00000000000001")
@example("+0.0000000000000000000000123")
@example("18446744073709551615")
@example("99999999999999999999999")
def test_parse_number_is_the_engines_reading(text):
    text = text.strip()
    got, expected = parse_number(text), engine_number(text)
    assert (math.isnan(got) and math.isnan(expected)) or got == expected


# --- the equivalence with the engine, on random answers ----------------------------------------


@dataclass(frozen=True)
class Universe:
    """What a questionnaire offers to draw answers from."""

    tables: FieldTables
    rules: AnswerRules
    roles: list[str]
    fields: list[str]
    items: list[str]  # status tables without their row
    all_codes: list[str]

    @classmethod
    def of(cls, tables: FieldTables, rules: AnswerRules) -> Universe:
        fields = tables.fields
        return cls(
            tables=tables,
            rules=rules,
            roles=list(tables.roles.columns),
            fields=list(fields.index),
            items=sorted(set(fields.loc[fields["kind"] == "status", "item_id"])),
            all_codes=sorted(set(tables.options["code"]) | set(tables.paths["code"])),
        )


TINY_UNIVERSE = Universe.of(TINY_TABLES, TINY_RULES)
HLM_UNIVERSE = Universe.of(HLM_TABLES, HLM_RULES)
# (no status table there: the draws of a table without its row take a path item instead)
PATH_UNIVERSE = replace(
    Universe.of(PATH_TABLES, AnswerRules.from_tables(PATH_TABLES)), items=["open_data"]
)

SPACES = st.sampled_from(["", "", "", " ", "  ", "\t", "\u00a0", "\n", " \u2003"])
SPECIAL = st.sampled_from(["", "NA", "DK", "na", "dk", "N/A", "NA|DK", "|", "none"])
#: Answers at and over the text limits: 4,000 characters once stripped, a NUL character.
TEXT_LIMITS = st.sampled_from(
    ["x" * 4000, "x" * 4001, " " * 10 + "y" * 4000, "9" * 4001, "a\x00b", "\x00", "p|\x00"]
)
NON_FINITE = st.sampled_from(["inf", "-inf", "+inf", "Infinity", "nan", "NaN", "1e400", "-1e999"])
NUMBERS = st.one_of(
    st.integers(-50, 1500).map(str),
    st.floats(-200, 1200, allow_nan=False).map(str),
    st.floats(-200, 1200, allow_nan=False).map(lambda x: f"{x:.3f}".replace(".", ",")),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.builds(lambda m, e: f"{m}e{e}", st.integers(-9, 9), st.integers(-3, 4)),
    NEAR_BOUNDS,
    number_texts(),
    NON_FINITE,
)


def padded(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(lambda a, t, b: a + t + b, SPACES, text, SPACES)


@st.composite
def multi_answers(draw, codes: list[str], exclusive: list[str]) -> str:
    """Ticks joined by "|": valid lists, repeats, exclusive codes with others, bad codes."""
    valid = [c for c in codes if c not in exclusive] or codes or ["p"]
    ticks = draw(st.lists(st.sampled_from(valid), min_size=1, max_size=3, unique=True))
    if exclusive and draw(st.booleans()):
        ticks = [
            draw(st.sampled_from(exclusive)),
            *draw(st.lists(st.sampled_from(codes), max_size=2)),
        ]
    if draw(st.integers(0, 2)) == 0:  # a repeat, an empty tick, a bad code
        ticks.append(draw(st.sampled_from([*ticks, *ticks, "", "NA", "zz", *exclusive])))
    ticks = draw(st.permutations(ticks))
    text = ticks[0]
    for tick in ticks[1:]:
        text += draw(st.sampled_from(["|", " | ", "| ", " |"])) + tick
    return text


def fitting(rule: FieldRule | None) -> st.SearchStrategy[str]:
    """Answers of the field's own kind: its codes, tick lists or numbers."""
    if rule is None or rule.kind == "text":
        return st.text(max_size=12)
    if rule.kind == "multi":
        return multi_answers(sorted(rule.codes), sorted(rule.exclusive))
    if rule.kind in NUMERIC_KINDS:
        return NUMBERS
    if rule.kind == "path":
        return path_answers(rule)
    return st.sampled_from(sorted(rule.codes))


@st.composite
def path_answers(draw, rule: FieldRule) -> str:
    """Codes of a path item's steps joined by "|": mostly followed step by step (complete or
    stopping early), with now and then a code of another step, a bad code or one too many."""
    codes, position = [], 0
    every = sorted({code for step in rule.steps for code in step})
    while position >= 0 and draw(st.integers(0, 5)) > 0:
        step = rule.steps[position]
        code = draw(st.sampled_from(sorted(step)))
        if draw(st.integers(0, 8)) == 0:
            code = draw(st.sampled_from([*every, "", "NA", "zz"]))
        codes.append(code)
        position = step.get(code, -1)
    if draw(st.integers(0, 6)) == 0:
        codes.append(draw(st.sampled_from([*every, ""])))  # after the end
    return draw(st.sampled_from(["|", " | "])).join(codes)


@st.composite
def triples(draw, universe: Universe) -> tuple[str, str, str]:
    """A (role, field_id, value) triple, mostly a real field asked to a real role."""
    field_id = draw(
        weighted(
            draw,
            (16, st.sampled_from(universe.fields)),
            (1, st.sampled_from(universe.items)),
            (1, st.sampled_from(["", "nope", "a_status.r3", "A_SCALE"])),
            (1, st.text(max_size=8)),
        )
    )
    rule = universe.rules.fields.get(field_id)
    asked = sorted(rule.roles) if rule and rule.roles else universe.roles
    role = draw(
        weighted(
            draw,
            (6, st.sampled_from(asked)),
            (2, st.sampled_from(universe.roles)),
            (1, st.sampled_from(["", "admin", "Direction", "direction_"])),
            (1, st.text(max_size=6)),
        )
    )
    value = draw(
        weighted(
            draw,
            (10, fitting(rule)),
            (2, SPECIAL),
            (2, NUMBERS),
            (1, st.sampled_from(universe.all_codes)),
            (1, multi_answers(universe.all_codes[:6], [])),
            (1, st.text(max_size=12)),
            (1, TEXT_LIMITS),
        )
    )
    return (
        draw(padded(st.just(role))),
        draw(padded(st.just(field_id))),
        draw(padded(st.just(value))),
    )


def weighted(draw, *choices: tuple[int, st.SearchStrategy[str]]) -> st.SearchStrategy[str]:
    """One of the strategies, picked with the given weights."""
    total = sum(weight for weight, _ in choices)
    pick = draw(st.integers(0, total - 1))
    for weight, strategy in choices:
        if pick < weight:
            return strategy
        pick -= weight
    raise AssertionError("unreachable")


def assert_same_as_engine(universe: Universe, triple: tuple[str, str, str]) -> None:
    role, field_id, value = triple
    expected = engine_code(universe.tables, role, field_id, value)
    assert universe.rules.check(role, field_id, value) == expected


EQUIVALENCE = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@EQUIVALENCE
@given(triples(TINY_UNIVERSE))
def test_same_first_problem_as_the_engine_on_tiny(triple):
    assert_same_as_engine(TINY_UNIVERSE, triple)


@EQUIVALENCE
@given(triples(PATH_UNIVERSE))
def test_same_first_problem_as_the_engine_on_path_items(triple):
    assert_same_as_engine(PATH_UNIVERSE, triple)


@EQUIVALENCE
@given(triples(HLM_UNIVERSE))
def test_same_first_problem_as_the_engine_on_hlm_2026(triple):
    assert_same_as_engine(HLM_UNIVERSE, triple)
