"""Every user-facing string has its French translation, compiled into the shipped catalogue."""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_every_message_of_the_sources_has_a_french_translation(tmp_path):
    """`make messages` on a copy of the package: every message the code and the templates use
    is in the catalogue with a translation (a message changed in the code and not in the
    catalogue shows in English on a French page). An entry makemessages marks fuzzy only
    because xgettext reads "95%" as a format has its translation, and is accepted."""
    if shutil.which("xgettext") is None or shutil.which("msgattrib") is None:
        pytest.skip("GNU gettext (xgettext, msgattrib) is not installed: apt-get install gettext")
    package = tmp_path / "barometre"
    shutil.copytree(
        ROOT / "src" / "barometre",
        package,
        ignore=shutil.ignore_patterns("__pycache__", "*.mo"),
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "barometre.web.config.settings.dev"}
    django_admin = Path(sys.executable).with_name("django-admin")
    subprocess.run(
        [
            django_admin,
            *("makemessages", "-l", "fr", "--no-location"),
            *("--ignore", "web/*/migrations/*", "--ignore", "content/*"),
        ],
        cwd=package,
        env=environment,
        check=True,
        capture_output=True,
    )
    merged = package / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    untranslated = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(merged)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    missing = re.findall(r'^msgid ((?:".*"\n)+)', untranslated, re.M)
    assert [m for m in missing if m != '""\n'] == []
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-obsolete", str(merged)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    changed = []
    for block in fuzzy.split("\n\n")[1:]:
        previous = "".join(re.findall(r'^#\| (?:msgid )?"(.*)"$', block, re.M))
        current = "".join(re.findall(r'^(?:msgid )?"(.*)"$', block.split("msgstr")[0], re.M))
        if previous != current:
            changed.append(current)
    assert changed == []
