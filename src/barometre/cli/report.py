"""`barometre report ...` and `barometre practices validate`: reports from files, no server."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from barometre.cli.errors import (
    DEBUG_VARIABLE,
    EXIT_INPUT_ERROR,
    EXIT_INTERNAL_ERROR,
    debugging,
    user_errors,
)
from barometre.errors import Code, InputError, excerpt, problem
from barometre.files import write_text_atomic
from barometre.i18n import Language

if TYPE_CHECKING:  # imported in the functions: `barometre --help` must not load them (issue 14)
    from barometre.questionnaire.models import Questionnaire
    from barometre.recommend import Library
    from barometre.scoring.organisation_answers import OrganisationAnswers

app = typer.Typer(help="Organisation and sector reports (HTML or PDF).", no_args_is_help=True)
practices = typer.Typer(help="The library of best-practice sheets.", no_args_is_help=True)


def _write(html: str, out: Path) -> None:
    if out.suffix.lower() == ".html":
        write_text_atomic(out, html)
    else:
        from barometre.reports.render import write_pdf

        write_pdf(html, out)


def report_paths(out: Path, organisation_ids: list[str], suffix: str) -> dict[str, Path]:
    """The file of each organisation's report in the folder `out`, `ID{suffix}`; an
    `InputError` before anything is written when an identifier could name a file outside it
    (the scores file is read as given: defence in depth behind the responses' own rule)."""
    from barometre.identifiers import IDENTIFIER_MAX_LENGTH, file_in

    paths: dict[str, Path] = {}
    problems = []
    for organisation_id in organisation_ids:
        path = file_in(out, organisation_id, suffix)
        if path is not None:
            paths[organisation_id] = path
        else:
            problems.append(
                problem(
                    str(out),
                    Code.UNSAFE_FILE_NAME,
                    organisation=excerpt(organisation_id),
                    folder=str(out),
                    limit=IDENTIFIER_MAX_LENGTH,
                )
            )
    if problems:
        raise InputError(str(out), problems)
    return paths


def _frame_info(frame: Path | None):
    """Names, and (organisation type, size class) for the peer comparisons, from the frame
    when given."""
    if frame is None:
        return {}, None
    from barometre.organisations import read_frame

    table = read_frame(frame)
    names = dict(zip(table["organisation_id"], table["name"], strict=True))
    keys = dict(
        zip(
            table["organisation_id"],
            zip(table["organisation_type"], table["size_class"], strict=True),
            strict=True,
        )
    )
    return names, keys


RESPONSES_HELP = (
    "Responses CSV of the same wave, for the sheets triggered by an answer "
    "(docs/practices-format.md)."
)


def _answers(
    responses: Path | None, questionnaire: Questionnaire, sheets: Library
) -> dict[str, OrganisationAnswers]:
    """Each organisation's answers, read from the responses file when given; without it, a
    note when some sheet is triggered by answers (only scores trigger sheets then)."""
    if responses is None:
        if sheets.by_answers:
            typer.echo(
                "Note: some sheets are triggered by answers; without --responses only scores "
                "trigger sheets.",
                err=True,
            )
        return {}
    from barometre.scoring.organisation_answers import answers_of_responses
    from barometre.scoring.responses_file import read_responses

    return answers_of_responses(questionnaire, read_responses(responses), str(responses))


def _library(questionnaire: Questionnaire, folder: Path | None) -> Library:
    """The sheets of the questionnaire's reports (`recommend.library_for`): none, with a note,
    when no library is given and none shipped fits the questionnaire."""
    from barometre.recommend import library_for

    choice = library_for(questionnaire, folder)
    if choice.note:
        typer.echo(choice.note, err=True)
    return choice.library


def _wave_inputs(
    scores: Path, previous: Path | None, questionnaire_file: str | None, library: Path | None
):
    """The scores, their questionnaire, the sheets and the comparable previous wave."""
    from barometre.comparability import WaveMethod, check_comparable, questionnaire_of
    from barometre.contracts.scores import ScoresFile

    data = ScoresFile.read(scores)
    questionnaire = questionnaire_of(data, questionnaire_file, str(scores))
    sheets = _library(questionnaire, library)
    before = None
    if previous is not None:
        before = ScoresFile.read(previous)
        check_comparable(WaveMethod.of_file(before), WaveMethod.of_file(data), str(previous))
    return data, questionnaire, sheets, before


@app.command("organisation")
def organisation(
    scores: Path = typer.Option(..., "--scores", help="Scores JSON from `barometre score`."),
    organisation_id: str = typer.Option(..., "--organisation", help="The organisation's id."),
    out: Path = typer.Option(..., "--out", help="FILE.pdf, or FILE.html for the browser."),
    previous: Path = typer.Option(None, "--previous", help="Scores JSON of the last wave."),
    frame: Path = typer.Option(None, "--frame", help="Frame CSV, for the organisation's name."),
    wave: str = typer.Option("", "--wave", help="Name of the wave, e.g. 'Baromètre 2026'."),
    language: Language = typer.Option("fr", "--language", help="fr or en."),
    library: Path = typer.Option(None, "--practices", help="Folder of practice sheets."),
    questionnaire_file: str = typer.Option(
        None, "--questionnaire", "-q", help="Questionnaire file (default: the scores' own)."
    ),
    responses: Path = typer.Option(None, "--responses", help=RESPONSES_HELP),
) -> None:
    """The report of one organisation: summary for the board, scores, family, comparisons,
    prioritised recommendations, roadmap and method annex."""
    from barometre.reports.organisation import build_organisation_report
    from barometre.reports.render import organisation_html

    with user_errors():
        data, questionnaire, sheets, before = _wave_inputs(
            scores, previous, questionnaire_file, library
        )
        names, peer_keys = _frame_info(frame)
        if data.organisation(organisation_id) is None:
            raise InputError(
                str(scores),
                [
                    problem(
                        str(scores),
                        Code.UNKNOWN_ORGANISATION_IN_SCORES,
                        organisation=organisation_id,
                    )
                ],
            )
        report = build_organisation_report(
            data,
            organisation_id,
            questionnaire,
            sheets,
            name=names.get(organisation_id),
            wave=wave,
            previous=before,
            language=language,
            for_print=out.suffix.lower() != ".html",
            peer_keys=peer_keys,
            answers=_answers(responses, questionnaire, sheets).get(organisation_id),
        )
        _write(organisation_html(report), out)
    typer.echo(f"Report of {organisation_id} written to {out}.")


@app.command("sector")
def sector(
    estimates: Path = typer.Option(..., "--estimates", help="JSON from `barometre estimate`."),
    out: Path = typer.Option(..., "--out", help="FILE.pdf, or FILE.html for the browser."),
    scores: Path = typer.Option(
        None, "--scores", help="Scores JSON, for the most frequent recommendations."
    ),
    change: Path = typer.Option(None, "--change", help="JSON from `barometre compare`."),
    title: str = typer.Option("", "--title", help="Title, e.g. 'Baromètre 2026'."),
    language: Language = typer.Option("fr", "--language", help="fr or en."),
    questionnaire_file: str = typer.Option(
        None, "--questionnaire", "-q", help="Questionnaire file (default: the estimates' own)."
    ),
    responses: Path = typer.Option(None, "--responses", help=RESPONSES_HELP),
    practices_folder: Path = typer.Option(
        None, "--practices", help="Folder of practice sheets, for the frequent recommendations."
    ),
) -> None:
    """The sector report: estimates with confidence intervals, distributions, breakdowns,
    reliability, change, most frequent recommendations and method annex."""
    from barometre.comparability import WaveMethod, check_comparable, questionnaire_of
    from barometre.contracts.change import ChangeFile
    from barometre.contracts.estimates import EstimatesFile
    from barometre.contracts.scores import ScoresFile
    from barometre.reports.render import sector_html
    from barometre.reports.sector import build_sector_report

    with user_errors():
        data = EstimatesFile.read(estimates)
        questionnaire = questionnaire_of(data, questionnaire_file, str(estimates))
        score_data = ScoresFile.read(scores) if scores else None
        if score_data is not None:  # the same wave: the same questionnaire and methodology
            check_comparable(WaveMethod.of_file(score_data), WaveMethod.of_file(data), str(scores))
        change_data = ChangeFile.read(change) if change else None
        if change_data is not None:  # the change ends at this wave
            made_with = WaveMethod(
                change_data.after.id, change_data.after.version, change_data.methodology_version
            )
            check_comparable(made_with, WaveMethod.of_file(data), str(change))
        library = _library(questionnaire, practices_folder) if score_data else None
        report = build_sector_report(
            data,
            questionnaire,
            title=title,
            change=change_data,
            scores=score_data,
            library=library,
            language=language,
            answers=_answers(responses, questionnaire, library) if library else None,
        )
        _write(sector_html(report), out)
    typer.echo(f"Sector report written to {out}.")


@app.command("wave")
def wave(
    scores: Path = typer.Option(..., "--scores", help="Scores JSON from `barometre score`."),
    out: Path = typer.Option(..., "--out", help="Folder for one PDF per organisation."),
    previous: Path = typer.Option(None, "--previous", help="Scores JSON of the last wave."),
    frame: Path = typer.Option(None, "--frame", help="Frame CSV, for the names."),
    wave_name: str = typer.Option("", "--wave", help="Name of the wave."),
    language: Language = typer.Option("fr", "--language", help="fr or en."),
    questionnaire_file: str = typer.Option(
        None, "--questionnaire", "-q", help="Questionnaire file (default: the scores' own)."
    ),
    responses: Path = typer.Option(None, "--responses", help=RESPONSES_HELP),
    library: Path = typer.Option(None, "--practices", help="Folder of practice sheets."),
    workers: int = typer.Option(
        None,
        "--workers",
        min=1,
        help="Processes making the reports (default: $BAROMETRE_REPORT_WORKERS, else all cores).",
    ),
) -> None:
    """Every organisation report of a wave, with a progress bar, on every core. A report that
    cannot be made is named and the others are still written (exit status 70, or 2 when every
    failure is a mistake in the input)."""
    from datetime import date

    from barometre.reports.batch import ReportTask, WaveReports, make_reports, worker_count

    with user_errors():
        data, questionnaire, sheets, before = _wave_inputs(
            scores, previous, questionnaire_file, library
        )
        names, peer_keys = _frame_info(frame)
        ids = [o.organisation_id for o in data.organisations if o.scored]
        paths = report_paths(out, ids, ".pdf")
        answers = _answers(responses, questionnaire, sheets)
    try:
        count = worker_count(workers, len(ids))
    except ValueError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(EXIT_INPUT_ERROR) from None
    shared = WaveReports(
        scores=data,
        questionnaire=questionnaire,
        library=sheets,
        report_date=date.today(),
        wave=wave_name,
        previous=before,
        language=language,
        peer_keys=peer_keys,
    )
    tasks = [ReportTask(i, paths[i], name=names.get(i), answers=answers.get(i)) for i in ids]
    failed = []
    with typer.progressbar(length=len(tasks), label="Organisation reports") as progress:
        for outcome in make_reports(shared, tasks, workers=count):
            if not outcome.written:
                failed.append(outcome)
            progress.update(1)
    for outcome in failed:
        typer.echo(f"Report of {outcome.organisation_id} not written: {outcome.error}", err=True)
        if outcome.detail and debugging():
            typer.echo(outcome.detail, err=True)
    typer.echo(f"{len(ids) - len(failed)} reports written to {out}/.")
    if failed:
        hint = any(o.detail for o in failed) and not debugging()  # a bug: where it was raised
        typer.echo(
            f"{len(failed)} of {len(ids)} reports failed: "
            + ", ".join(o.organisation_id for o in failed)
            + "."
            + (f" Set {DEBUG_VARIABLE}=1 to see the tracebacks." if hint else ""),
            err=True,
        )
        bug = any(not o.input_error for o in failed)
        raise typer.Exit(EXIT_INTERNAL_ERROR if bug else EXIT_INPUT_ERROR)


@practices.command("validate")
def validate(
    folder: Path = typer.Argument(None, help="Folder of sheets (default: the built-in library)."),
    questionnaire: str = typer.Option(
        "hlm-2026", "--questionnaire", "-q", help="Questionnaire the triggers refer to."
    ),
) -> None:
    """Check the library: fields, sections, prerequisites, cycles, triggers (every problem)."""
    from barometre.questionnaire import load_questionnaire
    from barometre.recommend import load_library

    with user_errors():
        library = load_library(folder, load_questionnaire(questionnaire))
    dimensions = sorted({d for s in library.sheets for d in s.dimensions})
    typer.echo(
        f"{len(library.sheets)} sheets, covering {len(dimensions)} dimensions: "
        + ", ".join(dimensions)
    )
