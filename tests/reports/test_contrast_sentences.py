"""The sentence under a breakdown: which groups differ significantly on the global index."""

from __future__ import annotations

from itertools import pairwise

import pytest

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
    # |-23.37| > |-19.83|: ESH - COOP first; both negative, so the first group is ahead
    assert text == (
        "By type: on the global index, with 95% confidence, the social housing companies (ESH) "
        "are ahead of the HLM cooperatives (COOP) by 23.4 points and the public housing "
        "offices (OPH) are ahead of the HLM cooperatives (COOP) by 19.8 points; the other "
        "differences are within the margin of error."
    )


def test_french_first():
    text = difference_sentence(ROWS, "organisation_type", "Par type", str, "fr")
    assert text == (
        "Par type\u202f: sur l'indice global, avec une confiance de 95\u202f%, les entreprises "
        "sociales pour l'habitat (ESH) devancent les coopératives HLM (COOP) de 23,4 points et "
        "les offices publics de l'habitat (OPH) devancent les coopératives HLM (COOP) de "
        "19,8 points\u202f; les autres écarts sont dans la marge d'erreur."
    )


def test_nothing_significant_and_nothing_published():
    quiet = [contrast("OPH", "ESH", 3.5, -4.8, 11.8)]
    assert difference_sentence(quiet, "organisation_type", "By type", str, "en") == (
        "By type: no difference of the global index between two groups is significant at 95%."
    )
    hidden = [contrast("OPH", "ESH")]
    assert "not published" in difference_sentence(hidden, "organisation_type", "By type", str, "en")
    # a file written before the contrasts: no sentence at all
    assert difference_sentence([], "organisation_type", "By type", str, "en") == ""


# --- every pair of every breakdown reads naturally --------------------------------------------

#: How each group reads in the sentence, written here by hand (not taken from the module).
NAMES = {
    ("organisation_type", "OPH"): (
        "the public housing offices (OPH)",
        "les offices publics de l'habitat (OPH)",
    ),
    ("organisation_type", "ESH"): (
        "the social housing companies (ESH)",
        "les entreprises sociales pour l'habitat (ESH)",
    ),
    ("organisation_type", "COOP"): ("the HLM cooperatives (COOP)", "les coopératives HLM (COOP)"),
    ("organisation_type", "SEM"): (
        "the mixed-economy companies (SEM)",
        "les sociétés d'économie mixte (SEM)",
    ),
    ("size_class", "<1500"): (
        "the organisations with fewer than 1,500 dwellings",
        "les organismes de moins de 1\u202f500\u00a0logements",
    ),
    ("size_class", "1500-12000"): (
        "the organisations with 1,500 to 12,000 dwellings",
        "les organismes de 1\u202f500 à 12\u202f000\u00a0logements",
    ),
    ("size_class", ">12000"): (
        "the organisations with more than 12,000 dwellings",
        "les organismes de plus de 12\u202f000\u00a0logements",
    ),
}
PAIRS = [
    (variable, first, second)
    for variable in ("organisation_type", "size_class")
    for i, (v1, first) in enumerate(NAMES)
    if v1 == variable
    for v2, second in list(NAMES)[i + 1 :]
    if v2 == variable
]


def test_the_pairs_are_every_pair():
    assert len(PAIRS) == 6 + 3  # C(4, 2) types, C(3, 2) size classes


@pytest.mark.parametrize(("variable", "first", "second"), PAIRS)
def test_every_pair_reads_naturally_in_both_languages(variable, first, second):
    # second - first = -12.25: the first group is ahead by 12.25, shown 12.3 (12,3)
    rows = [
        DomainContrast(
            variable=variable,
            indicator="global",
            first=first,
            second=second,
            suppressed=False,
            value=-12.25,
            se=2.0,
            ci_low=-16.2,
            ci_high=-8.3,
            df=40.0,
            significant=True,
        )
    ]
    (en_first, fr_first), (en_second, fr_second) = NAMES[variable, first], NAMES[variable, second]
    english = difference_sentence(rows, variable, "By group", str, "en")
    assert english == (
        f"By group: on the global index, with 95% confidence, {en_first} are ahead of "
        f"{en_second} by 12.3 points."
    )
    french = difference_sentence(rows, variable, "Par groupe", str, "fr")
    assert french == (
        f"Par groupe\u202f: sur l'indice global, avec une confiance de 95\u202f%, {fr_first} "
        f"devancent {fr_second} de 12,3 points."
    )
    for text in (english, french):
        words = text.split()
        assert not any(a == b for a, b in pairwise(words)), text  # "de de"


def test_an_unknown_group_is_named_by_the_caller():
    rows = [contrast("OPH", "XYZ", 5.0, 1.0, 9.0)]
    text = difference_sentence(rows, "organisation_type", "By type", lambda c: f"<{c}>", "en")
    assert "<XYZ> are ahead of the public housing offices (OPH) by 5.0 points" in text
