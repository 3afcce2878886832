"""Turning the core's errors into a clear message and a non-zero exit.

Two kinds of failure, told apart by their exit status:

- a user's mistake (a bad file, a wrong option): the core raises a `BarometreError` on purpose,
  with where and what; it is printed as `Error: ...` and the command exits with status 2;
- anything else is a bug: one line says so, with the exception's type and message and how to
  see the traceback (`BAROMETRE_DEBUG=1`), and the command exits with status 70 (EX_SOFTWARE
  of sysexits.h). A user never sees a traceback unless asked for one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup
from typer.exceptions import Abort, Exit, TyperException

from barometre.errors import BarometreError

EXIT_INPUT_ERROR = 2
EXIT_INTERNAL_ERROR = 70  # EX_SOFTWARE
#: Set to 1 to let an internal error show its traceback.
DEBUG_VARIABLE = "BAROMETRE_DEBUG"


def _user_error(exc: BarometreError) -> NoReturn:
    typer.echo(f"Error: {exc}", err=True)
    raise typer.Exit(EXIT_INPUT_ERROR) from None


@contextmanager
def user_errors() -> Iterator[None]:
    """Print a core error on stderr and exit with status 2; nothing else is written.

    Only `BarometreError`s are a user's mistake: any other exception (a `ValueError` too) goes
    on, as a bug, to `GuardedGroup`."""
    try:
        yield
    except BarometreError as exc:
        _user_error(exc)


def debugging() -> bool:
    return os.environ.get(DEBUG_VARIABLE, "").strip().lower() not in ("", "0", "false", "no")


def internal_error_message(exc: BaseException) -> str:
    """The one line printed for a bug: what was raised and how to see where."""
    detail = " ".join(str(exc).split()).rstrip(".")
    raised = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return (
        f"Internal error (a bug in barometre, not a problem with your input): {raised}. "
        f"Set {DEBUG_VARIABLE}=1 to see the traceback, and please report it."
    )


class GuardedGroup(TyperGroup):
    """The command group of `barometre`: a core error raised anywhere in a command exits with
    status 2 and its message; any other exception is an internal error (status 70, one line,
    no traceback unless `BAROMETRE_DEBUG=1`). Typer's own exits, aborts and usage errors go
    through untouched."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (Exit, Abort, TyperException):
            raise
        except BarometreError as exc:
            _user_error(exc)
        except Exception as exc:
            if debugging():
                raise
            typer.echo(internal_error_message(exc), err=True)
            raise typer.Exit(EXIT_INTERNAL_ERROR) from None
