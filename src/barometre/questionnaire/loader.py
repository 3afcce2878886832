"""Read a questionnaire YAML file into a validated `Questionnaire`.

Every part (the header, each item) is checked on its own, so that a file with several problems
reports them all, each with its line, the item id and what is wrong.

The YAML is read with limits, so that no file can make the loader slow or large: at most
`MAX_QUESTIONNAIRE_BYTES`, nested at most `MAX_DEPTH` levels, no anchors or aliases (the
expansion of nested aliases is the "billion laughs"; a questionnaire has no use for them), no
key twice in a mapping, no number longer than `MAX_NUMBER_DIGITS` digits. A problem quotes an
excerpt of the value at fault (`errors.excerpt`), never the whole input.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from barometre.errors import Code, Problem, QuestionnaireError, excerpt, problem
from barometre.questionnaire.models import Item, Questionnaire
from barometre.questionnaire.validation import check_questionnaire

BUILTIN = {
    "hlm-2026": "hlm-2026.yaml",
    # examples of the format's features (docs/questionnaire-format.md, "Examples")
    "example-data-pathway": "example-data-pathway.yaml",
    "example-digital-services": "example-digital-services.yaml",
}

#: Largest questionnaire file read, in bytes: 4 MiB, 35 times hlm-2026 (119 KB); the largest
#: takes seconds to read, not minutes.
MAX_QUESTIONNAIRE_BYTES = 4 * 1024 * 1024
#: Deepest nesting of mappings, lists and their values (hlm-2026 goes 7 levels deep).
MAX_DEPTH = 32
#: Longest integer, in digits (Python refuses to read integers of more than 4,300 digits).
MAX_NUMBER_DIGITS = 30

_MERGE_TAG = "tag:yaml.org,2002:merge"


def builtin_path(name: str) -> Path:
    """Path of a questionnaire shipped with the package (e.g. `hlm-2026`)."""
    resource = resources.files("barometre.content").joinpath("questionnaires", BUILTIN[name])
    return Path(str(resource))


def load_questionnaire(source: str | Path) -> Questionnaire:
    """Load a questionnaire from a file path or a built-in name such as `hlm-2026`."""
    path = builtin_path(str(source)) if str(source) in BUILTIN else Path(source)
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_QUESTIONNAIRE_BYTES:
            raise QuestionnaireError(name, [_too_large(name, size)])
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        if _looks_like_a_name(str(source)):
            builtin = ", ".join(sorted(BUILTIN))
            found = problem(name, Code.QUESTIONNAIRE_NOT_FOUND, builtin=builtin)
            raise QuestionnaireError(name, [found]) from None
        raise QuestionnaireError(name, [problem(name, Code.FILE_NOT_FOUND)]) from None
    except UnicodeDecodeError as exc:
        raise QuestionnaireError(
            name,
            [problem(name, Code.NOT_UTF8, reason=exc.reason)],
        ) from None
    return parse_questionnaire(text, source_name=name)


def _looks_like_a_name(source: str) -> bool:
    """A source with no folder and no YAML ending was meant as a built-in questionnaire's name
    (`hlm-2099`): the error then lists the built-in ones."""
    path = Path(source)
    return path.parent == Path(".") and path.suffix.lower() not in (".yaml", ".yml")


def parse_questionnaire(text: str, source_name: str = "<questionnaire>") -> Questionnaire:
    # No character is less than a byte in UTF-8: encode only a text that may be short enough.
    if len(text) > MAX_QUESTIONNAIRE_BYTES:
        raise QuestionnaireError(source_name, [_too_large(source_name, len(text.encode()))])
    if len(text) * 4 > MAX_QUESTIONNAIRE_BYTES and len(text.encode()) > MAX_QUESTIONNAIRE_BYTES:
        raise QuestionnaireError(source_name, [_too_large(source_name, len(text.encode()))])
    document, raw = _read_yaml(text, source_name)
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


def _too_large(source_name: str, size: int) -> Problem:
    return problem(source_name, Code.FILE_TOO_LARGE, size=size, limit=MAX_QUESTIONNAIRE_BYTES)


class _Refused(Exception):
    """A limit of the questionnaire's YAML broken (raised while reading)."""

    def __init__(self, found: Problem):
        super().__init__(found.message)
        self.problem = found


class _QuestionnaireLoader(yaml.SafeLoader):
    """PyYAML's safe loader with the limits of the module's docstring. Duplicate keys are
    collected (`duplicates`), so that all of them are told at once; the other limits stop
    the reading where they are broken."""

    def __init__(self, text: str, source_name: str):
        super().__init__(text)
        self.source_name = source_name
        self.depth = 0
        self.duplicates: list[Problem] = []

    def at(self, mark: yaml.Mark) -> str:
        return f"{self.source_name}:{mark.line + 1}"

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(problem(self.at(event.start_mark), Code.YAML_ALIAS))
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Refused(problem(self.at(event.start_mark), Code.YAML_TOO_DEEP, limit=MAX_DEPTH))
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        first_line: dict[Any, int] = {}
        for key_node, _value in node.value:
            if key_node.tag == _MERGE_TAG:
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                earlier = first_line.get(key)
            except TypeError:
                continue  # an unhashable key: PyYAML's own error tells it
            line = key_node.start_mark.line + 1
            if earlier is None:
                first_line[key] = line
            else:
                self.duplicates.append(
                    problem(
                        self.at(key_node.start_mark),
                        Code.YAML_DUPLICATE_KEY,
                        key=excerpt(key),
                        first=earlier,
                        second=line,
                    )
                )
        return super().construct_mapping(node, deep=deep)

    def construct_bounded_int(self, node: yaml.ScalarNode) -> int:
        digits = sum(char.isdigit() for char in str(node.value))
        if digits > MAX_NUMBER_DIGITS:
            raise _Refused(
                problem(
                    self.at(node.start_mark),
                    Code.YAML_NUMBER_TOO_LONG,
                    digits=digits,
                    limit=MAX_NUMBER_DIGITS,
                )
            )
        return self.construct_yaml_int(node)

    def construct_text(self, node: yaml.ScalarNode) -> str:
        return str(self.construct_scalar(node))


_QuestionnaireLoader.add_constructor(
    "tag:yaml.org,2002:int", _QuestionnaireLoader.construct_bounded_int
)
# No field of a questionnaire is a date: a value that looks like one (`2026-13-45`, which
# PyYAML's date constructor fails on with a ValueError) stays the text it is.
_QuestionnaireLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _QuestionnaireLoader.construct_text
)


def _read_yaml(text: str, source_name: str) -> tuple[yaml.Node | None, Any]:
    """The document's node (for the lines) and its Python value, read once, within limits."""
    try:
        # the reader refuses control characters when it is made, before any parsing
        loader = _QuestionnaireLoader(text, source_name)
    except yaml.reader.ReaderError as exc:
        where = f"{source_name}:{text.count(chr(10), 0, exc.position) + 1}"
        detail = f"character #x{exc.character:04x} is not allowed (a control character)"
        raise QuestionnaireError(
            source_name, [problem(where, Code.YAML_SYNTAX, detail=detail)]
        ) from None
    try:
        document = loader.get_single_node()
        raw = None if document is None else loader.construct_document(document)
    except _Refused as refused:
        raise QuestionnaireError(source_name, [refused.problem]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source_name}:{mark.line + 1}" if mark else source_name
        detail = getattr(exc, "problem", None) or str(exc)
        raise QuestionnaireError(
            source_name,
            [problem(where, Code.YAML_SYNTAX, detail=detail)],
        ) from None
    finally:
        loader.dispose()
    if loader.duplicates:
        raise QuestionnaireError(source_name, loader.duplicates)
    return document, raw


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
    field = ".".join(excerpt(str(part), 40) for part in error["loc"]) or "-"
    context = error.get("ctx") or {}
    value = excerpt(error.get("input"))
    match error["type"]:
        case Code.EXTRA_FORBIDDEN:
            return problem(where, Code.EXTRA_FORBIDDEN, field=field)
        case Code.MISSING:
            return problem(where, Code.MISSING, field=field)
        case Code.FINITE_NUMBER:
            return problem(where, Code.FINITE_NUMBER, field=field, value=value)
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
    if error["type"] == "value_error" and str(context.get("error")) == "relevant_form":
        return problem(where, Code.RELEVANT_FORM, field=field)  # conditional questions
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
    if isinstance(item_id, str) and item_id:
        return f"{where} item {excerpt(item_id)!r}"
    return f"{where} items[{index}]"
