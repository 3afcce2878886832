"""The diff's comparability names only the axes and families a questionnaire has: none
without a typology (`typology: null`), the questionnaire's own axes by their label when the
typology names them (docs/versions.md)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from typer.testing import CliRunner

from barometre.cli.main import app
from barometre.contracts.schemas import schema_text
from barometre.interop.versions import diff_questionnaires
from barometre.questionnaire import load_questionnaire
from barometre.questionnaire.writer import questionnaire_yaml

runner = CliRunner()


def _bumped(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """The built-in questionnaire and the same at another version (nothing breaks)."""
    text = questionnaire_yaml(load_questionnaire(name))
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(text, encoding="utf-8")
    new.write_text(text, encoding="utf-8")
    return old, new


def _report(old: Path, new: Path) -> list[str]:
    result = runner.invoke(app, ["questionnaire", "diff", str(old), str(new)])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_without_a_typology_no_axis_and_no_family_is_named(tmp_path):
    old, new = _bumped(tmp_path, "example-data-pathway")
    lines = _report(old, new)
    assert not [line for line in lines if "axis" in line or "famil" in line], lines
    assert "  global index: comparable" in lines
    diff = diff_questionnaires(load_questionnaire(old), load_questionnaire(new))
    c = diff.comparability
    assert (c.tech, c.transfo, c.families) == (None, None, None)
    # the JSON says so too, and still follows its published schema
    document = diff.model_dump(mode="json")
    assert document["comparability"]["tech"] is None
    jsonschema.validate(document, json.loads(schema_text("questionnaire-diff")))


def test_named_axes_are_reported_by_their_labels(tmp_path):
    old, new = _bumped(tmp_path, "example-digital-services")
    lines = _report(old, new)
    # typology.axes: offre "Service offer", organisation "Internal organisation"
    assert "  Service offer axis (offre): comparable" in lines
    assert "  Internal organisation axis (organisation): comparable" in lines
    assert "  families: comparable" in lines
    assert not [line for line in lines if "(tech)" in line or "(transfo)" in line], lines


def test_the_default_axes_keep_their_names(tmp_path):
    old, new = _bumped(tmp_path, "hlm-2026")
    lines = _report(old, new)
    assert "  technology axis (tech): comparable" in lines
    assert "  transformation axis (transfo): comparable" in lines
    assert "  families: comparable" in lines
