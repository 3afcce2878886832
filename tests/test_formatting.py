"""One way to show a number: rounding and typography, checked against values rounded by hand."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from barometre import formatting as f

NNBSP, NBSP, MINUS = "\u202f", "\u00a0", "\u2212"


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        # .x5 cases: the decimal value is exactly half way, away from zero wins.
        (0.125, 2, "0,13"),  # binary 0.125 is exact; round() gives 0.12 (half to even)
        (2.675, 2, "2,68"),  # binary 2.67499999…; the decimal value 2.675 rounds up
        (52.85, 1, "52,9"),  # binary 52.850000000000001…; %.1f happens to agree
        (47.25, 1, "47,3"),  # round(47.25, 1) gives 47.2 (half to even)
        (0.05, 1, "0,1"),
        (1.005, 2, "1,01"),  # binary 1.00499999…; '%.2f' gives 1.00
        (-3.25, 1, f"{MINUS}3,3"),  # away from zero for negatives too
        (-0.04, 1, "0,0"),  # never "−0,0"
        (50.049, 1, "50,0"),
        (99.95, 1, "100,0"),
        (12000, 0, f"12{NNBSP}000"),
        (1234567.891, 1, f"1{NNBSP}234{NNBSP}567,9"),
        (Decimal("2.5"), 0, "3"),
    ],
)
def test_it_rounds_half_away_from_zero_in_french(value, places, expected):
    assert f.number(value, places, language="fr") == expected


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (2.675, 2, "2.68"),
        (-3.25, 1, f"{MINUS}3.3"),
        (12000, 0, "12,000"),
        (1234567.891, 1, "1,234,567.9"),
    ],
)
def test_it_writes_english_typography_in_english(value, places, expected):
    assert f.number(value, places, language="en") == expected


def test_it_writes_percentages_and_intervals_in_each_language():
    assert f.percent(48.65, language="fr") == f"48,7{NNBSP}%"
    assert f.percent(48.65, language="en") == "48.7%"
    assert f.share(0.4865, language="fr") == f"48,7{NNBSP}%"  # 48.65 % exactly, not 48.6499…
    assert f.interval(47.25, 52.85, language="fr") == f"[47,3{NNBSP};{NBSP}52,9]"
    assert f.interval(47.25, 52.85, language="en") == f"[47.3,{NBSP}52.9]"
    assert f.interval(-1.25, 0.35, language="en") == f"[{MINUS}1.3,{NBSP}0.4]"


def test_it_signs_changes_and_labels_values():
    assert f.signed(2.35, language="fr") == "+2,4"
    assert f.signed(-1.25, language="fr") == f"{MINUS}1,3"
    assert f.signed(0.04, language="fr") == "0,0"
    assert f.label("Indice global", language="fr") == f"Indice global{NNBSP}:"
    assert f.label("Global index", language="en") == "Global index:"
    assert f.quantity(12000, "logements", language="fr") == f"12{NNBSP}000{NBSP}logements"


@pytest.mark.parametrize("missing", [None, float("nan"), float("inf"), Decimal("NaN")])
def test_a_missing_figure_reads_a_dash(missing):
    assert f.number(missing) == "—"
    assert f.interval(missing, 3.0) == "—"
    assert f.percent(missing) == "—"


def test_a_boolean_is_refused():
    with pytest.raises(TypeError):
        f.number(True)


@given(st.decimals(min_value=-(10**6), max_value=10**6, places=3, allow_nan=False))
def test_the_shown_value_is_within_half_a_unit_of_the_value(value):
    shown = f.number(value, 1, language="en").replace(MINUS, "-").replace(",", "")
    assert abs(Decimal(shown) - value) <= Decimal("0.05")


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_french_and_english_show_the_same_digits(value):
    french = f.number(value, 2, language="fr").replace(NNBSP, "").replace(",", ".")
    english = f.number(value, 2, language="en").replace(",", "")
    assert french == english


def test_a_share_is_scaled_on_its_decimal_value():
    # 0.5785 * 100 is 57.849999999999994 in binary: the page must read 57.9, as 57.85 rounds.
    assert f.share(0.5785, language="en") == "57.9%"
    assert f.exact(0.5785) * 100 == Decimal("57.85")
