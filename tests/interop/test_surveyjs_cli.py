"""The command line's SurveyJS path: `barometre questionnaire export|import --format surveyjs`
calls `interop.surveyjs`, and a form that cannot be mapped writes nothing (exit status 2)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from barometre.cli.main import app
from barometre.interop.surveyjs import surveyjs_text
from barometre.questionnaire import load_questionnaire

runner = CliRunner()
HLM = load_questionnaire("hlm-2026")


def test_export_writes_the_form_and_import_reads_it_back(tmp_path: Path):
    form = tmp_path / "hlm.json"
    made = runner.invoke(
        app, ["questionnaire", "export", "hlm-2026", "--format", "surveyjs", "--out", str(form)]
    )
    assert made.exit_code == 0, made.output
    assert form.read_text(encoding="utf-8") == surveyjs_text(HLM)
    back = tmp_path / "hlm.yaml"
    read = runner.invoke(app, ["questionnaire", "import", str(form), "--out", str(back)])
    assert read.exit_code == 0, read.output
    assert load_questionnaire(back) == HLM


def test_a_form_that_cannot_be_mapped_writes_nothing(tmp_path: Path):
    form = tmp_path / "bad.json"
    form.write_text(
        json.dumps(
            {"pages": [{"name": "p", "elements": [{"type": "signaturepad", "name": "sig"}]}]}
        ),
        encoding="utf-8",
    )
    out = tmp_path / "bad.yaml"
    result = runner.invoke(
        app, ["questionnaire", "import", str(form), "--format", "surveyjs", "--out", str(out)]
    )
    assert result.exit_code == 2
    assert 'pages[0].elements[0] "sig"' in result.output
    assert "[surveyjs_unsupported_type]" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]


def test_results_import_writes_a_responses_file_that_scores(tmp_path: Path):
    # two synthetic respondents of the hlm-2026 form
    results = [
        {"role": "direction", "organisation_id": "SYN-0001", "str_strategy": "written"},
        {
            "role": "numerique",
            "organisation_id": "SYN-0001",
            "loc_online_requests": 35,
            "typo_key": 1,
        },
    ]
    source = tmp_path / "results.json"
    source.write_text(json.dumps(results), encoding="utf-8")
    out = tmp_path / "responses.csv"
    result = runner.invoke(
        app,
        ["responses", "import", str(source), "--questionnaire", "hlm-2026", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    # a results file's report speaks of results and keys (an ODK export's of submissions and
    # columns)
    assert "2 results, 2 answers" in result.output
    assert "1 keys unknown (ignored): typo_key" in result.output
    assert "submissions" not in result.output and "columns" not in result.output
    assert out.read_text(encoding="utf-8").splitlines() == [
        "organisation_id,respondent_id,role,item_id,answer",
        "SYN-0001,R0001,direction,str_strategy,written",
        "SYN-0001,R0002,numerique,loc_online_requests,35",
    ]
    scored = runner.invoke(app, ["score", "-r", str(out), "-o", str(tmp_path / "scores.json")])
    assert scored.exit_code == 0, scored.output


def test_bad_results_write_nothing(tmp_path: Path):
    source = tmp_path / "results.json"
    source.write_text(
        json.dumps([{"role": "direction", "organisation_id": "SYN-0001", "str_strategy": "x"}]),
        encoding="utf-8",
    )
    out = tmp_path / "responses.csv"
    result = runner.invoke(
        app,
        ["responses", "import", str(source), "--questionnaire", "hlm-2026", "--out", str(out)],
    )
    assert result.exit_code == 2
    assert f'{source} [0] "str_strategy"' in result.output
    assert "[not_an_option]" in result.output
    assert not out.exists()
