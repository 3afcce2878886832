"""URL converters: a value a view will look up must be of the core's own shape first."""

from __future__ import annotations

from barometre.identifiers import IDENTIFIER_MAX_LENGTH, is_identifier


class IdentifierConverter:
    """An organisation's identifier (`barometre.identifiers`): anything else, a NUL byte or a
    path included, is a 404 before any query (PostgreSQL refuses a NUL in a text value)."""

    regex = rf"[A-Za-z0-9_.-]{{1,{IDENTIFIER_MAX_LENGTH}}}"

    def to_python(self, value: str) -> str:
        if not is_identifier(value):
            raise ValueError(value)
        return value

    def to_url(self, value: str) -> str:
        return value
