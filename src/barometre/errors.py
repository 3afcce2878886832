"""Exception hierarchy of the core.

Every error a user can cause carries where it happened (file, line, item or field), which rule
was broken and, when useful, how to fix it. Errors that can come in numbers (a questionnaire or a
responses file with several problems) are collected and raised together, so that a user fixes
everything in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem found in an input: where, what rule, and the message for a person."""

    location: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message} [{self.code}]"


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


class StatisticsError(BarometreError):
    """A statistical computation cannot be carried out (no convergence, empty cell...)."""
