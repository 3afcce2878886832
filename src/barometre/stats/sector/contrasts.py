"""Pairwise differences between the organisation types and between the size classes (the global
index and each dimension), with the covariance of the two domain means of the one design (R
`svycontrast` of `svyby(~y, ~organisation_type, design, svymean, covmat=TRUE)`).

A difference is published only when both domain figures are: the difference of two published
figures discloses nothing the reader could not compute (its standard error uses the covariance,
which needs the design, but says nothing about an organisation). When either figure is
suppressed (primary or complementary), the difference is suppressed too, with no number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

from barometre.contracts import estimates as contract
from barometre.errors import StatisticsError
from barometre.stats.design import SurveyDesign
from barometre.stats.sector.inputs import ORGANISATION_TYPES, SIZE_CLASSES

ContrastVariable = Literal["organisation_type", "size_class"]
#: The breakdowns whose domains are compared two by two, in the vocabulary's order.
COMPARED: dict[ContrastVariable, tuple[str, ...]] = {
    "organisation_type": tuple(ORGANISATION_TYPES),
    "size_class": tuple(SIZE_CLASSES),
}


@dataclass(frozen=True)
class SectorContrast:
    """second minus first for one indicator of one breakdown."""

    variable: ContrastVariable
    indicator: str
    first: str
    second: str
    suppressed: bool
    value: float | None = None
    se: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    df: float | None = None
    significant: bool | None = None

    def record(self) -> contract.DomainContrast:
        return contract.DomainContrast(**self.__dict__)


def domain_contrasts(
    design: SurveyDesign,
    dimensions: Sequence[str],
    published: Mapping[tuple[str, str, str], bool],
) -> tuple[SectorContrast, ...]:
    """Every pair of levels of each compared breakdown present in `published`, a mapping
    (variable, level, indicator) -> whether that figure is published."""
    contrasts: list[SectorContrast] = []
    indicators = ["global", *(f"dimension:{d}" for d in dimensions)]
    for variable, levels in COMPARED.items():
        present = [lv for lv in levels if (variable, lv, "global") in published]
        for indicator in indicators:
            column = indicator.split(":", 1)[1] if ":" in indicator else indicator
            shown = [lv for lv in present if published.get((variable, lv, indicator), False)]
            estimates = None
            if len(shown) >= 2:
                try:
                    estimates = design.mean_by(column, variable, covmat=True)
                except StatisticsError:
                    estimates = None
            for first, second in combinations(present, 2):
                usable = (
                    estimates is not None
                    and first in shown
                    and second in shown
                    and first in estimates
                    and second in estimates
                )
                if estimates is None or not usable:
                    contrasts.append(SectorContrast(variable, indicator, first, second, True))
                    continue
                difference = design.difference(estimates, first, second)
                contrasts.append(
                    SectorContrast(
                        variable,
                        indicator,
                        first,
                        second,
                        False,
                        value=difference.value,
                        se=difference.se,
                        ci_low=difference.ci_low,
                        ci_high=difference.ci_high,
                        df=difference.df,
                        significant=difference.significant,
                    )
                )
    return tuple(contrasts)
