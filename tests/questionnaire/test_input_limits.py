"""A questionnaire file cannot make the loader slow, large or crash (issue 10, findings 4 and
10): no aliases, bounded nesting, no key twice, a bounded size, finite numbers, and every
problem quotes a short excerpt only."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from barometre.errors import EXCERPT_LENGTH, QuestionnaireError
from barometre.questionnaire import load_questionnaire, parse_questionnaire
from barometre.questionnaire.loader import (
    MAX_DEPTH,
    MAX_QUESTIONNAIRE_BYTES,
    builtin_path,
)
from tests.helpers import TINY


def refused(text: str) -> list:
    with pytest.raises(QuestionnaireError) as caught:
        parse_questionnaire(text, "q.yaml")
    return caught.value.problems


def test_aliases_are_refused_at_their_line_before_any_expansion():
    """Nine levels of nine aliases: 387 million strings once expanded (the issue's 119 KB
    file took 136 s and 16 GB)."""
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    bomb = TINY + "extra: [" + ", ".join(["*a9"] * 9) + "]\n" + "\n".join(lines) + "\n"
    started = time.perf_counter()
    [found] = refused(bomb)
    assert time.perf_counter() - started < 2
    assert found.code == "yaml_alias"
    assert found.location == f"q.yaml:{TINY.count(chr(10)) + 1}"  # the first '*' is there


def test_an_anchor_alone_is_refused_too():
    [found] = refused(TINY.replace("label: {fr: Échelle}", "label: &scale {fr: Échelle}"))
    assert found.code == "yaml_alias"
    assert found.location == "q.yaml:18"
    assert "& and *" in found.message


def test_the_shipped_questionnaire_is_well_within_the_limits():
    """hlm-2026 uses no anchor or alias (it loads) and is a tenth of the size limit."""
    load_questionnaire("hlm-2026")
    size = len(builtin_path("hlm-2026").read_text(encoding="utf-8").encode("utf-8"))
    assert size < MAX_QUESTIONNAIRE_BYTES / 4


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 500, 5000])
def test_nesting_too_deep_is_a_clear_error_not_a_recursion_error(depth: int):
    deep = "[" * depth + "]" * depth
    [found] = refused(TINY.replace("label: {fr: Échelle}", f"label: {deep}"))
    assert found.code == "yaml_too_deep"
    assert found.location == "q.yaml:18"
    assert f"more than {MAX_DEPTH} levels" in found.message


def test_nesting_up_to_the_limit_is_read():
    # the document (1), items (2), an item (3): its label's lists are levels 4 and deeper
    def codes(lists: int) -> list[str]:
        nested = "[" * lists + "]" * lists
        return [p.code for p in refused(TINY.replace("label: {fr: Échelle}", f"label: {nested}"))]

    assert "yaml_too_deep" not in codes(MAX_DEPTH - 3)  # refused by the model, not the YAML
    assert codes(MAX_DEPTH - 2) == ["yaml_too_deep"]


def test_a_key_given_twice_is_refused_naming_both_lines():
    text = TINY.replace("    kind: scale\n", "    kind: scale\n    kind: single\n", 1)
    text = text.replace("title: {fr: Questionnaire de test}", "title: {fr: Un, fr: Deux}")
    problems = refused(text)
    assert [(p.code, p.location) for p in problems] == [
        ("yaml_duplicate_key", "q.yaml:4"),
        ("yaml_duplicate_key", "q.yaml:15"),
    ]
    assert problems[0].message == "the key 'fr' is given twice in one mapping: lines 4 and 4"
    assert problems[1].message == "the key 'kind' is given twice in one mapping: lines 14 and 15"


def test_a_file_above_the_size_limit_is_refused_unread(tmp_path: Path):
    path = tmp_path / "big.yaml"
    path.write_text(TINY + "#" * MAX_QUESTIONNAIRE_BYTES + "\n", encoding="utf-8")
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(path)
    [found] = caught.value.problems
    size = path.stat().st_size
    assert (found.code, found.location) == ("file_too_large", str(path))
    assert found.message == f"the file is too large: {size} bytes, at most 4194304 are read"
    # the same text given directly (a web upload), counted in bytes
    [found] = refused(TINY + "é" * (MAX_QUESTIONNAIRE_BYTES // 2))
    assert found.code == "file_too_large"


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("weight: 2\n", "weight: .inf\n", "weight"),
        ("weight: 2\n", "weight: .nan\n", "weight"),
        ("goalposts: {worst: 10, best: 60}", "goalposts: {worst: -.inf, best: 60}", "worst"),
        ("minimum: 0\n", "minimum: 1e999\n", "minimum"),
    ],
)
def test_numbers_must_be_finite(old: str, new: str, field: str):
    [found] = refused(TINY.replace(old, new, 1))
    assert found.code == "finite_number"
    assert f"{field}: must be a finite number" in found.message


def test_an_integer_of_thousands_of_digits_is_refused_without_a_crash():
    [found] = refused(TINY.replace("weight: 2\n", "weight: " + "9" * 5000 + "\n", 1))
    assert (found.code, found.location) == ("yaml_number_too_long", "q.yaml:29")
    assert found.message == "a number written with 5000 digits: at most 30"


@pytest.mark.parametrize("bad_id", ["[a, b]", "{x: 1}", "[]", "12", "null"])
def test_an_item_id_that_is_not_text_is_a_clear_error(bad_id: str):
    [found] = refused(TINY.replace("- id: a_scale", f"- id: {bad_id}"))
    assert found.location == "q.yaml:13 items[0]"
    assert found.message.startswith("id: ")


def test_a_problem_quotes_an_excerpt_never_the_whole_input():
    """A model error's value was the repr() of the whole part; the web showed a 9 MB page."""
    huge_label = "x" * 200_000
    text = TINY.replace("- id: a_scale\n", f"- id: a_scale\n    junk: {{fr: {huge_label}}}\n")
    text = text.replace("title: {fr: Questionnaire de test}", f"title: [{huge_label}]")
    problems = refused(text)
    assert problems
    for found in problems:
        assert len(found.message) < 300, found.message[:400]
        assert all(len(str(value)) <= EXCERPT_LENGTH for value in (found.params or {}).values())


def test_a_control_character_is_a_located_yaml_error():
    """Found by the fuzzer: PyYAML refuses it while making its reader, before any parsing."""
    [found] = refused(TINY.replace("label: {fr: Échelle}", "label: {fr: Éch\x19elle}"))
    assert (found.code, found.location) == ("yaml_syntax", "q.yaml:18")
    assert "#x0019" in found.message


def test_a_problem_quoting_an_item_id_quotes_an_excerpt():
    long_id = "a" * 100_000
    problems = refused(TINY.replace("- id: a_single", f"- id: {long_id}\n    junk: 1", 1))
    assert all(len(p.location) < 120 and len(p.message) < 300 for p in problems)


@pytest.mark.parametrize("value", ["2026-13-45", "2026-02-30", "2026-01-01", "9999-12-31 25:61:61"])
def test_a_value_that_looks_like_a_date_is_text_not_a_crash(value):
    # PyYAML's date constructor raised ValueError on an impossible date (not a YAML error):
    # a traceback on the command line, a 500 on the web upload
    text = TINY.replace('version: "1"', f"version: {value}", 1)
    assert text != TINY
    assert parse_questionnaire(text, "q.yaml").version == value
