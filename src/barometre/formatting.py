"""One way to show a number, for the web pages, the PDFs and the exports' human-readable parts.

Rounding is half away from zero on the decimal value the float stands for (its shortest
`repr`), not on its binary error: 0.125 gives 0.13 and 2.675 gives 2.68, where Python's
`round` and `%.2f` give 0.12 and 2.67. Typography follows the language:

- French: decimal comma, thousands grouped by a narrow no-break space (U+202F), a narrow
  no-break space before `:`, `;`, `!`, `?` and `%` and inside guillemets (`«\u202fx\u202f»`),
  the minus sign − (U+2212); interval `[47,3 ; 52,9]`. The French catalogue's texts follow
  the same rule (tests/web/test_french_typography.py).
- English: decimal point, thousands comma, `%` glued, the minus sign −; interval `[47.3, 52.9]`.

The spaces that must not break are no-break spaces, so that "12 000 logements" or an interval
never breaks across lines on a phone.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from barometre.i18n import Language

#: Narrow no-break space: French thousands separator and space before ; : % ! ?
NNBSP = "\u202f"
#: No-break space: between a number and its unit word ("12 000 logements").
NBSP = "\u00a0"
MINUS = "\u2212"
#: What is shown where there is no figure.
MISSING = "—"

Number = float | int | Decimal


def exact(value: Number) -> Decimal:
    """The decimal value a float stands for (its shortest repr): 0.1 is 0.1, not
    0.1000000000000000055…; scale with it (`exact(0.5785) * 100` is 57.85, where
    `0.5785 * 100` is 57.849999…)."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number to show")
    return value if isinstance(value, Decimal) else Decimal(repr(float(value)))


def rounded(value: Number, places: int = 1) -> Decimal:
    """`value` rounded to `places` decimals, half away from zero on its decimal value."""
    exact_value = exact(value)
    quantum = Decimal(1).scaleb(-places)
    try:
        return exact_value.quantize(quantum, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:  # a value too large for the context's precision
        raise ValueError(f"{value!r} cannot be rounded to {places} places") from exc


def _is_missing(value: Number | None) -> bool:
    if value is None:
        return True
    if isinstance(value, Decimal):
        return not value.is_finite()
    return not math.isfinite(float(value))


def number(value: Number | None, places: int = 1, *, language: Language = "fr") -> str:
    """`value` with `places` decimals in the typography of `language`; "—" when missing."""
    if _is_missing(value):
        return MISSING
    assert value is not None
    figure = rounded(value, places)
    if figure == 0:
        figure = abs(figure)  # no "−0,0"
    sign = MINUS if figure < 0 else ""
    digits = f"{abs(figure):,.{places}f}"  # "12,345.6"
    whole, _, decimals = digits.partition(".")
    if language == "fr":
        whole = whole.replace(",", NNBSP)
        text = f"{whole},{decimals}" if decimals else whole
    else:
        text = f"{whole}.{decimals}" if decimals else whole
    return sign + text


def percent(value: Number | None, places: int = 1, *, language: Language = "fr") -> str:
    """A percentage given in percent (48.6, not 0.486): "48,6 %" / "48.6%"."""
    if _is_missing(value):
        return MISSING
    unit = f"{NNBSP}%" if language == "fr" else "%"
    return number(value, places, language=language) + unit


def share(value: Number | None, places: int = 1, *, language: Language = "fr") -> str:
    """A proportion given as a fraction (0.486) shown as a percentage."""
    if _is_missing(value):
        return MISSING
    assert value is not None
    return percent(exact(value) * 100, places, language=language)


def interval(
    low: Number | None, high: Number | None, places: int = 1, *, language: Language = "fr"
) -> str:
    """A confidence interval: "[47,3 ; 52,9]" / "[47.3, 52.9]"; "—" when a bound is missing."""
    if _is_missing(low) or _is_missing(high):
        return MISSING
    first = number(low, places, language=language)
    second = number(high, places, language=language)
    if language == "fr":
        return f"[{first}{NNBSP};{NBSP}{second}]"
    return f"[{first},{NBSP}{second}]"


def signed(value: Number | None, places: int = 1, *, language: Language = "fr") -> str:
    """A change: "+2,4", "−1,3", "0,0"."""
    text = number(value, places, language=language)
    if value is None or text == MISSING or text.startswith(MINUS) or rounded(value, places) == 0:
        return text
    return "+" + text


def count(value: int | None, *, language: Language = "fr") -> str:
    """A whole number: "12 000" / "12,000"."""
    return number(value, 0, language=language)


def label(text: str, *, language: Language = "fr") -> str:
    """A label introducing a value: "Indice global :" / "Global index:"."""
    return f"{text}{NNBSP}:" if language == "fr" else f"{text}:"


def quantity(value: int | None, unit: str, *, language: Language = "fr") -> str:
    """A count with its unit word, never broken across lines: "12 000 logements"."""
    return f"{count(value, language=language)}{NBSP}{unit}"
