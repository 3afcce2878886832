"""`barometre questionnaire ...`: check a questionnaire file, export it as an XLSForm workbook
or a SurveyJS form, import one back as YAML."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from enum import StrEnum
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer

from barometre.cli.errors import user_errors
from barometre.errors import Code, InputError, Problem, problem
from barometre.files import write_atomic, write_text_atomic

if TYPE_CHECKING:
    from barometre.questionnaire.models import Questionnaire

app = typer.Typer(help="Work with questionnaire files.", no_args_is_help=True)
T = TypeVar("T")


@app.command("validate")
def validate(
    file: Path = typer.Argument(..., help="Questionnaire YAML file (or the built-in 'hlm-2026')."),
) -> None:
    """Check a questionnaire; print a summary, or every problem and exit with status 2."""
    # Imported here, not with the module, as in every command: `barometre --help` must not
    # load pydantic, YAML and pandas (issue 14).
    from barometre.questionnaire import load_questionnaire

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
#: The suffix of each format's file (`--out` must end with it, in any case).
FORMAT_SUFFIX = {form: suffix for suffix, form in SUFFIXES.items()}
#: The suffixes of the questionnaire YAML file `import` writes.
YAML_SUFFIXES = (".yaml", ".yml")


def out_problems(
    out: Path, suffixes: tuple[str, ...], kind: str, reads: tuple[Path, ...] = ()
) -> list[Problem]:
    """What is wrong with `out` as the file a command writes, checked before anything is
    read or written: a folder; a folder that does not exist (never created: a typo in a
    path is told, not obeyed); a suffix other than `suffixes` (`kind` names the file in the
    message); one of the files the command `reads`."""
    if out.is_dir():
        return [problem("--out", Code.FORM_OUT_IS_FOLDER, path=str(out))]
    problems = []
    parent = out.parent
    if not parent.is_dir():
        problems.append(problem("--out", Code.FORM_OUT_NO_FOLDER, folder=str(parent)))
    if out.suffix.lower() not in suffixes:
        problems.append(
            problem(
                "--out",
                Code.FORM_OUT_SUFFIX,
                path=str(out),
                suffix=suffixes[0],
                format=kind,
                example=(out.stem or "out") + suffixes[0],
            )
        )
    if any(_same_file(out, read) for read in reads):
        problems.append(problem("--out", Code.FORM_OUT_IS_INPUT, path=str(out)))
    return problems


def _same_file(out: Path, read: Path) -> bool:
    if out.resolve() == read.resolve():
        return True
    try:
        return os.path.samefile(out, read)  # a link to it
    except OSError:  # one of them does not exist
        return False


def read_with(read: Callable[[], T], problems: list[Problem]) -> T:
    """What `read` returns (it reads a command's input), when neither it nor the `problems`
    already found (those of `--out`) has any; else every problem at once."""
    try:
        value = read()
    except InputError as exc:
        if not problems:
            raise
        raise InputError(exc.source, [*problems, *exc.problems]) from None
    if problems:
        raise InputError("--out", problems)
    return value


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
    """Write a questionnaire as an XLSForm workbook (ODK, KoboToolbox) or a SurveyJS form.
    --out must end with the format's suffix (.xlsx, .json), in an existing folder."""
    from barometre.questionnaire import load_questionnaire

    with user_errors():
        chosen = _format_of(out, form)
        problems = out_problems(out, (FORMAT_SUFFIX[chosen],), chosen.value, reads=(file,))
        questionnaire = read_with(lambda: load_questionnaire(str(file)), problems)
        if chosen is FormFormat.xlsform:
            _function(chosen, 0)(questionnaire, out)
        else:
            write_text_atomic(out, _function(chosen, 0)(questionnaire))
    typer.echo(f"{out}: {questionnaire.id} {questionnaire.version} as {chosen.value}")


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="XLSForm workbook (.xlsx) or SurveyJS form (.json)."),
    out: Path = typer.Option(
        ..., "--out", help="Questionnaire YAML file to write (.yaml, in an existing folder)."
    ),
    form: FormFormat | None = typer.Option(
        None, "--format", help="xlsform or surveyjs (default: from the suffix of FILE)."
    ),
) -> None:
    """Read an XLSForm or SurveyJS form into a questionnaire YAML file and print its summary;
    on any problem, list them all and write nothing (exit status 2)."""
    from barometre.questionnaire import parse_questionnaire
    from barometre.questionnaire.writer import questionnaire_yaml

    with user_errors():
        chosen = _format_of(file, form)
        problems = out_problems(out, YAML_SUFFIXES, "YAML", reads=(file,))
        questionnaire = read_with(lambda: _function(chosen, 1)(file), problems)
        text = questionnaire_yaml(questionnaire)
        # what is written must read back: the loader's own limits and rules
        parse_questionnaire(text, str(out))
        write_atomic(out, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    typer.echo(f"{out}: written from {file} ({chosen.value})")
    typer.echo(summary(questionnaire))


def _feature_lines(q: Questionnaire) -> list[str]:
    """The summary's lines of the features a questionnaire uses (none for one that uses
    none of them): declared languages, path items, conditional questions, unanswered
    questions counted 0."""
    lines = []
    if q.languages:
        default, *others = q.declared_languages
        lines.append("  languages: " + ", ".join([f"{default} (default)", *others]))
    paths = [i for i in q.items if i.kind == "path"]
    if paths:
        lines.append("  path items: " + ", ".join(f"{i.id} ({len(i.steps)} steps)" for i in paths))
    items = sum(i.relevant is not None for i in q.items)
    options = sum(o.relevant is not None for i in q.items for o in i.options)
    if items or options:
        counted = [f"{items} item{'s' * (items != 1)}", f"{options} option{'s' * (options != 1)}"]
        lines.append(
            "  conditional questions (relevant): "
            + " and ".join(counted)
            + " shown only after an earlier answer"
        )
    zero = [d.id for d in q.dimensions if d.counts_missing_as_zero(q.methodology)]
    if zero:
        lines.append("  unanswered questions count 0 in: " + ", ".join(zero))
    return lines


def summary(q: Questionnaire) -> str:
    from barometre.questionnaire import build_field_tables

    tables = build_field_tables(q)
    scored = q.scored_items
    kinds = Counter(item.kind for item in q.items)
    axis_weight = tables.fields[tables.fields["scored"]].groupby("axis")["weight"].sum()
    lines = [
        f"{q.id} {q.version}: {q.text(q.title, q.default_language)}",
        f"  methodology {q.methodology.version}, coverage threshold "
        f"{q.methodology.coverage_threshold:.0%}, levels "
        + " / ".join(
            f"{lv.code} {'>' if n and q.methodology.levels_closed == 'upper' else '≥'} {lv.min:g}"
            for n, lv in enumerate(q.methodology.levels)
        ),
        f"  {len(q.items)} items ({len(scored)} scored, {len(tables.fields)} answer fields), "
        f"{len(q.dimensions)} dimensions, {len(q.roles)} roles",
        "  items per kind: " + ", ".join(f"{k} {kinds[k]}" for k in sorted(kinds)),
        *_feature_lines(q),
        (
            "  axes (share of scored weight): "
            + ", ".join(f"{a} {w / axis_weight.sum():.0%}" for a, w in axis_weight.items())
            if q.methodology.typology is not None
            else "  axes: none (no typology, so no families)"
        ),
        "  dimensions:",
    ]
    for dimension in q.dimensions:
        items = [i for i in scored if i.dimension == dimension.id]
        facts = sum(i.kind in ("percent", "number") for i in items)
        lines.append(
            f"    {dimension.id:<24} {len(items):>3} items, {facts} fact indicators, "
            f"weight {dimension.weight:g}  {q.text(dimension.label, q.default_language)}"
        )
    return "\n".join(lines)
