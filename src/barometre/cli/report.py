"""`barometre report ...` and `barometre practices validate`: reports from files, no server."""

from __future__ import annotations

from pathlib import Path

import typer

from barometre.cli.errors import user_errors
from barometre.cli.inputs import read_json
from barometre.files import write_text_atomic
from barometre.organisations import read_frame
from barometre.questionnaire import load_questionnaire
from barometre.recommend import load_library

app = typer.Typer(help="Organisation and sector reports (HTML or PDF).", no_args_is_help=True)
practices = typer.Typer(help="The library of best-practice sheets.", no_args_is_help=True)


def _write(html: str, out: Path) -> None:
    from barometre.reports.render import write_pdf

    if out.suffix.lower() == ".html":
        write_text_atomic(out, html)
    else:
        write_pdf(html, out)


def _questionnaire_of(data: dict, given: str | None):
    """The questionnaire the scores were made with: its id and version must match."""
    questionnaire = load_questionnaire(given or data["questionnaire"]["id"])
    made_with = data["questionnaire"]
    if (questionnaire.id, questionnaire.version) != (made_with["id"], made_with["version"]):
        raise ValueError(
            f"The scores were made with questionnaire {made_with['id']} {made_with['version']} "
            f"but {questionnaire.id} {questionnaire.version} is loaded: pass the right file "
            "with --questionnaire."
        )
    return questionnaire


def _comparable(previous: dict, data: dict) -> dict:
    """Waves compare only with the same questionnaire and methodology version (§7)."""
    same = previous["questionnaire"]["id"] == data["questionnaire"]["id"] and (
        previous.get("methodology", {}).get("version") == data.get("methodology", {}).get("version")
    )
    if not same:
        raise ValueError(
            "The previous wave used another questionnaire or methodology version: "
            "its scores cannot be compared."
        )
    return previous


def _frame_info(frame: Path | None):
    """Names, and (family, size class) for the peer comparisons, from the frame when given."""
    if frame is None:
        return {}, None
    table = read_frame(frame)
    names = dict(zip(table["organisation_id"], table["name"], strict=True))
    keys = dict(
        zip(
            table["organisation_id"],
            zip(table["family"], table["size_class"], strict=True),
            strict=True,
        )
    )
    return names, keys


def _wave_inputs(
    scores: Path, previous: Path | None, questionnaire_file: str | None, library: Path | None
):
    """The scores, their questionnaire, the sheets and the comparable previous wave."""
    data = read_json(scores, "scores")
    questionnaire = _questionnaire_of(data, questionnaire_file)
    sheets = load_library(library, questionnaire)
    before = _comparable(read_json(previous, "scores"), data) if previous else None
    return data, questionnaire, sheets, before


@app.command("organisation")
def organisation(
    scores: Path = typer.Option(..., "--scores", help="Scores JSON from `barometre score`."),
    organisation_id: str = typer.Option(..., "--organisation", help="The organisation's id."),
    out: Path = typer.Option(..., "--out", help="FILE.pdf, or FILE.html for the browser."),
    previous: Path = typer.Option(None, "--previous", help="Scores JSON of the last wave."),
    frame: Path = typer.Option(None, "--frame", help="Frame CSV, for the organisation's name."),
    wave: str = typer.Option("", "--wave", help="Name of the wave, e.g. 'Baromètre 2026'."),
    language: str = typer.Option("fr", "--language", help="fr or en."),
    library: Path = typer.Option(None, "--practices", help="Folder of practice sheets."),
    questionnaire_file: str = typer.Option(
        None, "--questionnaire", "-q", help="Questionnaire file (default: the scores' own)."
    ),
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
        if organisation_id not in {o["organisation_id"] for o in data["organisations"]}:
            raise ValueError(f"No organisation '{organisation_id}' in {scores}.")
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
    language: str = typer.Option("fr", "--language", help="fr or en."),
    questionnaire_file: str = typer.Option(
        None, "--questionnaire", "-q", help="Questionnaire file (default: the estimates' own)."
    ),
) -> None:
    """The sector report: estimates with confidence intervals, distributions, breakdowns,
    reliability, change, most frequent recommendations and method annex."""
    from barometre.reports.render import sector_html
    from barometre.reports.sector import build_sector_report

    with user_errors():
        data = read_json(estimates, "estimates")
        questionnaire = _questionnaire_of(data, questionnaire_file)
        score_data = read_json(scores, "scores") if scores else None
        report = build_sector_report(
            data,
            questionnaire,
            title=title,
            change=read_json(change, "change") if change else None,
            scores=score_data,
            library=load_library(None, questionnaire) if score_data else None,
            language=language,
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
    language: str = typer.Option("fr", "--language", help="fr or en."),
    questionnaire_file: str = typer.Option(
        None, "--questionnaire", "-q", help="Questionnaire file (default: the scores' own)."
    ),
) -> None:
    """Every organisation report of a wave, with a progress bar."""
    from barometre.reports.organisation import build_organisation_report
    from barometre.reports.render import organisation_html, write_pdf

    with user_errors():
        data, questionnaire, sheets, before = _wave_inputs(
            scores, previous, questionnaire_file, None
        )
        names, peer_keys = _frame_info(frame)
    ids = [o["organisation_id"] for o in data["organisations"] if o["global"] is not None]
    with typer.progressbar(ids, label="Organisation reports") as progress:
        for organisation_id in progress:
            report = build_organisation_report(
                data,
                organisation_id,
                questionnaire,
                sheets,
                name=names.get(organisation_id),
                wave=wave_name,
                previous=before,
                language=language,
                for_print=True,
                peer_keys=peer_keys,
            )
            write_pdf(organisation_html(report), out / f"{organisation_id}.pdf")
    typer.echo(f"{len(ids)} reports written to {out}/.")


@practices.command("validate")
def validate(
    folder: Path = typer.Argument(None, help="Folder of sheets (default: the built-in library)."),
    questionnaire: str = typer.Option(
        "hlm-2026", "--questionnaire", "-q", help="Questionnaire the triggers refer to."
    ),
) -> None:
    """Check the library: fields, sections, prerequisites, cycles, triggers (every problem)."""
    with user_errors():
        library = load_library(folder, load_questionnaire(questionnaire))
    dimensions = sorted({d for s in library.sheets for d in s.dimensions})
    typer.echo(
        f"{len(library.sheets)} sheets, covering {len(dimensions)} dimensions: "
        + ", ".join(dimensions)
    )
