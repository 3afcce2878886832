"""The one translation catalogue, for the core too: the reports, the method annex and the core's
problems read the same French catalogue as the web application (`barometre/locale`, GNU
gettext), without Django. English is the source language."""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Literal, get_args

#: The languages of the pages and reports: French first, English complete.
Language = Literal["fr", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "django"  # the catalogue's name, as Django's makemessages writes it


def language_of(code: str | None) -> Language:
    """The report language for a language code such as Django's ("fr", "en-gb"): French
    unless the code is English."""
    return "en" if code and code.lower().split("-")[0] == "en" else "fr"


@cache
def translation(language: str) -> Callable[[str], str]:
    """`gettext` of the catalogue for `language` ("fr", "en"...); English and any language
    without a catalogue give the English text."""
    catalogue = gettext.translation(
        DOMAIN, localedir=LOCALE_DIR, languages=[language.split("-")[0]], fallback=True
    )
    return catalogue.gettext
