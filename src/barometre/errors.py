"""Exception hierarchy of the core.

Every error a user can cause carries where it happened (file, line, item or field), which rule
was broken and, when useful, how to fix it. Errors that can come in numbers (a questionnaire or a
responses file with several problems) are collected and raised together, so that a user fixes
everything in one pass.
"""

from __future__ import annotations

import json
import reprlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from barometre.problems import Code, gettext_noop

__all__ = [
    "ArgumentError",
    "BarometreError",
    "Code",
    "ComparabilityError",
    "ConfigurationError",
    "ContractError",
    "FrameError",
    "InputError",
    "Problem",
    "QuestionnaireError",
    "ResponsesError",
    "StatisticsError",
    "excerpt",
    "gettext_noop",
    "problem",
]


@dataclass(frozen=True)
class Problem:
    """One problem found in an input: where, what rule, and the message for a person.

    `code` is a `Code` (a plain string when read back from a stored problem); `message` is
    the English text. `template` and `params` (see `problem`) let `localized` render it in
    another language.
    """

    location: str
    code: str
    message: str
    template: str | None = field(default=None, compare=False)
    params: Mapping[str, Any] | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return f"{self.location}: {self.message} [{self.code}]"

    def localized(self, translate: Callable[[str], str]) -> str:
        if self.template is None:
            return self.message
        return translate(self.template) % dict(self.params or {})


def problem(location: str, code: Code, **params: Any) -> Problem:
    """The problem `code` at `location`: its message is the code's translatable template
    (`problems.Code`) with its `%(name)s` placeholders filled from `params`."""
    template = code.template
    return Problem(location, code, template % params, template, params)


class BarometreError(Exception):
    """Base class of every error the core raises on purpose."""


class InputError(BarometreError):
    """An input (file, argument) is invalid; lists every problem found."""

    max_shown = 50

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = list(problems)
        super().__init__(self._render())

    def _render(self) -> str:
        count = len(self.problems)
        head = f"{self.source}: {count} problem{'s' if count != 1 else ''} found"
        shown = [f"  - {p}" for p in self.problems[: self.max_shown]]
        if count > self.max_shown:
            shown.append(f"  ... and {count - self.max_shown} more")
        return "\n".join([head, *shown])


class QuestionnaireError(InputError):
    """The questionnaire file breaks the format or its rules."""


class ResponsesError(InputError):
    """The responses file cannot be scored as it is."""


class FrameError(InputError):
    """The frame of organisations is invalid."""


class ContractError(InputError):
    """A scores, estimates or change file is not of its format or version, or breaks it."""


class ComparabilityError(InputError):
    """Two waves (or a file and a questionnaire) cannot be compared: another questionnaire,
    or another methodology version with a change that breaks comparison."""


class ArgumentError(BarometreError, ValueError):
    """An argument given to the core (a command's option, a function's parameter) has a value
    it refuses, e.g. a response rate above 1. It is a `ValueError` too, as Python's own
    functions raise for a wrong value, so that callers catching `ValueError` still work."""


class ConfigurationError(BarometreError):
    """The server is not configured to start (a setting missing from the environment)."""


class StatisticsError(BarometreError):
    """A statistical computation cannot be carried out (no convergence, empty cell...)."""


#: Longest quotation of a user's input in a message: a problem quotes an excerpt, never a
#: whole value (a 2 MB answer, a YAML subtree, a 5,000-digit number).
EXCERPT_LENGTH = 60

# Bounded at every level, so that the cost of quoting does not grow with the value.
_EXCERPT_REPR = reprlib.Repr()
_EXCERPT_REPR.maxlevel = 2
for _name in ("maxtuple", "maxlist", "maxarray", "maxdict", "maxset", "maxfrozenset", "maxdeque"):
    setattr(_EXCERPT_REPR, _name, 3)
_EXCERPT_REPR.maxstring = _EXCERPT_REPR.maxlong = _EXCERPT_REPR.maxother = EXCERPT_LENGTH


def excerpt(value: object, limit: int = EXCERPT_LENGTH) -> str:
    """A short quotation of `value` for a message: text as it is, anything else as its
    `repr`, cut to `limit` characters with "…"; a NUL character is shown as `\\0`. Its cost
    does not depend on the value's size (a large int is never turned into text whole)."""
    if isinstance(value, str):
        cut = value if len(value) <= limit else value[: limit - 1] + "…"
        text = cut.replace("\x00", "\\0")
    elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 256:
        text = f"<a number of about {int(value.bit_length() * 0.30103)} digits>"
    else:
        try:
            text = _EXCERPT_REPR.repr(value)
        except ValueError:  # an int too large to write, deep inside
            text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def json_error_reason(error: json.JSONDecodeError) -> str:
    """What is wrong in a JSON text, with its column (the line goes in the location): the
    decoder's message ends with "at" when it expects a position ("Invalid control character
    at"), so the column completes it."""
    if error.msg.endswith(" at"):
        return f"{error.msg} column {error.colno}"
    return f"{error.msg} (column {error.colno})"
