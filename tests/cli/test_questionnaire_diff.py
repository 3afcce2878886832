"""`barometre questionnaire diff OLD NEW [--fail-on-breaking] [--json]` (docs/versions.md)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from barometre.cli.main import app
from barometre.contracts.schemas import schema_text
from barometre.errors import QuestionnaireError
from barometre.interop.versions import QuestionnaireDiff
from barometre.questionnaire import load_questionnaire
from tests.helpers import ROOT, TINY

runner = CliRunner()
SCHEMA = ROOT / "docs" / "schemas" / "questionnaire-diff.schema.json"

#: a_single (dimension A, tech axis) weighs 3 instead of 2.
REWEIGHTED = TINY.replace('version: "1"', 'version: "2"').replace(
    "    axis: tech\n    weight: 2\n", "    axis: tech\n    weight: 3\n"
)
#: b_sponsor's question reads differently.
REWORDED = TINY.replace('version: "1"', 'version: "2"').replace(
    "label: {fr: Sponsor}", 'label: {fr: "Un sponsor de la direction ?"}'
)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    texts = {"v1": TINY, "reweighted": REWEIGHTED, "reworded": REWORDED}
    assert REWEIGHTED != TINY and REWORDED != TINY
    paths = {}
    for name, text in texts.items():
        paths[name] = tmp_path / f"{name}.yaml"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def diff(*args: object):
    return runner.invoke(app, ["questionnaire", "diff", *map(str, args)])


def test_the_command_has_help():
    result = runner.invoke(app, ["questionnaire", "diff", "--help"])
    assert result.exit_code == 0
    assert "--fail-on-breaking" in result.output and "--json" in result.output


def test_the_same_questionnaire_has_no_change_and_everything_compares(files):
    result = diff(files["v1"], files["v1"], "--fail-on-breaking")
    assert result.exit_code == 0, result.output
    assert "tiny 1 -> tiny 1: 0 changes (0 breaking, 0 wording, 0 cosmetic)" in result.output
    assert "  dimensions comparable: A, B" in result.output
    assert "  global index: comparable" in result.output
    assert "Breaking" not in result.output


def test_a_breaking_change_is_listed_with_what_it_moves_and_fails_when_asked(files):
    result = diff(files["v1"], files["reweighted"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "tiny 1 -> tiny 2: 2 changes (1 breaking, 0 wording, 1 cosmetic)"
    breaking = lines.index("Breaking (the same answers may score differently):")
    assert lines[breaking + 1] == (
        "  - items.a_single.weight: question a_single: weight changed from 2 to 3  [moves: A, tech]"
    )
    assert "  - version: questionnaire: version changed from “1” to “2”" in lines
    assert "  dimensions comparable: B" in lines
    assert "    - A: items.a_single.weight" in lines
    assert "  technology axis (tech): NOT comparable" in lines
    assert "  transformation axis (transfo): comparable" in lines
    assert "  global index: NOT comparable" in lines
    assert "  families: NOT comparable" in lines
    failed = diff(files["v1"], files["reweighted"], "--fail-on-breaking")
    assert failed.exit_code == 1
    assert failed.output == result.output


def test_a_reworded_question_is_wording_and_does_not_fail(files):
    result = diff(files["v1"], files["reworded"], "--fail-on-breaking")
    assert result.exit_code == 0, result.output
    assert "1 breaking" not in result.output and "1 wording" in result.output
    assert (
        "  - items.b_sponsor.label.fr: question b_sponsor: label.fr changed from “Sponsor” "
        "to “Un sponsor de la direction ?”"
    ) in result.output
    assert "  waves compared (change since the previous wave): yes" in result.output


def test_json_is_the_typed_diff_and_follows_its_published_schema(files):
    result = diff(files["v1"], files["reweighted"], "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []
    read = QuestionnaireDiff.load(data, "diff.json")
    assert [c.path for c in read.breaking] == ["items.a_single.weight"]
    assert data["comparability"]["not_comparable"] == {"A": ["items.a_single.weight"]}
    data["changes"][0]["effect"] = "serious"
    assert len(list(jsonschema.Draft202012Validator(schema).iter_errors(data))) == 1


def test_the_committed_schema_is_the_model():
    assert SCHEMA.read_text(encoding="utf-8") == schema_text("questionnaire-diff"), (
        f"{SCHEMA} is out of date: run python -m barometre.contracts.schemas docs/schemas"
    )


def test_a_built_in_name_is_read(files):
    result = diff("hlm-2026", files["v1"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("hlm-2026 2026.1 -> tiny 1: ")
    assert "questionnaire: id changed from “hlm-2026” to “tiny”" in result.output
    assert "  dimensions comparable: none" in result.output


def test_bad_input_gets_every_problem_and_status_2(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(TINY.replace("kind: yesno", "kind: maybe"), encoding="utf-8")
    missing = tmp_path / "missing.yaml"
    result = diff(missing, broken)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "Internal error" not in result.output
    assert f"{missing}: no such file [file_not_found]" in result.output
    assert str(broken) in result.output and "maybe" in result.output
    assert list(tmp_path.iterdir()) == [broken]  # nothing written


def test_the_json_example_of_the_documentation_is_what_the_command_prints(files):
    doc = (ROOT / "docs" / "versions.md").read_text(encoding="utf-8")
    example = json.loads(doc.split("```json\n", 1)[1].split("```", 1)[0])
    result = diff(files["v1"], files["reweighted"], "--json")
    assert json.loads(result.output) == example


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(
        st.text(max_size=200),
        st.integers(0, len(TINY)).map(lambda cut: TINY[:cut]),
        st.sampled_from(["kind: yesno", "weight: 2", "roles: [direction]"]).map(
            lambda part: TINY.replace(part, part + "\n  - : [")
        ),
    )
)
def test_any_broken_file_gets_status_2_and_never_a_traceback(tmp_path, text):
    """Any text that is not a valid questionnaire (random text, a cut file, broken YAML) is a
    user's mistake: status 2, where it is, never an internal error (a file cut after a whole
    item may still be a valid questionnaire, then it is compared)."""
    old, path = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(TINY, encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    result = diff(old, path)
    assert "Internal error" not in result.output and "Traceback" not in result.output
    try:
        load_questionnaire(path)
    except QuestionnaireError:
        assert result.exit_code == 2, result.output
        assert str(path) in result.output
    else:
        assert result.exit_code == 0, result.output


# --- review: plurals, long texts, context items --------------------------------------------------


def test_one_change_is_said_in_the_singular(tmp_path, files):
    renamed = tmp_path / "renamed.yaml"
    renamed.write_text(TINY.replace('version: "1"', 'version: "2"'), encoding="utf-8")
    result = diff(files["v1"], renamed)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "tiny 1 -> tiny 2: 1 change (0 breaking, 0 wording, 1 cosmetic)"
    )


LONG = "Un sponsor de la direction générale porte-t-il le numérique au comité de direction ?"


def test_a_long_rewording_shows_what_differs_then_both_texts_whole(tmp_path, files):
    long = tmp_path / "long.yaml"
    long.write_text(TINY.replace("label: {fr: Sponsor}", f'label: {{fr: "{LONG}"}}'), "utf-8")
    result = diff(files["v1"], long)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # "Sponsor" and LONG share nothing at the start ("S" / "U") and nothing at the end
    # ("r" / "?"): the sentence shows LONG's first 59 characters and "…"
    at = lines.index(
        f"  - items.b_sponsor.label.fr: question b_sponsor: label.fr changed from “Sponsor” "
        f"to “{LONG[:59]}…”"
    )
    assert lines[at + 1 : at + 3] == ["      old: “Sponsor”", f"      new: “{LONG}”"]
    data = json.loads(diff(files["v1"], long, "--json").output)
    assert [c["new"] for c in data["changes"]] == [LONG]


def test_an_organisation_type_removed_from_hlm_2026_breaks_the_breakdowns(tmp_path):
    text = (ROOT / "src/barometre/content/questionnaires/hlm-2026.yaml").read_text("utf-8")
    sem = (
        '      - {code: SEM, label: {fr: "Société d\'économie mixte (EPL)", '
        'en: "Semi-public company (local public enterprise)"}}\n'
    )
    assert text.count(sem) == 1
    path = tmp_path / "no-sem.yaml"
    path.write_text(text.replace(sem, ""), encoding="utf-8")
    result = diff("hlm-2026", path, "--fail-on-breaking")
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert (
        lines[0]
        == "hlm-2026 2026.1 -> hlm-2026 2026.1: 1 change (1 breaking, 0 wording, 0 cosmetic)"
    )
    assert (
        "  - items.ctx_family.options.SEM: question ctx_family: answer SEM removed"
        "  [moves: breakdowns]"
    ) in lines
    assert "  sector estimates (weighting, disclosure): comparable" in lines
    assert "  breakdowns by declared type, size class, department: NOT comparable" in lines
    assert "  perceived gap: comparable" in lines
    assert "  global index: comparable" in lines
    assert (
        "  waves compared (change since the previous wave): no, a change breaks comparability"
        in lines
    )
