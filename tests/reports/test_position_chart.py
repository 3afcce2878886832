"""The organisation's position among the responding organisations: the percentile of its global
index (ties count half) and its strip chart."""

from __future__ import annotations

import pytest

from barometre.reports.position_chart import position_among, position_chart


def test_the_percentile_counts_the_organisations_below_and_half_the_ties():
    # others 10, 20, 50, 70, 90: two below 50, one equal → (2 + 0.5) / 5 = 50 %
    position = position_among(50.0, [10.0, 20.0, 50.0, 70.0, 90.0])
    assert position.percentile == pytest.approx(50.0)
    assert position.others == 5


@pytest.mark.parametrize(
    ("own", "expected"),
    [
        (5.0, 0.0),  # below every other
        (95.0, 100.0),  # above every other
        (60.0, 60.0),  # above 10, 20, 50: 3 / 5
        (20.0, 30.0),  # above 10, equal to 20: (1 + 0.5) / 5
    ],
)
def test_the_percentile_at_the_ends_and_between(own, expected):
    assert position_among(own, [10.0, 20.0, 50.0, 70.0, 90.0]).percentile == pytest.approx(expected)


def test_a_position_needs_another_organisation():
    with pytest.raises(ValueError):
        position_among(50.0, [])


def test_the_chart_is_an_svg_with_the_marker_label_and_no_other_organisations_score():
    svg = position_chart(
        position_among(62.5, [10.0, 33.3, 71.0, 88.0]),
        marker_label="Office Alpha",
        lowest_label="plus bas",
        highest_label="plus haut",
    )
    assert svg.startswith("<svg")
    assert "Office Alpha" in svg and "plus bas" in svg and "plus haut" in svg
    for score in ("33.3", "71", "88"):  # the others' indices are never drawn as text
        assert f">{score}<" not in svg
    # byte-identical from one run to the next, as the other charts
    again = position_chart(
        position_among(62.5, [10.0, 33.3, 71.0, 88.0]),
        marker_label="Office Alpha",
        lowest_label="plus bas",
        highest_label="plus haut",
    )
    assert svg == again
