"""Conditional questions (`relevant`) as the expressions of XLSForm and SurveyJS, and back.

XLSForm (`relevant`, `choice_filter`, XPath): `${q3} = 'yes'` for a question with one answer,
`selected(${q4}, 'x')` for a multi item. SurveyJS (`visibleIf`): `{q3} = 'yes'`,
`{q4} contains 'x'`, `{q3} anyof ['a', 'b']`. A condition `{item, in: [a, b]}` is its codes
joined by `or`; `any_of` / `all_of` put each condition in parentheses, joined by `or` / `and`.
The roles an item is asked of come first when not every role is: `(ROLES) and (CONDITION)`.
Reading accepts these forms, and plain `or` / `and` lists of such comparisons (not both at one
level); anything else is `Unreadable` (the caller tells it with the expression).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from barometre.questionnaire.models import Relevance

Dialect = Literal["xlsform", "surveyjs"]


class Unreadable(ValueError):
    """An expression that is not one of the forms of the module's docstring."""


# --- writing ----------------------------------------------------------------------------------


def _code(code: str) -> str:
    return f"'{code}'"


def _atom(dialect: Dialect, name: str, codes: list[str], ticks: bool) -> str:
    if dialect == "surveyjs":
        if len(codes) > 1:
            return f"{{{name}}} anyof [{', '.join(_code(c) for c in codes)}]"
        return f"{{{name}}} {'contains' if ticks else '='} {_code(codes[0])}"
    if ticks:
        return " or ".join(f"selected(${{{name}}}, {_code(c)})" for c in codes)
    return " or ".join(f"${{{name}}} = {_code(c)}" for c in codes)


def expression(
    relevance: Relevance, dialect: Dialect, name_of: Callable[[str], str], multi: frozenset[str]
) -> str:
    """The condition as an expression of `dialect`; `name_of` names an item's question."""

    def condition(item: str, codes: list[str]) -> str:
        return _atom(dialect, name_of(item), codes, item in multi)

    if relevance.item is not None and relevance.in_ is not None:
        return condition(relevance.item, relevance.in_)
    joiner = " and " if relevance.needs_all else " or "
    return joiner.join(f"({condition(c.item, c.in_)})" for c in relevance.conditions)


def combined(roles: str | None, condition: str | None) -> str | None:
    """The roles asked and the condition, in one expression (either may be absent)."""
    if not condition:
        return roles
    if not roles:
        return condition
    return f"({roles}) and ({condition})"


def choice_filter(
    options: Mapping[str, Relevance], name_of: Callable[[str], str], multi: frozenset[str]
) -> str | None:
    """XLSForm's `choice_filter` of an item whose options have conditions: each such choice
    is kept only when its condition holds (`name != 'code' or (CONDITION)`)."""
    parts = [
        f"name != {_code(code)} or ({expression(relevance, 'xlsform', name_of, multi)})"
        for code, relevance in options.items()
    ]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else " and ".join(f"({part})" for part in parts)


# --- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Atom:
    name: str
    codes: tuple[str, ...]
    not_equal: bool = False  # `name != 'code'` of a choice filter


@dataclass(frozen=True)
class _Group:
    node: Any


@dataclass(frozen=True)
class _Op:
    kind: str  # "or" / "and"
    children: tuple[Any, ...]


_QUOTED = r"""(?:'([^']*)'|"([^"]*)")"""
_TOKENS: dict[Dialect, list[tuple[str, re.Pattern[str]]]] = {
    "xlsform": [
        ("atom", re.compile(r"selected\(\s*\$\{([^}]+)\}\s*,\s*" + _QUOTED + r"\s*\)")),
        ("atom", re.compile(r"\$\{([^}]+)\}\s*=\s*" + _QUOTED)),
        ("not_equal", re.compile(r"name\s*!=\s*" + _QUOTED)),
    ],
    "surveyjs": [
        ("list", re.compile(r"\{([^}]+)\}\s+anyof\s+\[([^\]]*)\]", re.IGNORECASE)),
        ("atom", re.compile(r"\{([^}]+)\}\s+contains\s+" + _QUOTED, re.IGNORECASE)),
        ("atom", re.compile(r"\{([^}]+)\}\s*=\s*" + _QUOTED)),
    ],
}
_PUNCTUATION = re.compile(r"\s*(\(|\)|\bor\b|\band\b)\s*", re.IGNORECASE)
_LISTED = re.compile(_QUOTED)


def _tokens(text: str, dialect: Dialect) -> list[Any]:
    found: list[Any] = []
    at = 0
    text = text.strip()
    while at < len(text):
        if text[at].isspace():
            at += 1
            continue
        punctuation = _PUNCTUATION.match(text, at)
        if punctuation:
            found.append(punctuation.group(1).lower())
            at = punctuation.end()
            continue
        for kind, pattern in _TOKENS[dialect]:
            match = pattern.match(text, at)
            if match:
                found.append(_token(kind, match))
                at = match.end()
                break
        else:
            raise Unreadable(text)
    return found


def _token(kind: str, match: re.Match[str]) -> _Atom:
    name = match.group(1).strip()
    if kind == "not_equal":
        return _Atom("", (match.group(1) if match.group(1) is not None else match.group(2),), True)
    if kind == "list":
        codes = tuple(a if a is not None else b for a, b in _LISTED.findall(match.group(2)))
        return _Atom(name, codes)
    code = match.group(2) if match.group(2) is not None else match.group(3)
    return _Atom(name, (code,))


class _Parser:
    def __init__(self, tokens: list[Any]):
        self.tokens = tokens
        self.at = 0

    def peek(self) -> Any:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> Any:
        token = self.peek()
        self.at += 1
        return token

    def expression(self) -> Any:
        terms = [self.term()]
        kinds = set()
        while self.peek() in ("or", "and"):
            kinds.add(self.take())
            terms.append(self.term())
        if len(kinds) > 1:
            raise Unreadable("or and and at one level")
        return terms[0] if len(terms) == 1 else _Op(kinds.pop(), tuple(terms))

    def term(self) -> Any:
        token = self.take()
        if token == "(":
            inner = self.expression()
            if self.take() != ")":
                raise Unreadable("unbalanced parentheses")
            return _Group(inner)
        if isinstance(token, _Atom):
            return token
        raise Unreadable(str(token))


def _parsed(text: str, dialect: Dialect) -> Any:
    parser = _Parser(_tokens(text, dialect))
    node = parser.expression()
    if parser.peek() is not None:
        raise Unreadable(text)
    return node


def _is_roles(node: Any, role: str) -> bool:
    if isinstance(node, _Group):
        return _is_roles(node.node, role)
    if isinstance(node, _Atom):
        return node.name == role and not node.not_equal
    return node.kind == "or" and all(_is_roles(child, role) for child in node.children)


def _condition(node: Any, ids: Mapping[str, str]) -> dict[str, Any]:
    if isinstance(node, _Group):
        node = node.node
    atoms = [node] if isinstance(node, _Atom) else list(node.children)
    if isinstance(node, _Op) and node.kind != "or":
        raise Unreadable("a condition joins its codes with or")
    if not all(isinstance(a, _Atom) and not a.not_equal for a in atoms):
        raise Unreadable("a condition compares one question")
    names = {a.name for a in atoms}
    if len(names) != 1:
        raise Unreadable("a condition compares one question")
    name = names.pop()
    return {"item": ids.get(name, name), "in": [code for a in atoms for code in a.codes]}


def _relevance(node: Any, ids: Mapping[str, str]) -> dict[str, Any]:
    if isinstance(node, _Group):
        return {"any_of": [_condition(node.node, ids)]}
    if isinstance(node, _Atom):
        return _condition(node, ids)
    bare = all(isinstance(child, _Atom) for child in node.children)
    if node.kind == "or" and bare and len({child.name for child in node.children}) == 1:
        return _condition(node, ids)
    key = "any_of" if node.kind == "or" else "all_of"
    return {key: [_condition(child, ids) for child in node.children]}


def read_condition(
    text: str | None, dialect: Dialect, role: str, ids: Mapping[str, str]
) -> dict[str, Any] | None:
    """The condition of an item's expression, the roles part left out; None without one.
    `ids` gives the item id of a question's name (else the name is the id)."""
    if text is None or not text.strip():
        return None
    node = _parsed(text, dialect)
    if _is_roles(node, role):
        return None
    if isinstance(node, _Op) and node.kind == "and" and len(node.children) == 2:
        first, rest = node.children
        if _is_roles(first, role):
            node = rest.node if isinstance(rest, _Group) else rest
    return _relevance(node, ids)


def read_choice_filter(text: str | None, ids: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """The conditions of an item's choices, from its XLSForm `choice_filter` (`name != 'c'
    or (CONDITION)`, such parts joined by `and`), by choice code."""
    if text is None or not text.strip():
        return {}
    node = _parsed(text, "xlsform")
    parts = list(node.children) if isinstance(node, _Op) and node.kind == "and" else [node]
    found: dict[str, dict[str, Any]] = {}
    for part in parts:
        part = part.node if isinstance(part, _Group) else part
        if not (isinstance(part, _Op) and part.kind == "or" and len(part.children) == 2):
            raise Unreadable(text)
        first, condition = part.children
        if not (isinstance(first, _Atom) and first.not_equal and isinstance(condition, _Group)):
            raise Unreadable(text)
        found[first.codes[0]] = _relevance(condition.node, ids)
    return found
