"""`missing_as_zero` (methodology and dimension) is a boolean: a string or a number that a
lax reader would take for one is refused as an `invalid_value` naming the field
(docs/questionnaire-format.md, scoring settings)."""

from __future__ import annotations

import pytest

from barometre.errors import QuestionnaireError
from barometre.questionnaire import parse_questionnaire
from tests.scoring.test_method_settings import BASE


def _text(methodology: str, dimension: str | None = None) -> str:
    extra = "" if dimension is None else f", missing_as_zero: {dimension}"
    return BASE.replace("MAZ", methodology).replace("CLOSED", "lower").replace("D2", extra)


def _problems(text: str) -> list[tuple[str, str]]:
    with pytest.raises(QuestionnaireError) as caught:
        parse_questionnaire(text, "strict.yaml")
    return [(p.code, p.message) for p in caught.value.problems]


@pytest.mark.parametrize("value", ['"yes"', '"no"', '"true"', "0", "1", '"1"'])
def test_a_methodology_missing_as_zero_that_is_not_a_boolean_is_refused(value):
    problems = _problems(_text(value))
    assert [code for code, _ in problems] == ["invalid_value"]
    assert "methodology.missing_as_zero" in problems[0][1]


@pytest.mark.parametrize("value", ['"yes"', '"no"', "0", "1"])
def test_a_dimension_missing_as_zero_that_is_not_a_boolean_is_refused(value):
    problems = _problems(_text("false", value))
    assert [code for code, _ in problems] == ["invalid_value"]
    assert "missing_as_zero" in problems[0][1]


def test_booleans_are_read():
    q = parse_questionnaire(_text("true", "false"), "strict.yaml")
    assert q.methodology.missing_as_zero is True
    assert [d.missing_as_zero for d in q.dimensions] == [None, False]
    # YAML's own booleans (yes/no unquoted are booleans in YAML 1.1, as PyYAML reads them)
    q = parse_questionnaire(_text("yes"), "strict.yaml")
    assert q.methodology.missing_as_zero is True
