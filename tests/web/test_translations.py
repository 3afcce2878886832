"""Every user-facing string has its French translation, compiled into the shipped catalogue."""

from __future__ import annotations

import gettext
import re

from tests.helpers import ROOT

LOCALE = ROOT / "src" / "barometre" / "locale" / "fr" / "LC_MESSAGES"


def po_entries() -> dict[str, str]:
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = {}
    for block in text.split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        msgstr = re.search(r'^msgstr ((?:".*"\n?)+)', block, re.M)
        if msgid and msgstr:
            join = lambda s: "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', s))  # noqa: E731
            entries[join(msgid.group(1))] = join(msgstr.group(1))
    return entries


def test_every_message_is_translated_and_not_fuzzy():
    entries = po_entries()
    assert len(entries) > 40
    untranslated = [k for k, v in entries.items() if k and not v]
    assert untranslated == []
    assert "#, fuzzy" not in (LOCALE / "django.po").read_text(encoding="utf-8")


def test_the_compiled_catalogue_matches_the_sources():
    with (LOCALE / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for msgid, msgstr in po_entries().items():
        if msgid and "%(" not in msgid:
            assert catalogue.gettext(msgid.replace('\\"', '"')) == msgstr.replace('\\"', '"')


def test_translations_keep_the_placeholders_of_their_message():
    placeholder = re.compile(r"%\((\w+)\)[sdg]")
    for msgid, msgstr in po_entries().items():
        if msgid and msgstr:
            assert sorted(placeholder.findall(msgid)) == sorted(placeholder.findall(msgstr)), (
                msgid,
                msgstr,
            )


def test_every_report_text_is_in_the_catalogue_with_its_placeholders():
    """The reports read the same catalogue as the web (one translation system): each of their
    texts has a French entry that keeps its `{name}` placeholders."""
    from barometre.reports.texts import TEXTS, texts

    entries = po_entries()
    brace = re.compile(r"\{(\w+)\}")
    french = texts("fr")
    for key, english in TEXTS.items():
        assert english in entries, key
        assert sorted(brace.findall(english)) == sorted(brace.findall(french[key])), key
    assert french["population_change"] == "Évolution (population)"
    assert texts("en")["population_change"] == "Change (population)"
