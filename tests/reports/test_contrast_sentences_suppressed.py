"""Suppressed pairs are unknown: the sentence speaks of the shown pairs and counts the others."""

from barometre.contracts.estimates import DomainContrast
from barometre.reports.contrast_sentences import difference_sentence


def _pair(first, second, suppressed, value=None, significant=None):
    return DomainContrast(
        variable="size_class",
        indicator="global",
        first=first,
        second=second,
        suppressed=suppressed,
        value=value,
        se=None if suppressed else 1.0,
        ci_low=None if suppressed else value - 2,
        ci_high=None if suppressed else value + 2,
        df=None if suppressed else 30,
        significant=significant,
    )


def _sentence(rows, language):
    return difference_sentence(rows, "size_class", "By size", lambda x: x, language)


def test_one_significant_pair_and_two_suppressed():
    rows = [
        _pair("<1500", "1500-12000", False, 10.0, True),
        _pair("<1500", ">12000", True),
        _pair("1500-12000", ">12000", True),
    ]
    english = _sentence(rows, "en")
    assert "within the margin of error" not in english
    assert english.endswith("Differences not published (too few organisations in a group): 2.")
    assert "Écarts non publiés (trop peu d'organismes dans un groupe) : 2." in _sentence(rows, "fr")


def test_one_non_significant_pair_and_two_suppressed():
    rows = [
        _pair("<1500", "1500-12000", False, 1.0, False),
        _pair("<1500", ">12000", True),
        _pair("1500-12000", ">12000", True),
    ]
    english = _sentence(rows, "en")
    assert "no published difference" in english
    assert english.endswith(": 2.")
