"""`barometre demo`: simulate a synthetic sector, score it and print a summary."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from barometre.cli.errors import user_errors
from barometre.cli.summary import sector_summary
from barometre.files import csv_text, dumps_json, write_all_atomic
from barometre.organisations import FRAME_COLUMNS
from barometre.questionnaire import load_questionnaire
from barometre.scoring import score_responses
from barometre.simulate import simulate_sector


def demo(
    organisations: int = typer.Option(570, "--organisations", "-n", min=1),
    seed: int = typer.Option(2026, "--seed"),
    out: Path = typer.Option(
        Path("demo-output"), "--out", help="Folder for the demo's frame, responses and scores."
    ),
) -> None:
    """Simulate a synthetic sector, score it and print what it looks like."""
    started = time.perf_counter()
    with user_errors():
        q = load_questionnaire("hlm-2026")
        sector = simulate_sector(q, organisations=organisations, seed=seed)
        result = score_responses(q, sector.responses)
    write_all_atomic(
        {
            out / "frame.csv": csv_text(sector.frame[FRAME_COLUMNS]),
            out / "responses.csv": csv_text(sector.responses),
            out / "scores.json": dumps_json(result.to_dict()),
        }
    )
    typer.echo(sector_summary(q, sector, result))
    typer.echo(
        f"\nFiles (synthetic) in {out}/: frame.csv, responses.csv, scores.json "
        f"— done in {time.perf_counter() - started:.1f} s.\n"
        f"Next: barometre score --responses {out}/responses.csv --out scores.json"
    )
