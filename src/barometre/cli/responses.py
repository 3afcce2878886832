"""`barometre responses import ...`: answers collected elsewhere (ODK, KoboToolbox, SurveyJS)
read into a responses CSV (docs/responses-format.md), with what was matched."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from importlib import import_module
from pathlib import Path

import typer

from barometre.cli.errors import user_errors
from barometre.cli.questionnaire import out_problems, read_with
from barometre.files import csv_text, write_text_atomic

app = typer.Typer(help="Work with responses files.", no_args_is_help=True)


class SubmissionsFormat(StrEnum):
    odk = "odk"
    surveyjs = "surveyjs"


#: The reader of each format, `(path, questionnaire) -> (responses table, MappingReport)`,
#: imported only when used (the SurveyJS one is another engineer's, docs/surveyjs.md).
READERS: dict[SubmissionsFormat, tuple[str, str]] = {
    SubmissionsFormat.odk: ("barometre.interop.odk_submissions", "read_odk_submissions"),
    SubmissionsFormat.surveyjs: ("barometre.interop.surveyjs_results", "read_surveyjs_results"),
}


def _reader(form: SubmissionsFormat) -> Callable:
    module, name = READERS[form]
    return getattr(import_module(module), name)


@app.command("import")
def import_(
    file: Path = typer.Argument(
        ..., help="ODK / KoboToolbox export (.csv, .xlsx) or SurveyJS results (.json)."
    ),
    questionnaire: str = typer.Option(
        ..., "--questionnaire", help="The questionnaire the form was made from (YAML, or hlm-2026)."
    ),
    form: SubmissionsFormat | None = typer.Option(
        None, "--format", help="odk or surveyjs (default: surveyjs for .json, else odk)."
    ),
    out: Path = typer.Option(
        ..., "--out", help="Responses CSV file to write (.csv, in an existing folder)."
    ),
) -> None:
    """Read submissions into a responses CSV and print the mapping report (fields matched,
    columns unknown, fields missing); on any problem, list them all and write nothing."""
    # Imported here, not with the module: `barometre --help` must not load it (issue 14).
    from barometre.questionnaire import load_questionnaire

    chosen = form or (
        SubmissionsFormat.surveyjs if file.suffix.lower() == ".json" else SubmissionsFormat.odk
    )
    with user_errors():
        problems = out_problems(out, (".csv",), "CSV", reads=(file, Path(questionnaire)))
        table, report = read_with(
            lambda: _reader(chosen)(file, load_questionnaire(questionnaire)), problems
        )
        write_text_atomic(out, csv_text(table))
    for line in report.lines():
        typer.echo(line)
    typer.echo(f"{out}: {len(table)} answers written")
