"""`barometre score`: score a responses file and write the scores as JSON."""

from __future__ import annotations

from pathlib import Path

import typer

from barometre.cli.errors import user_errors
from barometre.files import write_text_atomic


def score(
    responses: Path = typer.Option(..., "--responses", "-r", help="Responses CSV file."),
    questionnaire: str = typer.Option(
        "hlm-2026", "--questionnaire", "-q", help="Questionnaire file or built-in name."
    ),
    out: Path = typer.Option(None, "--out", "-o", help="JSON file to write (default: stdout)."),
) -> None:
    """Score every organisation of a responses file (JSON contract in docs/scores-format.md)."""
    # Imported here, not with the module: `barometre --help` must not load them (issue 14).
    from barometre.questionnaire import load_questionnaire
    from barometre.scoring.engine import score_responses_file

    with user_errors():
        q = load_questionnaire(questionnaire)
        # A file of the day is read as codes, never as a table of Python strings (issue 14).
        result = score_responses_file(q, responses)
    # The file is written as it is made, a thousand organisations at a time
    # (`ScoreResult.json_chunks`, the text of `to_file().dumps()`).
    if out is None:
        for chunk in result.json_chunks():
            typer.echo(chunk, nl=False)
        return
    write_text_atomic(out, result.json_chunks())
    scored = int(result.scored.sum())
    typer.echo(
        f"Scored {len(result.organisations)} organisations ({scored} with a global index) "
        f"into {out}."
    )
