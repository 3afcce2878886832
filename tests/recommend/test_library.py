"""The library of sheets in both languages: a French body, the line `<!-- en -->`, an English
body, and `{fr, en}` for every text of the front matter (small sheets written in tmp_path)."""

from __future__ import annotations

from pathlib import Path

import pytest

from barometre.errors import Problem
from barometre.questionnaire import load_questionnaire
from barometre.recommend import load_library
from barometre.recommend.library import (
    ENGLISH_SECTIONS,
    SECTIONS,
    LibraryError,
    builtin_library_path,
    read_sheet,
    split_body,
)

FRENCH = """## Le problème
Le texte français.
## Que faire
1. Agir.
## Écueils
- Un écueil.
## Effort et coût
Moyen.
## Mesurer le succès
Un indicateur monte."""

ENGLISH = """## The problem
The English text.
## What to do
1. Act.
## Pitfalls
- A pitfall.
## Effort and cost
Medium.
## Measuring success
An indicator goes up."""

REFERENCE_EN = (
    "Référentiel général d'amélioration de l'accessibilité (RGAA, the French accessibility "
    "standard)"
)
FRONT = f"""---
id: essai
title:
  fr: Titre
  en: Title
summary:
  fr: Résumé
  en: Summary
dimensions: [A]
triggers:
  - item: a_scale
    below: 60
effort: M
impact: 2
families: [prudent]
indicators:
  - fr: Taux de conformité
    en: Conformance rate
  - fr: Date de publication
    en: Publication date
references:
  - fr: Référentiel général d'amélioration de l'accessibilité (RGAA)
    en: {REFERENCE_EN}
---
"""

BILINGUAL = f"{FRONT}\n{FRENCH}\n\n<!-- en -->\n\n{ENGLISH}\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "essai.md"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str) -> list[Problem]:
    write(tmp_path, text)
    with pytest.raises(LibraryError) as caught:
        load_library(tmp_path)
    return list(caught.value.problems)


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


def test_a_bilingual_sheet_loads_with_each_language_apart(tmp_path):
    [sheet] = load_library(write(tmp_path, BILINGUAL).parent).sheets
    assert sheet.body.fr == FRENCH
    assert sheet.body.en == ENGLISH
    assert sheet.body.get("en") == ENGLISH and sheet.body.get("fr") == FRENCH
    assert [i.get("en") for i in sheet.indicators] == ["Conformance rate", "Publication date"]
    assert [i.get("fr") for i in sheet.indicators] == ["Taux de conformité", "Date de publication"]
    assert sheet.references[0].en.endswith("(RGAA, the French accessibility standard)")


def test_the_marker_is_a_line_of_its_own():
    # in the middle of a line it is text, not the line between the languages
    assert split_body("a <!-- en --> b") == ("a <!-- en --> b", None)
    assert split_body("fr\n<!-- en -->\nen\n") == ("fr", "en")
    assert split_body("fr\n<!-- en -->\n\n") == ("fr", None)


def test_a_sheet_without_english_body_is_refused_naming_its_file(tmp_path):
    found = problems_of(tmp_path, f"{FRONT}\n{FRENCH}\n")
    assert codes(found) == ["no_english_body"]
    assert found[0].location.endswith("essai.md")
    assert "<!-- en -->" in found[0].message


def test_a_marker_with_nothing_after_it_is_no_english_body(tmp_path):
    assert codes(problems_of(tmp_path, f"{FRONT}\n{FRENCH}\n<!-- en -->\n\n")) == [
        "no_english_body"
    ]


def test_an_english_body_without_a_section_names_the_missing_sections(tmp_path):
    text = BILINGUAL.replace("## Pitfalls", "## Traps").replace("## Measuring success", "## End")
    [found] = problems_of(tmp_path, text)
    assert found.code == "missing_english_section"
    assert "## Pitfalls, ## Measuring success" in found.message
    assert "## The problem" not in found.message


def test_french_sections_are_looked_for_in_the_french_body_only(tmp_path):
    # the French heading moved after the marker does not count for the French body
    text = BILINGUAL.replace("## Écueils\n- Un écueil.\n", "").replace(
        "<!-- en -->\n", "<!-- en -->\n## Écueils\n"
    )
    [found] = problems_of(tmp_path, text)
    assert found.code == "missing_section"
    assert "## Écueils" in found.message


def test_an_english_heading_in_the_french_body_is_not_an_english_section(tmp_path):
    text = f"{FRONT}\n{FRENCH}\n{ENGLISH}\n<!-- en -->\nOnly a line of English.\n"
    [found] = problems_of(tmp_path, text)
    assert found.code == "missing_english_section"
    assert found.message.count("## ") == 5


@pytest.mark.parametrize(
    ("change", "field"),
    [
        # a plain string, as the sheets were written in French only
        (
            lambda t: t.replace("  - fr: Taux de conformité\n    en: Conformance rate", "  - Taux"),
            "indicators[0]",
        ),
        (lambda t: t.replace("    en: Publication date\n", ""), "indicators[1]"),
        (lambda t: t.replace(f"    en: {REFERENCE_EN}", "    en: ''"), "references[0]"),
        (lambda t: t.replace("  en: Title\n", ""), "title"),
        (lambda t: t.replace("  en: Summary\n", ""), "summary"),
    ],
)
def test_a_text_without_english_is_refused_naming_its_field(tmp_path, change, field):
    text = change(BILINGUAL)
    assert text != BILINGUAL
    [found] = problems_of(tmp_path, text)
    assert found.code == "missing_translation"
    assert found.message.startswith(f"{field}:")
    assert found.location.endswith("essai.md")


def test_every_missing_english_is_reported_at_once(tmp_path):
    text = f"{FRONT}\n{FRENCH}\n".replace("    en: Conformance rate\n", "")
    assert codes(problems_of(tmp_path, text)) == ["no_english_body", "missing_translation"]


def test_the_sections_are_the_same_five_in_each_language():
    assert len(SECTIONS) == len(ENGLISH_SECTIONS) == 5
    assert SECTIONS[3] == ENGLISH_SECTIONS[3] == "## Effort"


# --- the built-in library: these pass only once all 49 sheets have their English ---------


BUILTIN = sorted(builtin_library_path().glob("*.md"))


def test_the_builtin_library_has_its_49_sheets():
    assert len(BUILTIN) == 49


@pytest.mark.parametrize("path", BUILTIN, ids=[p.stem for p in BUILTIN])
def test_each_builtin_sheet_has_both_languages(path):
    problems: list[Problem] = []
    sheet = read_sheet(path, problems)
    assert problems == []
    assert sheet is not None and sheet.body.en is not None
    # the English body is not the French one left after the marker
    assert not any(section in sheet.body.en for section in SECTIONS if section != "## Effort")
    assert all(text.en for text in [*sheet.indicators, *sheet.references])


def test_the_builtin_library_loads_with_no_problem():
    library = load_library(None, load_questionnaire("hlm-2026"))
    assert len(library.sheets) == 49
