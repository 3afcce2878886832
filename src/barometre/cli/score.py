"""`barometre score`: score a responses file and write the scores as JSON."""

from __future__ import annotations

from pathlib import Path

import typer

from barometre.cli.errors import user_errors
from barometre.files import write_text_atomic
from barometre.questionnaire import load_questionnaire
from barometre.scoring import score_responses
from barometre.scoring.responses_file import read_responses


def score(
    responses: Path = typer.Option(..., "--responses", "-r", help="Responses CSV file."),
    questionnaire: str = typer.Option(
        "hlm-2026", "--questionnaire", "-q", help="Questionnaire file or built-in name."
    ),
    out: Path = typer.Option(None, "--out", "-o", help="JSON file to write (default: stdout)."),
) -> None:
    """Score every organisation of a responses file (JSON contract in docs/scores-format.md)."""
    with user_errors():
        q = load_questionnaire(questionnaire)
        table = read_responses(responses)
        result = score_responses(q, table, source=str(responses))
    text = result.to_file().dumps()
    if out is None:
        typer.echo(text, nl=False)
        return
    write_text_atomic(out, text)
    scored = int(result.scored.sum())
    typer.echo(
        f"Scored {len(result.organisations)} organisations ({scored} with a global index) "
        f"into {out}."
    )
