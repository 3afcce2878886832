"""Variable names and labels within the limits of SPSS and Stata.

SPSS (IBM SPSS Statistics, "Variable names"): at most 64 bytes, a letter first, then letters,
digits, `.`, `_`, `@`, `#`, `$`; not ending with `.`; case-insensitive; reserved words (`ALL`,
`AND`, `BY`...) refused. Variable labels at most 255 bytes, value labels at most 120.
Stata (`help varname`): at most 32 characters, letters, digits and `_`, not starting with a
digit; case-sensitive; a few reserved names (`_n`, `in`, `int`...). Variable labels at most
80 characters.

One rule satisfies both: ASCII letters, digits and `_`, a letter first, not ending with `_`
(SPSS keeps a trailing `_` for its own variables), no reserved word of either, unique without
regard to case, at most `limit` bytes (64 for every format but Stata's, 32). Names are made
from field ids in the order of the columns, so the same questionnaire always gives the same
names; the original field id stays in the variable's label and in the codebook.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Longest variable name: SPSS (and the formats that follow its names), Stata.
SPSS_NAME_BYTES = 64
STATA_NAME_BYTES = 32
#: Longest labels: SPSS variable label (bytes), Stata variable label (characters), value label.
SPSS_LABEL_BYTES = 255
STATA_LABEL_CHARACTERS = 80
VALUE_LABEL_BYTES = 120

#: Reserved words: SPSS's, then Stata's.
_SPSS_RESERVED = "ALL AND BY EQ GE GT LE LT NE NOT OR TO WITH"
_STATA_RESERVED = (
    "_all _b byte _coef _cons double float if in int long _n _N _pi _pred _rc _skip strL using"
)
_RESERVED = frozenset(w.casefold() for w in f"{_SPSS_RESERVED} {_STATA_RESERVED}".split(" "))
_INVALID = re.compile(r"[^A-Za-z0-9_]+")
_REPEATED = re.compile(r"__+")
ELLIPSIS = "…"


def base_name(text: str) -> str:
    """`text` made a valid name, before truncation and de-duplication: other characters
    become `_` (`loc_services.payment` → `loc_services_payment`), a name that does not start
    with a letter gets `v_` in front, a reserved word gets `_v` after."""
    name = _REPEATED.sub("_", _INVALID.sub("_", text)).strip("_")
    if not name or not ("a" <= name[0].lower() <= "z"):
        name = f"v_{name}".rstrip("_")
    if name.casefold() in _RESERVED or re.fullmatch(r"str\d+", name, re.IGNORECASE):
        name = f"{name}_v"
    return name


def variable_names(keys: Iterable[str], limit: int = SPSS_NAME_BYTES) -> list[str]:
    """A valid, unique (without regard to case) name of at most `limit` bytes for each key, in
    order: a name already taken gets `_2`, `_3`... (its base shortened to fit)."""
    taken: set[str] = set()
    names: list[str] = []
    for key in keys:
        base = base_name(key)[:limit].rstrip("_")
        name, counter = base, 1
        while name.casefold() in taken:
            counter += 1
            suffix = f"_{counter}"
            name = base[: limit - len(suffix)].rstrip("_") + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


def truncate_bytes(text: str, limit: int) -> str:
    """`text` cut to at most `limit` bytes of UTF-8 (never in the middle of a character),
    ending with `…` when it was cut."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    room = limit - len(ELLIPSIS.encode("utf-8"))
    return encoded[:room].decode("utf-8", errors="ignore") + ELLIPSIS


def truncate_characters(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending with `…` when it was cut."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS
