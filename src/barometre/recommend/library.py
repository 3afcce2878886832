"""Reading and checking the library of best-practice sheets, every problem at once."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from barometre.errors import InputError, Problem, gettext_noop, problem
from barometre.questionnaire.models import Questionnaire
from barometre.recommend.sheets import Library, Sheet

#: Sections every sheet's body has, so that a director can act on it.
SECTIONS = ("## Le problème", "## Que faire", "## Écueils", "## Effort", "## Mesurer le succès")


class LibraryError(InputError):
    """The library of sheets has problems; it is refused whole."""


def builtin_library_path() -> Path:
    return Path(str(resources.files("barometre.content").joinpath("practices")))


def load_library(
    folder: str | Path | None = None, questionnaire: Questionnaire | None = None
) -> Library:
    """Every `*.md` sheet of `folder` (default: the built-in library), checked against each
    other and, when given, against the questionnaire its triggers refer to."""
    folder = Path(folder) if folder else builtin_library_path()
    problems: list[Problem] = []
    sheets = []
    files = sorted(folder.glob("*.md"))
    if not files:
        raise LibraryError(
            str(folder),
            [problem(str(folder), "empty_library", gettext_noop("no sheet (*.md) in this folder"))],
        )
    for path in files:
        sheet = _read_sheet(path, problems)
        if sheet is not None:
            sheets.append(sheet)
    library = Library(sheets=sheets)
    problems += check_library(library, questionnaire)
    if problems:
        raise LibraryError(str(folder), problems)
    return library


def _read_sheet(path: Path, problems: list[Problem]) -> Sheet | None:
    where = str(path)
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n") or "\n---\n" not in text[4:]:
        problems.append(
            problem(
                where,
                "no_front_matter",
                gettext_noop("a sheet starts with YAML front matter between two lines '---'"),
            )
        )
        return None
    header, body = text[4:].split("\n---\n", 1)
    try:
        data = yaml.safe_load(header) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(
            problem(
                f"{where}:{mark.line + 2}" if mark else where,
                "yaml_syntax",
                gettext_noop("invalid YAML: %(detail)s"),
                detail=getattr(exc, "problem", None) or str(exc),
            )
        )
        return None
    if not isinstance(data, dict):
        problems.append(
            problem(
                where,
                "not_a_mapping",
                gettext_noop("the front matter must be a YAML mapping (key: value)"),
            )
        )
        return None
    try:
        sheet = Sheet.model_validate({**data, "body": body.strip(), "source": path.name})
    except ValidationError as exc:
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"]) or "-"
            problems.append(
                problem(
                    where,
                    error["type"],
                    gettext_noop("%(field)s: %(detail)s"),
                    field=field,
                    detail=error["msg"],
                )
            )
        return None
    missing = [s for s in SECTIONS if s not in sheet.body]
    if missing:
        problems.append(
            problem(
                where,
                "missing_section",
                gettext_noop("the body lacks the section(s) %(sections)s"),
                sections=", ".join(missing),
            )
        )
    if path.stem != sheet.id:
        problems.append(
            problem(
                where,
                "id_mismatch",
                gettext_noop("id '%(id)s' differs from the file name '%(name)s'"),
                id=sheet.id,
                name=path.stem,
            )
        )
    return sheet


def check_library(library: Library, questionnaire: Questionnaire | None) -> list[Problem]:
    problems: list[Problem] = []
    ids = [s.id for s in library.sheets]
    known = set(ids)
    for sheet_id in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(
            problem(
                sheet_id,
                "duplicate_sheet",
                gettext_noop("sheet id '%(id)s' is used by more than one file"),
                id=sheet_id,
            )
        )
    for sheet in library.sheets:
        where = f"{sheet.source or sheet.id}"
        for prerequisite in sheet.prerequisites:
            if prerequisite not in known:
                problems.append(
                    problem(
                        where,
                        "missing_prerequisite",
                        gettext_noop("prerequisites: no sheet '%(id)s' in the library"),
                        id=prerequisite,
                    )
                )
        if questionnaire is not None:
            problems += _against_questionnaire(sheet, where, questionnaire)
    problems += _cycles(library)
    return problems


def _against_questionnaire(sheet: Sheet, where: str, q: Questionnaire) -> list[Problem]:
    dimensions = {d.id for d in q.dimensions}
    items = {i.id for i in q.scored_items}
    found = []
    for dimension in sheet.dimensions:
        if dimension not in dimensions:
            found.append(
                problem(
                    where,
                    "unknown_dimension",
                    gettext_noop("dimensions: unknown dimension '%(dimension)s'"),
                    dimension=dimension,
                )
            )
    for number, trigger in enumerate(sheet.triggers):
        if trigger.item is not None and trigger.item not in items:
            found.append(
                problem(
                    where,
                    "unknown_item",
                    gettext_noop("triggers[%(n)s]: unknown or unscored item '%(item)s'"),
                    n=number,
                    item=trigger.item,
                )
            )
        if trigger.dimension is not None and trigger.dimension not in dimensions:
            found.append(
                problem(
                    where,
                    "unknown_dimension",
                    gettext_noop("triggers[%(n)s]: unknown dimension '%(dimension)s'"),
                    n=number,
                    dimension=trigger.dimension,
                )
            )
    return found


def _cycles(library: Library) -> list[Problem]:
    """Prerequisites must not loop back (a sheet that needs itself, directly or not)."""
    graph = {s.id: list(s.prerequisites) for s in library.sheets}
    state: dict[str, int] = {}  # 1 = visiting, 2 = done
    found: list[Problem] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                cycle = [*path[path.index(nxt) :], nxt] if nxt in path else [node, nxt]
                found.append(
                    problem(
                        node,
                        "prerequisite_cycle",
                        gettext_noop("prerequisites loop: %(cycle)s"),
                        cycle=" → ".join(cycle),
                    )
                )
            elif state.get(nxt) is None and nxt in graph:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for node in sorted(graph):
        if state.get(node) is None:
            visit(node, [node])
    return found
