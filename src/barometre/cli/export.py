"""`barometre export`: a wave's tables as CSV, French-Excel CSV, XLSX, SPSS, Stata or Parquet
(docs/exports.md), and its subcommands (`barometre export opendata`)."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from barometre.cli import opendata
from barometre.cli.errors import user_errors
from barometre.comparability import questionnaire_of
from barometre.contracts.estimates import EstimatesFile
from barometre.contracts.scores import ScoresFile
from barometre.errors import Code, InputError, problem
from barometre.i18n import Language
from barometre.interop.exports import (
    ExportFormat,
    ExportTable,
    WaveData,
    derived_key,
    write_export,
)
from barometre.scoring.responses_file import read_responses

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
    out: Path = typer.Option(None, "--out", "-o", help="File to write."),
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
        required = {"--scores": scores, "--format": fmt, "--out": out}
        missing = [
            problem("barometre export", Code.EXPORT_MISSING_OPTION, option=option)
            for option, value in required.items()
            if value is None
        ]
        if missing:
            raise InputError("barometre export", missing)
        assert scores is not None and fmt is not None and out is not None
        scores_file = ScoresFile.read(scores)
        q = questionnaire_of(scores_file, questionnaire, str(scores))
        estimates_file = EstimatesFile.read(estimates) if estimates is not None else None
        table_data = read_responses(responses) if responses is not None else None
        key, derived = _pseudonym_key(responses or scores)
        data = WaveData(
            questionnaire=q,
            scores=scores_file,
            responses=table_data,
            estimates=estimates_file,
            pseudonym_key=key,
            organisations=frozenset(organisations) if organisations else None,
            source=str(responses or scores),
        )
        chosen: ExportTable | None = table
        if chosen is None and fmt != "xlsx":
            chosen = "organisations"
        summary = write_export(data, chosen, fmt, out, language=language)
    typer.echo(
        f"Exported {', '.join(summary.tables)} ({summary.rows} rows, {summary.columns} columns, "
        f"{summary.bytes} bytes) to {summary.path}."
    )
    if derived and responses is not None:
        typer.echo(
            f"Pseudonyms: key derived from {responses} ({KEY_VARIABLE} is not set); anyone "
            "with that file can recompute them.",
            err=True,
        )


def _pseudonym_key(source: Path) -> tuple[bytes, bool]:
    """The pseudonyms' key from the environment, else derived from the file (and True)."""
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
