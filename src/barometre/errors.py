"""Exception hierarchy of the core.

Every error a user can cause carries where it happened (file, line, item or field), which rule
was broken and, when useful, how to fix it. Errors that can come in numbers (a questionnaire or a
responses file with several problems) are collected and raised together, so that a user fixes
everything in one pass.
"""

from __future__ import annotations

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
