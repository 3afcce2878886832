"""The PDF of the questions (issue 12 §4): every question of the built-in questionnaire,
numbered and grouped by dimension, with its options and their scores and the roles it is asked
to; a tagged PDF (PDF/UA-1) in French and a complete English one without a French label."""

from __future__ import annotations

import re
import shutil
import subprocess

import pypdfium2
import pytest

from barometre.questionnaire import load_questionnaire
from barometre.reports.questionnaire_pdf import (
    TEXTS,
    build_questionnaire_document,
    questionnaire_pdf_bytes,
    write_questionnaire_pdf,
)
from tests.helpers import tiny_questionnaire

pytestmark = pytest.mark.skipif(
    shutil.which("pdfinfo") is None, reason="the PDF checks need poppler-utils (pdfinfo)"
)

HLM = load_questionnaire("hlm-2026")


def words(text: str) -> str:
    """Every run of spaces (no-break ones too) as one space."""
    return " ".join(text.split())


def pdf_text(content: bytes) -> str:
    """The PDF's text; pdfium marks a hyphen where a line breaks (e-|mail) as U+FFFE."""
    document = pypdfium2.PdfDocument(content)
    text = " ".join(page.get_textpage().get_text_range() for page in document)
    return words(re.sub("\ufffe\\s*", "-", text))


@pytest.fixture(scope="module")
def french(tmp_path_factory):
    path = write_questionnaire_pdf(HLM, tmp_path_factory.mktemp("fr") / "questions.pdf", "fr")
    return path, pdf_text(path.read_bytes())


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    path = tmp_path_factory.mktemp("en") / "questions.pdf"
    path.write_bytes(questionnaire_pdf_bytes(HLM, "en"))
    return path, pdf_text(path.read_bytes())


def pdf_info(path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return {
        key.strip(): value.strip()
        for key, _, value in (line.partition(":") for line in out.stdout.splitlines())
    }


def test_both_pdfs_are_tagged_with_their_title(french, english):
    for (path, _text), title in (
        (french, "Baromètre de la maturité numérique des organismes HLM 2026 — Les questions"),
        (english, "Digital maturity barometer of French social landlords 2026 — The questions"),
    ):
        info = pdf_info(path)
        assert info["Tagged"] == "yes"
        assert info["Title"].startswith(title)


def test_every_question_option_and_role_is_printed(french, english):
    for (_path, text), language in ((french, "fr"), (english, "en")):
        for item in HLM.items:
            assert words(item.label.get(language)) in text, item.id
            for option in item.options:
                assert words(option.label.get(language)) in text, (item.id, option.code)
            for row in item.rows:
                assert words(row.label.get(language)) in text, (item.id, row.id)
        for role in HLM.roles:
            assert words(role.label.get(language)) in text


def test_questions_are_numbered_in_order_within_their_dimensions(french):
    _path, text = french
    document = build_questionnaire_document(HLM, "fr")
    numbers = [q.number for s in document.sections for q in s.questions]
    assert numbers == list(range(1, len(HLM.items) + 1))  # 71 questions, each once
    assert [s.id for s in document.sections] == [d.id for d in HLM.dimensions] + ["context"]
    for section in document.sections:
        dimension = [q.dimension for q in section.questions]
        if section.id != "context":
            assert set(dimension) == {HLM.dimension(section.id).label.fr}
    # in the PDF, question 1 comes after its dimension's heading and before question 2
    first, second = (q for q in document.sections[0].questions[:2])
    at = text.index(f"1. {words(first.label)}")
    assert text.index(document.sections[0].title) < at < text.index(f"2. {words(second.label)}")


def test_the_english_pdf_has_no_french_label(english):
    _path, text = english
    french = set()
    for item in HLM.items:
        texts = [item.label, item.help, *(o.label for o in item.options)]
        texts += [r.label for r in item.rows]
        french |= {t.fr for t in texts if t is not None and t.en and t.fr != t.en}
    french |= {r.label.fr for r in HLM.roles} | {d.label.fr for d in HLM.dimensions}
    french |= {lv.label.fr for lv in HLM.methodology.status_ladder}
    found = [f for f in french if re.search(rf"(?<!\w){re.escape(words(f))}(?!\w)", text)]
    assert found == []
    for mine in ("Posée à", "Réponse", "Type de réponse", "Sommaire", "Échelle de déploiement"):
        assert mine not in text


def test_scores_are_printed_as_worked_by_hand():
    """The small test questionnaire (tests/helpers.py): a_scale has five levels scored
    linearly 0, 25, 50, 75, 100; a_single x 0, y 30, z 100; in a_multi p weighs 2 and
    "aucune" stands alone worth 0; a_pct 10 % or worse gives 0 and 60 % or better 100."""
    document = build_questionnaire_document(tiny_questionnaire(), "fr")
    questions = {q.id: q for s in document.sections for q in s.questions}
    assert [o.score for o in questions["a_scale"].options] == ["0", "25", "50", "75", "100"]
    assert [o.score for o in questions["a_single"].options] == ["0", "30", "100"]
    assert [o.score for o in questions["a_multi"].options] == ["×2", "×1", "×1", "seule\u202f: 0"]
    assert "Score\u202f: 10\u202f% ou moins bien donne 0, 60\u202f% ou mieux donne 100" in " ".join(
        questions["a_pct"].rules
    )
    assert [(r.label, r.weight) for r in questions["a_status"].rows] == [("r1", "1"), ("r2", "3")]
    assert questions["a_status"].options == ()  # the ladder is printed instead


def test_every_text_of_the_pdf_has_its_french():
    from barometre.i18n import translation

    translate = translation("fr")
    untranslated = [t for t in TEXTS.values() if translate(t) == t]
    # the same words in French
    assert sorted(untranslated) == ["Code", "Dimension", "Score", "{count} questions"]
