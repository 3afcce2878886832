"""`barometre export`: a wave's tables as CSV, French-Excel CSV, XLSX, SPSS, Stata or Parquet
(docs/exports.md), and its subcommands (`barometre export opendata`)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer

from barometre.cli import opendata
from barometre.cli.errors import user_errors
from barometre.errors import Code, InputError, Problem, problem
from barometre.i18n import Language
from barometre.interop.exports.choices import FORMAT_SUFFIX, ExportFormat, ExportTable

if TYPE_CHECKING:  # imported in the functions: `barometre --help` must not load them (issue 14)
    from barometre.interop.exports import ExportSummary
    from barometre.questionnaire.models import Questionnaire

T = TypeVar("T")

#: The location of every problem of the command as a whole (its options, its tables).
COMMAND = "barometre export"

#: The environment variable holding the key of the respondents' pseudonyms.
KEY_VARIABLE = "BAROMETRE_PSEUDONYM_KEY"

app = typer.Typer(
    help="Export a wave's tables (organisations, items, responses, estimates) for Excel, R, "
    "SPSS, Stata or Parquet; `export opendata` writes the open-data package.",
    invoke_without_command=True,
)


@app.callback(invoke_without_command=True)
def export(
    ctx: typer.Context,
    scores: Path = typer.Option(None, "--scores", help="Scores JSON from `barometre score`."),
    responses: Path = typer.Option(
        None, "--responses", "-r", help="Responses CSV (for the responses tables)."
    ),
    questionnaire: str = typer.Option(
        None, "--questionnaire", "-q", help="Questionnaire file (default: the scores' own)."
    ),
    estimates: Path = typer.Option(
        None, "--estimates", help="Estimates JSON from `barometre estimate`."
    ),
    table: ExportTable = typer.Option(
        None,
        "--table",
        "-t",
        help="organisations, items, responses, responses-long or estimates (default: "
        "organisations; every available table for xlsx).",
    ),
    fmt: ExportFormat = typer.Option(
        None, "--format", "-f", help="csv, csv-fr, xlsx, sav, dta or parquet."
    ),
    out: Path = typer.Option(
        None,
        "--out",
        "-o",
        help="File to write, in an existing folder, with the format's suffix (.csv, .xlsx, "
        ".sav, .dta, .parquet); a file already there is replaced.",
    ),
    language: Language = typer.Option(
        "fr", "--language", help="Language of the labels of sav, dta and Parquet: fr or en."
    ),
    organisations: list[str] = typer.Option(
        None,
        "--organisation",
        help="Export only this organisation (repeat for several): a referent's export.",
    ),
) -> None:
    """Export one table of a wave (every table for xlsx, one sheet each, with a codebook).

    Respondents appear only as pseudonyms: HMAC-SHA256 of their id under the key in the
    environment variable BAROMETRE_PSEUDONYM_KEY; without it the key is derived from the
    responses file, so anyone with that file can recompute them (docs/exports.md)."""
    if ctx.invoked_subcommand is not None:
        return
    with user_errors():
        replaced = out is not None and out.is_file()
        summary, derived = _export(
            scores=scores,
            responses=responses,
            questionnaire=questionnaire,
            estimates=estimates,
            table=table,
            fmt=fmt,
            out=out,
            language=language,
            organisations=organisations,
        )
    typer.echo(
        f"Exported {', '.join(summary.tables)} ({summary.rows} rows, {summary.columns} columns, "
        f"{summary.bytes} bytes) to {summary.path}"
        + (f"; it replaced the file that was at {summary.path}." if replaced else ".")
    )
    if derived and responses is not None:
        typer.echo(
            f"Pseudonyms: key derived from {responses} ({KEY_VARIABLE} is not set); anyone "
            "with that file can recompute them.",
            err=True,
        )


def _export(
    *,
    scores: Path | None,
    responses: Path | None,
    questionnaire: str | None,
    estimates: Path | None,
    table: ExportTable | None,
    fmt: ExportFormat | None,
    out: Path | None,
    language: Language,
    organisations: list[str] | None,
) -> tuple[ExportSummary, bool]:
    """Read every input, check them and `--out` together (every problem at once, raised as
    one `InputError` of the command), then write the export: what was written, and whether
    the pseudonyms' key was derived from the file."""
    from barometre.comparability import questionnaire_of
    from barometre.contracts.estimates import EstimatesFile
    from barometre.contracts.scores import ScoresFile
    from barometre.interop.exports import (
        ExportError,
        WaveData,
        available_tables,
        export_problems,
        write_export,
    )
    from barometre.questionnaire.loader import load_questionnaire
    from barometre.scoring.responses_file import read_responses

    required = {"--scores": scores, "--format": fmt, "--out": out}
    problems = [
        problem(COMMAND, Code.EXPORT_MISSING_OPTION, option=option)
        for option, value in required.items()
        if value is None
    ]
    scores_file = _read(lambda: ScoresFile.read(scores), problems) if scores else None
    q: Questionnaire | None = None
    if scores_file is not None:
        q = _read(lambda: questionnaire_of(scores_file, questionnaire, str(scores)), problems)
    elif questionnaire is not None:  # its own problems, though the scores could not be read
        _read(lambda: load_questionnaire(questionnaire), problems)
    estimates_file = _read(lambda: EstimatesFile.read(estimates), problems) if estimates else None
    table_data = _read(lambda: read_responses(responses), problems) if responses else None
    if out is not None:
        problems += out_problems(out, fmt)
    if (
        scores_file is None
        or q is None
        or (estimates is not None and estimates_file is None)
        or (responses is not None and table_data is None)
    ):
        raise InputError(COMMAND, problems)
    assert scores is not None  # the scores file was read
    key, derived = _pseudonym_key(responses or scores)
    data = WaveData(
        questionnaire=q,
        scores=scores_file,
        responses=table_data,
        estimates=estimates_file,
        pseudonym_key=key,
        organisations=frozenset(organisations) if organisations else None,
        source=str(responses or scores),
        estimates_source=str(estimates),
    )
    chosen: ExportTable | None = table
    if chosen is None and fmt != "xlsx":
        chosen = "organisations"
    problems += export_problems(data, [chosen] if chosen else available_tables(data))
    if problems or fmt is None or out is None:
        raise InputError(COMMAND, problems)
    try:
        return write_export(data, chosen, fmt, out, language=language), derived
    except ExportError as exc:  # the options and tables asked: the command's problems
        raise ExportError(COMMAND, exc.problems) from None


def out_problems(out: Path, fmt: ExportFormat | None) -> list[Problem]:
    """What is wrong with `out` as the file of an export of format `fmt` (None: not given):
    it must not be a folder, its folder must exist, and it must end with the format's suffix
    (in any case: `.csv` for both CSVs). A file already there is replaced, as by every command
    of barometre (score, estimate, report, questionnaire export)."""
    if out.is_dir():
        return [problem("--out", Code.EXPORT_OUT_IS_FOLDER, path=str(out))]
    problems = []
    if not out.parent.is_dir():
        problems.append(problem("--out", Code.EXPORT_OUT_NO_FOLDER, folder=str(out.parent)))
    if fmt is not None and out.suffix.lower() != FORMAT_SUFFIX[fmt]:
        suffix = FORMAT_SUFFIX[fmt]
        problems.append(
            problem(
                "--out",
                Code.EXPORT_OUT_SUFFIX,
                path=str(out),
                suffix=suffix,
                format=fmt,
                example=(out.stem or "export") + suffix,
            )
        )
    return problems


def _read(read: Callable[[], T], problems: list[Problem]) -> T | None:
    """What `read` returns, or None with its problems added to `problems`."""
    try:
        return read()
    except InputError as exc:
        problems.extend(exc.problems)
        return None


def _pseudonym_key(source: Path) -> tuple[bytes, bool]:
    """The pseudonyms' key from the environment, else derived from the file (and True)."""
    from barometre.interop.exports import derived_key

    secret = os.environ.get(KEY_VARIABLE, "")
    if secret:
        return secret.encode("utf-8"), False
    try:
        return derived_key(source.read_bytes()), True
    except OSError:
        # The file's own reader reports it (file_not_found) with its location.
        return b"", True


# (issue 12 anchor: export subcommands)
app.command("opendata")(opendata.opendata)
