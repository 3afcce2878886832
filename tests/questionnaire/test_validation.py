"""Questionnaire validation: every problem at once, with file, line, item id and a code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from barometre.errors import Code, QuestionnaireError
from barometre.questionnaire import load_questionnaire, parse_questionnaire
from tests.helpers import ROOT, TINY

HEADER = """
id: q
version: "1"
title: {fr: Test}
roles:
  - {code: direction, label: {fr: Direction}}
  - {code: numerique, label: {fr: Numérique}}
dimensions:
  - {id: A, label: {fr: A}}
items:
"""

GOOD_ITEM = """
  - id: ok
    kind: yesno
    dimension: A
    axis: tech
    roles: [direction]
    label: {fr: Oui ou non}
  - id: ok2
    kind: yesno
    dimension: A
    axis: transfo
    roles: [direction]
    label: {fr: Oui ou non}
"""


def problems(items_yaml: str, header: str = HEADER) -> list:
    with pytest.raises(QuestionnaireError) as caught:
        parse_questionnaire(header + GOOD_ITEM + items_yaml, "q.yaml")
    return caught.value.problems


def codes(items_yaml: str, header: str = HEADER) -> list[str]:
    return [p.code for p in problems(items_yaml, header)]


def test_the_documented_example_is_valid():
    doc = (ROOT / "docs" / "questionnaire-format.md").read_text(encoding="utf-8")
    example = doc.split("## A complete small example")[1].split("```yaml")[1].split("```")[0]
    questionnaire = parse_questionnaire(example, "example")
    assert {item.kind for item in questionnaire.items} == {
        "status",
        "percent",
        "multi",
        "scale",
        "yesno",
        "single",
        "text",
    }


def test_every_documented_code_is_a_real_code():
    doc = (ROOT / "docs" / "questionnaire-format.md").read_text(encoding="utf-8")
    rules = doc.split("## Validation rules (codes)")[1].split("##")[0]
    documented = set(re.findall(r"`([a-z_]+)`", rules))
    source = "".join(
        p.read_text(encoding="utf-8")
        for p in (ROOT / "src" / "barometre" / "questionnaire").glob("*.py")
    )
    codes = {code.value: code for code in Code}
    for code in documented:
        assert code in codes, f"documented code {code} is not a problem code"
        assert f"Code.{codes[code].name}" in source, f"documented code {code} is never raised"


def test_unknown_dimension_names_the_item_and_the_line():
    found = problems("""
  - id: bad
    kind: yesno
    dimension: Z
    axis: tech
    roles: [direction]
    label: {fr: x}
""")
    assert [p.code for p in found] == ["unknown_dimension"]
    assert found[0].location == "q.yaml:25 item 'bad'"
    assert "unknown dimension 'Z'" in found[0].message


def test_every_problem_is_reported_at_once():
    found = codes("""
  - id: ok
    kind: yesno
    dimension: A
    axis: tech
    roles: [direction]
    label: {fr: duplicate id}
  - id: w
    kind: scale
    dimension: A
    axis: tech
    weight: 0
    roles: [direction]
    label: {fr: weight not positive}
    options: [{code: a, label: {fr: a}}, {code: b, label: {fr: b}}]
  - id: s
    kind: single
    dimension: A
    axis: tech
    roles: [chef]
    label: {fr: "option without score and unknown role"}
    options: [{code: a, label: {fr: a}, score: 10}, {code: b, label: {fr: b}}]
  - id: g
    kind: percent
    dimension: A
    axis: tech
    roles: [numerique]
    label: {fr: goalposts inverted}
    goalposts: {worst: 80, best: 20}
    better: higher
""")
    assert sorted(found) == sorted(
        [
            "duplicate_id",
            "greater_than",
            "unknown_role",
            "option_without_score",
            "goalposts_inverted",
        ]
    )


@pytest.mark.parametrize(
    ("item", "code"),
    [
        (
            "kind: single\n    options: [{code: a, label: {fr: a}, exclusive: true}, "
            "{code: b, label: {fr: b}, score: 1}]",
            "exclusive_misuse",
        ),
        (
            "kind: multi\n    options: [{code: a, label: {fr: a}, exclusive: true}, "
            "{code: b, label: {fr: b}, exclusive: true}]",
            "exclusive_misuse_all_exclusive",
        ),
        (
            "kind: multi\n    options: [{code: a, label: {fr: a}}, "
            "{code: b, label: {fr: b}, exclusive: true, weight: 2}]",
            "exclusive_misuse_weight",
        ),
        (
            "kind: multi\n    options: [{code: a, label: {fr: a}, score: 50}, "
            "{code: b, label: {fr: b}}]",
            "multi_score",
        ),
        (
            "kind: scale\n    options: [{code: a, label: {fr: a}, score: 0}, "
            "{code: b, label: {fr: b}}]",
            "option_without_score_scale",
        ),
        (
            "kind: single\n    options: [{code: a, label: {fr: a}, score: 101}, "
            "{code: b, label: {fr: b}, score: 0}]",
            "less_than_equal",
        ),
        ("kind: number\n    goalposts: {worst: 5, best: 5}\n    better: higher", "goalposts_equal"),
        (
            "kind: number\n    goalposts: {worst: 5, best: 50}\n    better: lower",
            "goalposts_inverted_lower",
        ),
        ("kind: number", "missing_goalposts"),
        (
            "kind: percent\n    goalposts: {worst: 0, best: 150}\n    better: higher",
            "goalposts_range",
        ),
        ("kind: status", "missing_rows"),
        (
            "kind: yesno\n    options: [{code: oui, label: {fr: Oui}, score: 100}, "
            "{code: non, label: {fr: Non}, score: 0}]",
            "yesno_options",
        ),
        (
            "kind: single\n    options: [{code: NA, label: {fr: a}, score: 0}, "
            "{code: b, label: {fr: b}, score: 1}]",
            "reserved_code",
        ),
        ("kind: text", "text_scored"),
        ("kind: yesno\n    wieght: 2", "extra_forbidden"),
    ],
)
def test_item_rules(item, code):
    text = f"""
  - id: it
    dimension: A
    axis: tech
    roles: [direction]
    label: {{fr: x}}
    {item}
"""
    assert code in codes(text)


def test_scored_item_needs_dimension_and_axis():
    found = codes("""
  - id: nodim
    kind: yesno
    roles: [direction]
    label: {fr: x}
""")
    assert sorted(found) == ["missing_axis", "missing_dimension"]


def test_header_rules():
    header = HEADER.replace(
        "dimensions:",
        """methodology:
  levels:
    - {code: bas, label: {fr: Bas}, min: 10}
    - {code: haut, label: {fr: Haut}, min: 5}
dimensions:
  - id: E
    label: {fr: vide}
    descriptors: {inconnu: {fr: x}}""",
    )
    found = codes("", header)
    assert {"levels_start", "levels_order", "unknown_level", "empty_dimension"} <= set(found)


def test_yaml_syntax_error_gives_the_line():
    with pytest.raises(QuestionnaireError) as caught:
        parse_questionnaire("id: q\nitems:\n  - id: [unclosed\n", "broken.yaml")
    assert caught.value.problems[0].code == "yaml_syntax"
    assert caught.value.problems[0].location.startswith("broken.yaml:")


def test_missing_file_is_a_clear_error(tmp_path: Path):
    with pytest.raises(QuestionnaireError, match="no such file"):
        load_questionnaire(tmp_path / "absent.yaml")


def test_weights_and_scores_are_any_number_in_range():
    text = TINY.replace(
        "weight: 2\n    roles: [direction, numerique, clientele]\n    label: {fr: Choix}",
        "weight: 0.35\n    roles: [direction, numerique, clientele]\n    label: {fr: Choix}",
    )
    text = text.replace("score: 30}", "score: 33.3}")
    questionnaire = parse_questionnaire(text, "t.yaml")
    assert questionnaire.item("a_single").weight == 0.35


def test_problems_carry_a_translatable_template():
    found = problems("""
  - id: bad
    kind: yesno
    dimension: Z
    axis: tech
    roles: [direction]
    label: {fr: x}
""")
    english = "unknown dimension '%(dimension)s' (declared: %(declared)s)"
    french = {english: "dimension inconnue '%(dimension)s' (déclarées : %(declared)s)"}
    assert found[0].localized(lambda t: french.get(t, t)) == (
        "dimension inconnue 'Z' (déclarées : A)"
    )
    assert found[0].message == "unknown dimension 'Z' (declared: A)"


def test_a_name_that_is_no_built_in_questionnaire_lists_the_built_in_ones(tmp_path):
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire("hlm-2099")
    (found,) = caught.value.problems
    assert found.code == Code.QUESTIONNAIRE_NOT_FOUND
    assert "example-data-pathway, example-digital-services, hlm-2026" in found.message
    # a path that names a file is a missing file, with no list
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(tmp_path / "hlm-2099.yaml")
    assert [p.code for p in caught.value.problems] == [Code.FILE_NOT_FOUND]
