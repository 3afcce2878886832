"""Result types of the estimation API: an estimate always carries its uncertainty.

`Estimate` is what `SurveyDesign.mean`, `total`, `share` and `quantile` return; their `_by`
versions (`mean_by`...) return `DomainEstimates`, a read-only mapping from domain key to
`Estimate`.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal, get_args

Statistic = Literal["mean", "total", "share", "quantile"]
#: The reference of a design effect: simple random sampling without or with replacement.
DeffReference = Literal["wor", "wr"]
DEFF_REFERENCES: tuple[DeffReference, ...] = get_args(DeffReference)
#: The confidence interval of a share: logit, Korn-Graubard (R "beta") or Wald (Student).
ShareMethod = Literal["logit", "korn-graubard", "wald"]
SHARE_METHODS: tuple[ShareMethod, ...] = get_args(ShareMethod)


@dataclass(frozen=True)
class Estimate:
    """A design-based estimate with its standard error and 95 % confidence interval.

    value: the weighted estimate (mean, total, share in [0, 1] or quantile).
    se: its standard error (linearisation or replicate weights, see `variance_method`).
    ci_low, ci_high: the 95 % confidence interval; how it was built is `ci_method`.
    n: respondents in the domain with a non-missing value.
    deff: design effect against simple random sampling without ('wor') or with ('wr')
        replacement of the same size, as R `survey` computes it; None unless asked.
    unweighted_value: the plain sample statistic (mean, sum, share or quantile).
    weighted_n: sum of the weights of those respondents (estimated population size).
    df: degrees of freedom of the design for this domain (PSUs minus strata).
    """

    statistic: Statistic
    value: float
    se: float
    ci_low: float
    ci_high: float
    n: int
    unweighted_value: float
    weighted_n: float
    df: float
    ci_method: str
    variance_method: str
    deff: float | None = None
    deff_reference: DeffReference | None = None

    @property
    def variance(self) -> float:
        return self.se**2

    @property
    def cv(self) -> float:
        """Coefficient of variation se / |value| (NaN when the value is 0)."""
        return self.se / abs(self.value) if self.value else math.nan

    @property
    def effective_n(self) -> float | None:
        """n / deff: the simple-random-sample size that would give the same variance."""
        if self.deff is None or not self.deff > 0:
            return None
        return self.n / self.deff


@dataclass(frozen=True)
class DomainEstimates(Mapping[Hashable, Estimate]):
    """Estimates by domain (R `svyby`): a read-only mapping domain key -> `Estimate`.

    by: the column(s) defining the domains. A key is the column's value when `by` is a single
    column, else the tuple of values. Domains are in sorted key order; only domains with at
    least one respondent with a value of the analysed column appear.
    """

    by: tuple[str, ...]
    entries: tuple[tuple[Hashable, Estimate], ...]
    #: With `covmat=True` (R `svyby(..., covmat=TRUE)`): the covariance matrix of the
    #: estimates, rows and columns in the order of the entries; None otherwise.
    covariance: tuple[tuple[float, ...], ...] | None = None

    def vcov(self) -> tuple[tuple[float, ...], ...]:
        """The covariance matrix of the domain estimates (R `vcov(svyby(..., covmat=TRUE))`)."""
        if self.covariance is None:
            raise ValueError(
                "These domain estimates carry no covariance: ask for it with covmat=True."
            )
        return self.covariance

    def __getitem__(self, key: Hashable) -> Estimate:
        for k, estimate in self.entries:
            if k == key:
                return estimate
        raise KeyError(key)

    def __iter__(self) -> Iterator[Hashable]:
        return (k for k, _ in self.entries)

    def __len__(self) -> int:
        return len(self.entries)


@dataclass(frozen=True)
class WeightDiagnostics:
    """How much the weights vary, and what it costs (Kish).

    kish_deff = 1 + CV^2 of the weights = n * sum(w^2) / sum(w)^2, the variance inflation due to
    unequal weighting alone; effective_n = n / kish_deff = sum(w)^2 / sum(w^2).
    """

    n: int
    sum_weights: float
    min_weight: float
    max_weight: float
    mean_weight: float
    cv_weights: float
    kish_deff: float
    effective_n: float
