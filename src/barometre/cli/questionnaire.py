"""`barometre questionnaire ...`: check a questionnaire file."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import typer

from barometre.cli.errors import user_errors
from barometre.questionnaire import build_field_tables, load_questionnaire
from barometre.questionnaire.models import Questionnaire

app = typer.Typer(help="Work with questionnaire files.", no_args_is_help=True)


@app.command("validate")
def validate(
    file: Path = typer.Argument(..., help="Questionnaire YAML file (or the built-in 'hlm-2026')."),
) -> None:
    """Check a questionnaire; print a summary, or every problem and exit with status 2."""
    with user_errors():
        questionnaire = load_questionnaire(str(file))
    typer.echo(summary(questionnaire))


def summary(q: Questionnaire) -> str:
    tables = build_field_tables(q)
    scored = q.scored_items
    kinds = Counter(item.kind for item in q.items)
    axis_weight = tables.fields[tables.fields["scored"]].groupby("axis")["weight"].sum()
    lines = [
        f"{q.id} {q.version}: {q.title.fr}",
        f"  methodology {q.methodology.version}, coverage threshold "
        f"{q.methodology.coverage_threshold:.0%}, levels "
        + " / ".join(f"{lv.code} ≥ {lv.min:g}" for lv in q.methodology.levels),
        f"  {len(q.items)} items ({len(scored)} scored, {len(tables.fields)} answer fields), "
        f"{len(q.dimensions)} dimensions, {len(q.roles)} roles",
        "  items per kind: " + ", ".join(f"{k} {kinds[k]}" for k in sorted(kinds)),
        "  axes (share of scored weight): "
        + ", ".join(f"{a} {w / axis_weight.sum():.0%}" for a, w in axis_weight.items()),
        "  dimensions:",
    ]
    for dimension in q.dimensions:
        items = [i for i in scored if i.dimension == dimension.id]
        facts = sum(i.kind in ("percent", "number") for i in items)
        lines.append(
            f"    {dimension.id:<24} {len(items):>3} items, {facts} fact indicators, "
            f"weight {dimension.weight:g}  {dimension.label.fr}"
        )
    return "\n".join(lines)
