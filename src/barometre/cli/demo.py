"""`barometre demo`: a synthetic sector in the web application, ready to click through."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from barometre.cli.errors import user_errors
from barometre.files import csv_text, write_all_atomic

YEAR = 2026


def demo(
    organisations: int = typer.Option(570, "--organisations", "-n", min=10),
    seed: int = typer.Option(2026, "--seed"),
    out: Path = typer.Option(
        Path("demo-output"), "--out", help="Folder for the demo's database and files."
    ),
    port: int = typer.Option(8000, "--port", help="Port of the web application."),
    serve: bool = typer.Option(
        True, "--serve/--no-serve", help="Start the web application (default) or stop after set-up."
    ),
) -> None:
    """Simulate a synthetic sector over two waves, load it into the web application and serve
    it on http://127.0.0.1:PORT (every page says the data are synthetic)."""
    # Imported here, not with the module: only the demo loads Django, scipy and the rest.
    from barometre.cli.summary import sector_summary
    from barometre.organisations import FRAME_COLUMNS
    from barometre.questionnaire import load_questionnaire
    from barometre.scoring import score_responses
    from barometre.web.runner import serve_demo, setup_demo_database

    started = time.perf_counter()
    setup_demo_database(out)
    from barometre.web.demo import build_demo, demo_sectors

    with user_errors():
        questionnaire = load_questionnaire("hlm-2026")
        sector, next_wave = demo_sectors(organisations=organisations, seed=seed)
        result = score_responses(questionnaire, sector.responses)
    write_all_atomic(
        {
            out / "frame.csv": csv_text(sector.frame[FRAME_COLUMNS]),
            out / "responses.csv": csv_text(sector.responses),
            out / "scores.json": result.to_file().dumps(),
        }
    )
    typer.echo(f"Wave {YEAR - 1} of the demo:\n")
    typer.echo(sector_summary(questionnaire, sector, result))
    accounts = build_demo(first=sector, second=next_wave, year=YEAR)
    url = f"http://127.0.0.1:{port}"
    typer.echo(
        f"\nWeb application ready in {time.perf_counter() - started:.0f} s "
        f"(database {out / 'barometre.sqlite3'}):\n"
        f"  {url}/                     home\n"
        f"  {url}/barometre/{accounts.years[0]}/       published sector barometer "
        f"{accounts.years[0]}\n"
        f"  {url}{accounts.respondent_path}\n"
        f"                             a respondent's link (wave {accounts.years[1]}, open)\n"
        f"  {url}/connexion/           sign in:\n"
        f"      operator   {accounts.operator[0]}  /  {accounts.operator[1]}\n"
        + "".join(
            f"      referent   {email}  /  demo-referent   ({organisation_type}: {name})\n"
            for organisation_type, email, name in accounts.referents
        )
    )
    if serve:
        typer.echo(f"Serving on {url} — Ctrl+C to stop.")
        serve_demo(port, out)
