"""The sector charts: accessible, deterministic SVG in the reader's language, suppressed
figures drawn as such, and the change's significance said in words (issue 11)."""

from __future__ import annotations

import re

from barometre.contracts.change import Difference
from barometre.contracts.estimates import Figure
from barometre.reports.sector_charts import (
    TILES,
    ChangeRow,
    Point,
    Series,
    change_caveat,
    change_chart,
    change_sentences,
    grouped_interval_chart,
    interval_chart,
    region_tile_map,
    share_chart,
)

NNBSP = "\u202f"
NBSP = "\u00a0"

POINTS = [
    Point("Stratégie", 52.3, 48.1, 56.0, 40),
    Point("Données", 41.0, 36.2, 45.5, 38),
    Point("Cyber", None, None, None, None, "primary"),
    Point("RH", None, None, None, 12, "complementary"),
]


def opening(svg: str) -> str:
    return svg[: svg.index(">") + 1]


def test_a_point_from_a_figure_keeps_its_n_and_why_it_is_hidden():
    shown = Point.of("x", Figure(suppressed=False, value=50.0, ci_low=45.0, ci_high=55.0, n=30))
    assert (shown.value, shown.low, shown.high, shown.n, shown.shown) == (
        50.0,
        45.0,
        55.0,
        30,
        True,
    )
    hidden = Point.of("x", Figure(suppressed=True, suppression="complementary", n=12))
    assert not hidden.shown and hidden.suppression == "complementary" and hidden.n == 12
    # files written before complementary suppression have no kind: their suppressions are primary
    assert Point.of("x", Figure(suppressed=True)).suppression == "primary"
    assert Point.of("x", None).suppression == "primary"
    change = Point.of("x", Difference(suppressed=False, value=1.5, ci_low=-0.5, ci_high=3.5, n=20))
    assert change.shown and change.n == 20


def test_every_chart_is_accessible_and_deterministic():
    made = [
        interval_chart(POINTS, "fr", title="Score par dimension", minimum=5),
        share_chart(
            [Point("Faible", 0.45, 0.38, 0.52, 40), Point("Avancée", None, None, None, None)],
            "fr",
            title="Niveaux",
            minimum=5,
        ),
        grouped_interval_chart(
            [p.label for p in POINTS],
            [Series("OPH", tuple(POINTS)), Series("ESH", tuple(POINTS[::-1]))],
            "fr",
            title="Par type",
            minimum=5,
        ),
        change_chart(
            [ChangeRow("Indice global", POINTS[0], POINTS[2])], "fr", title="Évolution", minimum=5
        ),
        region_tile_map({"11": POINTS[0]}, "fr", title="Régions", minimum=5),
    ]
    for svg in made:
        head = opening(svg)
        assert svg.startswith("<svg ") and 'role="img"' in head and 'aria-label="' in head
        assert "<title>" in svg and "<desc>" in svg
    again = interval_chart(POINTS, "fr", title="Score par dimension", minimum=5)
    assert again == made[0]


def test_the_text_alternative_names_every_figure_in_the_language():
    svg = interval_chart(POINTS, "fr", title="Score par dimension", minimum=5)
    desc = re.search(r"<desc>(.*?)</desc>", svg, re.S).group(1)
    # 52.3 [48.1; 56.0] in French typography, with the figure's own n
    assert f"Stratégie{NNBSP}: 52,3 [48,1{NNBSP};{NBSP}56,0] (n = 40)" in desc
    assert f"Cyber{NNBSP}: n &lt; 5" in desc
    assert f"RH{NNBSP}: masqué" in desc
    english = interval_chart(POINTS, "en", title="Score by dimension", minimum=5)
    desc = re.search(r"<desc>(.*?)</desc>", english, re.S).group(1)
    assert f"Stratégie: 52.3 [48.1,{NBSP}56.0] (n = 40)" in desc and "RH: hidden" in desc


def test_shares_are_described_in_percent():
    svg = share_chart([Point("Faible", 0.4385, 0.38, 0.52, 40)], "en", title="Levels", minimum=5)
    desc = re.search(r"<desc>(.*?)</desc>", svg, re.S).group(1)
    # 0.4385 is 43.85 %, rounded half away from zero: 43.9
    assert f"Faible: 43.9 [38.0,{NBSP}52.0] (n = 40)" in desc


def test_suppressed_figures_are_drawn_as_such_never_as_a_number():
    svg = interval_chart(POINTS, "en", title="t", minimum=5)
    assert "n &lt; 5" in svg.split("</desc>")[1]  # in the drawing, not only in the description
    assert "hidden" in svg.split("</desc>")[1]


def test_a_change_is_significant_only_when_its_interval_misses_zero():
    rows = [
        ChangeRow(
            "Global index",
            Point("", 1.2, -0.4, 2.8, 40),  # crosses 0
            Point("", 2.0, 0.6, 3.4, 30),  # above 0
        ),
        ChangeRow(
            "Data",
            Point("", -3.0, -5.0, -1.0, 40),  # below 0
            Point("", None, None, None, None, "complementary"),
        ),
    ]
    first, second = change_sentences(rows, "en", minimum=5)
    assert first == (
        f"Global index: the sector change (+1.2 [−0.4,{NBSP}2.8]) is within the margin of error "
        "(not significant at 95%); the panel change (+2.0 [0.6,"
        f"{NBSP}3.4]) is significant at 95%: the organisations that answered both waves progressed."
    )
    assert second == (
        f"Data: the sector change (−3.0 [−5.0,{NBSP}−1.0]) is significant at 95%: the sector "
        "regressed; the panel change is not published."
    )
    (french,) = change_sentences(rows[:1], "fr", minimum=5)
    assert french.startswith(f"Global index{NNBSP}: la variation du secteur (+1,2 [−0,4{NNBSP};")
    assert (
        f"marge d'erreur (non significative à 95{NNBSP}%){NNBSP}; la variation du panel" in french
    )
    assert f"significative à 95{NNBSP}%{NNBSP}: les organismes" in french


def test_the_change_chart_s_description_ends_with_one_multiple_comparisons_caveat():
    # two indicators, each with two tests: the caveat is said once, after every sentence
    rows = [
        ChangeRow("Global index", Point("", 1.2, -0.4, 2.8, 40), Point("", 2.0, 0.6, 3.4, 30)),
        ChangeRow("Data", Point("", -3.0, -5.0, -1.0, 40), Point("", 0.5, -1.0, 2.0, 30)),
    ]
    caveats = {
        "en": "Each change is tested on its own, without correction for multiple comparisons: "
        "among many indicators, a change can come out significant by chance.",
        "fr": "Chaque variation est testée isolément, sans correction pour comparaisons "
        f"multiples{NNBSP}: parmi de nombreux indicateurs, une variation peut ressortir "
        "significative par hasard.",
    }
    for language, caveat in caveats.items():
        assert change_caveat(language) == caveat
        svg = change_chart(rows, language, title="t", minimum=5)
        desc = re.search(r"<desc>(.*?)</desc>", svg, re.S).group(1)
        sentences = " ".join(change_sentences(rows, language, minimum=5))
        assert desc == f"{sentences} {caveat}".replace("'", "&#x27;")


def test_an_interval_touching_zero_is_not_significant():
    (sentence,) = change_sentences(
        [ChangeRow("x", Point("", 1.0, 0.0, 2.0, 9), Point("", -1.0, -2.0, 0.0, 9))],
        "en",
        minimum=5,
    )
    assert sentence.count("within the margin of error") == 2


def test_the_tile_map_has_the_eighteen_regions_and_a_legend():
    assert len(TILES) == 18
    assert len(set(TILES.values())) == 18  # no two tiles on the same place
    svg = region_tile_map(
        {
            "11": Point("Île-de-France", 55.0, 50.0, 60.0, 20),
            "94": Point("Corse", None, None, None, None, "primary"),
            "32": Point("Hauts-de-France", None, None, None, 9, "complementary"),
        },
        "fr",
        title="Indice global par région",
        minimum=5,
    )
    drawing = svg.split("</desc>")[1]
    assert "Outre-mer" in drawing and "Mayotte" in drawing and "Guadeloupe" in drawing
    assert "55,0" in drawing and "n &lt; 5" in drawing and "masqué" in drawing
    assert "Indice global" in drawing  # the colour scale's name
    desc = re.search(r"<desc>(.*?)</desc>", svg, re.S).group(1)
    assert f"Île-de-France{NNBSP}: 55,0" in desc and f"Corse{NNBSP}: n &lt; 5" in desc


def test_two_charts_in_one_page_never_share_an_id():
    first = interval_chart(POINTS, "fr", title="a", minimum=5)
    second = share_chart([Point("Faible", 0.4, 0.3, 0.5, 40)], "fr", title="b", minimum=5)
    ids = [set(re.findall(r'\bid="([^"]+)"', svg)) for svg in (first, second)]
    assert ids[0] and ids[1] and not ids[0] & ids[1]
    # every reference points to an id of its own chart
    for svg, own in zip((first, second), ids, strict=True):
        for target in re.findall(r'(?:url\(#|href="#)([^")]+)', svg):
            assert target in own
