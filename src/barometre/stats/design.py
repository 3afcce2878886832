"""`SurveyDesign`: a sample, its design and its weights, with a small estimation API (R `survey`).

    design = SurveyDesign(data, weights="pw", strata="stype", fpc="fpc")
    design.mean("api00", deff="wor")            # Estimate
    design.mean_by("api00", "stype")             # DomainEstimates, one Estimate per domain
    design.share("level", "avancee")             # logit interval, stays in [0, 1]
    raked = design.rake({"organisation_type": {...}, "size_class": {...}})
    raked.jackknife().mean("global")              # calibration replayed in every replicate

A design is immutable: calibration, subsetting and replication return a new design. Missing
values of an analysed column are left out of its estimates as a domain (R `na.rm=TRUE`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from barometre.errors import StatisticsError
from barometre.stats import estimators as est
from barometre.stats.arguments import (
    check_choice,
    check_column,
    check_columns,
    check_deff,
    check_positive_int,
    fail,
)
from barometre.stats.calibration import CalibrationModel, FittedCalibration, Method
from barometre.stats.contrasts import Contrast, combine, domain_covariance
from barometre.stats.estimators import DesignState, RankCache
from barometre.stats.recipes import calibrate_model, poststratify_model, rake_model
from barometre.stats.replicates import ReplicateScheme, jackknife, rao_wu_bootstrap
from barometre.stats.results import (
    SHARE_METHODS,
    DeffReference,
    DomainEstimates,
    Estimate,
    ShareMethod,
    WeightDiagnostics,
)
from barometre.stats.structure import LONELY_PSU, LonelyPsu, build_structure
from barometre.stats.weighting import weight_diagnostics

#: The domains of an estimate by domain: a column, or a list of columns.
By = str | Sequence[str]
#: An estimate for a state of the design (the whole design, or one domain).
Compute = Callable[[DesignState], Estimate]
#: The covariance of domain estimates: of ratios (means, shares) or of totals.
CovarianceKind = Literal["ratio", "total"]


class SurveyDesign:
    """A survey design over `data`; the other arguments are column names of `data`.

    weights: sampling weights (inverse inclusion probabilities); when None, N_h / n_h from the
        fpc, or 1 without fpc (R `svydesign`).
    strata: stratum of each row. ids: primary sampling unit (cluster) of each row, read within
        its stratum; without it every row is its own PSU.
    fpc: population size of the row's stratum (of the population without strata), counted in
        PSUs (clusters when ids is given); or, if every value is <= 1, the sampling fraction.
    lonely_psu: a stratum with a single PSU that is not a census (R `survey.lonely.psu`):
        "fail" (default, an error), "certainty" (it contributes 0), "adjust" (centred at the
        mean of all PSU totals) or "average" (the other strata's average contribution).
    Weights of 0 are allowed (units sampled but outside every domain, as R); negative or
    non-finite weights are an error.
    """

    def __init__(
        self,
        data: pd.DataFrame,
        weights: str | None = None,
        strata: str | None = None,
        ids: str | None = None,
        fpc: str | None = None,
        lonely_psu: LonelyPsu = "fail",
    ):
        owner = "SurveyDesign"
        if not isinstance(data, pd.DataFrame) or data.empty:
            fail(
                "data",
                owner,
                "a non-empty pandas DataFrame",
                type(data).__name__,
                kind=TypeError if not isinstance(data, pd.DataFrame) else ValueError,
            )
        for parameter, value in (
            ("weights", weights),
            ("strata", strata),
            ("ids", ids),
            ("fpc", fpc),
        ):
            if value is not None:
                check_column(data, value, parameter, owner)
        lonely = check_choice(lonely_psu, "lonely_psu", owner, LONELY_PSU)
        structure = build_structure(data, strata, ids, fpc, lonely)
        if weights is not None:
            base = _non_negative_weights(data, weights)
        elif fpc is not None:
            base = structure.fpc_weights()
        else:
            base = np.ones(len(data))
        self._state = DesignState(
            data=data.copy(),
            base_weights=base,
            weights=base.copy(),
            structure=structure,
            steps=(),
            domain=np.ones(len(data), dtype=bool),
        )
        self._spec = {"weights": weights, "strata": strata, "ids": ids, "fpc": fpc}

    @classmethod
    def _derive(cls, design: SurveyDesign, **changes) -> SurveyDesign:
        new = cls.__new__(cls)
        state = design._state
        fields = {name: getattr(state, name) for name in state.__dataclass_fields__}
        new._state = DesignState(**{**fields, **changes})
        new._spec = design._spec
        return new

    def __repr__(self) -> str:
        s = self._state
        calibration = "; ".join(step.model.describe() for step in s.steps) or "none"
        return (
            f"SurveyDesign(n={len(s.data)}, in domain={int(s.domain.sum())}, "
            f"{self._spec}, calibration: {calibration}, variance: {s.variance_method})"
        )

    # -- what the design holds ------------------------------------------------------------------

    @property
    def data(self) -> pd.DataFrame:
        return self._state.data.copy()

    @property
    def weights(self) -> np.ndarray:
        """Final weights (after calibration), one per row of the data."""
        return self._state.weights.copy()

    @property
    def replicate_weights(self) -> np.ndarray | None:
        """Rows x replicates final replicate weights, None for a linearisation design."""
        r = self._state.replicate_weights
        return None if r is None else r.copy()

    @property
    def n(self) -> int:
        return len(self._state.data)

    @property
    def is_calibrated(self) -> bool:
        return bool(self._state.steps)

    @property
    def calibration(self) -> tuple[str, ...]:
        """What was done to the weights, in order."""
        return tuple(step.model.describe() for step in self._state.steps)

    @property
    def variance_method(self) -> str:
        return self._state.variance_method

    @property
    def degrees_of_freedom(self) -> int:
        """R `degf()` of the domain's design: PSUs minus strata among the rows of the domain;
        with replicate weights, the rank of the domain's replicate weights minus 1."""
        return int(self._state.degrees_of_freedom)

    def weight_diagnostics(self) -> WeightDiagnostics:
        """Kish design effect of the weights and effective sample size, on the domain (the rows
        of weight 0 are not counted)."""
        w = self._state.weights
        return weight_diagnostics(w[self._state.domain & (w != 0)])

    # -- domains and derived columns -----------------------------------------------------------

    def subset(self, rows: np.ndarray | pd.Series | str) -> SurveyDesign:
        """The design restricted to a domain (R `subset`): a boolean mask or a column of booleans.
        The other rows stay in the design with zero contribution."""
        mask = self._mask(rows, "rows", "SurveyDesign.subset")
        return SurveyDesign._derive(self, domain=self._state.domain & mask)

    def with_column(self, name: str, values) -> SurveyDesign:
        """The same design with one more (or a replaced) column of data (R `update`)."""
        if not isinstance(name, str):
            fail("name", "SurveyDesign.with_column", "a string", name, kind=TypeError)
        values = np.asarray(values)
        if values.shape != (self.n,):
            fail(
                "values",
                "SurveyDesign.with_column",
                f"a sequence of {self.n} values",
                f"shape {values.shape}",
            )
        data = self._state.data.copy()
        data[name] = values
        return SurveyDesign._derive(self, data=data)

    # -- estimation ----------------------------------------------------------------------------

    def mean(self, column: str, deff: DeffReference | None = None) -> Estimate:
        """Weighted mean (R `svymean`)."""
        compute, _ = self._moment("mean", column, deff, "SurveyDesign.mean")
        return compute(self._state)

    def mean_by(
        self, column: str, by: By, deff: DeffReference | None = None, covmat: bool = False
    ) -> DomainEstimates:
        """Weighted mean in each domain of `by`, a column or a list of columns (R `svyby`);
        covmat=True adds the covariance matrix of the domain means (R `covmat=TRUE`)."""
        owner = "SurveyDesign.mean_by"
        compute, y = self._moment("mean", column, deff, owner)
        return self._by(by, owner, compute, y, _covmat(covmat, owner, "ratio"))

    def total(self, column: str, deff: DeffReference | None = None) -> Estimate:
        """Weighted total (R `svytotal`)."""
        compute, _ = self._moment("total", column, deff, "SurveyDesign.total")
        return compute(self._state)

    def total_by(
        self, column: str, by: By, deff: DeffReference | None = None, covmat: bool = False
    ) -> DomainEstimates:
        """Weighted total in each domain of `by` (R `svyby`); covmat=True adds the covariance
        matrix of the domain totals."""
        owner = "SurveyDesign.total_by"
        compute, y = self._moment("total", column, deff, owner)
        return self._by(by, owner, compute, y, _covmat(covmat, owner, "total"))

    def share(
        self,
        column: str,
        level: Hashable,
        method: ShareMethod = "logit",
        deff: DeffReference | None = None,
    ) -> Estimate:
        """Share of respondents whose `column` equals `level` (R `svyciprop`).

        method: "logit" (default), "korn-graubard" (R "beta") or "wald". Rows where `column` is
        missing are left out.
        """
        compute, _ = self._share(column, level, method, deff, "SurveyDesign.share")
        return compute(self._state)

    def share_by(
        self,
        column: str,
        level: Hashable,
        by: By,
        method: ShareMethod = "logit",
        deff: DeffReference | None = None,
        covmat: bool = False,
    ) -> DomainEstimates:
        """The share of `level` in each domain of `by` (R `svyby` of `svyciprop`); covmat=True
        adds the covariance matrix of the domain shares."""
        owner = "SurveyDesign.share_by"
        compute, indicator = self._share(column, level, method, deff, owner)
        return self._by(by, owner, compute, indicator, _covmat(covmat, owner, "ratio"))

    def quantile(self, column: str, q: float = 0.5) -> Estimate:
        """Weighted quantile (R `svyquantile`, qrule "math"). Replicate designs: replicate SE and
        a Student interval; linearisation designs: Woodruff's interval."""
        compute, _ = self._quantile(column, q, "SurveyDesign.quantile")
        return compute(self._state)

    def quantile_by(self, column: str, by: By, q: float = 0.5) -> DomainEstimates:
        """The weighted quantile in each domain of `by` (R `svyby` of `svyquantile`)."""
        owner = "SurveyDesign.quantile_by"
        compute, y = self._quantile(column, q, owner)
        return self._by(by, owner, compute, y)

    def contrast(self, estimates: DomainEstimates, coefficients) -> Contrast:
        """A linear combination sum_k c_k theta_k of domain estimates of this design (R
        `svycontrast`): `estimates` from `mean_by`, `total_by` or `share_by` with covmat=True;
        `coefficients` a mapping domain key -> number (absent keys count 0) or one number per
        domain. The variance is c' V c; the interval is Student's at the degrees of freedom of
        the union of the domains with a non-zero coefficient."""
        owner = "SurveyDesign.contrast"
        if not isinstance(estimates, DomainEstimates):
            fail("estimates", owner, "DomainEstimates", type(estimates).__name__, kind=TypeError)
        if estimates.covariance is None:
            fail(
                "estimates",
                owner,
                "domain estimates with their covariance (mean_by(..., covmat=True))",
                "estimates without covariance",
            )
        state = self._state
        domain_keys = _domain_keys(state.data, estimates.by)

        def df_of(used) -> float:
            wanted = set(used)
            mask = np.array([k in wanted for k in domain_keys]) & state.domain
            # The same union of domains recurs for every indicator compared (and the df of
            # replicate weights takes a singular value decomposition): computed once.
            cache: dict[bytes, float] = self.__dict__.setdefault("_contrast_df", {})
            key = mask.tobytes()
            if key not in cache:
                cache[key] = SurveyDesign._derive(self, domain=mask)._state.degrees_of_freedom
            return cache[key]

        keys = list(estimates.keys())
        values = np.array([estimates[k].value for k in keys])
        return combine(keys, values, np.array(estimates.covariance), coefficients, df_of, owner)

    def difference(self, estimates: DomainEstimates, first: Hashable, second: Hashable) -> Contrast:
        """theta(second) - theta(first) with its covariance (a contrast with -1 and +1)."""
        return self.contrast(estimates, {first: -1.0, second: 1.0})

    # -- calibration ---------------------------------------------------------------------------

    def poststratify(self, cells: str | Sequence[str], population) -> SurveyDesign:
        """Post-stratify (R `postStratify`) on the cells of a column or of several columns.

        population: mapping cell -> population count (a tuple of values for several columns),
        or a DataFrame with the cell columns and one column of counts.
        """
        return self._calibrated(poststratify_model(self._state.data, cells, population))

    def rake(self, margins, max_iter: int = 1000, tol: float = 1e-10) -> SurveyDesign:
        """Rake (iterative proportional fitting, R `rake`) to margins {column: {level: count}};
        a key may be a tuple of columns for a joint margin. Raises `StatisticsError` when a level
        has no respondent or the fit does not reach `tol` (relative) in `max_iter` sweeps."""
        return self._calibrated(rake_model(self._state.data, margins, max_iter, tol))

    def calibrate(
        self,
        totals,
        method: Method = "linear",
        bounds=None,
        population_size=None,
        max_iter: int = 50,
        tol: float = 1e-10,
    ) -> SurveyDesign:
        """Calibrate (R `calibrate`, GREG family) to categorical margins {column: {level: count}}
        and numeric totals {column: total}; method "linear", "raking" or "logit"; bounds
        (low, high) on the g-factors. Without a categorical margin, give `population_size`."""
        return self._calibrated(
            calibrate_model(
                self._state.data, totals, method, bounds, population_size, max_iter, tol
            )
        )

    # -- replicate weights ---------------------------------------------------------------------

    def jackknife(self, mse: bool = False) -> SurveyDesign:
        """Delete-one-PSU jackknife (JK1 without strata, JKn with strata, fpc as R); every
        calibration of the design is redone in every replicate."""
        return self._replicated(jackknife(self._state.structure, bool(mse)))

    def bootstrap(
        self, replicates: int = 500, seed: int | None = None, mse: bool = False
    ) -> SurveyDesign:
        """Rao-Wu rescaling bootstrap (seeded); calibration redone in every replicate."""
        check_positive_int(replicates, "replicates", "SurveyDesign.bootstrap", minimum=2)
        if seed is not None:
            check_positive_int(seed, "seed", "SurveyDesign.bootstrap", minimum=0)
        return self._replicated(
            rao_wu_bootstrap(self._state.structure, replicates, seed, bool(mse))
        )

    # -- internals -----------------------------------------------------------------------------

    def _moment(
        self, statistic: Literal["mean", "total"], column: str, deff: object, owner: str
    ) -> tuple[Compute, np.ndarray]:
        """The estimate of a mean or a total for any state of this design, and the values."""
        reference = check_deff(deff, owner)
        y = self._numeric(column, owner)
        function = est.mean_estimate if statistic == "mean" else est.total_estimate
        label = f"column {column!r}"
        return (lambda state: function(state, y, reference, label)), y

    def _share(
        self, column: str, level: Hashable, method: object, deff: object, owner: str
    ) -> tuple[Compute, np.ndarray]:
        check_column(self._state.data, column, "column", owner)
        interval = check_choice(method, "method", owner, SHARE_METHODS)
        reference = check_deff(deff, owner)
        values = self._state.data[column]
        indicator = np.where(
            values.isna().to_numpy(), np.nan, (values == level).to_numpy(dtype=float)
        )
        label = f"column {column!r}"
        return (
            lambda state: est.share_estimate(state, indicator, interval, reference, label)
        ), indicator

    def _quantile(self, column: str, q: object, owner: str) -> tuple[Compute, np.ndarray]:
        if isinstance(q, bool) or not isinstance(q, int | float) or not 0 < q < 1:
            fail("q", owner, "a number strictly between 0 and 1", q)
        y = self._numeric(column, owner)
        label = f"column {column!r}"
        probability = float(q)
        return (lambda state: est.quantile_estimate(state, y, probability, label)), y

    def _by(
        self,
        by: By,
        owner: str,
        compute: Compute,
        values: np.ndarray,
        covmat: CovarianceKind | None = None,
    ) -> DomainEstimates:
        """One estimate per domain having at least one non-missing value; with `covmat`, the
        covariance matrix of the estimates (ratios: means and shares; totals)."""
        state = self._state
        columns = check_columns(state.data, by, "by", owner)
        keys = _domain_keys(state.data, columns)
        usable = state.domain & np.isfinite(values) & (state.weights != 0)
        entries = []
        for key in sorted(
            {k for k, ok in zip(keys, usable, strict=True) if ok and k is not None}, key=_sort_key
        ):
            mask = np.array([k == key for k in keys]) & state.domain
            entries.append((key, compute(SurveyDesign._derive(self, domain=mask)._state)))
        covariance = None
        if covmat is not None and entries:
            masks = np.column_stack(
                [np.array([k == key for k in keys]) & usable for key, _ in entries]
            )
            numerators = np.where(masks, np.nan_to_num(values)[:, None], 0.0)
            denominators = None if covmat == "total" else masks.astype(float)
            estimates = np.array([e.value for _, e in entries])
            matrix = domain_covariance(state, numerators, denominators, estimates)
            covariance = tuple(tuple(float(x) for x in row) for row in matrix)
        return DomainEstimates(by=columns, entries=tuple(entries), covariance=covariance)

    def _numeric(self, column: str, owner: str) -> np.ndarray:
        check_column(self._state.data, column, "column", owner)
        series = self._state.data[column]
        if pd.api.types.is_bool_dtype(series):
            series = series.astype(float)
        if not pd.api.types.is_numeric_dtype(series):
            fail(
                "column",
                owner,
                "the name of a numeric column (use share() for categories)",
                f"{column!r} of type {series.dtype}",
            )
        return series.to_numpy(dtype=float, na_value=np.nan)

    def _mask(self, rows, parameter: str, owner: str) -> np.ndarray:
        if isinstance(rows, str) and rows in self._state.data.columns:
            rows = self._state.data[rows]
        mask = np.asarray(rows)
        if mask.shape != (self.n,) or mask.dtype != bool:
            fail(parameter, owner, f"a boolean mask of {self.n} rows or a boolean column", rows)
        return mask

    def _calibrated(self, model: CalibrationModel) -> SurveyDesign:
        state = self._state
        if not state.domain.all():
            raise StatisticsError("Calibrate the whole design, then take the domain (subset).")
        step = FittedCalibration.fit(model, state.weights)
        steps = (*state.steps, step)
        replicate = None if state.scheme is None else _replay(state, state.scheme, steps)
        return SurveyDesign._derive(
            self,
            weights=step.after,
            steps=steps,
            replicate_weights=replicate,
            ranks=None if replicate is None else RankCache(replicate),
        )

    def _replicated(self, scheme: ReplicateScheme) -> SurveyDesign:
        replicate = _replay(self._state, scheme, self._state.steps)
        return SurveyDesign._derive(
            self, scheme=scheme, replicate_weights=replicate, ranks=RankCache(replicate)
        )


def _covmat(covmat: object, owner: str, kind: CovarianceKind) -> CovarianceKind | None:
    if not isinstance(covmat, bool):
        fail("covmat", owner, "True or False", covmat, kind=TypeError)
    return kind if covmat else None


def _replay(state: DesignState, scheme: ReplicateScheme, steps: Sequence[FittedCalibration]):
    """Replicate weights: base weights times the replicate factors, then every calibration."""
    weights = state.base_weights[:, None] * scheme.factors
    for step in steps:
        try:
            g, _ = step.model.solve(weights)
        except StatisticsError as error:
            raise StatisticsError(
                f"In the replicate weights ({scheme.describe()}): {error}"
            ) from error
        weights = weights * g
    return weights


def _non_negative_weights(data: pd.DataFrame, column: str) -> np.ndarray:
    """Weights >= 0 and finite: a weight of 0 is a sampled unit outside every domain (R keeps
    such rows in the design: they count among the PSUs of their stratum)."""
    values = pd.to_numeric(data[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = ~(np.isfinite(values) & (values >= 0))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        fail(
            "weights",
            "SurveyDesign",
            f"a column of finite numbers >= 0 (column {column!r}, row {row})",
            _plain(data[column].iloc[row]),
        )
    if not (values > 0).any():
        fail(
            "weights",
            "SurveyDesign",
            f"a column with at least one weight above 0 (column {column!r})",
            "only zeros",
        )
    return values


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def _domain_keys(data: pd.DataFrame, columns: tuple[str, ...]) -> list:
    lists = [data[c].tolist() for c in columns]
    missing = data[list(columns)].isna().any(axis=1).to_numpy()
    keys = [
        None if gone else (values[0] if len(columns) == 1 else tuple(values))
        for gone, values in zip(missing, zip(*lists, strict=True), strict=True)
    ]
    return [k.item() if isinstance(k, np.generic) else k for k in keys]


def _sort_key(key):
    return tuple((type(v).__name__, v) for v in (key if isinstance(key, tuple) else (key,)))
