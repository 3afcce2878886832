"""The sampling structure of a design: strata, primary sampling units (PSUs) and the fpc.

As in R `survey`: PSUs are nested in strata (a PSU label is read within its stratum, like
`nest=TRUE`); the finite population correction is given per row and must be constant within a
stratum; values all >= 1 are population sizes counted in PSUs, values all <= 1 are sampling
fractions. Without `ids` every row is its own PSU.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd

from barometre.errors import StatisticsError
from barometre.stats.arguments import fail

OWNER = "SurveyDesign"
#: What to do with a stratum holding a single PSU that is not a census (R
#: `options(survey.lonely.psu=)`, documented in R `?surveyoptions` and `?svyCprod`): "fail", an
#: error; "certainty", the stratum contributes 0 to the variance (as if sampled with
#: certainty; R "remove" gives the same); "adjust", its PSU total is centred at the mean of
#: the PSU totals over the whole sample ("the population mean rather than the stratum mean")
#: and scaled by its fpc alone; "average", the strata with a variance get the average
#: contribution: their sum times H / (H - lonely strata) (R `onestage`: `nstrat/nokstrat`).
LonelyPsu = Literal["fail", "certainty", "adjust", "average"]
LONELY_PSU: tuple[LonelyPsu, ...] = get_args(LonelyPsu)


@dataclass(frozen=True, eq=False)
class SamplingStructure:
    """Integer codes of the strata and PSUs of every row, and per-stratum sizes.

    strata: stratum code (0..H-1) of each row; psu: PSU code (0..P-1) of each row.
    psu_stratum: stratum code of each PSU; n_psu: PSUs in each stratum (design sample sizes).
    population: population size of each stratum in PSUs (inf without fpc).
    """

    strata: np.ndarray
    psu: np.ndarray
    psu_stratum: np.ndarray
    n_psu: np.ndarray
    population: np.ndarray
    stratum_labels: tuple[object, ...]
    has_strata: bool
    has_clusters: bool
    has_fpc: bool
    lonely_psu: LonelyPsu = "fail"

    @property
    def n_strata(self) -> int:
        return len(self.n_psu)

    @property
    def sampling_fraction(self) -> np.ndarray:
        """n_h / N_h per stratum (0 without fpc)."""
        return self.n_psu / self.population

    def fpc_weights(self) -> np.ndarray:
        """Row weights implied by the fpc, N_h / n_h (R does this when no weights are given)."""
        return (self.population / self.n_psu)[self.strata]

    def degrees_of_freedom(self, rows: np.ndarray | None = None) -> int:
        """PSUs minus strata, counting only PSUs holding at least one of `rows` (a mask)."""
        if rows is None:
            return int(len(self.psu_stratum) - self.n_strata)
        psus = np.unique(self.psu[rows])
        return int(len(psus) - len(np.unique(self.psu_stratum[psus])))

    @property
    def lonely(self) -> np.ndarray:
        """The strata with a single PSU that are not a census (n_h = 1 < N_h)."""
        return (self.n_psu == 1) & (self.sampling_fraction < 1)

    def check_variance_defined(self) -> None:
        """Raise when a stratum not fully enumerated has a single PSU and lonely_psu is
        'fail' (R's default)."""
        lonely = self.lonely
        if lonely.any() and self.lonely_psu == "fail":
            label = self.stratum_labels[int(np.flatnonzero(lonely)[0])]
            raise StatisticsError(
                f"Stratum {label!r} has only one PSU: its variance cannot be estimated. "
                "Merge it with a similar stratum, give it an fpc equal to its sample size, or "
                "choose lonely_psu='certainty', 'adjust' or 'average'."
            )


def build_structure(
    data: pd.DataFrame,
    strata: str | None,
    ids: str | None,
    fpc: str | None,
    lonely_psu: LonelyPsu = "fail",
) -> SamplingStructure:
    """Codes and sizes from the design columns; every check names the column at fault."""
    n = len(data)
    stratum_codes, labels = _codes(data, strata, "strata")
    if ids is None:
        psu_codes = np.arange(n)
    else:
        raw, _ = _codes(data, ids, "ids")
        psu_codes = np.unique(np.column_stack([stratum_codes, raw]), axis=0, return_inverse=True)[
            1
        ].ravel()
    n_psus = int(psu_codes.max()) + 1 if n else 0
    psu_stratum = np.zeros(n_psus, dtype=int)
    psu_stratum[psu_codes] = stratum_codes
    n_psu = np.bincount(psu_stratum, minlength=len(labels)).astype(float)
    population = _population(data, fpc, stratum_codes, labels, n_psu)
    return SamplingStructure(
        strata=stratum_codes,
        psu=psu_codes,
        psu_stratum=psu_stratum,
        n_psu=n_psu,
        population=population,
        stratum_labels=labels,
        has_strata=strata is not None,
        has_clusters=ids is not None,
        has_fpc=fpc is not None,
        lonely_psu=lonely_psu,
    )


def _codes(data: pd.DataFrame, column: str | None, parameter: str):
    if column is None:
        return np.zeros(len(data), dtype=int), ("all",)
    values = data[column]
    if values.isna().any():
        row = int(np.flatnonzero(values.isna().to_numpy())[0])
        fail(
            parameter,
            OWNER,
            f"a column without missing values (column {column!r})",
            f"a missing value at row {row}",
        )
    codes, uniques = pd.factorize(values, sort=True)
    return codes.astype(int), tuple(uniques.tolist())


def _population(data, fpc, stratum_codes, labels, n_psu) -> np.ndarray:
    if fpc is None:
        return np.full(len(labels), np.inf)
    values = pd.to_numeric(data[fpc], errors="coerce").to_numpy(dtype=float)
    if not np.all(np.isfinite(values)) or np.any(values <= 0):
        fail(
            "fpc",
            OWNER,
            f"a column of positive numbers (column {fpc!r})",
            "missing, non-numeric or non-positive values",
        )
    per_stratum = np.full(len(labels), np.nan)
    for code in range(len(labels)):
        distinct = np.unique(values[stratum_codes == code])
        if len(distinct) > 1:
            fail(
                "fpc",
                OWNER,
                f"constant within each stratum (column {fpc!r})",
                f"{distinct.tolist()} in stratum {labels[code]!r}",
            )
        per_stratum[code] = distinct[0]
    is_size = bool(np.any(per_stratum > 1))
    if is_size and np.any(per_stratum < 1):
        fail(
            "fpc",
            OWNER,
            "all population sizes (>= 1) or all sampling fractions (<= 1)",
            per_stratum.tolist(),
        )
    population = per_stratum if is_size else n_psu / per_stratum
    too_small = population < n_psu - 1e-9
    if too_small.any():
        code = int(np.flatnonzero(too_small)[0])
        fail(
            "fpc",
            OWNER,
            "at least the number of sampled PSUs of each stratum (a population size counted "
            "in PSUs, clusters when ids is given)",
            f"{population[code]:g} for stratum {labels[code]!r} which has {n_psu[code]:g} PSUs",
        )
    return population
