"""`barometre export opendata`: a wave's published aggregates as a Frictionless Data Package
(`interop.opendata`, docs/opendata.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer

from barometre.cli.errors import user_errors
from barometre.errors import Code, InputError, Problem, problem

if TYPE_CHECKING:
    from barometre.questionnaire.models import Questionnaire

T = TypeVar("T")


def opendata(
    estimates: Path = typer.Option(
        ..., "--estimates", help="Estimates JSON of the wave (`barometre estimate`)."
    ),
    out: Path = typer.Option(
        ...,
        "--out",
        "-o",
        help="Folder to write (new or empty); with --zip, the ZIP file to write.",
    ),
    questionnaire: str = typer.Option(
        None,
        "--questionnaire",
        "-q",
        help="Questionnaire file the wave was run with (default: the built-in one the "
        "estimates name).",
    ),
    change: Path = typer.Option(
        None,
        "--change",
        help="Change JSON of the wave since the previous comparable wave (`barometre compare`).",
    ),
    zipped: bool = typer.Option(False, "--zip", help="Write one ZIP file instead of a folder."),
    title: str = typer.Option(None, "--title", help="The wave's title, in French."),
    created: str = typer.Option(
        None,
        "--created",
        help="Date the wave's data were final (YYYY-MM-DD), the package's `created`.",
    ),
    synthetic: bool = typer.Option(
        False, "--synthetic", help="The data are simulated: the README says so."
    ),
) -> None:
    """Write a published wave's open data: a Frictionless Data Package with the sector's
    figures by indicator and domain, the shares of levels and families and the change since
    the previous wave (every figure with n, standard error and interval; figures resting on
    fewer organisations than the disclosure minimum are empty, as on the public page), the
    questionnaire and the methodology, under the Licence Ouverte / Open Licence 2.0.
    Nothing is written when an input has a problem."""
    # Imported here, not with the module: `barometre --help` must not load them (issue 14).
    from barometre.contracts.change import ChangeFile
    from barometre.contracts.estimates import EstimatesFile
    from barometre.interop.opendata import out_problems, write_datapackage
    from barometre.questionnaire.loader import BUILTIN, builtin_path, load_questionnaire

    with user_errors():
        problems: list[Problem] = []
        data = _read(lambda: EstimatesFile.read(estimates), problems)
        changes = _read(lambda: ChangeFile.read(change), problems) if change else None
        made_with: Questionnaire | None = None
        text: str | None = None
        if data is not None or questionnaire is not None:
            name = questionnaire or (data.questionnaire.id if data is not None else "")
            made_with = _read(lambda: load_questionnaire(name), problems)
            path = builtin_path(name) if name in BUILTIN else Path(name)
            text = path.read_text(encoding="utf-8") if made_with is not None else None
        day = _date(created, problems)
        if problems or data is None or made_with is None:
            problems += out_problems(out, zipped=zipped)
            raise InputError("export opendata", problems)
        summary = write_datapackage(
            data,
            made_with,
            out,
            zipped=zipped,
            questionnaire_yaml=text,
            change=changes,
            title=title,
            created=day,
            synthetic=synthetic,
            source=str(estimates),
        )
    for line in summary.lines():
        typer.echo(line)


def _read(read: Callable[[], T], problems: list[Problem]) -> T | None:
    """What `read` returns, or None with its problems added to `problems`."""
    try:
        return read()
    except InputError as exc:
        problems.extend(exc.problems)
        return None


def _date(text: str | None, problems: list[Problem]) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(problem("--created", Code.OPENDATA_BAD_DATE, value=text))
        return None
