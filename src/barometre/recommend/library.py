"""Reading and checking the library of best-practice sheets, every problem at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from barometre.errors import Code, InputError, Problem, problem
from barometre.questionnaire.fields import effective_options
from barometre.questionnaire.models import OPTION_KINDS, Item, Questionnaire
from barometre.recommend.sheets import Library, Sheet, Trigger

#: Sections every sheet's body has, so that a director can act on it: a heading starts with
#: one of these ("## Effort et coût" is the section "## Effort").
SECTIONS = ("## Le problème", "## Que faire", "## Écueils", "## Effort", "## Mesurer le succès")
ENGLISH_SECTIONS = (
    "## The problem",
    "## What to do",
    "## Pitfalls",
    "## Effort",
    "## Measuring success",
)
#: The line of a sheet's file between its French body and its English body.
ENGLISH_MARKER = "<!-- en -->"
#: Front matter lists of texts, each `{fr, en}`.
TEXT_LISTS = ("indicators", "references")


class LibraryError(InputError):
    """The library of sheets has problems; it is refused whole."""


def builtin_library_path() -> Path:
    return Path(str(resources.files("barometre.content").joinpath("practices")))


#: The questionnaire the built-in library is written for.
BUILTIN_LIBRARY_QUESTIONNAIRE = "hlm-2026"


def example_library_path(questionnaire_id: str) -> Path:
    """Where an example library written for a built-in questionnaire ships:
    `content/practices-examples/<questionnaire id>/` (it may not exist)."""
    return Path(
        str(resources.files("barometre.content").joinpath("practices-examples", questionnaire_id))
    )


@dataclass(frozen=True)
class LibraryMisfit:
    """A shipped library considered for a questionnaire and left out: its folder, whether it
    is the example library shipped for the questionnaire or the built-in one, and why."""

    folder: Path
    example: bool
    problems: tuple[Problem, ...]

    def describe(self, questionnaire_id: str) -> str:
        first = self.problems[0]
        which = (
            f"the example library shipped for {questionnaire_id} ({self.folder})"
            if self.example
            else f"the built-in one, written for {BUILTIN_LIBRARY_QUESTIONNAIRE},"
        )
        count = len(self.problems)
        return (
            f"{which} has {count} problem{'s' if count != 1 else ''}, the first: "
            f"{first.location}: {first.message}"
        )


@dataclass(frozen=True)
class LibraryChoice:
    """The sheets a questionnaire's reports recommend from: the library given, else the
    example library shipped for the questionnaire, else the built-in library when it fits the
    questionnaire; else none (an empty library, `misfits` saying which shipped libraries were
    considered and why each does not fit; `misfit`, the first one's problems)."""

    library: Library
    folder: Path | None
    misfit: tuple[Problem, ...] = ()
    misfits: tuple[LibraryMisfit, ...] = ()
    questionnaire_id: str = ""

    @property
    def note(self) -> str:
        """What the command line says when the reports have no recommendations (empty when
        they have a library): every shipped library considered, and why it does not fit."""
        if not self.misfit:
            return ""
        reasons = "; ".join(m.describe(self.questionnaire_id) for m in self.misfits)
        return (
            "Note: no library of practice sheets shipped with barometre fits this questionnaire "
            f"({reasons}), so the reports have no recommendations. Give a library written for "
            "it with --practices."
        )


def library_for(
    questionnaire: Questionnaire,
    folder: str | Path | None = None,
    read: Callable[[Path], Library] | None = None,
) -> LibraryChoice:
    """The library of `questionnaire`'s reports (see `LibraryChoice`). A library given is
    checked against the questionnaire and refused with its problems; a shipped one that does
    not fit is left out. `read` reads a shipped folder, unchecked against any questionnaire
    (the web passes a cached `load_library`)."""
    if folder is not None:
        return LibraryChoice(load_library(folder, questionnaire), Path(folder))
    read = read or load_library
    misfits: list[LibraryMisfit] = []
    example = example_library_path(questionnaire.id)
    for candidate in (example, builtin_library_path()):
        if not candidate.is_dir():
            continue
        library = read(candidate)
        problems = check_library(library, questionnaire)
        if not problems:
            return LibraryChoice(library, candidate)
        misfits.append(LibraryMisfit(candidate, candidate == example, tuple(problems)))
    return LibraryChoice(
        Library(sheets=[]),
        None,
        misfits[0].problems if misfits else (),
        tuple(misfits),
        questionnaire.id,
    )


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
            [problem(str(folder), Code.EMPTY_LIBRARY)],
        )
    for path in files:
        sheet = read_sheet(path, problems)
        if sheet is not None:
            sheets.append(sheet)
    library = Library(sheets=sheets)
    problems += check_library(library, questionnaire)
    if problems:
        raise LibraryError(str(folder), problems)
    return library


def read_sheet(path: Path, problems: list[Problem]) -> Sheet | None:
    """One sheet's file, its own problems added to `problems` (None when it cannot be read);
    the checks between sheets are `check_library`'s."""
    where = str(path)
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n") or "\n---\n" not in text[4:]:
        problems.append(
            problem(
                where,
                Code.NO_FRONT_MATTER,
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
                Code.YAML_SYNTAX,
                detail=getattr(exc, "problem", None) or str(exc),
            )
        )
        return None
    if not isinstance(data, dict):
        problems.append(
            problem(
                where,
                Code.NOT_A_MAPPING_FRONT_MATTER,
            )
        )
        return None
    french, english = split_body(body)
    try:
        sheet = Sheet.model_validate(
            {
                **_french_only_texts(data),
                "body": {"fr": french, "en": english},
                "source": path.name,
            }
        )
    except ValidationError as exc:
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"]) or "-"
            problems.append(problem(where, Code.INVALID_FIELD, field=field, reason=error["msg"]))
        return None
    problems += _language_problems(sheet, where)
    if path.stem != sheet.id:
        problems.append(
            problem(
                where,
                Code.ID_MISMATCH,
                id=sheet.id,
                name=path.stem,
            )
        )
    return sheet


def split_body(body: str) -> tuple[str, str | None]:
    """The French and the English body: the English follows the line `<!-- en -->`
    (None when there is no such line or nothing after it)."""
    lines = body.split("\n")
    for number, line in enumerate(lines):
        if line.strip() == ENGLISH_MARKER:
            french, english = "\n".join(lines[:number]), "\n".join(lines[number + 1 :])
            return french.strip(), english.strip() or None
    return body.strip(), None


def _french_only_texts(data: dict[object, object]) -> dict[object, object]:
    """A plain string in `indicators` or `references` is taken as French only, so that the
    sheet is refused for its missing English rather than for its shape."""
    found = dict(data)
    for key in TEXT_LISTS:
        entries = found.get(key)
        if isinstance(entries, list):
            found[key] = [{"fr": e} if isinstance(e, str) else e for e in entries]
    return found


def _missing_sections(text: str, sections: tuple[str, ...]) -> list[str]:
    headings = [line.rstrip() for line in text.splitlines() if line.startswith("## ")]
    return [
        section
        for section in sections
        if not any(h == section or h.startswith(section + " ") for h in headings)
    ]


def _language_problems(sheet: Sheet, where: str) -> list[Problem]:
    """Both bodies have their sections, and every text of the sheet has its English."""
    found = []
    missing = _missing_sections(sheet.body.fr, SECTIONS)
    if missing:
        found.append(problem(where, Code.MISSING_SECTION, sections=", ".join(missing)))
    if sheet.body.en is None:
        found.append(problem(where, Code.NO_ENGLISH_BODY))
    else:
        missing = _missing_sections(sheet.body.en, ENGLISH_SECTIONS)
        if missing:
            found.append(problem(where, Code.MISSING_ENGLISH_SECTION, sections=", ".join(missing)))
    texts = [("title", sheet.title), ("summary", sheet.summary)]
    texts += [(f"indicators[{n}]", text) for n, text in enumerate(sheet.indicators)]
    texts += [(f"references[{n}]", text) for n, text in enumerate(sheet.references)]
    for field, text in texts:
        if not text.en:
            found.append(problem(where, Code.MISSING_TRANSLATION, field=field))
    return found


def check_library(library: Library, questionnaire: Questionnaire | None) -> list[Problem]:
    problems: list[Problem] = []
    ids = [s.id for s in library.sheets]
    known = set(ids)
    for sheet_id in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(
            problem(
                sheet_id,
                Code.DUPLICATE_SHEET,
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
                        Code.MISSING_PREREQUISITE,
                        id=prerequisite,
                    )
                )
        if questionnaire is not None:
            problems += _against_questionnaire(sheet, where, questionnaire)
    problems += _cycles(library)
    return problems


def _against_questionnaire(sheet: Sheet, where: str, q: Questionnaire) -> list[Problem]:
    dimensions = {d.id for d in q.dimensions}
    items = {i.id: i for i in q.scored_items}
    found = []
    for dimension in sheet.dimensions:
        if dimension not in dimensions:
            found.append(
                problem(
                    where, Code.UNKNOWN_DIMENSION_IN_SHEET, field="dimensions", dimension=dimension
                )
            )
    for number, trigger in enumerate(sheet.triggers):
        if trigger.item is not None and trigger.item not in items:
            found.append(
                problem(
                    where,
                    Code.UNKNOWN_ITEM_IN_SHEET,
                    field=f"triggers[{number}]",
                    item=trigger.item,
                )
            )
        elif trigger.item is not None and trigger.by_answer:
            found += _answer_problems(trigger, items[trigger.item], q, where, f"triggers[{number}]")
        if trigger.dimension is not None and trigger.dimension not in dimensions:
            found.append(
                problem(
                    where,
                    Code.UNKNOWN_DIMENSION_IN_SHEET,
                    field=f"triggers[{number}]",
                    dimension=trigger.dimension,
                )
            )
    return found


def _answer_problems(
    trigger: Trigger, item: Item, q: Questionnaire, where: str, field: str
) -> list[Problem]:
    """An answer rule names what its item has: options for `chosen` (an item answered with one
    or several options, not a status table), a row and a step of its ladder for `row`."""
    codes = [o.code for o in effective_options(item, q.methodology)]
    if trigger.chosen is not None:
        if item.kind not in OPTION_KINDS or item.kind == "status":
            return [
                problem(
                    where,
                    Code.CHOSEN_WITHOUT_OPTIONS,
                    field=f"{field}.chosen",
                    item=item.id,
                    kind=item.kind,
                )
            ]
        return [
            problem(
                where,
                Code.UNKNOWN_OPTION_IN_SHEET,
                field=f"{field}.chosen",
                item=item.id,
                option=code,
                options=", ".join(codes),
            )
            for code in trigger.chosen
            if code not in codes
        ]
    if item.kind != "status":
        return [problem(where, Code.ROW_NOT_A_STATUS_TABLE, field=f"{field}.row", item=item.id)]
    found = []
    rows = [r.id for r in item.rows]
    if trigger.row not in rows:
        found.append(
            problem(
                where,
                Code.UNKNOWN_ROW_IN_SHEET,
                field=f"{field}.row",
                item=item.id,
                row=trigger.row or "",
                rows=", ".join(rows),
            )
        )
    if trigger.step not in codes:
        key = "at_most" if trigger.at_most is not None else "exactly"
        found.append(
            problem(
                where,
                Code.UNKNOWN_STEP_IN_SHEET,
                field=f"{field}.{key}",
                item=item.id,
                step=trigger.step or "",
                steps=", ".join(codes),
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
                        Code.PREREQUISITE_CYCLE,
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
