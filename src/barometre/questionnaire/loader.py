"""Read a questionnaire YAML file into a validated `Questionnaire`.

Every part (the header, each item) is checked on its own, so that a file with several problems
reports them all, each with its line, the item id and what is wrong.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from barometre.errors import Code, Problem, QuestionnaireError, problem
from barometre.questionnaire.models import Item, Questionnaire
from barometre.questionnaire.validation import check_questionnaire

BUILTIN = {"hlm-2026": "hlm-2026.yaml"}


def builtin_path(name: str) -> Path:
    """Path of a questionnaire shipped with the package (e.g. `hlm-2026`)."""
    resource = resources.files("barometre.content").joinpath("questionnaires", BUILTIN[name])
    return Path(str(resource))


def load_questionnaire(source: str | Path) -> Questionnaire:
    """Load a questionnaire from a file path or a built-in name such as `hlm-2026`."""
    path = builtin_path(str(source)) if str(source) in BUILTIN else Path(source)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QuestionnaireError(str(path), [problem(str(path), Code.FILE_NOT_FOUND)]) from None
    except UnicodeDecodeError as exc:
        raise QuestionnaireError(
            str(path),
            [problem(str(path), Code.NOT_UTF8, reason=exc.reason)],
        ) from None
    return parse_questionnaire(text, source_name=str(path))


def parse_questionnaire(text: str, source_name: str = "<questionnaire>") -> Questionnaire:
    try:
        document = yaml.compose(text)
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source_name}:{mark.line + 1}" if mark else source_name
        detail = getattr(exc, "problem", None) or str(exc)
        raise QuestionnaireError(
            source_name,
            [problem(where, Code.YAML_SYNTAX, detail=detail)],
        ) from None
    if not isinstance(raw, dict):
        raise QuestionnaireError(
            source_name,
            [problem(source_name, Code.NOT_A_MAPPING)],
        )
    lines = _item_lines(document)
    problems: list[Problem] = []
    header = {key: value for key, value in raw.items() if key != "items"}
    raw_items = raw.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        problems.append(problem(source_name, Code.NO_ITEMS))
        raw_items = []

    items: list[Item] = []
    for index, raw_item in enumerate(raw_items):
        where = _item_location(source_name, lines, index, raw_item)
        item = _parse_part(Item, raw_item, where, problems)
        if item is not None:
            items.append(item)

    placeholder = [{"id": "placeholder", "kind": "text", "label": {"fr": "-"}, "roles": ["x"]}]
    shell = _parse_part(Questionnaire, {**header, "items": placeholder}, source_name, problems)
    if shell is None or problems:
        # Cross-checks need a sound header; item-level problems are still all reported here.
        if shell is not None:
            problems.extend(_cross_problems(shell, items, source_name, lines, raw_items))
        raise QuestionnaireError(source_name, problems)

    questionnaire = shell.model_copy(update={"items": items})
    problems.extend(_cross_problems(shell, items, source_name, lines, raw_items))
    if problems:
        raise QuestionnaireError(source_name, problems)
    return questionnaire


def _cross_problems(
    shell: Questionnaire,
    items: list[Item],
    source_name: str,
    lines: dict[int, int],
    raw_items: list[Any],
) -> list[Problem]:
    # Only the validated items' ids are looked up, and they are strings.
    line_of: dict[str, int | None] = {
        raw["id"]: lines.get(i)
        for i, raw in enumerate(raw_items)
        if isinstance(raw, dict) and isinstance(raw.get("id"), str)
    }
    questionnaire = shell.model_copy(update={"items": items})
    return check_questionnaire(questionnaire, source_name, line_of)


def _parse_part(model: type[BaseModel], raw: Any, where: str, problems: list[Problem]):
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems.extend(_explain(error, where) for error in exc.errors())
        return None


def _explain(error: ErrorDetails, where: str) -> Problem:
    """A translatable problem for a shape error pydantic finds (its type is the code)."""
    field = ".".join(str(part) for part in error["loc"]) or "-"
    context = error.get("ctx") or {}
    value = repr(error.get("input"))
    match error["type"]:
        case Code.EXTRA_FORBIDDEN:
            return problem(where, Code.EXTRA_FORBIDDEN, field=field)
        case Code.MISSING:
            return problem(where, Code.MISSING, field=field)
        case Code.GREATER_THAN:
            return problem(
                where, Code.GREATER_THAN, field=field, limit=context.get("gt"), value=value
            )
        case Code.GREATER_THAN_EQUAL:
            return problem(
                where, Code.GREATER_THAN_EQUAL, field=field, limit=context.get("ge"), value=value
            )
        case Code.LESS_THAN:
            return problem(where, Code.LESS_THAN, field=field, limit=context.get("lt"), value=value)
        case Code.LESS_THAN_EQUAL:
            return problem(
                where, Code.LESS_THAN_EQUAL, field=field, limit=context.get("le"), value=value
            )
        case Code.LITERAL_ERROR:
            return problem(
                where,
                Code.LITERAL_ERROR,
                field=field,
                expected=context.get("expected"),
                value=value,
            )
    return problem(where, Code.INVALID_VALUE, field=field, detail=error["msg"], value=value)


def _item_lines(document: yaml.Node | None) -> dict[int, int]:
    """Line number (1-based) of each entry of the top-level `items` list."""
    if not isinstance(document, yaml.MappingNode):
        return {}
    for key, value in document.value:
        if key.value == "items" and isinstance(value, yaml.SequenceNode):
            return {i: node.start_mark.line + 1 for i, node in enumerate(value.value)}
    return {}


def _item_location(source: str, lines: dict[int, int], index: int, raw: Any) -> str:
    line = lines.get(index)
    item_id = raw.get("id") if isinstance(raw, dict) else None
    where = f"{source}:{line}" if line else source
    return f"{where} item {item_id!r}" if item_id else f"{where} items[{index}]"
