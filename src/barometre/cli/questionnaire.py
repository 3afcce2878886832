"""`barometre questionnaire ...`: check a questionnaire file, export it as an XLSForm workbook
or a SurveyJS form, import one back as YAML."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from enum import StrEnum
from importlib import import_module
from pathlib import Path

import typer

from barometre.cli.errors import user_errors
from barometre.errors import Code, InputError, problem
from barometre.files import write_atomic, write_text_atomic
from barometre.questionnaire import build_field_tables, load_questionnaire, parse_questionnaire
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


class FormFormat(StrEnum):
    xlsform = "xlsform"
    surveyjs = "surveyjs"


#: What each format is read and written with: (module, writer of a file, reader of a file),
#: imported only when used (the SurveyJS module is another engineer's, docs/surveyjs.md).
FORMATS: dict[FormFormat, tuple[str, str, str]] = {
    FormFormat.xlsform: ("barometre.interop.xlsform", "write_xlsform", "read_xlsform"),
    FormFormat.surveyjs: ("barometre.interop.surveyjs", "surveyjs_text", "read_surveyjs"),
}
#: The format a file's suffix says, when `--format` is not given.
SUFFIXES = {".xlsx": FormFormat.xlsform, ".json": FormFormat.surveyjs}


def _function(form: FormFormat, which: int) -> Callable:
    module, *names = FORMATS[form]
    return getattr(import_module(module), names[which])


def _format_of(path: Path, given: FormFormat | None) -> FormFormat:
    if given is not None:
        return given
    found = SUFFIXES.get(path.suffix.lower())
    if found is None:
        where = str(path)
        raise InputError(
            where, [problem(where, Code.FORM_FORMAT_UNKNOWN, suffix=path.suffix or "-")]
        )
    return found


@app.command("export")
def export(
    file: Path = typer.Argument(..., help="Questionnaire YAML file (or the built-in 'hlm-2026')."),
    form: FormFormat | None = typer.Option(
        None, "--format", help="xlsform or surveyjs (default: from the suffix of --out)."
    ),
    out: Path = typer.Option(..., "--out", help="File to write (.xlsx, .json)."),
) -> None:
    """Write a questionnaire as an XLSForm workbook (ODK, KoboToolbox) or a SurveyJS form."""
    with user_errors():
        chosen = _format_of(out, form)
        questionnaire = load_questionnaire(str(file))
        if chosen is FormFormat.xlsform:
            _function(chosen, 0)(questionnaire, out)
        else:
            write_text_atomic(out, _function(chosen, 0)(questionnaire))
    typer.echo(f"{out}: {questionnaire.id} {questionnaire.version} as {chosen.value}")


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="XLSForm workbook (.xlsx) or SurveyJS form (.json)."),
    out: Path = typer.Option(..., "--out", help="Questionnaire YAML file to write."),
    form: FormFormat | None = typer.Option(
        None, "--format", help="xlsform or surveyjs (default: from the suffix of FILE)."
    ),
) -> None:
    """Read an XLSForm or SurveyJS form into a questionnaire YAML file and print its summary;
    on any problem, list them all and write nothing (exit status 2)."""
    from barometre.questionnaire.writer import questionnaire_yaml

    with user_errors():
        chosen = _format_of(file, form)
        questionnaire = _function(chosen, 1)(file)
        text = questionnaire_yaml(questionnaire)
        # what is written must read back: the loader's own limits and rules
        parse_questionnaire(text, str(out))
        write_atomic(out, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    typer.echo(f"{out}: written from {file} ({chosen.value})")
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
