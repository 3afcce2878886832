"""Turning the core's errors into a clear message and a non-zero exit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer

from barometre.errors import BarometreError

EXIT_INPUT_ERROR = 2


@contextmanager
def user_errors() -> Iterator[None]:
    """Print a core error on stderr and exit with status 2; nothing else is written."""
    try:
        yield
    except BarometreError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(EXIT_INPUT_ERROR) from None
    except ValueError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(EXIT_INPUT_ERROR) from None
