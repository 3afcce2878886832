"""A questionnaire as an XLSForm workbook (ODK, KoboToolbox), written and read back.

`write_xlsform(q, out)` / `xlsform_bytes(q)` write the standard `survey`, `choices` and
`settings` sheets, in French (the default language) and English, with extra `barometre::`
columns and `barometre_*` sheets for what XLSForm has no place for (dimension, axis, weights,
scores, the methodology...), so that `read_xlsform(path)` gives back the SAME questionnaire.
The workbook converts with pyxform, the ODK reference converter, so that the same form can be
collected on ODK Collect, Enketo or KoboToolbox. `read_xlsform` also reads a plain XLSForm
made elsewhere, where it can, and lists what it cannot map (docs/xlsform.md has the mapping).

XLSForm names are XML names: they cannot start with a digit or a `-`, which an item id may
(`_` is then put first), nor hold the dot of a status row's field id `ITEM.ROW` (its question
is named `ITEM__ROW`). `xlsform_names(q)` gives the name of every answer field; the import of
submissions (`odk_submissions`) reads their columns with it.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from pydantic import BaseModel, ValidationError

from barometre import formatting
from barometre.errors import Code, InputError, Problem, excerpt, problem
from barometre.files import write_atomic
from barometre.identifiers import IDENTIFIER_MAX_LENGTH
from barometre.interop.conditions import (
    Unreadable,
    choice_filter,
    combined,
    expression,
    read_choice_filter,
    read_condition,
)
from barometre.questionnaire.fields import YES_NO_OPTIONS, field_id
from barometre.questionnaire.loader import _explain
from barometre.questionnaire.models import (
    DONT_KNOW,
    NOT_APPLICABLE,
    NUMERIC_KINDS,
    Dimension,
    Goalposts,
    Item,
    Localized,
    Methodology,
    Option,
    Questionnaire,
    Role,
)
from barometre.questionnaire.validation import check_questionnaire


class XlsFormError(InputError):
    """An XLSForm workbook cannot be read as a questionnaire, or a questionnaire cannot be
    written as one; lists every problem."""


FR = "Français (fr)"
EN = "English (en)"
#: The languages of a workbook, in the order of its columns, and the field of `Localized`.
LANGUAGES = ((FR, "fr"), (EN, "en"))
LANGUAGE_CODES = tuple(code for _, code in LANGUAGES)
#: The column name of each language (`default_language` names the questionnaire's default).
LANGUAGE_COLUMNS = {code: language for language, code in LANGUAGES}
SURVEY, CHOICES, SETTINGS = "survey", "choices", "settings"
#: Extra sheets (pyxform ignores them).
META, DIMENSIONS, DESCRIPTORS, METHODOLOGY = (
    "barometre_questionnaire",
    "barometre_dimensions",
    "barometre_descriptors",
    "barometre_methodology",
)
ROLE_NAME, ORGANISATION_NAME = "role", "organisation_id"
ROLES_LIST, LADDER_LIST, YESNO_LIST, SPECIAL_LIST = (
    "roles",
    "barometre_ladder",
    "barometre_yesno",
    "barometre_special",
)
#: The question that takes NA or DK for an item answered by a number or a text.
SPECIAL_SUFFIX = "__special"
ROW_SEPARATOR = "__"
#: Prefix of the extra columns of `survey` (pyxform ignores a column `x::y` it does not know).
P = "barometre::"
#: Prefix of the extra columns of `choices`: pyxform copies a choice's extra columns into the
#: form's choice lists, where a `::` breaks it, so they are `barometre_score`...
C = "barometre_"


def translated(base: str) -> list[str]:
    """The columns of a translated text: `label::Français (fr)`, `label::English (en)`."""
    return [f"{base}::{language}" for language, _ in LANGUAGES]


SURVEY_COLUMNS = [
    "type",
    "name",
    *translated("label"),
    *translated("hint"),
    "required",
    "relevant",
    "constraint",
    *translated("constraint_message"),
    "appearance",
    f"{P}id",
    f"{P}kind",
    f"{P}dimension",
    f"{P}axis",
    f"{P}roles",
    f"{P}reference_role",
    f"{P}weight",
    f"{P}scored",
    f"{P}context",
    f"{P}worst",
    f"{P}best",
    f"{P}better",
    f"{P}minimum",
    f"{P}maximum",
    *translated(f"{P}unit"),
    f"{P}row",
    f"{P}special",
]
CHOICES_COLUMNS = [
    "list_name",
    "name",
    *translated("label"),
    f"{C}score",
    f"{C}weight",
    f"{C}exclusive",
    *[f"{C}description_{key}" for _, key in LANGUAGES],
    f"{C}next",
]
SETTINGS_COLUMNS = ["form_title", "form_id", "version", "default_language"]
META_COLUMNS = ["key", *translated("text")]
DIMENSION_COLUMNS = [
    "id",
    "weight",
    *translated("label"),
    *translated("description"),
    "missing_as_zero",
]
DESCRIPTOR_COLUMNS = ["dimension", "level", *translated("text")]
METHODOLOGY_COLUMNS = ["path", "value"]

#: Kinds whose item has a list of choices.
_OWN_LIST_KINDS = frozenset({"scale", "single", "multi", "status", "yesno"})
_XML_START = re.compile(r"[A-Za-z_]")
#: Texts of the questions the form adds, French then English.
_ROLE_LABEL = ("Votre rôle dans l'organisme", "Your role in the organisation")
_ORGANISATION_LABEL = ("Identifiant de l'organisme", "Identifier of the organisation")
_ORGANISATION_HINT = (
    "Tel que vous l'a donné l'opérateur du baromètre (lettres, chiffres, "
    "«\u202f-\u202f», «\u202f_\u202f», «\u202f.\u202f»).",
    "As given by the operator of the barometer (letters, digits, '-', '_', '.').",
)
_SPECIAL_LABEL = ("Ou, si vous ne pouvez pas répondre\u202f:", "Or, if you cannot answer:")
_SPECIAL_CHOICES = (
    (NOT_APPLICABLE, "Non applicable", "Not applicable"),
    (DONT_KNOW, "Je ne sais pas", "Don't know"),
)
_ALONE_MESSAGE = (
    "Cette réponse ne peut pas être cochée avec une autre.",
    "This answer cannot be ticked with another one.",
)
#: The constraint of the organisation's identifier: `barometre.identifiers`' rule (1 to 64
#: letters, digits, `-`, `_`, `.`, and neither `.` nor `..`), without a look-ahead, which not
#: every XPath engine of the collecting tools reads.
ORGANISATION_CONSTRAINT = (
    f"regex(., '^[A-Za-z0-9_.-]{{1,{IDENTIFIER_MAX_LENGTH}}}$') and . != '.' and . != '..'"
)
#: A fixed date for the workbook's properties, so that its content does not depend on the day.
_FIXED_DATE = datetime(2026, 1, 1)


def xml_name(identifier: str) -> str:
    """The XLSForm name of an item, row or dimension id (`_` first when it starts with a
    digit or `-`)."""
    return identifier if _XML_START.match(identifier) else f"_{identifier}"


def xlsform_names(q: Questionnaire) -> dict[str, str]:
    """The XLSForm name of every answer field: `{field_id: name}` (`ITEM.ROW` → `ITEM__ROW`)."""
    names: dict[str, str] = {}
    for item in q.items:
        if item.kind == "status":
            for row in item.rows:
                names[field_id(item, row.id)] = f"{xml_name(item.id)}{ROW_SEPARATOR}{row.id}"
        else:
            names[item.id] = xml_name(item.id)
    return names


def special_name(item: Item) -> str | None:
    """The name of the question that takes NA / DK for `item`, when it has one."""
    if item.kind in NUMERIC_KINDS or item.kind == "text":
        return f"{xml_name(item.id)}{SPECIAL_SUFFIX}"
    return None


# --- export ------------------------------------------------------------------------------


def xlsform_bytes(q: Questionnaire) -> bytes:
    """The XLSForm workbook of `q`, as the bytes of an `.xlsx` file."""
    buffer = io.BytesIO()
    _workbook(q).save(buffer)
    return buffer.getvalue()


def write_xlsform(q: Questionnaire, out: Path) -> Path:
    """Write the XLSForm workbook of `q` to `out`, atomically."""
    workbook = _workbook(q)
    return write_atomic(out, lambda tmp: workbook.save(tmp))


def _workbook(q: Questionnaire) -> Workbook:
    _check_names(q)
    workbook = Workbook()
    workbook.properties.creator = "barometre"
    workbook.properties.created = workbook.properties.modified = _FIXED_DATE
    sheets: list[tuple[str, list[str], list[dict[str, Any]]]] = [
        (SURVEY, SURVEY_COLUMNS + _condition_columns(q), list(_survey_rows(q))),
        (CHOICES, CHOICES_COLUMNS, list(_choice_rows(q))),
        (SETTINGS, SETTINGS_COLUMNS, [_settings_row(q)]),
        (META, META_COLUMNS, _meta_rows(q)),
        (DIMENSIONS, DIMENSION_COLUMNS, [_dimension_row(d) for d in q.dimensions]),
        (DESCRIPTORS, DESCRIPTOR_COLUMNS, list(_descriptor_rows(q))),
        (METHODOLOGY, METHODOLOGY_COLUMNS, _methodology_rows(q.methodology)),
    ]
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    problems: list[Problem] = []
    for title, columns, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(columns)
        for number, row in enumerate(rows, start=2):
            for column, name in enumerate(columns, start=1):
                value = row.get(name)
                if value is None:
                    continue
                if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
                    where = f"{q.id} {title}!{get_column_letter(column)}{number}"
                    problems.append(problem(where, Code.XLSFORM_CONTROL_CHARACTER))
                    continue
                cell = sheet.cell(number, column, value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # a text, not a formula
        sheet.freeze_panes = "A2"
    if problems:
        raise XlsFormError(q.id, problems)
    return workbook


def _check_names(q: Questionnaire) -> None:
    """Every XLSForm name of the form (questions, groups, lists) is unique."""
    owners: dict[str, str] = {ROLE_NAME: ROLE_NAME, ORGANISATION_NAME: ORGANISATION_NAME}
    problems: list[Problem] = []

    def claim(name: str, owner: str) -> None:
        first = owners.setdefault(name, owner)
        if first != owner:
            problems.append(
                problem(q.id, Code.XLSFORM_NAME_CLASH, name=name, first=first, second=owner)
            )

    for group, dimension in _dimension_groups(q).values():
        claim(group, f"dimension {dimension}")
    lists = {ROLES_LIST: "roles", LADDER_LIST: "ladder", YESNO_LIST: "yesno", SPECIAL_LIST: "NA/DK"}
    for item in q.items:
        claim(xml_name(item.id), f"item {item.id}")
        for row in item.rows:
            claim(f"{xml_name(item.id)}{ROW_SEPARATOR}{row.id}", f"row {item.id}.{row.id}")
        for step in item.steps:
            claim(path_step_name(item, step.id), f"step {item.id}.{step.id}")
        special = special_name(item)
        if special:
            claim(special, f"item {item.id} (NA/DK)")
        own = _list_name(item)
        if item.kind not in _OWN_LIST_KINDS or own in (LADDER_LIST, YESNO_LIST):
            continue
        if own in lists:
            problems.append(
                problem(
                    q.id,
                    Code.XLSFORM_NAME_CLASH,
                    name=own,
                    first=f"list {lists[own]}",
                    second=f"item {item.id}",
                )
            )
        lists[own] = f"item {item.id}"
    if problems:
        raise XlsFormError(q.id, problems)


def _dimension_groups(q: Questionnaire) -> dict[int, tuple[str, str]]:
    """The group of each run of consecutive items of one dimension, by the index of the
    run's first item: `(group name, dimension id)`. A dimension met again later has another
    group, named with a suffix (`_2`, `_3`...)."""
    groups: dict[int, tuple[str, str]] = {}
    seen: dict[str, int] = {}
    previous: str | None = None
    for index, item in enumerate(q.items):
        if item.dimension is not None and item.dimension != previous:
            seen[item.dimension] = seen.get(item.dimension, 0) + 1
            count = seen[item.dimension]
            name = xml_name(item.dimension) + (f"_{count}" if count > 1 else "")
            groups[index] = (name, item.dimension)
        previous = item.dimension
    return groups


def _texts(base: str, text: Localized | None) -> dict[str, Any]:
    if text is None:
        return {}
    return {f"{base}::{language}": getattr(text, key) for language, key in LANGUAGES}


def _plain_texts(base: str, text: Localized | None) -> dict[str, Any]:
    """A translated text in columns `base_fr`, `base_en` (no `::`, see `C`)."""
    if text is None:
        return {}
    return {f"{base}_{key}": getattr(text, key) for _, key in LANGUAGES}


def _pair(base: str, fr: str, en: str) -> dict[str, Any]:
    return {f"{base}::{FR}": fr, f"{base}::{EN}": en}


def _number(value: float | None) -> float | int | str | None:
    """A number as a cell holds it: a whole number as an int (no `.0` shown); a number that
    needs more than the 15 significant digits a spreadsheet keeps as its exact text (`repr`,
    read back by `read_xlsform` as the same double)."""
    if value is None:
        return None
    if value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value if float(f"{value:.15g}") == value else repr(value)


def _list_name(item: Item) -> str:
    if item.kind == "status" and not item.options:
        return LADDER_LIST
    if item.kind == "yesno" and not item.options:
        return YESNO_LIST
    return xml_name(item.id)


def _relevant(q: Questionnaire, item: Item) -> str | None:
    if set(item.roles) >= {role.code for role in q.roles}:
        return None
    return " or ".join(f"selected(${{{ROLE_NAME}}}, '{role}')" for role in item.roles)


# --- conditional questions (`relevant`, interop/conditions.py) ------------------------------


def _condition_columns(q: Questionnaire) -> list[str]:
    """`choice_filter`, when an option has a condition (else the sheet is as before)."""
    return ["choice_filter"] if any(o.relevant for i in q.items for o in i.options) else []


def _multi_items(q: Questionnaire) -> frozenset[str]:
    return frozenset(item.id for item in q.items if item.kind == "multi")


def _condition(q: Questionnaire, item: Item) -> str | None:
    """The item's condition as XPath: `${q3} = 'yes'`, `selected(${q4}, 'x')`."""
    if item.relevant is None:
        return None
    return expression(item.relevant, "xlsform", xml_name, _multi_items(q))


def _choice_filter(q: Questionnaire, item: Item) -> str | None:
    """The conditions of the item's options, as its `choice_filter`."""
    options = {o.code: o.relevant for o in item.options if o.relevant is not None}
    return choice_filter(options, xml_name, _multi_items(q)) if options else None


def _survey_rows(q: Questionnaire) -> Iterator[dict[str, Any]]:
    yield {
        "type": f"select_one {ROLES_LIST}",
        "name": ROLE_NAME,
        **_pair("label", *_ROLE_LABEL),
        "required": "yes",
    }
    yield {
        "type": "text",
        "name": ORGANISATION_NAME,
        **_pair("label", *_ORGANISATION_LABEL),
        **_pair("hint", *_ORGANISATION_HINT),
        "required": "yes",
        "constraint": ORGANISATION_CONSTRAINT,
    }
    groups = _dimension_groups(q)
    open_group = False
    for index, item in enumerate(q.items):
        starts = groups.get(index)
        if open_group and (starts is not None or item.dimension is None):
            yield {"type": "end_group"}
            open_group = False
        if starts is not None:
            name, dimension_id = starts
            dimension = q.dimension(dimension_id)
            yield {
                "type": "begin_group",
                "name": name,
                **_texts("label", dimension.label),
                f"{P}dimension": dimension.id,
            }
            open_group = True
        yield from _item_rows(q, item)
    if open_group:
        yield {"type": "end_group"}


def _item_columns(q: Questionnaire, item: Item) -> dict[str, Any]:
    """The `barometre::` columns of an item: what XLSForm has no place for."""
    posts = item.goalposts
    return {
        f"{P}id": item.id,
        f"{P}kind": item.kind,
        f"{P}dimension": item.dimension,
        f"{P}axis": item.axis,
        f"{P}roles": " ".join(item.roles),
        f"{P}reference_role": item.reference_role,
        f"{P}weight": _number(item.weight),
        f"{P}scored": None if item.scored else "false",
        f"{P}context": item.context,
        f"{P}worst": _number(posts.worst) if posts else None,
        f"{P}best": _number(posts.best) if posts else None,
        f"{P}better": item.better,
        f"{P}minimum": _number(item.minimum),
        f"{P}maximum": _number(item.maximum),
        **_texts(f"{P}unit", item.unit),
    }


def _item_rows(q: Questionnaire, item: Item) -> Iterator[dict[str, Any]]:
    name = xml_name(item.id)
    common = {**_texts("label", item.label), **_texts("hint", item.help)}
    relevant = combined(_relevant(q, item), _condition(q, item))
    if item.kind == "path":
        yield from _path_rows(q, item, common, relevant)
        return
    if item.kind == "status":
        yield {
            "type": "begin_group",
            "name": name,
            **common,
            "relevant": relevant,
            "appearance": "field-list",
            **_item_columns(q, item),
        }
        for status_row in item.rows:
            yield {
                "type": f"select_one {_list_name(item)}",
                "name": f"{name}{ROW_SEPARATOR}{status_row.id}",
                **_texts("label", status_row.label),
                f"{P}row": status_row.id,
                f"{P}weight": _number(status_row.weight) if status_row.weight != 1.0 else None,
            }
        yield {"type": "end_group"}
        return
    question: dict[str, Any] = {
        "name": name,
        **common,
        "relevant": relevant,
        "choice_filter": _choice_filter(q, item),
        **_item_columns(q, item),
    }
    if item.kind == "multi":
        alone = [o.code for o in item.options if o.exclusive] + [NOT_APPLICABLE, DONT_KNOW]
        question["type"] = f"select_multiple {_list_name(item)}"
        question["constraint"] = " and ".join(
            f"(not(selected(., '{code}')) or count-selected(.) = 1)" for code in alone
        )
        question.update(_pair("constraint_message", *_ALONE_MESSAGE))
    elif item.kind in NUMERIC_KINDS:
        question["type"] = "decimal"
        question.update(_range(item))
    elif item.kind == "text":
        question["type"] = "text"
        question["appearance"] = "multiline"
    else:
        question["type"] = f"select_one {_list_name(item)}"
    yield question
    special = special_name(item)
    if special:
        yield {
            "type": f"select_one {SPECIAL_LIST}",
            "name": special,
            **_pair("label", *_SPECIAL_LABEL),
            "relevant": relevant,
            "appearance": "horizontal-compact",
            f"{P}special": item.id,
        }


def _path_rows(
    q: Questionnaire, item: Item, common: dict[str, Any], relevant: str | None
) -> Iterator[dict[str, Any]]:
    """A path item: a group (`barometre::kind` path) of one `select_one` per step, named
    `ITEM__STEP` with its own list; a step after the first is relevant when an answer of an
    earlier step leads to it. The first step's list holds NA and DK, said of the whole item."""
    name = xml_name(item.id)
    yield {
        "type": "begin_group",
        "name": name,
        **common,
        "relevant": relevant,
        "appearance": "field-list",
        **_item_columns(q, item),
    }
    for step in item.steps:
        leads = [
            f"${{{path_step_name(item, earlier.id)}}} = '{option.code}'"
            for earlier in item.steps
            for option in earlier.options
            if option.next == step.id
        ]
        yield {
            "type": f"select_one {path_step_name(item, step.id)}",
            "name": path_step_name(item, step.id),
            **_texts("label", step.label),
            **_texts("hint", step.help),
            "relevant": " or ".join(leads) or None,
            f"{P}row": step.id,
        }
    yield {"type": "end_group"}


def path_step_name(item: Item, step_id: str) -> str:
    """The XLSForm name of a path item's step, and of its choice list: `ITEM__STEP`."""
    return f"{xml_name(item.id)}{ROW_SEPARATOR}{step_id}"


def _path_choice_rows(item: Item) -> Iterator[dict[str, Any]]:
    for position, step in enumerate(item.steps):
        list_name = path_step_name(item, step.id)
        for option in step.options:
            row = _choice_row(
                list_name,
                Option(
                    code=option.code,
                    label=option.label,
                    description=option.description,
                    score=option.score,
                ),
            )
            row[f"{C}next"] = option.next
            yield row
        if position == 0:
            yield from _special_choices(list_name)


def _range(item: Item) -> dict[str, Any]:
    """The constraint and its message of a number's range (a percent lies in 0-100)."""
    low = item.minimum if item.minimum is not None else (0.0 if item.kind == "percent" else None)
    high = item.maximum if item.maximum is not None else (100.0 if item.kind == "percent" else None)
    parts = []
    if low is not None:
        parts.append(f". >= {_number(low)!r}")
    if high is not None:
        parts.append(f". <= {_number(high)!r}")
    if not parts:
        return {}

    def say(language: str) -> str:
        lo = _shown(low, language)
        hi = _shown(high, language)
        if language == "fr":
            if lo is not None and hi is not None:
                return f"Un nombre entre {lo} et {hi}."
            return f"Un nombre d'au moins {lo}." if lo is not None else f"Un nombre d'au plus {hi}."
        if lo is not None and hi is not None:
            return f"A number between {lo} and {hi}."
        return f"A number of at least {lo}." if lo is not None else f"A number of at most {hi}."

    return {
        "constraint": " and ".join(parts),
        **_pair("constraint_message", say("fr"), say("en")),
    }


def _shown(value: float | None, language: str) -> str | None:
    if value is None:
        return None
    exponent = formatting.exact(value).normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return formatting.number(value, places, language="fr" if language == "fr" else "en")


def _choice_rows(q: Questionnaire) -> Iterator[dict[str, Any]]:
    for role in q.roles:
        yield {"list_name": ROLES_LIST, "name": role.code, **_texts("label", role.label)}
    done: set[str] = set()
    ladder = q.methodology.status_ladder
    for item in q.items:
        if item.kind == "path":
            yield from _path_choice_rows(item)
            continue
        if item.kind not in _OWN_LIST_KINDS:
            continue
        list_name = _list_name(item)
        if list_name in done:
            continue
        done.add(list_name)
        if list_name == LADDER_LIST:
            options = list(ladder)
        elif list_name == YESNO_LIST:
            options = list(YES_NO_OPTIONS)
        else:
            options = list(item.options)
        for option in options:
            yield _choice_row(list_name, option)
        yield from _special_choices(list_name)
    yield from _special_choices(SPECIAL_LIST)


def _choice_row(list_name: str, option: Option) -> dict[str, Any]:
    return {
        "list_name": list_name,
        "name": option.code,
        **_texts("label", option.label),
        f"{C}score": _number(option.score),
        f"{C}weight": _number(option.weight),
        f"{C}exclusive": "true" if option.exclusive else None,
        **_plain_texts(f"{C}description", option.description),
    }


def _special_choices(list_name: str) -> Iterator[dict[str, Any]]:
    for code, fr, en in _SPECIAL_CHOICES:
        yield {"list_name": list_name, "name": code, **_pair("label", fr, en)}


def _settings_row(q: Questionnaire) -> dict[str, Any]:
    return {
        "form_title": q.text(q.title, q.default_language),
        "form_id": q.id,
        "version": q.version,
        "default_language": LANGUAGE_COLUMNS[q.default_language],
    }


def _meta_rows(q: Questionnaire) -> list[dict[str, Any]]:
    column = f"text::{LANGUAGE_COLUMNS[q.default_language]}"
    rows = [{"key": "id", column: q.id}, {"key": "version", column: q.version}]
    if q.languages is not None:
        rows.append({"key": "languages", column: " ".join(q.languages)})
    for key, text in (("title", q.title), ("description", q.description)):
        if text is not None:
            rows.append({"key": key, **_texts("text", text)})
    return rows


def _dimension_row(dimension: Dimension) -> dict[str, Any]:
    return {
        "id": dimension.id,
        "weight": _number(dimension.weight),
        **_texts("label", dimension.label),
        **_texts("description", dimension.description),
        "missing_as_zero": None
        if dimension.missing_as_zero is None
        else str(dimension.missing_as_zero).lower(),
    }


def _descriptor_rows(q: Questionnaire) -> Iterator[dict[str, Any]]:
    for dimension in q.dimensions:
        for level, text in dimension.descriptors.items():
            yield {"dimension": dimension.id, "level": level, **_texts("text", text)}


def _methodology_rows(methodology: Methodology) -> list[dict[str, Any]]:
    """The methodology as one row per value: its path (`levels.0.label.fr`) and the value in
    JSON (so that `"1.0"` stays a text and `1.0` a number)."""
    rows = [
        {"path": path, "value": json.dumps(value, ensure_ascii=False)}
        for path, value in _flatten(methodology.model_dump(exclude_none=True))
    ]
    if methodology.typology is None:  # no typology: said, since leaving it out means the default
        rows.append({"path": "typology", "value": "null"})
    return rows


def _flatten(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, part in value.items():
            yield from _flatten(part, f"{prefix}{key}.")
    elif isinstance(value, list):
        for index, part in enumerate(value):
            yield from _flatten(part, f"{prefix}{index}.")
    else:
        yield prefix[:-1], value


# --- import ------------------------------------------------------------------------------

#: Largest workbook read, in bytes (the hlm-2026 workbook is about 60 KB).
MAX_XLSFORM_BYTES = 8 * 1024 * 1024
#: Most rows read in a sheet (hlm-2026 has about 300 on `survey`, 700 on `choices`).
MAX_SHEET_ROWS = 20_000
#: XLSForm types that hold no answer for the questionnaire: skipped.
IGNORED_TYPES = frozenset(
    {
        "note",
        "calculate",
        "hidden",
        "start",
        "end",
        "today",
        "deviceid",
        "subscriberid",
        "simserial",
        "phonenumber",
        "username",
        "email",
        "audit",
    }
)
#: XLSForm types that no item kind can take: listed as problems, with the question's name.
UNMAPPED_TYPES = frozenset(
    {
        "geopoint",
        "geotrace",
        "geoshape",
        "start-geopoint",
        "image",
        "audio",
        "video",
        "background-audio",
        "file",
        "barcode",
        "date",
        "time",
        "datetime",
        "acknowledge",
        "trigger",
        "rank",
        "range",
        "begin_repeat",
        "begin repeat",
        "select_one_from_file",
        "select_multiple_from_file",
        "xml-external",
        "csv-external",
    }
)
_BEGIN_GROUP = frozenset({"begin_group", "begin group"})
_END_GROUP = frozenset({"end_group", "end group"})
#: A repeat is not mapped: its begin is told, its rows (up to its end) are skipped.
_BEGIN_REPEAT = frozenset({"begin_repeat", "begin repeat"})
_END_REPEAT = frozenset({"end_repeat", "end repeat"})
#: The last word of `select_one LIST or_other`: an "other, specify" text, which no option is.
_OR_OTHER = "or_other"
_KIND_TYPES = {
    "scale": "select_one",
    "single": "select_one",
    "yesno": "select_one",
    "status": "begin_group",
    "path": "begin_group",
    "multi": "select_multiple",
    "percent": "decimal",
    "number": "decimal",
    "text": "text",
}
_FALSE = frozenset({"false", "no", "0", "non", "faux"})
_TRUE = frozenset({"true", "yes", "1", "oui", "vrai"})
#: The role and the dimension an XLSForm gets when it names none (docs/xlsform.md).
DEFAULT_ROLE = Role(code="all", label=Localized(fr="Tous les répondants", en="All respondents"))
DEFAULT_DIMENSION_ID = "general"
_BOUND = re.compile(r"^\s*\.\s*(>=|<=)\s*(-?\d+(?:\.\d+)?)\s*$")


@dataclass
class _Sheet:
    """A sheet read as text cells: its columns (normalised names) and rows by number."""

    title: str
    columns: dict[str, int]
    rows: list[tuple[int, dict[str, Any]]]

    def column_letter(self, column: str) -> str:
        return get_column_letter(self.columns.get(column, 0) + 1)


@dataclass
class _Reader:
    """The state of one import: the file's name and every problem found."""

    name: str
    problems: list[Problem] = field(default_factory=list)
    languages: dict[str, str] = field(default_factory=dict)

    def at(self, sheet: _Sheet, row: int, column: str) -> str:
        return f"{self.name} {sheet.title}!{sheet.column_letter(column)}{row}"

    def keep(self, found: Problem) -> None:
        self.problems.append(found)


def read_xlsform(path: str | Path) -> Questionnaire:
    """Read an XLSForm workbook (one written by `write_xlsform`, or a plain one) into a
    questionnaire; raises `XlsFormError` with every problem, each with its sheet and cell."""
    source = Path(path)
    name = str(source)
    try:
        size = source.stat().st_size
        if size > MAX_XLSFORM_BYTES:
            raise XlsFormError(
                name, [problem(name, Code.FILE_TOO_LARGE, size=size, limit=MAX_XLSFORM_BYTES)]
            )
        data = source.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise XlsFormError(name, [problem(name, Code.FILE_NOT_FOUND)]) from None
    return parse_xlsform(data, name)


def parse_xlsform(data: bytes, source_name: str = "<xlsform>") -> Questionnaire:
    """`read_xlsform` on the bytes of a workbook (an upload)."""
    reader = _Reader(source_name)
    sheets = _read_sheets(data, reader)
    survey = sheets.get(SURVEY)
    if survey is None:
        reader.keep(problem(source_name, Code.XLSFORM_MISSING_SHEET, sheet=SURVEY))
        raise XlsFormError(source_name, reader.problems)
    for sheet, columns in (
        (survey, ("type", "name")),
        (sheets.get(CHOICES), ("list_name", "name")),
    ):
        if sheet is None:
            continue
        for column in columns:
            if column not in sheet.columns:
                reader.keep(
                    problem(
                        f"{source_name} {sheet.title}!1",
                        Code.XLSFORM_MISSING_COLUMN,
                        sheet=sheet.title,
                        column=column,
                    )
                )
    if reader.problems:
        raise XlsFormError(source_name, reader.problems)
    try:
        return _Assembler(replace(reader, problems=[]), sheets).questionnaire()
    except _NotInItsLanguage:
        # a form in English some of whose texts lack English: read as a French one
        return _Assembler(reader, sheets, derive=False).questionnaire()


class _NotInItsLanguage(Exception):
    """A form whose languages were found from its default language has texts without it."""


def _read_sheets(data: bytes, reader: _Reader) -> dict[str, _Sheet]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a file that is no workbook
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise XlsFormError(
            reader.name, [problem(reader.name, Code.XLSFORM_NOT_A_WORKBOOK, detail=detail)]
        ) from None
    sheets: dict[str, _Sheet] = {}
    damaged: list[Problem] = []
    try:
        for worksheet in workbook.worksheets:
            title = worksheet.title
            key = title.strip().lower()
            if key in sheets:
                continue
            try:
                # read_only: a sheet's XML is parsed only now, row by row
                sheets[key] = _read_sheet(worksheet, title, reader)
            except Exception as exc:  # a damaged sheet raises what its XML parser raises
                damaged.append(
                    problem(
                        f"{reader.name} {title}",
                        Code.XLSFORM_DAMAGED_SHEET,
                        sheet=title,
                        detail=_detail(exc),
                    )
                )
    finally:
        workbook.close()
    if damaged:
        raise XlsFormError(reader.name, damaged)
    return sheets


def _detail(exc: BaseException) -> str:
    """What a library raised, in one line, for a problem's message."""
    return excerpt(" ".join(str(exc).split()) or type(exc).__name__)


def _read_sheet(worksheet: Any, title: str, reader: _Reader) -> _Sheet:
    rows = worksheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        if cell is None or str(cell).strip() == "":
            continue
        columns.setdefault(_column_name(str(cell), reader), index)
    read: list[tuple[int, dict[str, Any]]] = []
    for number, values in enumerate(rows, start=2):
        if number - 1 > MAX_SHEET_ROWS:
            reader.keep(
                problem(
                    f"{reader.name} {title}!A{number}",
                    Code.XLSFORM_TOO_MANY_ROWS,
                    sheet=title,
                    limit=MAX_SHEET_ROWS,
                )
            )
            break
        cells = {
            column: _cell(values[index])
            for column, index in columns.items()
            if index < len(values) and _cell(values[index]) is not None
        }
        if cells:
            read.append((number, cells))
    return _Sheet(title=title, columns=columns, rows=read)


def _cell(value: Any) -> Any:
    """A cell's value: None when empty or blank, else as it is (a text is not stripped: a
    label keeps its spaces; `_text_value` strips names and codes)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, datetime):
        return value.isoformat()
    return value


_LANGUAGE_CODE = re.compile(r"\(([A-Za-z-]+)\)\s*$")
_LANGUAGE_WORDS = {"french": "fr", "français": "fr", "francais": "fr", "english": "en"}


def _column_name(header: str, reader: _Reader) -> str:
    """A column's normalised name: `label::Français (fr)` → `label::fr`; the standard
    columns in lower case (`List Name` → `list_name`)."""
    text = " ".join(header.split())
    parts = [part.strip() for part in text.split("::")]
    base = parts[0].lower().replace(" ", "_") if len(parts) == 1 else parts[0].lower()
    if base == "list_name" or base == "list name":
        base = "list_name"
    if len(parts) == 1:
        return base
    code = _language_code(parts[-1])
    middle = "::".join(parts[1:-1])
    return "::".join(part for part in (base, middle, code) if part)


def _language_code(language: str) -> str:
    """A language as XLSForm names it (`Français (fr)`, `French`, `fr`) made its code (`fr`);
    another name is kept as it is, in lower case."""
    found = _LANGUAGE_CODE.search(language)
    if found is not None:
        return found.group(1).lower()
    return _LANGUAGE_WORDS.get(language.lower(), language).lower()


def _text_value(value: Any) -> str | None:
    """A name, a code or a type: the cell's text, stripped."""
    text = _label_value(value)
    return None if text is None else text.strip() or None


def _label_value(value: Any) -> str | None:
    """A text people read: the cell's text as it is (a number as it is written)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _Assembler:
    """Builds the questionnaire from the sheets, collecting every problem."""

    def __init__(self, reader: _Reader, sheets: dict[str, _Sheet], *, derive: bool = True):
        self.reader = reader
        self.derive = derive
        self.sheets = sheets
        self.survey = sheets[SURVEY]
        self.choices_sheet = sheets.get(CHOICES)
        self.settings = self._settings()
        #: The language of the untranslated columns (`label`, `hint`...): the settings'
        #: `default_language`, else French (English for a form with English columns only).
        default = _text_value(self.settings.get("default_language"))
        self.default_language = (
            _language_code(" ".join(default.split())) if default else self._unnamed_default()
        )
        #: The questionnaire's `languages` (docs/xlsform.md, "Languages"): the workbook's
        #: `languages` row, else those of a form whose default language is another of the
        #: product's than French; None (French and English, French required) otherwise.
        self.languages = self._languages()
        self.lists = self._lists()
        #: The survey row of each item, for the locations of the rules' problems.
        self.item_rows: dict[str, int] = {}
        #: The top-level groups of a plain XLSForm (its dimensions): row and label by name.
        self.group_labels: dict[str, tuple[int, Localized]] = {}
        #: The item id of each question's name read so far (the conditions look back).
        self.item_ids: dict[str, str] = {}

    # -- small readers ------------------------------------------------------------------

    def _unnamed_default(self) -> str:
        columns = {name.rsplit("::", 1)[1] for name in self.survey.columns if "::" in name}
        if "en" in columns and "fr" not in columns and "label" not in self.survey.columns:
            return "en"
        return "fr"

    def _languages(self) -> list[str] | None:
        #: the languages are found from the default language (not named by the workbook)
        self.derived = False
        meta = self.sheets.get(META)
        for _row, cells in meta.rows if meta is not None else []:
            if _text_value(cells.get("key")) == "languages":
                value = next(
                    (v for k, v in cells.items() if k.startswith("text") and _text_value(v)), ""
                )
                return _text_value(value).replace(",", " ").split()  # type: ignore[union-attr]
        if (
            not self.derive
            or self.default_language == "fr"
            or self.default_language not in LANGUAGE_CODES
        ):
            return None
        self.derived = True
        found = {name.rsplit("::", 1)[1] for name in self.survey.columns if "::" in name}
        return [self.default_language] + [
            code for code in LANGUAGE_CODES if code in found and code != self.default_language
        ]

    def named(self, name: str) -> Localized:
        """A text in the questionnaire's default language (a name standing for a label)."""
        return Localized(**{self.languages[0] if self.languages else "fr": name})

    def product_text(self, text: Localized) -> Localized:
        """A text of the product (in every language) in the questionnaire's languages."""
        if self.languages is None:
            return text
        return Localized(
            **{code: getattr(text, code) for code in LANGUAGE_CODES if code in self.languages}
        )

    def default_role(self) -> Role:
        return DEFAULT_ROLE.model_copy(update={"label": self.product_text(DEFAULT_ROLE.label)})

    def text(self, cells: dict[str, Any], base: str) -> Localized | None:
        """The translated text `base` of a row (docs/xlsform.md, "Languages"): each column
        `base::LANGUAGE` is in its language, the untranslated `base` in the form's default
        language. With declared languages (`self.languages`), each language is its own text.
        Otherwise English is the English text only, and French is the French text, else — the
        questionnaire needs a French text, and a form without French has only its own to
        give — the default language's, else another language's, else the English one."""
        texts: dict[str, str] = {}
        for key, value in cells.items():
            if key.startswith(f"{base}::") and key.count("::") == base.count("::") + 1:
                text = _label_value(value)
                if text:
                    texts.setdefault(key.rsplit("::", 1)[1], text)
        plain = _label_value(cells.get(base))
        if plain:
            texts.setdefault(self.default_language, plain)
        if self.languages is not None:
            found = {code: texts[code] for code in LANGUAGE_CODES if code in texts}
            return Localized(**found) if found else None
        others = [text for language, text in texts.items() if language != "en"]
        fr = (
            texts.get("fr")
            or texts.get(self.default_language)
            or next(iter(others), None)
            or texts.get("en")
        )
        if fr is None:
            return None
        return Localized(fr=fr, en=texts.get("en"))

    def plain_text(self, cells: dict[str, Any], base: str) -> Localized | None:
        fr = _label_value(cells.get(f"{base}_fr"))
        en = _label_value(cells.get(f"{base}_en"))
        if self.languages is not None:
            return None if fr is None and en is None else Localized(fr=fr, en=en)
        if fr is None:
            return None if en is None else Localized(fr=en, en=en)
        return Localized(fr=fr, en=en)

    def number(self, sheet: _Sheet, row: int, cells: dict[str, Any], column: str) -> float | None:
        value = cells.get(column)
        if value is None:
            return None
        if isinstance(value, bool):
            value = str(value)
        if isinstance(value, int | float):
            return float(value)
        try:
            number = float(str(value).replace(",", "."))
        except ValueError:
            number = float("nan")
        if number != number or number in (float("inf"), float("-inf")):
            self.reader.keep(
                problem(
                    self.reader.at(sheet, row, column),
                    Code.XLSFORM_NOT_A_NUMBER,
                    column=column,
                    value=_excerpt(value),
                )
            )
            return None
        return number

    def flag(self, sheet: _Sheet, row: int, cells: dict[str, Any], column: str) -> bool | None:
        value = cells.get(column)
        if value is None:
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text.endswith("()"):
            text = text[:-2]
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        self.reader.keep(
            problem(
                self.reader.at(sheet, row, column),
                Code.XLSFORM_NOT_A_BOOLEAN,
                column=column,
                value=_excerpt(value),
            )
        )
        return None

    def validated(self, model: type[BaseModel], raw: dict[str, Any], where: str) -> Any:
        try:
            return model.model_validate(raw)
        except ValidationError as exc:
            self.reader.problems.extend(_explain(error, where) for error in exc.errors())
            return None

    # -- settings, meta, choice lists -------------------------------------------------------

    def _settings(self) -> dict[str, Any]:
        sheet = self.sheets.get(SETTINGS)
        if sheet is None or not sheet.rows:
            return {}
        return sheet.rows[0][1]

    def _meta(self) -> dict[str, Localized | str]:
        sheet = self.sheets.get(META)
        out: dict[str, Localized | str] = {}
        if sheet is None:
            return out
        for _row, cells in sheet.rows:
            key = _text_value(cells.get("key"))
            text = self.text(cells, "text")
            if text is None:
                continue
            if key in ("id", "version"):
                out[key] = text.get(self.languages[0] if self.languages else "fr")
            elif key in ("title", "description"):
                out[key] = text
        return out

    def _lists(self) -> dict[str, list[tuple[int, dict[str, Any]]]]:
        lists: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        sheet = self.choices_sheet
        if sheet is None:
            return lists
        seen: dict[tuple[str, str], int] = {}
        for row, cells in sheet.rows:
            list_name = _text_value(cells.get("list_name"))
            name = _text_value(cells.get("name"))
            if list_name is None:
                self.reader.keep(
                    problem(self.reader.at(sheet, row, "list_name"), Code.XLSFORM_NO_LIST_NAME)
                )
                continue
            if name is None:
                self.reader.keep(
                    problem(
                        self.reader.at(sheet, row, "name"), Code.XLSFORM_NO_NAME, sheet=sheet.title
                    )
                )
                continue
            first = seen.setdefault((list_name, name), row)
            if first != row:
                self.reader.keep(
                    problem(
                        self.reader.at(sheet, row, "name"),
                        Code.XLSFORM_DUPLICATE_CHOICE,
                        choice=name,
                        list=list_name,
                        first=first,
                    )
                )
                continue
            lists.setdefault(list_name, []).append((row, {**cells, "name": name}))
        return lists

    def options(self, list_name: str, exact: bool, where: str) -> tuple[list[dict[str, Any]], bool]:
        """The options of a choice list (NA and DK left out: every item takes them), as
        raw mappings, and whether the list's scores came from numeric choice names."""
        sheet = self.choices_sheet
        assert sheet is not None
        options: list[dict[str, Any]] = []
        for row, cells in self.lists.get(list_name, []):
            if cells["name"] in (NOT_APPLICABLE, DONT_KNOW):
                continue
            option: dict[str, Any] = {
                "code": cells["name"],
                "label": self.text(cells, "label") or self.named(cells["name"]),
            }
            description = self.plain_text(cells, f"{C}description")
            if description is not None:
                option["description"] = description
            for key in ("score", "weight"):
                value = self.number(sheet, row, cells, f"{C}{key}")
                if value is not None:
                    option[key] = value
            if self.flag(sheet, row, cells, f"{C}exclusive"):
                option["exclusive"] = True
            options.append(option)
        numeric = False
        values = [_numeric_code(o["code"]) for o in options]
        if not exact and options and all(v is not None for v in values):
            # numeric choice names: scored by their value over the range; a barometre_score
            # overrides
            numbers = [v for v in values if v is not None]
            low, high = min(numbers), max(numbers)
            if high > low:
                for option, value in zip(options, numbers, strict=True):
                    option.setdefault("score", 100.0 * (value - low) / (high - low))
                numeric = True
        return options, numeric

    # -- the survey -------------------------------------------------------------------------

    def questionnaire(self) -> Questionnaire:
        reader = self.reader
        name = reader.name
        meta = self._meta()
        title = meta.get("title")
        if not isinstance(title, Localized):
            form_title = _text_value(self.settings.get("form_title"))
            title = self.named(form_title or _text_value(self.settings.get("form_id")) or name)
        raw_items = self._survey()
        roles = self._roles()
        dimensions = self._dimensions(raw_items, title)
        methodology = self._methodology()
        items: list[Item] = []
        for row, raw in raw_items:
            raw.pop("_list", None)
            where = f"{self.reader.at(self.survey, row, 'name')} item {raw.get('id')!r}"
            if not raw.get("roles"):
                raw["roles"] = [role.code for role in roles]
            item = self.validated(Item, raw, where)
            if item is not None:
                items.append(item)
        if not raw_items:
            reader.keep(problem(f"{name} {SURVEY}", Code.XLSFORM_NO_QUESTIONS))
        if reader.problems:
            raise XlsFormError(name, reader.problems)
        description = meta.get("description")
        identifier = meta.get("id") or _text_value(self.settings.get("form_id")) or Path(name).stem
        version = meta.get("version") or _text_value(self.settings.get("version")) or "1"
        questionnaire = self.validated(
            Questionnaire,
            {
                "id": identifier,
                "version": version,
                "languages": self.languages,
                "title": title,
                "description": description if isinstance(description, Localized) else None,
                "methodology": methodology or Methodology(),
                "roles": roles,
                "dimensions": dimensions,
                "items": items,
            },
            f"{name} {SETTINGS}",
        )
        if questionnaire is None:
            raise XlsFormError(name, reader.problems)
        self._axis_hint(questionnaire)
        locations = {
            f"{name} item {item.id!r}": (
                f"{reader.at(self.survey, self.item_rows[item.id], 'name')} item {item.id!r}"
            )
            for item in questionnaire.items
            if item.id in self.item_rows
        }
        checked = check_questionnaire(questionnaire, name)
        if self.derived and any(p.code == Code.TEXT_WITHOUT_DEFAULT_LANGUAGE for p in checked):
            raise _NotInItsLanguage
        for found in checked:
            where = locations.get(found.location, found.location)
            reader.problems.append(_moved(found, where))
        if reader.problems:
            raise XlsFormError(name, reader.problems)
        return questionnaire

    def _axis_hint(self, q: Questionnaire) -> None:
        """A plain XLSForm has no axes: say once which column to add."""
        if f"{P}axis" in self.survey.columns:
            return
        lacking = [item.id for item in q.items if item.is_scored and item.axis is None]
        if lacking:
            # at the header cell where the column would go: the first after the last one
            free = get_column_letter(max(self.survey.columns.values(), default=-1) + 2)
            self.reader.keep(
                problem(
                    f"{self.reader.name} {SURVEY}!{free}1",
                    Code.XLSFORM_NO_AXIS,
                    count=len(lacking),
                    items=", ".join(lacking[:10]) + (" …" if len(lacking) > 10 else ""),
                )
            )

    def _roles(self) -> list[Role]:
        role_row = next(
            (
                (row, cells)
                for row, cells in self.survey.rows
                if _text_value(cells.get("name")) == ROLE_NAME
            ),
            None,
        )
        if role_row is None:
            return [self.default_role()]
        row, cells = role_row
        kind, _, list_name = (_text_value(cells.get("type")) or "").partition(" ")
        if kind != "select_one" or list_name.strip() not in self.lists:
            self.reader.keep(
                problem(
                    self.reader.at(self.survey, row, "type"),
                    Code.XLSFORM_ROLE_QUESTION,
                    type=_excerpt(cells.get("type")),
                )
            )
            return [self.default_role()]
        roles = []
        for choice_row, choice in self.lists[list_name.strip()]:
            where = self.reader.at(self.choices_sheet, choice_row, "name")  # type: ignore[arg-type]
            role = self.validated(
                Role,
                {
                    "code": choice["name"],
                    "label": self.text(choice, "label") or self.named(choice["name"]),
                },
                where,
            )
            if role is not None:
                roles.append(role)
        return roles or [self.default_role()]

    def _dimensions(
        self, raw_items: list[tuple[int, dict[str, Any]]], title: Localized
    ) -> list[Dimension]:
        sheet = self.sheets.get(DIMENSIONS)
        if sheet is None:
            # A plain XLSForm: its top-level groups that hold a scored question, and the
            # default dimension for the questions outside any group.
            used = {raw.get("dimension") for _, raw in raw_items}
            dimensions = []
            for key, (row, label) in self.group_labels.items():
                if key in used:
                    where = f"{self.reader.at(self.survey, row, 'name')}"
                    dimension = self.validated(Dimension, {"id": key, "label": label}, where)
                    if dimension is not None:
                        dimensions.append(dimension)
            if DEFAULT_DIMENSION_ID in used or not dimensions:
                dimensions.append(Dimension(id=DEFAULT_DIMENSION_ID, label=title))
            return dimensions
        descriptors: dict[str, dict[str, Localized]] = {}
        descriptor_sheet = self.sheets.get(DESCRIPTORS)
        for row, cells in descriptor_sheet.rows if descriptor_sheet else []:
            dimension = _text_value(cells.get("dimension"))
            level = _text_value(cells.get("level"))
            text = self.text(cells, "text")
            if dimension is None or level is None or text is None:
                self.reader.keep(
                    problem(f"{self.reader.name} {DESCRIPTORS}!A{row}", Code.XLSFORM_INCOMPLETE_ROW)
                )
                continue
            descriptors.setdefault(dimension, {})[level] = text
        dimensions = []
        for row, cells in sheet.rows:
            raw: dict[str, Any] = {
                "id": _text_value(cells.get("id")),
                "label": self.text(cells, "label"),
                "descriptors": descriptors.get(_text_value(cells.get("id")) or "", {}),
            }
            description = self.text(cells, "description")
            if description is not None:
                raw["description"] = description
            weight = self.number(sheet, row, cells, "weight")
            if weight is not None:
                raw["weight"] = weight
            missing_as_zero = self.flag(sheet, row, cells, "missing_as_zero")
            if missing_as_zero is not None:
                raw["missing_as_zero"] = missing_as_zero
            dimension = self.validated(Dimension, raw, f"{self.reader.name} {DIMENSIONS}!A{row}")
            if dimension is not None:
                dimensions.append(dimension)
        return dimensions

    def _methodology(self) -> Methodology | None:
        sheet = self.sheets.get(METHODOLOGY)
        if sheet is None:
            return None
        tree: dict[str, Any] = {}
        for row, cells in sheet.rows:
            path = _text_value(cells.get("path"))
            text = cells.get("value")
            where = f"{self.reader.name} {METHODOLOGY}!B{row}"
            if path is None or text is None:
                self.reader.keep(
                    problem(f"{self.reader.name} {METHODOLOGY}!A{row}", Code.XLSFORM_INCOMPLETE_ROW)
                )
                continue
            try:
                value = json.loads(text) if isinstance(text, str) else text
            except ValueError:
                self.reader.keep(problem(where, Code.XLSFORM_NOT_JSON, value=_excerpt(text)))
                continue
            if not _place(tree, path.split("."), value):
                self.reader.keep(
                    problem(
                        f"{self.reader.name} {METHODOLOGY}!A{row}",
                        Code.XLSFORM_BAD_PATH,
                        path=_excerpt(path),
                    )
                )
        return self.validated(Methodology, _listed(tree), f"{self.reader.name} {METHODOLOGY}")

    def _survey(self) -> list[tuple[int, dict[str, Any]]]:
        """The raw items of the survey sheet, with the row each starts at."""
        reader, sheet = self.reader, self.survey
        items: list[tuple[int, dict[str, Any]]] = []
        names: dict[str, int] = {}
        #: open groups: (row, name, the status item it is, or None)
        stack: list[tuple[int, str, dict[str, Any] | None]] = []
        #: how many repeats are open: their rows are not read (the begin_repeat is told)
        repeats = 0
        for row, cells in sheet.rows:
            type_text = " ".join((_text_value(cells.get("type")) or "").split())
            name = _text_value(cells.get("name"))
            base, _, list_name = type_text.partition(" ")
            base = base.lower()
            lowered = type_text.lower()
            if type_text == "":
                if name is not None and not repeats:
                    reader.keep(
                        problem(reader.at(sheet, row, "type"), Code.XLSFORM_NO_TYPE, name=name)
                    )
                continue
            if lowered in _END_REPEAT:  # needs no name; its begin_repeat is already told
                repeats = max(0, repeats - 1)
                continue
            if repeats:
                repeats += lowered in _BEGIN_REPEAT
                continue
            if lowered in _BEGIN_REPEAT:
                repeats = 1
                if name is None:
                    reader.keep(
                        problem(reader.at(sheet, row, "name"), Code.XLSFORM_NO_NAME, sheet=SURVEY)
                    )
                else:
                    reader.keep(
                        problem(
                            reader.at(sheet, row, "type"),
                            Code.XLSFORM_UNMAPPED_TYPE,
                            name=name,
                            type=type_text,
                        )
                    )
                continue
            if base in _END_GROUP or type_text.lower() in _END_GROUP:
                if not stack:
                    reader.keep(
                        problem(reader.at(sheet, row, "type"), Code.XLSFORM_END_WITHOUT_BEGIN)
                    )
                else:
                    stack.pop()
                continue
            if name is None:
                if base not in IGNORED_TYPES:
                    reader.keep(
                        problem(reader.at(sheet, row, "name"), Code.XLSFORM_NO_NAME, sheet=SURVEY)
                    )
                continue
            first = names.setdefault(name, row)
            if first != row:
                reader.keep(
                    problem(
                        reader.at(sheet, row, "name"),
                        Code.XLSFORM_DUPLICATE_NAME,
                        name=name,
                        first=first,
                    )
                )
                continue
            if type_text.lower() in _BEGIN_GROUP:
                status = self._group(row, cells, name, stack)
                if status is not None:
                    items.append((row, status))
                stack.append((row, name, status))
                continue
            if base in IGNORED_TYPES or name in (ROLE_NAME, ORGANISATION_NAME):
                continue
            if cells.get(f"{P}special") is not None:
                continue
            if type_text.lower() in UNMAPPED_TYPES or base in UNMAPPED_TYPES:
                reader.keep(
                    problem(
                        reader.at(sheet, row, "type"),
                        Code.XLSFORM_UNMAPPED_TYPE,
                        name=name,
                        type=type_text,
                    )
                )
                continue
            words = list_name.split()
            or_other = len(words) > 1 and words[-1].lower() == _OR_OTHER
            if base in ("select_one", "select_multiple") and or_other:
                reader.keep(
                    problem(
                        reader.at(sheet, row, "type"),
                        Code.XLSFORM_OR_OTHER,
                        name=name,
                        list=" ".join(words[:-1]) or "-",
                    )
                )
                continue
            if base in ("select_one", "select_multiple") and list_name.strip() not in self.lists:
                reader.keep(
                    problem(
                        reader.at(sheet, row, "type"),
                        Code.XLSFORM_UNKNOWN_LIST,
                        name=name,
                        list=list_name.strip() or "-",
                    )
                )
                continue
            if base not in ("select_one", "select_multiple", "decimal", "integer", "text"):
                reader.keep(
                    problem(
                        reader.at(sheet, row, "type"),
                        Code.XLSFORM_UNKNOWN_TYPE,
                        name=name,
                        type=type_text,
                    )
                )
                continue
            status = next((s for _, _, s in reversed(stack) if s is not None), None)
            if status is not None and status.get("kind") == "path":
                self._path_step(row, cells, name, base, list_name.strip(), status)
                continue
            if status is not None:
                self._status_row(row, cells, name, base, list_name.strip(), status)
                continue
            item = self._question(row, cells, name, base, list_name.strip(), stack)
            if item is not None:
                self.item_rows.setdefault(str(item.get("id")), row)
                items.append((row, item))
        for row, name, _status in stack:
            reader.keep(
                problem(reader.at(sheet, row, "type"), Code.XLSFORM_GROUP_NOT_CLOSED, name=name)
            )
        return items

    def _group(
        self,
        row: int,
        cells: dict[str, Any],
        name: str,
        stack: list[tuple[int, str, dict[str, Any] | None]],
    ) -> dict[str, Any] | None:
        """A group: a status table when its `barometre::kind` says so (returned as a raw item
        whose rows follow), else a dimension of a plain XLSForm (a top-level group)."""
        kind = _text_value(cells.get(f"{P}kind"))
        if kind == "path":
            raw = self._common(row, cells, name, "path")
            raw["steps"] = []
            self.item_rows.setdefault(str(raw.get("id")), row)
            return raw
        if kind == "status":
            raw = self._common(row, cells, name, "status")
            raw["rows"] = []
            raw["_list"] = None
            self.item_rows.setdefault(str(raw.get("id")), row)
            return raw
        if kind is not None:
            self.reader.keep(
                problem(
                    self.reader.at(self.survey, row, f"{P}kind"),
                    Code.XLSFORM_KIND_TYPE,
                    kind=_excerpt(kind),
                    type="begin_group",
                )
            )
        if not stack and cells.get(f"{P}dimension") is None and name not in self.group_labels:
            label = self.text(cells, "label") or self.named(name)
            self.group_labels.setdefault(name, (row, label))
        return None

    def _status_row(
        self,
        row: int,
        cells: dict[str, Any],
        name: str,
        base: str,
        list_name: str,
        status: dict[str, Any],
    ) -> None:
        row_id = _text_value(cells.get(f"{P}row"))
        if base != "select_one" or row_id is None:
            self.reader.keep(
                problem(
                    self.reader.at(self.survey, row, "type"), Code.XLSFORM_STATUS_ROW, name=name
                )
            )
            return
        if status["_list"] is None:
            status["_list"] = list_name
            if list_name != LADDER_LIST:
                options, _numeric = self.options(list_name, True, name)
                status["options"] = options
        elif status["_list"] != list_name:
            self.reader.keep(
                problem(
                    self.reader.at(self.survey, row, "type"),
                    Code.XLSFORM_STATUS_LISTS,
                    name=name,
                    list=list_name,
                    first=status["_list"],
                )
            )
        raw_row: dict[str, Any] = {
            "id": row_id,
            "label": self.text(cells, "label") or self.named(row_id),
        }
        weight = self.number(self.survey, row, cells, f"{P}weight")
        if weight is not None:
            raw_row["weight"] = weight
        status["rows"].append(raw_row)

    def _path_step(
        self,
        row: int,
        cells: dict[str, Any],
        name: str,
        base: str,
        list_name: str,
        path: dict[str, Any],
    ) -> None:
        """A step of a path item's group: a `select_one` whose list's choices carry their
        score or the step they lead to (`barometre_next`)."""
        step_id = _text_value(cells.get(f"{P}row"))
        if base != "select_one" or step_id is None:
            self.reader.keep(
                problem(self.reader.at(self.survey, row, "type"), Code.XLSFORM_PATH_STEP, name=name)
            )
            return
        options, _numeric = self.options(list_name, True, name)
        leads = {
            cells["name"]: _text_value(cells.get(f"{C}next"))
            for _row, cells in self.lists.get(list_name, [])
        }
        for option in options:
            if leads.get(option["code"]) is not None:
                option["next"] = leads[option["code"]]
        raw_step: dict[str, Any] = {
            "id": step_id,
            "label": self.text(cells, "label") or self.named(step_id),
            "options": options,
        }
        help_text = self.text(cells, "hint")
        if help_text is not None:
            raw_step["help"] = help_text
        path["steps"].append(raw_step)

    def _common(self, row: int, cells: dict[str, Any], name: str, kind: str) -> dict[str, Any]:
        """The fields of an item that every kind has, from its row."""
        sheet = self.survey
        raw: dict[str, Any] = {
            "id": _text_value(cells.get(f"{P}id")) or name,
            "kind": kind,
            "label": self.text(cells, "label") or self.named(name),
        }
        help_text = self.text(cells, "hint")
        if help_text is not None:
            raw["help"] = help_text
        for key in ("dimension", "axis", "reference_role", "context", "better"):
            value = _text_value(cells.get(f"{P}{key}"))
            if value is not None:
                raw[key] = value
        roles = _text_value(cells.get(f"{P}roles"))
        if roles is not None:
            raw["roles"] = roles.split()
        weight = self.number(sheet, row, cells, f"{P}weight")
        if weight is not None:
            raw["weight"] = weight
        scored = self.flag(sheet, row, cells, f"{P}scored")
        if scored is not None:
            raw["scored"] = scored
        worst = self.number(sheet, row, cells, f"{P}worst")
        best = self.number(sheet, row, cells, f"{P}best")
        if worst is not None and best is not None:
            raw["goalposts"] = Goalposts(worst=worst, best=best)
        elif worst is not None or best is not None:
            self.reader.keep(
                problem(
                    self.reader.at(sheet, row, f"{P}worst" if worst is None else f"{P}best"),
                    Code.XLSFORM_ONE_GOALPOST,
                )
            )
        for key in ("minimum", "maximum"):
            bound = self.number(sheet, row, cells, f"{P}{key}")
            if bound is not None:
                raw[key] = bound
        unit = self.text(cells, f"{P}unit")
        if unit is not None:
            raw["unit"] = unit
        self._read_condition(row, cells, name, raw)
        return raw

    def _read_condition(self, row: int, cells: dict[str, Any], name: str, raw: dict) -> None:
        """The item's condition, from its `relevant` (the roles part left to `roles`)."""
        text = _text_value(cells.get("relevant"))
        try:
            condition = read_condition(text, "xlsform", ROLE_NAME, self.item_ids)
        except Unreadable:
            condition = None
            self._unreadable(row, "relevant", name, text)
        if condition is not None:
            raw["relevant"] = condition
        self.item_ids[name] = str(raw["id"])

    def _read_choice_filter(self, row: int, cells: dict[str, Any], name: str, raw: dict) -> None:
        """The conditions of the item's options, from its `choice_filter`."""
        text = _text_value(cells.get("choice_filter"))
        try:
            conditions = read_choice_filter(text, self.item_ids)
        except Unreadable:
            conditions = {}
            self._unreadable(row, "choice_filter", name, text)
        for option in raw.get("options", []):
            if option.get("code") in conditions:
                option["relevant"] = conditions[option["code"]]

    def _unreadable(self, row: int, column: str, name: str, text: str | None) -> None:
        self.reader.keep(
            problem(
                self.reader.at(self.survey, row, column),
                Code.XLSFORM_RELEVANT_UNREADABLE,
                where=name,
                expression=_excerpt(text),
            )
        )

    def _question(
        self,
        row: int,
        cells: dict[str, Any],
        name: str,
        base: str,
        list_name: str,
        stack: list[tuple[int, str, dict[str, Any] | None]],
    ) -> dict[str, Any] | None:
        kind = _text_value(cells.get(f"{P}kind"))
        exact = kind is not None
        if kind is not None and _KIND_TYPES.get(kind, "") != (
            "decimal" if base == "integer" else base
        ):
            self.reader.keep(
                problem(
                    self.reader.at(self.survey, row, f"{P}kind"),
                    Code.XLSFORM_KIND_TYPE,
                    kind=_excerpt(kind),
                    type=base,
                )
            )
            return None
        raw = self._common(row, cells, name, kind or "text")
        if base in ("select_one", "select_multiple"):
            if exact and kind == "yesno" and list_name == YESNO_LIST:
                options: list[dict[str, Any]] = []
                numeric = False
            else:
                options, numeric = self.options(list_name, exact, name)
            if options:
                raw["options"] = options
            self._read_choice_filter(row, cells, name, raw)
            if not exact:
                raw["kind"] = _inferred_kind(base, options, numeric)
                unscored = raw["kind"] == "single" and any("score" not in o for o in options)
                if unscored and self._unscored(raw):
                    self.reader.keep(
                        problem(
                            self.reader.at(self.survey, row, "name"),
                            Code.XLSFORM_AXIS_WITHOUT_SCORES,
                            name=name,
                            list=list_name,
                        )
                    )
        elif base in ("decimal", "integer") and not exact:
            raw["kind"] = "number"
            low, high = _bounds(_text_value(cells.get("constraint")))
            if low is not None:
                raw.setdefault("minimum", low)
            if high is not None:
                raw.setdefault("maximum", high)
            if "goalposts" not in raw and self._unscored(raw):
                self.reader.keep(
                    problem(
                        self.reader.at(self.survey, row, "name"),
                        Code.XLSFORM_AXIS_WITHOUT_GOALPOSTS,
                        name=name,
                    )
                )
        if not exact and raw.get("dimension") is None and _is_scored(raw):
            group = next((n for _, n, s in stack[:1] if s is None), None)
            raw["dimension"] = group or DEFAULT_DIMENSION_ID
        return raw

    def _unscored(self, raw: dict[str, Any]) -> bool:
        """A plain form's question that nothing scores (a select without scores, a number
        without goalposts) is not scored, unless its `barometre::scored` says so. Whether it
        has a `barometre::axis`: it was then meant to be scored, which is told at its row."""
        if "scored" in raw:
            return False
        raw["scored"] = False
        return raw.get("axis") is not None


def _is_scored(raw: dict[str, Any]) -> bool:
    return raw.get("scored", True) is not False and raw.get("kind") != "text"


def _inferred_kind(base: str, options: list[dict[str, Any]], numeric: bool) -> str:
    if base == "select_multiple":
        return "multi"
    codes = sorted(o["code"] for o in options)
    if codes == ["no", "yes"] and all("score" in o for o in options):
        return "yesno"
    return "scale" if numeric else "single"


def _numeric_code(code: str) -> float | None:
    try:
        value = float(code)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def _bounds(constraint: str | None) -> tuple[float | None, float | None]:
    """The range of a plain XLSForm's number from a constraint `. >= a and . <= b`."""
    if not constraint:
        return None, None
    low = high = None
    for part in constraint.split(" and "):
        found = _BOUND.match(part)
        if found is None:
            return None, None
        if found.group(1) == ">=":
            low = float(found.group(2))
        else:
            high = float(found.group(2))
    return low, high


def _excerpt(value: Any) -> str:
    return excerpt(value)


def _moved(found: Problem, location: str) -> Problem:
    """`found` at another location (a rule's problem told at the item's row)."""
    if location == found.location:
        return found
    return replace(found, location=location)


def _place(tree: dict[str, Any], path: list[str], value: Any) -> bool:
    """Put `value` at `path` in `tree` (False if another value is already there)."""
    node: Any = tree
    for key in path[:-1]:
        child = node.setdefault(key, {})
        if not isinstance(child, dict):
            return False
        node = child
    if path[-1] in node:
        return False
    node[path[-1]] = value
    return True


def _listed(tree: Any) -> Any:
    """Mappings whose keys are all 0, 1, 2... turned back into lists (`levels.0.code`)."""
    if not isinstance(tree, dict):
        return tree
    children = {key: _listed(value) for key, value in tree.items()}
    if children and all(key.isdigit() for key in children):
        indices = sorted(children, key=int)
        if [int(key) for key in indices] == list(range(len(indices))):
            return [children[key] for key in indices]
    return children
