"""The sentence under a breakdown: which groups differ significantly on the global index."""

from __future__ import annotations

from barometre.contracts.estimates import DomainContrast
from barometre.reports.contrast_sentences import difference_sentence


def contrast(first, second, value=None, low=None, high=None, indicator="global"):
    shown = value is not None
    return DomainContrast(
        variable="organisation_type",
        indicator=indicator,
        first=first,
        second=second,
        suppressed=not shown,
        value=value,
        se=1.0 if shown else None,
        ci_low=low,
        ci_high=high,
        df=30.0 if shown else None,
        significant=(low > 0 or high < 0) if shown else None,
    )


ROWS = [
    contrast("OPH", "ESH", 3.5, -4.8, 11.8),  # interval holds 0: not named
    contrast("OPH", "COOP", -19.83, -29.0, -10.6),  # COOP below OPH
    contrast("ESH", "COOP", -23.37, -32.4, -14.3),
    contrast("OPH", "ESH", 9.0, 1.0, 17.0, indicator="dimension:data"),  # not the index
]


def test_names_the_significant_pairs_largest_first():
    text = difference_sentence(ROWS, "organisation_type", "By type", str, "en")
    assert text == (
        "By type: the global index differs significantly at 95% for ESH above COOP by 23.4 "
        "points, OPH above COOP by 19.8 points; the other differences are within the margin "
        "of error."
    )


def test_french_first():
    text = difference_sentence(ROWS, "organisation_type", "Par type", str, "fr")
    assert text.startswith("Par type\u202f: l'indice global diffère significativement à 95\u202f%")
    assert "ESH au-dessus de COOP de 23,4 points" in text


def test_nothing_significant_and_nothing_published():
    quiet = [contrast("OPH", "ESH", 3.5, -4.8, 11.8)]
    assert difference_sentence(quiet, "organisation_type", "By type", str, "en") == (
        "By type: no difference of the global index between two groups is significant at 95%."
    )
    hidden = [contrast("OPH", "ESH")]
    assert "not published" in difference_sentence(hidden, "organisation_type", "By type", str, "en")
    # a file written before the contrasts: no sentence at all
    assert difference_sentence([], "organisation_type", "By type", str, "en") == ""
