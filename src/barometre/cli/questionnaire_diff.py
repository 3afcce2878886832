"""`barometre questionnaire diff OLD NEW`: what changed between two questionnaire versions, and
which scores stay comparable between waves that use them (docs/versions.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from barometre.cli.errors import user_errors
from barometre.errors import QuestionnaireError

if TYPE_CHECKING:  # imported in the functions: `barometre --help` must not load them (issue 14)
    from barometre.interop.versions import Change, Effect, QuestionnaireDiff
    from barometre.questionnaire.models import Questionnaire

#: `--fail-on-breaking` and a breaking change: the files were read, the answer is "no".
EXIT_BREAKING = 1

_HEADINGS: dict[Effect, str] = {
    "breaking": "Breaking (the same answers may score differently)",
    "wording": (
        "Wording (a scored question reads differently; its scores do not move: check that it "
        "still measures the same thing)"
    ),
    "cosmetic": "Cosmetic (nothing a score depends on)",
}


def diff(
    old: str = typer.Argument(
        ..., help="The earlier questionnaire: a YAML file or a built-in name."
    ),
    new: str = typer.Argument(..., help="The later questionnaire: a YAML file or a built-in name."),
    fail_on_breaking: bool = typer.Option(
        False,
        "--fail-on-breaking",
        help="Exit with status 1 when a change breaks comparability (status 2 stays bad input).",
    ),
    as_json: bool = typer.Option(
        False,
        "--json",
        help="Print the diff as JSON (docs/schemas/questionnaire-diff.schema.json).",
    ),
) -> None:
    """List the items, options, rows, dimensions and methodology parameters added, removed or
    changed, grouped as breaking, wording and cosmetic, then which dimension scores and
    indices stay comparable between waves of OLD and NEW."""
    from barometre.interop.versions import diff_questionnaires as compute_diff
    from barometre.questionnaire import load_questionnaire

    with user_errors():
        problems = []
        loaded = []
        for source in (old, new):
            try:
                loaded.append(load_questionnaire(source))
            except QuestionnaireError as error:
                problems.extend(error.problems)
        if problems:
            raise QuestionnaireError(f"{old}, {new}", problems)
        result = compute_diff(loaded[0], loaded[1])
    typer.echo(result.dumps() if as_json else "\n".join(report_lines(result, loaded[1])))
    if fail_on_breaking and result.breaking:
        raise typer.Exit(EXIT_BREAKING)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _lines(change: Change) -> list[str]:
    """A change on one line; a text shortened in the sentence also in full, old then new."""
    from barometre.interop.versions import describe, shortened

    line = f"  - {change.path}: {describe(change)}"
    moves = [*change.dimensions, *change.axes, *change.scores]
    lines = [line + (f"  [moves: {', '.join(moves)}]" if moves else "")]
    old, new = (v if isinstance(v, str) else "" for v in (change.old, change.new))
    if (old, new) != shortened(old, new):
        lines += [
            f"      old: {_quoted(change.old)}",
            f"      new: {_quoted(change.new)}",
        ]
    return lines


def _quoted(value: str | bool | int | float | list[str] | None) -> str:
    return f"“{value}”" if isinstance(value, str) else "(none)"


def _yes(flag: bool) -> str:
    return "comparable" if flag else "NOT comparable"


#: The default axes as the report names them (a typology without named axes).
_DEFAULT_AXES = {"tech": "technology axis (tech)", "transfo": "transformation axis (transfo)"}


def _axis_names(new: Questionnaire | None) -> dict[str, str]:
    """Each axis role as the report names it: the new questionnaire's own axes (their English
    label, else their first, and id), or the default ones."""
    from barometre.questionnaire.models import AXIS_ROLES

    typology = new.methodology.typology if new is not None else None
    if typology is None or not typology.named:
        return _DEFAULT_AXES
    labels = typology.labels()
    return {
        role: f"{labels[role].get('en')} axis ({axis_id})"
        for role, axis_id in zip(AXIS_ROLES, typology.axis_ids, strict=False)
    }


def report_lines(result: QuestionnaireDiff, later: Questionnaire | None = None) -> list[str]:
    """The diff as a person reads it (English, as every command's output); `later`, the new
    questionnaire, names its axes (without a typology on either side: no axis, no family)."""
    from barometre.interop.versions import EFFECTS

    counts = {effect: len(result.of_effect(effect)) for effect in EFFECTS}
    old, new = result.old, result.new
    lines = [
        f"{old.id} {old.version} -> {new.id} {new.version}: "
        f"{_plural(len(result.changes), 'change', 'changes')} "
        f"({counts['breaking']} breaking, {counts['wording']} wording, "
        f"{counts['cosmetic']} cosmetic)"
    ]
    for effect in EFFECTS:
        changes = result.of_effect(effect)
        if changes:
            lines += ["", _HEADINGS[effect] + ":"]
            lines += [line for change in changes for line in _lines(change)]
    c = result.comparability
    lines += [
        "",
        "Comparable between waves of the two versions:"
        if c.comparable
        else "Not every score is comparable between waves of the two versions:",
        "  dimensions comparable: " + (", ".join(c.dimensions) or "none"),
    ]
    if c.not_comparable:
        lines.append("  dimensions not comparable:")
        lines += [
            f"    - {dimension}: {', '.join(paths)}"
            for dimension, paths in c.not_comparable.items()
        ]
    names = _axis_names(later)
    if c.tech is not None:
        lines.append(f"  {names['tech']}: {_yes(c.tech)}")
    if c.transfo is not None:
        lines.append(f"  {names['transfo']}: {_yes(c.transfo)}")
    lines += [
        f"  global index: {_yes(c.global_index)}",
        f"  maturity levels: {_yes(c.levels)}",
    ]
    if c.families is not None:
        lines.append(f"  families: {_yes(c.families)}")
    lines += [
        f"  sector estimates (weighting, disclosure): {_yes(c.estimates)}",
        f"  breakdowns by declared type, size class, department: {_yes(c.breakdowns)}",
        f"  perceived gap: {_yes(c.perceived_gap)}",
        "  waves compared (change since the previous wave): "
        + ("yes" if c.comparable else "no, a change breaks comparability"),
    ]
    return lines
