"""One French typography wherever a user reads French: a narrow no-break space (U+202F) before
« : ; ! ? », before the percent sign of a percentage, and inside guillemets « … ».

The catalogue is read from its source (the .po, every msgstr including plural forms); the
rule is checked on hand-written texts first, so that the check itself is known to fail on the
mistakes it is meant to catch and to leave alone what is not prose (URLs, times, format specs).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import ROOT

PO = ROOT / "src" / "barometre" / "locale" / "fr" / "LC_MESSAGES" / "django.po"
NNBSP = "\u202f"
SPACE = "[ \u00a0]"  # an ordinary space or a no-break space U+00A0: both wrong here
MISTAKES = (
    (
        "a space before a colon, semicolon, exclamation or question mark",
        SPACE + r"(?=[;!?]|:(?!:))",
    ),
    ("a space after an opening guillemet", "«" + SPACE),
    ("a space before a closing guillemet", SPACE + "»"),
    ("a guillemet without a space inside", "«(?![ \u00a0\u202f])|(?<![ \u00a0\u202f])»"),
    (
        "a space before a percent sign",
        r"(?:\d|\}|%\(\w+\)[sdifg]|%%)" + SPACE + r"(?:%%|%(?![(\w]))",
    ),
)


def mistakes(text: str) -> list[str]:
    """What is wrong with a French text's typography, one phrase per mistake found."""
    return [
        f"{name} at {match.start()}: {text[max(0, match.start() - 20) : match.end() + 20]!r}"
        for name, pattern in MISTAKES
        for match in re.finditer(pattern, text)
    ]


@dataclass(frozen=True)
class Translation:
    line: int
    msgid: str
    msgstr: str


ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def unquoted(quoted: str) -> str:
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(0)), quoted)


def translations(text: str) -> list[Translation]:
    """Every msgstr of a .po (plural forms each on their own) with its msgid and line."""
    found: list[Translation] = []
    fields: list[tuple[str, int, list[str]]] = []
    for number, line in enumerate(text.splitlines(), 1):
        key = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
        more = re.match(r'^"(.*)"$', line)
        if key:
            fields.append((key.group(1), number, [key.group(2)]))
        elif more and fields:
            fields[-1][2].append(more.group(1))
    msgid = ""
    for keyword, number, parts in fields:
        value = unquoted("".join(parts))
        if keyword == "msgid":
            msgid = value
        elif keyword.startswith("msgstr") and msgid:  # msgid "" is the header
            found.append(Translation(number, msgid, value))
    return found


# --- the check itself, on texts written by hand ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "non affiché : avec les chiffres publiés",
        "Révoquer le lien de %(email)s ?",
        "Merci !",
        "un choix ; un autre",
        "Indice global\u00a0: 47",  # a no-break space U+00A0 is not the narrow one
        "le jeton « %(name)s »",
        "le jeton «\u202f%(name)s »",
        "le jeton «%(name)s\u202f»",
        "significatif à 95 %%.",
        "une part de 45 %",
        "{share} % des organismes",
        "%(rate)s %%",
        "question « texte\n»",
    ],
)
def test_the_check_finds_an_ordinary_space_where_a_narrow_one_belongs(text):
    assert mistakes(text) != []


@pytest.mark.parametrize(
    "text",
    [
        "non affiché\u202f: avec les chiffres publiés",
        "Révoquer le lien de %(email)s\u202f?",
        "le jeton «\u202f%(name)s\u202f»\u202f; révoqué\u202f!",
        "significatif à 95\u202f%%.",
        "{share}\u202f% des organismes",
        "Part des organismes (%), de %(n)s organismes",  # no number before: not a percentage
        "https://www.insee.fr/fr/information/2560452",
        "le lien expire à 12:30",
        "un item barometre::axis",
        "indiquez scored: false",  # a YAML key quoted as it is written
        "{value:.1f} sur 100",
        "moins de 1\u202f500\u00a0logements",  # a no-break space before a word is right
    ],
)
def test_the_check_leaves_good_typography_and_code_alone(text):
    assert mistakes(text) == []


words = st.text(alphabet="abcdéèàçô", min_size=1, max_size=8)


@given(words, st.sampled_from(":;!?"), words, st.sampled_from([" ", "\u00a0", "\u202f"]))
def test_a_punctuation_mark_is_right_exactly_when_the_narrow_space_precedes_it(
    before, mark, after, space
):
    text = f"{before}{space}{mark} {after}"
    assert (mistakes(text) == []) == (space == NNBSP)


def test_the_catalogue_reader_sees_wrapped_lines_and_plural_forms():
    po = (
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
        'msgid "a"\nmsgstr ""\n"non affiché "\n": avec"\n\n'
        'msgid "one"\nmsgid_plural "many"\n'
        'msgstr[0] "%(n)s lien ?"\nmsgstr[1] "%(n)s liens\u202f?"\n'
    )
    found = translations(po)
    assert [(t.msgid, t.msgstr, t.line) for t in found] == [
        ("a", "non affiché : avec", 6),
        ("one", "%(n)s lien ?", 12),
        ("one", "%(n)s liens\u202f?", 13),
    ]
    assert [bool(mistakes(t.msgstr)) for t in found] == [True, True, False]


# --- the shipped texts ---------------------------------------------------------------------


def test_every_french_translation_has_the_narrow_no_break_space():
    found = translations(PO.read_text(encoding="utf-8"))
    assert len(found) > 1000
    wrong = [
        f"django.po:{t.line} (msgid {t.msgid[:60]!r}): {mistake}"
        for t in found
        for mistake in mistakes(t.msgstr)
    ]
    assert wrong == [], "\n".join(wrong)


def test_the_open_data_descriptor_labels_have_the_narrow_no_break_space():
    """The package's French labels are typed in Python, not in the catalogue."""
    from barometre.interop.opendata import codes

    labels = [
        french
        for table in (
            codes.DOMAIN_CODES,
            codes.SUPPRESSION_CODES,
            codes.CLASSIFICATION_CODES,
            codes.MEASURE_CODES,
            tuple(codes.CI_METHODS.values()),
        )
        for _, french, _ in table
    ]
    assert "Secret primaire\u202f: repose sur moins d'organismes que le minimum de diffusion" in (
        labels
    )
    assert [(label, mistakes(label)) for label in labels if mistakes(label)] == []


@pytest.mark.django_db
def test_a_label_the_template_puts_before_a_colon_has_the_narrow_space(
    client, client_en, olivia, wave
):
    """The back office's wave page writes "Status:" around its translation, not in it."""
    url = reverse("backoffice:wave", kwargs={"year": 2026})
    french = html.unescape(client.get(url).content.decode())
    assert "État\u202f: <strong data-wave-status>" in french
    client_en.force_login(olivia)
    english = html.unescape(client_en.get(url).content.decode())
    assert "Status: <strong data-wave-status>" in english
