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


# --- what --out may name ---------------------------------------------------------------------


@pytest.mark.parametrize(("form", "name"), [("xlsform", "x.json"), ("surveyjs", "x.xlsx")])
def test_export_refuses_a_suffix_that_is_not_the_format(tmp_path, form, name):
    out = tmp_path / name
    result = runner.invoke(
        app, ["questionnaire", "export", "hlm-2026", "--format", form, "--out", str(out)]
    )
    assert result.exit_code == 2, result.output
    assert "--out: " in result.output and "[form_out_suffix]" in result.output
    assert ("does not end with .xlsx" if form == "xlsform" else "does not end with .json") in (
        " ".join(result.output.split())
    )
    assert list(tmp_path.iterdir()) == []


def test_export_in_upper_case_suffix_is_the_format(tmp_path):
    out = tmp_path / "FORM.XLSX"
    result = runner.invoke(app, ["questionnaire", "export", "hlm-2026", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0


def test_import_refuses_to_write_over_the_file_it_reads(tmp_path):
    source = tmp_path / "tiny.yaml"
    source.write_text(TINY, encoding="utf-8")
    workbook = tmp_path / "form.yaml"  # an XLSForm named .yaml, read with --format
    assert (
        runner.invoke(
            app,
            [
                "questionnaire",
                "export",
                str(source),
                "--format",
                "xlsform",
                "--out",
                str(tmp_path / "form.xlsx"),
            ],
        ).exit_code
        == 0
    )
    (tmp_path / "form.xlsx").rename(workbook)
    before = workbook.read_bytes()
    args = ["questionnaire", "import", str(workbook), "--format", "xlsform"]
    result = runner.invoke(app, [*args, "--out", str(workbook)])
    assert result.exit_code == 2, result.output
    assert "[form_out_is_input]" in result.output
    assert workbook.read_bytes() == before
    # the same file by another path too
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "." / "form.yaml")])
    assert "[form_out_is_input]" in result.output


def test_import_refuses_an_out_that_is_not_yaml(tmp_path):
    form = tmp_path / "form.xlsx"
    assert (
        runner.invoke(app, ["questionnaire", "export", "hlm-2026", "--out", str(form)]).exit_code
        == 0
    )
    before = form.read_bytes()
    result = runner.invoke(app, ["questionnaire", "import", str(form), "--out", str(form)])
    assert result.exit_code == 2
    assert "[form_out_suffix]" in result.output and "[form_out_is_input]" in result.output
    assert form.read_bytes() == before


@pytest.mark.parametrize(
    "command",
    [
        ["questionnaire", "export", "hlm-2026", "--out", "{missing}/form.xlsx"],
        ["questionnaire", "import", "{form}", "--out", "{missing}/form.yaml"],
        ["responses", "import", "{subs}", "--questionnaire", "{tiny}", "--out", "{missing}/r.csv"],
    ],
)
def test_a_missing_folder_is_a_problem_and_is_not_created(tmp_path, command):
    form = tmp_path / "form.xlsx"
    tiny = tmp_path / "tiny.yaml"
    tiny.write_text(TINY, encoding="utf-8")
    assert (
        runner.invoke(app, ["questionnaire", "export", str(tiny), "--out", str(form)]).exit_code
        == 0
    )
    subs = tmp_path / "subs.csv"
    subs.write_text("\n".join([KOBO_HEADER, *KOBO_ROWS]) + "\n", encoding="utf-8")
    missing = tmp_path / "no" / "such"
    names = {"missing": missing, "form": form, "subs": subs, "tiny": tiny}
    result = runner.invoke(app, [part.format(**names) for part in command])
    assert result.exit_code == 2, result.output
    assert "[form_out_no_folder]" in result.output
    assert f"the folder {missing} does not exist" in " ".join(result.output.split())
    assert not (tmp_path / "no").exists()


def test_an_out_that_is_a_folder_is_a_problem(tmp_path):
    result = runner.invoke(
        app, ["questionnaire", "export", "hlm-2026", "--format", "xlsform", "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "[form_out_is_folder]" in result.output


def test_responses_import_refuses_to_write_over_its_export(tmp_path):
    questionnaire = tmp_path / "tiny.yaml"
    questionnaire.write_text(TINY, encoding="utf-8")
    export = tmp_path / "kobo.csv"
    text = "\n".join([KOBO_HEADER, *KOBO_ROWS]) + "\n"
    export.write_text(text, encoding="utf-8")
    args = ["responses", "import", str(export), "--questionnaire", str(questionnaire)]
    result = runner.invoke(app, [*args, "--out", str(export)])
    assert result.exit_code == 2
    assert "[form_out_is_input]" in result.output
    assert export.read_text(encoding="utf-8") == text


def test_the_reviewers_corrupt_workbook_is_exit_2_for_both_imports(tmp_path):
    from tests.interop.test_xlsform_defects import damaged

    form = tmp_path / "form.xlsx"
    assert (
        runner.invoke(app, ["questionnaire", "export", "hlm-2026", "--out", str(form)]).exit_code
        == 0
    )
    corrupt = tmp_path / "corrupt.xlsx"
    corrupt.write_bytes(damaged(form.read_bytes()))
    for args in (
        ["questionnaire", "import", str(corrupt), "--out", str(tmp_path / "c.yaml")],
        [
            "responses",
            "import",
            str(corrupt),
            "--questionnaire",
            "hlm-2026",
            "--out",
            str(tmp_path / "c.csv"),
        ],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        assert "Internal error" not in result.output
        assert f"{corrupt} survey: the workbook is damaged" in " ".join(result.output.split())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corrupt.xlsx", "form.xlsx"]


def test_the_problems_of_out_and_of_the_input_are_told_together(tmp_path):
    workbook = tmp_path / "bad.xlsx"
    workbook.write_bytes(b"not a workbook")
    out = tmp_path / "no" / "out.json"
    result = runner.invoke(app, ["questionnaire", "import", str(workbook), "--out", str(out)])
    assert result.exit_code == 2
    output = " ".join(result.output.split())
    assert "3 problems found" in output
    for code in ("form_out_no_folder", "form_out_suffix", "xlsform_not_a_workbook"):
        assert f"[{code}]" in output
