"""`barometre questionnaire export|import` and `barometre responses import` (XLSForm, ODK)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from barometre.cli.main import app
from barometre.questionnaire import load_questionnaire
from tests.helpers import TINY, tiny_questionnaire
from tests.interop.test_odk_submissions import KOBO_HEADER, KOBO_ROWS

runner = CliRunner()


@pytest.mark.parametrize(
    "command",
    [["questionnaire", "export"], ["questionnaire", "import"], ["responses", "import"]],
)
def test_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "--out" in result.output


def test_export_then_import_gives_the_same_questionnaire(tmp_path):
    source = tmp_path / "tiny.yaml"
    source.write_text(TINY, encoding="utf-8")
    workbook = tmp_path / "tiny.xlsx"
    result = runner.invoke(app, ["questionnaire", "export", str(source), "--out", str(workbook)])
    assert result.exit_code == 0, result.output
    back = tmp_path / "back.yaml"
    result = runner.invoke(app, ["questionnaire", "import", str(workbook), "--out", str(back)])
    assert result.exit_code == 0, result.output
    assert "tiny 1: Questionnaire de test" in result.output  # validate's summary
    assert load_questionnaire(back) == tiny_questionnaire()


def test_a_bad_workbook_writes_nothing(tmp_path):
    workbook = tmp_path / "bad.xlsx"
    workbook.write_bytes(b"not a workbook")
    out = tmp_path / "out.yaml"
    result = runner.invoke(app, ["questionnaire", "import", str(workbook), "--out", str(out)])
    assert result.exit_code == 2
    assert "xlsform_not_a_workbook" in result.output
    assert not out.exists()


def test_an_unknown_suffix_asks_for_the_format(tmp_path):
    out = tmp_path / "form.txt"
    result = runner.invoke(app, ["questionnaire", "export", "hlm-2026", "--out", str(out)])
    assert result.exit_code == 2
    assert "form_format_unknown" in result.output
    assert not out.exists()


def test_responses_import_prints_the_report_and_writes_the_csv(tmp_path):
    questionnaire = tmp_path / "tiny.yaml"
    questionnaire.write_text(TINY, encoding="utf-8")
    export = tmp_path / "kobo.csv"
    export.write_text("\n".join([KOBO_HEADER, *KOBO_ROWS]) + "\n", encoding="utf-8")
    out = tmp_path / "responses.csv"
    args = ["responses", "import", str(export), "--questionnaire", str(questionnaire)]
    result = runner.invoke(app, [*args, "--format", "odk", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 submissions, 9 answers" in result.output
    assert "1 columns unknown (ignored): extra_q" in result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "organisation_id,respondent_id,role,item_id,answer"
    assert lines[1] == "O1,6f1c-aaaa,direction,a_scale,2"
    assert len(lines) == 10


def test_responses_import_with_a_problem_writes_nothing(tmp_path):
    questionnaire = tmp_path / "tiny.yaml"
    questionnaire.write_text(TINY, encoding="utf-8")
    export = tmp_path / "kobo.csv"
    bad = KOBO_ROWS[0].replace(";y;", ";w;")
    export.write_text("\n".join([KOBO_HEADER, bad]) + "\n", encoding="utf-8")
    out = tmp_path / "responses.csv"
    args = ["responses", "import", str(export), "--questionnaire", str(questionnaire)]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 2
    assert "column 'A/a_single'" in result.output and "not_an_option" in result.output
    assert not out.exists()
