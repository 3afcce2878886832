"""Coverage simulation: do the sector estimate's 95 % intervals cover 95 % of the time? (SYNTHETIC)

The demo's frame (570 synthetic organisations, seed 2026, hlm-2026) is simulated with a response
rate of 1 and every organisation is scored: that is the finite population, and its true values
are the figures over every organisation of the frame with a value: the means of the global
index, each dimension and each axis, and the shares of each level and each typology family, in
the sector and in each organisation type, size class and region; the differences between two
organisation types or two size classes (the estimates file's pairwise contrasts, on the global
index and each dimension).

Then `--samples` (default 1,000) seeded samples of 154 responding organisations (27 %, as the
demo) are drawn as `simulate_sector` picks who answers: without replacement, with probability
proportional to a propensity. The demo's propensity is exp(0.4 tech_latent), which depends on
the organisation's equipment; here it is replaced by its projection on organisation type and
size class (log-propensity = a_type + b_size, least squares on 0.4 tech_latent), so that the
response depends only on what the weighting adjusts for (the calibration to organisation type,
size class and region is then approximately unbiased and the simulation measures the variance,
not a selection bias no weighting could correct). Each sample is weighted by the project's own
rule (`weight_to_frame`: post-stratification or raking with collapsing) and every figure is
estimated with each variance method: linearisation with the calibration residuals, and the
delete-one jackknife re-calibrated in each replicate (the default). Intervals are the library's:
for a mean or a contrast, value +/- t_df SE with df of the domain's design (of the union of the
two domains for a contrast; R `degf`); for a share, the logit interval (R `svyciprop`), with
Korn-Graubard at a share of 0 or 1; for comparison, linearisation with the normal quantile (the
intervals before t, which an outside reviewer measured at 90.9-92.4 %). A figure counts in a
sample only when it would be published: its domain and its figure rest on at least
`disclosure_minimum` responding organisations, and a contrast when both its figures are
(complementary suppression is not applied here).

The change between two waves (`--change-samples`, default 1,000 pairs of waves per scenario):
wave 2's frame is the same organisations with their scores moved by a seeded amount (the shift
of the organisation type, SHIFT, + the organisation's own change N(0, 4^2) + a change per
indicator N(0, 3^2), clipped to 0-100), so the true population change of each mean is known.
Wave 1 is a sample as above; in wave 2, PANEL (60 %) of wave 1's organisations, chosen at
random, answer again and the rest are drawn from the other organisations with the same
propensity. The change of the sector's means is computed as `barometre compare` does
(`weight_to_frame` for each wave, then `compare_waves`: V1 + V2 - 2C), linearised and with the
jackknife (each wave's re-calibrated jackknife variance, the covariance from the linearised
correlation; the panel change on wave 2's jackknife), with the coverage of its interval, of the
linearised interval without the covariance (as if the waves were independent), and of the
panel change (against the frame's change: the panel is a random part of wave 1, while its
variance treats it as a domain of wave 2, see docs/statistics.md). Two
scenarios: no census cell (both waves raked), and census cells in wave 2 only: every
organisation of the frame's cells smaller than `calibration_min_cell` (OPH <1500 and
SEM >12000, 3 organisations each) answers in wave 2 and the other cells are topped up to that
minimum within the cell, so that wave 2 is post-stratified with a census stratum that wave 1
(raked) has not: the pairing approximation of `overlap_covariance` (shared organisations in
the census stratum left out, the others paired with N = min(N1, N2)) is then checked by Monte
Carlo.

The per-sample work is vectorised: one calibration per sample (the jackknife replays it in all
154 replicates at once), and all figures of all domains come from matrix products over
organisations x (domain, indicator). `tests/stats/test_bench_coverage.py` checks these
figures equal the library's (`SurveyDesign.mean`, `share`, `difference`) on a sample.

    .venv/bin/python benchmarks/bench_coverage.py [--samples 1000] [--change-samples 1000]

Cells below 94 % are flagged with `!`. The Monte Carlo standard error of a coverage p measured
on R samples is sqrt(p (1 - p) / R): 0.69 points at 95 % and R = 1,000.
Seeded and deterministic: the same samples every run.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats
from threadpoolctl import threadpool_limits

from barometre.contracts.vocabulary import FAMILIES
from barometre.questionnaire import load_questionnaire
from barometre.questionnaire.models import Questionnaire
from barometre.scoring import score_responses
from barometre.simulate import simulate_sector
from barometre.stats.intervals import korn_graubard_interval
from barometre.stats.linearisation import linearised_covariance
from barometre.stats.sector.contrasts import COMPARED
from barometre.stats.sector.inputs import ORGANISATION_TYPES, SIZE_CLASSES, check_inputs
from barometre.stats.sector.weighting import STRATUM_COLUMN, weight_to_frame
from barometre.stats.waves import compare_waves

SEED = 2026
ORGANISATIONS = 570
RESPONSE_RATE = 0.27
TARGET = 0.94
Z = float(stats.norm.ppf(0.975))
#: The methods of the table: (label, variance, quantile). "linearisation, z" is the interval
#: before t intervals, for comparison with the reviewer's measure.
METHODS = ("linearisation, z", "linearisation, t", "jackknife, t")
#: Wave 2: the share of wave 1's organisations that answer again, and how scores move.
PANEL = 0.6
SHIFT = {"OPH": 4.0, "ESH": 2.0, "COOP": 1.0, "SEM": 3.0}
ORGANISATION_SD = 4.0
NOISE_SD = 3.0
CHANGE_SCENARIOS = ("no census cell", "census cells in wave 2 only")
#: The change's intervals: linearised (V1 + V2 - 2C, every term linearised), the same without
#: the covariance, for comparison, and with the jackknife (each wave's re-calibrated jackknife
#: variance, C from the linearised correlation; the panel on wave 2's jackknife: what
#: `barometre compare` does with the default `variance.method: jackknife`).
CHANGE_METHODS = ("linearisation, t", "independent, t", "jackknife, t")
PANEL_METHODS = ("linearisation, t", "jackknife, t")


def mc_se(coverage: float, samples: int) -> float:
    """The Monte Carlo standard error of a coverage (in %) measured on `samples` samples."""
    p = coverage / 100
    return 100 * float(np.sqrt(p * (1 - p) / max(samples, 1)))


@dataclass(frozen=True)
class Pair:
    """A pairwise contrast the estimates file publishes: `second` minus `first` (domain rows)."""

    variable: str
    first: str
    second: str
    d_first: int
    d_second: int

    @property
    def label(self) -> str:
        return f"{self.second}-{self.first}"


@dataclass(frozen=True)
class Population:
    """The finite population: every organisation of the frame, scored."""

    frame: pd.DataFrame
    table: pd.DataFrame  # one row per organisation: scores and frame attributes
    indicators: tuple[str, ...]  # means (global, dimensions, axes), then shares (level:, typology:)
    kinds: tuple[str, ...]  # "mean" or "share", per indicator
    domains: tuple[tuple[str, str], ...]
    values: np.ndarray  # organisations x indicators, NaN when missing (a share: 1 or 0)
    masks: np.ndarray  # organisations x domains
    truth: np.ndarray  # domains x indicators
    pairs: tuple[Pair, ...]  # the contrasts of the estimates file
    compared: tuple[int, ...]  # the indicators compared (global and dimensions)
    contrast_truth: np.ndarray  # pairs x compared
    propensity: np.ndarray  # organisations
    min_cell: int
    min_domain: int

    @property
    def means(self) -> list[int]:
        return [j for j, kind in enumerate(self.kinds) if kind == "mean"]


@dataclass(frozen=True)
class SampleFigures:
    """Every figure of one sample: domains x indicators, and pairs x compared indicators."""

    value: np.ndarray
    n: np.ndarray
    organisations: np.ndarray  # responding organisations per domain
    se: dict[str, np.ndarray]  # variance method -> SE
    df: dict[str, np.ndarray]  # variance method -> df per domain
    contrast_value: np.ndarray
    contrast_se: dict[str, np.ndarray]
    contrast_df: dict[str, np.ndarray]  # variance method -> df per pair (union of the domains)


def population(questionnaire: Questionnaire) -> Population:
    sector = simulate_sector(
        questionnaire, organisations=ORGANISATIONS, response_rate=1.0, seed=SEED
    )
    scores = score_responses(questionnaire, sector.responses).to_file().organisation_table()
    dimensions = [d.id for d in questionnaire.dimensions]
    inputs = check_inputs(scores, sector.frame, dimensions, None, None)
    table = inputs.respondents.reset_index(drop=True)
    means = ("global", *dimensions, "tech", "transfo")
    method = questionnaire.methodology
    shares = [("level", lv.code) for lv in method.levels]
    shares += [("family", f) for f in FAMILIES]
    share_values = [
        np.where(table[column].isna(), np.nan, (table[column] == level).to_numpy(dtype=float))
        for column, level in shares
    ]
    values = np.column_stack([table[list(means)].to_numpy(dtype=float), *share_values])
    indicators = (
        *means,
        *(f"{'typology' if c == 'family' else c}:{level}" for c, level in shares),
    )
    kinds = ("mean",) * len(means) + ("share",) * len(shares)
    domains = [("sector", "all")]
    domains += [("organisation_type", t) for t in ORGANISATION_TYPES]
    domains += [("size_class", s) for s in SIZE_CLASSES]
    domains += [("region", r) for r in sorted(inputs.frame["region"].unique())]
    masks = np.column_stack(
        [
            np.ones(len(table), dtype=bool)
            if variable == "sector"
            else (table[variable] == level).to_numpy()
            for variable, level in domains
        ]
    )
    finite = np.isfinite(values)
    with np.errstate(invalid="ignore", divide="ignore"):
        truth = (masks.T.astype(float) @ np.where(finite, values, 0.0)) / (
            masks.T.astype(float) @ finite
        )
    # The contrasts of the estimates file (stats.sector.contrasts): every pair of organisation
    # types and of size classes, in the vocabulary's order, on the global index and dimensions.
    pairs = tuple(
        Pair(
            variable,
            first,
            second,
            domains.index((variable, first)),
            domains.index((variable, second)),
        )
        for variable, levels in COMPARED.items()
        for first, second in combinations(levels, 2)
    )
    compared = tuple(range(1 + len(dimensions)))
    contrast_truth = np.array(
        [[truth[p.d_second, j] - truth[p.d_first, j] for j in compared] for p in pairs]
    )
    # The demo's propensity exp(0.4 tech_latent), kept only through organisation type and size
    # class: least squares of 0.4 tech_latent on their main effects.
    latent = sector.latent.set_index("organisation_id").loc[table["organisation_id"]]
    log_propensity = 0.4 * latent["tech_latent"].to_numpy()
    design = pd.get_dummies(table[["organisation_type", "size_class"]], drop_first=True)
    x = np.column_stack([np.ones(len(table)), design.to_numpy(dtype=float)])
    coefficients, *_ = np.linalg.lstsq(x, log_propensity, rcond=None)
    return Population(
        frame=inputs.frame,
        table=table,
        indicators=indicators,
        kinds=kinds,
        domains=tuple(domains),
        values=values,
        masks=masks,
        truth=truth,
        pairs=pairs,
        compared=compared,
        contrast_truth=contrast_truth,
        propensity=np.exp(x @ coefficients),
        min_cell=method.calibration_min_cell,
        min_domain=method.disclosure_minimum,
    )


def draw(pop: Population, sample: int) -> np.ndarray:
    """The rows of the responding organisations of sample `sample` (seeded by its number)."""
    rng = np.random.default_rng([SEED, sample])
    k = max(1, round(RESPONSE_RATE * len(pop.table)))
    p = pop.propensity / pop.propensity.sum()
    return np.sort(rng.choice(len(pop.table), size=k, replace=False, p=p))


def estimate(pop: Population, rows: np.ndarray) -> SampleFigures:
    """Weighted means and shares of every indicator in every domain, and the pairwise contrasts,
    with linearised and jackknife SEs."""
    respondents = pop.table.iloc[rows].reset_index(drop=True)
    design, _report = weight_to_frame(respondents, pop.frame, pop.min_cell)
    y, masks = pop.values[rows], pop.masks[rows]
    finite = np.isfinite(y)
    cells = masks[:, :, None] & finite[:, None, :]  # organisations x domains x indicators
    y0 = np.where(finite, y, 0.0)
    a = cells * y0[:, None, :]
    w = design.weights
    n, shape = len(rows), cells.shape[1:]
    k = shape[0] * shape[1]
    top, bottom = w @ a.reshape(n, k), w @ cells.reshape(n, k)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = top / bottom
    # influence values of a domain mean: w I (y - mean) / sum w I (0 outside the domain)
    y_cells = np.broadcast_to(y0[:, None, :], cells.shape).reshape(n, k)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = w[:, None] * cells.reshape(n, k) * (y_cells - value) / bottom
    z = np.nan_to_num(z).reshape(n, *shape)
    first = [p.d_first for p in pop.pairs]
    second = [p.d_second for p in pop.pairs]
    compared = list(pop.compared)

    def contrast(matrix: np.ndarray) -> np.ndarray:
        """second minus first of a (..., domains, indicators) array: (..., pairs, compared)."""
        return matrix[..., second, :][..., compared] - matrix[..., first, :][..., compared]

    z_contrast = contrast(z).reshape(n, -1)
    state = design._state  # the library's own linearisation, on every figure at once
    linear = np.diag(
        linearised_covariance(
            np.hstack([z.reshape(n, k), z_contrast]), state.structure, state.steps
        )
    )
    value = value.reshape(shape)
    contrast_value = contrast(value)
    jack = design.jackknife()
    replicates = jack.replicate_weights
    assert replicates is not None and jack._state.scheme is not None
    with np.errstate(invalid="ignore", divide="ignore"):
        thetas = (replicates.T @ a.reshape(n, k)) / (replicates.T @ cells.reshape(n, k))
    scheme = jack._state.scheme
    jackknife = scheme.variance(thetas, value.reshape(-1))
    thetas_contrast = contrast(thetas.reshape(-1, *shape)).reshape(len(thetas), -1)
    jackknife_contrast = scheme.variance(thetas_contrast, contrast_value.reshape(-1))
    df_linear = np.array([design.subset(m).degrees_of_freedom for m in masks.T], dtype=float)
    df_jack = np.array([jack.subset(m).degrees_of_freedom for m in masks.T], dtype=float)
    unions = [masks[:, p.d_first] | masks[:, p.d_second] for p in pop.pairs]
    pairs_shape = contrast_value.shape

    def se(variance: np.ndarray, target: tuple[int, ...]) -> np.ndarray:
        return np.sqrt(np.maximum(variance, 0.0)).reshape(target)

    return SampleFigures(
        value=value,
        n=cells.sum(axis=0),
        organisations=masks.sum(axis=0),
        se={"linearisation": se(linear[:k], shape), "jackknife": se(jackknife, shape)},
        df={"linearisation": df_linear, "jackknife": df_jack},
        contrast_value=contrast_value,
        contrast_se={
            "linearisation": se(linear[k:], pairs_shape),
            "jackknife": se(jackknife_contrast, pairs_shape),
        },
        contrast_df={
            "linearisation": np.array([design.subset(u).degrees_of_freedom for u in unions], float),
            "jackknife": np.array([jack.subset(u).degrees_of_freedom for u in unions], float),
        },
    )


def critical(df: np.ndarray) -> np.ndarray:
    """t_{df} at 97.5 %, the normal quantile below 1 degree of freedom (intervals.critical)."""
    df = np.asarray(df, dtype=float)
    safe = np.where(df >= 1, df, 1.0)
    return np.where(df >= 1, stats.t.ppf(0.975, safe), Z)


def share_bounds(
    p: np.ndarray, se: np.ndarray, n: np.ndarray, df: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The estimates file's interval of a share (intervals.logit_interval, R svyciprop "logit"),
    element by element: logit(p) +/- t_df SE / (p (1 - p)) back-transformed; the point when
    SE = 0; Korn-Graubard with n* = n at p = 0 or 1 (the library's own function there)."""
    p, se, n, df = np.broadcast_arrays(
        *(np.atleast_1d(np.asarray(x, dtype=float)) for x in (p, se, n, df))
    )
    inside = (p > 0.0) & (p < 1.0)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        centre = np.log(p / (1.0 - p))
        half = critical(df) * se / (p * (1.0 - p))
        low = 1.0 / (1.0 + np.exp(-(centre - half)))
        high = 1.0 / (1.0 + np.exp(-(centre + half)))
    point = inside & (se == 0.0)
    low, high = np.where(point, p, low), np.where(point, p, high)
    for index in zip(*np.nonzero(np.isfinite(p) & ~inside), strict=True):
        low[index], high[index] = korn_graubard_interval(
            float(p[index]), float(se[index]), int(n[index]), float(df[index])
        )
    return low, high


def mean_bounds(
    value: np.ndarray, se: np.ndarray, df: np.ndarray, quantile: str
) -> tuple[np.ndarray, np.ndarray]:
    """value +/- factor SE: the normal quantile ("z") or Student's t at df ("t")."""
    factor = np.full_like(np.asarray(df, dtype=float), Z) if quantile == "z" else critical(df)
    half = factor * se
    return value - half, value + half


def variance_of(method: str) -> str:
    return method.split(",")[0]


@dataclass
class Tally:
    """Running sums over the samples, per figure (any shape)."""

    published: np.ndarray
    covered: dict[str, np.ndarray]
    se_sum: dict[str, np.ndarray]
    value_sum: np.ndarray
    value_squares: np.ndarray
    n_sum: np.ndarray

    @classmethod
    def empty(cls, shape: tuple[int, ...], methods: tuple[str, ...] = METHODS) -> Tally:
        return cls(
            published=np.zeros(shape),
            covered={m: np.zeros(shape) for m in methods},
            se_sum={v: np.zeros(shape) for v in dict.fromkeys(map(variance_of, methods))},
            value_sum=np.zeros(shape),
            value_squares=np.zeros(shape),
            n_sum=np.zeros(shape),
        )

    def add(
        self,
        truth: np.ndarray,
        value: np.ndarray,
        n: np.ndarray,
        shown: np.ndarray,
        bounds: dict[str, tuple[np.ndarray, np.ndarray]],
        se: dict[str, np.ndarray],
    ) -> None:
        """One sample: `shown` the figures published, `bounds` each method's interval."""
        shown = shown & np.isfinite(truth) & np.isfinite(value)
        for method, (low, high) in bounds.items():
            self.covered[method] += shown & (low <= truth) & (truth <= high)
        for variance in self.se_sum:
            self.se_sum[variance] += np.where(shown, se[variance], 0.0)
        self.published += shown
        self.value_sum += np.where(shown, value, 0.0)
        self.value_squares += np.where(shown, value**2, 0.0)
        self.n_sum += np.where(shown, n, 0.0)

    def coverage(self, method: str) -> np.ndarray:
        return 100 * self.covered[method] / np.maximum(self.published, 1)

    def se_ratio(self, variance: str) -> np.ndarray:
        """Mean SE / standard deviation of the estimates over the samples."""
        count = np.maximum(self.published, 1)
        mean = self.value_sum / count
        sd = np.sqrt(
            np.maximum(self.value_squares / count - mean**2, 0.0)
            * (count / np.maximum(count - 1, 1))
        )
        return (self.se_sum[variance] / count) / np.where(sd > 0, sd, np.nan)


@dataclass
class Tallies:
    """The tallies of one run: figures (domains x indicators) and contrasts (pairs x compared)."""

    figures: Tally
    contrasts: Tally


def add_sample(pop: Population, tallies: Tallies, figures: SampleFigures) -> None:
    shown = (figures.n >= pop.min_domain) & (figures.organisations[:, None] >= pop.min_domain)
    share = np.array([kind == "share" for kind in pop.kinds])
    bounds = {}
    for method in METHODS:
        variance, quantile = variance_of(method), method[-1]
        df = figures.df[variance][:, None] if quantile == "t" else np.full((1, 1), np.inf)
        low, high = mean_bounds(figures.value, figures.se[variance], df, quantile)
        share_low, share_high = share_bounds(
            figures.value[:, share], figures.se[variance][:, share], figures.n[:, share], df
        )
        low[:, share], high[:, share] = share_low, share_high
        bounds[method] = (low, high)
    tallies.figures.add(pop.truth, figures.value, figures.n, shown, bounds, figures.se)
    # A difference is published when both domain figures are (stats.sector.contrasts).
    columns = list(pop.compared)
    both = np.array([shown[p.d_first, columns] & shown[p.d_second, columns] for p in pop.pairs])
    n_pair = np.array(
        [figures.n[p.d_first, columns] + figures.n[p.d_second, columns] for p in pop.pairs]
    )
    contrast_bounds = {
        method: mean_bounds(
            figures.contrast_value,
            figures.contrast_se[variance_of(method)],
            figures.contrast_df[variance_of(method)][:, None],
            method[-1],
        )
        for method in METHODS
    }
    tallies.contrasts.add(
        pop.contrast_truth,
        figures.contrast_value,
        n_pair,
        both,
        contrast_bounds,
        figures.contrast_se,
    )


def run(samples: int, questionnaire: Questionnaire | None = None) -> tuple[Population, Tallies]:
    pop = population(questionnaire or load_questionnaire("hlm-2026"))
    tallies = Tallies(Tally.empty(pop.truth.shape), Tally.empty(pop.contrast_truth.shape))
    for sample in range(samples):
        add_sample(pop, tallies, estimate(pop, draw(pop, sample)))
    return pop, tallies


# -- change between two waves ---------------------------------------------------------------------


@dataclass(frozen=True)
class SecondWave:
    """The frame's organisations in a second wave: the first wave's scores moved by a seeded
    amount (same missing values), and the true population change of each mean indicator."""

    table: pd.DataFrame
    indicators: tuple[str, ...]
    truth: np.ndarray  # per indicator: the frame's mean in wave 2 minus its mean in wave 1
    small_cells: tuple[tuple[str, str], ...]  # frame cells of fewer than min_cell organisations


def second_wave(pop: Population) -> SecondWave:
    """Each organisation's scores in wave 2: its wave-1 score + the shift of its organisation
    type + its own change N(0, 4^2) + a change per indicator N(0, 3^2), clipped to 0-100."""
    rng = np.random.default_rng([SEED, 2])
    columns = [pop.indicators[j] for j in pop.means]
    before = pop.values[:, pop.means]
    shift = pop.table["organisation_type"].map(SHIFT).to_numpy(dtype=float)
    own = ORGANISATION_SD * rng.standard_normal(len(before))
    moved = shift[:, None] + own[:, None] + NOISE_SD * rng.standard_normal(before.shape)
    after = np.clip(before + moved, 0.0, 100.0)  # NaN stays NaN
    table = pop.table.copy()
    table[columns] = after
    truth = np.nanmean(after, axis=0) - np.nanmean(before, axis=0)
    counts = pop.frame.groupby(["organisation_type", "size_class"]).size()
    small = tuple(
        (str(key[0]), str(key[1]))
        for key, count in zip(counts.index, counts.to_numpy(), strict=True)
        if 0 < count < pop.min_cell
    )
    return SecondWave(table, tuple(columns), truth, small)


def draw_second(
    pop: Population, wave: SecondWave, rows: np.ndarray, sample: int, census: bool
) -> np.ndarray:
    """Wave 2 of sample `sample`: PANEL of wave 1's organisations (`rows`, a random subset)
    answer again, the rest are drawn from the other organisations as `draw` does. With
    `census`, every organisation of the frame's small cells answers (census cells, which wave 1
    has not: it is raked) and every other cell is topped up to min_cell organisations with
    organisations drawn at random within it, so that wave 2 is post-stratified with census
    strata. Within a cell, who answers stays exchangeable: the design of the weighting holds."""
    rng = np.random.default_rng([SEED, sample, 2])
    size = len(pop.table)
    panel = rng.choice(rows, size=round(PANEL * len(rows)), replace=False)
    others = np.setdiff1d(np.arange(size), rows)
    p = pop.propensity[others] / pop.propensity[others].sum()
    fresh = rng.choice(others, size=len(rows) - len(panel), replace=False, p=p)
    chosen = np.zeros(size, dtype=bool)
    chosen[panel] = chosen[fresh] = True
    if census:
        cells = pop.table.groupby(["organisation_type", "size_class"]).indices
        for key in sorted(cells, key=str):
            members = np.asarray(cells[key])
            if key in wave.small_cells:
                chosen[members] = True
                continue
            missing = pop.min_cell - int(chosen[members].sum())
            if missing > 0:
                chosen[rng.choice(members[~chosen[members]], size=missing, replace=False)] = True
    return np.flatnonzero(chosen)


@dataclass(frozen=True)
class ChangeFigures:
    """One sample's change of each mean indicator (sector), as `barometre compare` computes it:
    the library's intervals (ci_low, ci_high) of the population and panel change."""

    population: np.ndarray
    se: np.ndarray
    df: np.ndarray
    low: np.ndarray
    high: np.ndarray
    covariance: np.ndarray
    shared: np.ndarray
    panel: np.ndarray
    panel_se: np.ndarray
    panel_low: np.ndarray
    panel_high: np.ndarray
    # the same with the jackknife (population: replicate V1, V2, linearised correlation)
    jk_se: np.ndarray
    jk_low: np.ndarray
    jk_high: np.ndarray
    jk_covariance: np.ndarray
    jk_panel_se: np.ndarray
    jk_panel_low: np.ndarray
    jk_panel_high: np.ndarray
    n_second: int
    census_first: bool  # the wave's design has a census stratum
    census_second: bool


def change(pop: Population, wave: SecondWave, rows: np.ndarray, rows2: np.ndarray) -> ChangeFigures:
    """The change file's population and panel change (as compare_wave_scores: each wave
    weighted to the frame by `weight_to_frame`, compare_waves per indicator), linearised and
    with each wave's re-calibrated jackknife."""
    first, _ = weight_to_frame(pop.table.iloc[rows].reset_index(drop=True), pop.frame, pop.min_cell)
    second, _ = weight_to_frame(
        wave.table.iloc[rows2].reset_index(drop=True), pop.frame, pop.min_cell
    )
    first_jk, second_jk = first.jackknife(), second.jackknife()
    parts: list[tuple[float, ...]] = []
    for column in wave.indicators:
        c, jk = (
            compare_waves(
                a.subset(a.data[column].notna()),
                b.subset(b.data[column].notna()),
                column,
                "organisation_id",
            )
            for a, b in ((first, second), (first_jk, second_jk))
        )
        population, panel = c.population, c.panel
        assert population.df is not None and panel is not None and jk.panel is not None
        parts.append(
            (
                population.value,
                population.se,
                population.df,
                population.ci_low,
                population.ci_high,
                population.covariance,
                population.shared,
                panel.value,
                panel.se,
                panel.ci_low,
                panel.ci_high,
                jk.population.se,
                jk.population.ci_low,
                jk.population.ci_high,
                jk.population.covariance,
                jk.panel.se,
                jk.panel.ci_low,
                jk.panel.ci_high,
            )
        )
    columns = [np.array(x, dtype=float) for x in zip(*parts, strict=True)]
    census = [STRATUM_COLUMN in d.data.columns for d in (first, second)]
    names = (
        "population",
        "se",
        "df",
        "low",
        "high",
        "covariance",
        "shared",
        "panel",
        "panel_se",
        "panel_low",
        "panel_high",
        "jk_se",
        "jk_low",
        "jk_high",
        "jk_covariance",
        "jk_panel_se",
        "jk_panel_low",
        "jk_panel_high",
    )
    return ChangeFigures(
        **dict(zip(names, columns, strict=True)),
        n_second=len(rows2),
        census_first=census[0],
        census_second=census[1],
    )


@dataclass
class ChangeTally:
    """One scenario: the population change (the library's interval, and the same as if the
    waves were independent: V1 + V2 without the covariance) and the panel change of each mean
    indicator of the sector."""

    population: Tally
    panel: Tally
    samples: int = 0
    census_first: int = 0
    census_second: int = 0
    shared_sum: float = 0.0
    n_second_sum: float = 0.0

    @classmethod
    def empty(cls, indicators: int) -> ChangeTally:
        return cls(
            Tally.empty((indicators,), CHANGE_METHODS),
            Tally.empty((indicators,), PANEL_METHODS),
        )

    def add(self, wave: SecondWave, figures: ChangeFigures) -> None:
        shown = np.ones(len(wave.indicators), dtype=bool)  # the sector: always published
        n = np.full(len(wave.indicators), float(figures.n_second))
        independent = np.sqrt(np.maximum(figures.se**2 + 2.0 * figures.covariance, 0.0))
        bounds = {
            CHANGE_METHODS[0]: (figures.low, figures.high),
            CHANGE_METHODS[1]: mean_bounds(figures.population, independent, figures.df, "t"),
            CHANGE_METHODS[2]: (figures.jk_low, figures.jk_high),
        }
        se = {"linearisation": figures.se, "independent": independent, "jackknife": figures.jk_se}
        self.population.add(wave.truth, figures.population, n, shown, bounds, se)
        # The panel change estimates the change of the organisations the panel represents:
        # with a random panel and the same missing values in both waves, the frame's change.
        self.panel.add(
            wave.truth,
            figures.panel,
            n,
            shown,
            {
                PANEL_METHODS[0]: (figures.panel_low, figures.panel_high),
                PANEL_METHODS[1]: (figures.jk_panel_low, figures.jk_panel_high),
            },
            {"linearisation": figures.panel_se, "jackknife": figures.jk_panel_se},
        )
        self.samples += 1
        self.census_first += figures.census_first
        self.census_second += figures.census_second
        self.shared_sum += float(figures.shared[0])
        self.n_second_sum += figures.n_second


@threadpool_limits.wrap(limits=1, user_api="blas")
def run_change(pop: Population, samples: int) -> tuple[SecondWave, dict[str, ChangeTally]]:
    """`samples` pairs of waves per scenario: wave 1 as `draw`, wave 2 as `draw_second` (on
    one BLAS thread, as `compare_wave_scores`: the jackknife's ranks are small matrices)."""
    wave = second_wave(pop)
    tallies = {s: ChangeTally.empty(len(wave.indicators)) for s in CHANGE_SCENARIOS}
    for sample in range(samples):
        rows = draw(pop, sample)
        for scenario, tally in tallies.items():
            census = scenario != CHANGE_SCENARIOS[0]
            rows2 = draw_second(pop, wave, rows, sample, census)
            tally.add(wave, change(pop, wave, rows, rows2))
    return wave, tallies


# -- output ---------------------------------------------------------------------------------------


def _cell(tally: Tally, index: tuple[int, ...]) -> str:
    if tally.published[index] < 2:
        return f"{'(not published)':>22}"
    parts = []
    for method in METHODS:
        value = tally.coverage(method)[index]
        parts.append(f"{value:6.1f}{'!' if value < 100 * TARGET else ' '}")
    ratios = " ".join(f"{tally.se_ratio(v)[index]:5.2f}" for v in ("linearisation", "jackknife"))
    return " ".join(parts) + "  " + ratios


def _header(first: str) -> list[str]:
    header = (
        f"{first:<28} {'indicator':<30} {'samples':>7} {'mean n':>6}  "
        + " ".join(f"{m:>7}" for m in ("lin z", "lin t", "jack t"))
        + "   SE/SD: lin  jack"
    )
    return [header, "-" * len(header)]


def _line(tally: Tally, index: tuple[int, ...], row: str, label: str) -> str:
    count = max(tally.published[index], 1)
    return (
        f"{row:<28} {label:<30} {int(tally.published[index]):>7} "
        f"{tally.n_sum[index] / count:>6.1f}  {_cell(tally, index)}"
    )


def table(pop: Population, tally: Tally) -> list[str]:
    """The coverage table of means and shares: the sector's every indicator, then each domain's
    global index and its lowest-covered other mean and share."""
    lines = _header("domain")
    jack = tally.coverage("jackknife, t")

    def row(d: int) -> str:
        variable, level = pop.domains[d]
        return f"{variable} {level}"

    for j, indicator in enumerate(pop.indicators):
        lines.append(_line(tally, (0, j), row(0), indicator))
    lines.append("")
    for d in range(1, len(pop.domains)):
        lines.append(_line(tally, (d, 0), row(d), "global"))
        for kind in ("mean", "share"):
            others = [
                j
                for j in range(1, len(pop.indicators))
                if pop.kinds[j] == kind and tally.published[d, j] >= 2
            ]
            if others:
                worst = min(others, key=lambda j: jack[d, j])
                lines.append(
                    _line(tally, (d, worst), row(d), f"lowest: {pop.indicators[worst]}"[:30])
                )
    return lines


def contrast_table(pop: Population, tally: Tally) -> list[str]:
    """Each pair's difference of the global index and its lowest-covered dimension."""
    lines = _header("contrast")
    jack = tally.coverage("jackknife, t")
    for p, pair in enumerate(pop.pairs):
        row = f"{pair.variable} {pair.label}"
        lines.append(_line(tally, (p, 0), row, "global"))
        others = [c for c in range(1, len(pop.compared)) if tally.published[p, c] >= 2]
        if others:
            worst = min(others, key=lambda c: jack[p, c])
            label = f"lowest: {pop.indicators[pop.compared[worst]]}"[:30]
            lines.append(_line(tally, (p, worst), row, label))
    return lines


def summary(pop: Population, tallies: Tallies) -> list[str]:
    """Per figure kind and method: the lowest and median coverage, the figures below target."""
    share = np.array([kind == "share" for kind in pop.kinds])
    kinds = (
        ("means", tallies.figures, np.broadcast_to(~share, tallies.figures.published.shape)),
        ("shares", tallies.figures, np.broadcast_to(share, tallies.figures.published.shape)),
        ("contrasts", tallies.contrasts, np.ones(tallies.contrasts.published.shape, bool)),
    )
    lines = []
    for name, tally, selected in kinds:
        shown = selected & (tally.published >= 2)
        if not shown.any():
            continue
        for method in METHODS:
            cov = tally.coverage(method)[shown]
            below = int((cov < 100 * TARGET).sum())
            lines.append(
                f"{name:<10} {method:<18} lowest {cov.min():5.1f} %, median "
                f"{np.median(cov):5.1f} %, {below} of {int(shown.sum())} figures below "
                f"{100 * TARGET:.0f} %"
            )
    return lines


def below_target(pop: Population, tally: Tally, method: str = "jackknife, t") -> list[str]:
    """Every published mean or share whose coverage is below the target with `method`."""
    coverage = tally.coverage(method)
    lines = []
    for d, j in zip(*np.nonzero((tally.published >= 2) & (coverage < 100 * TARGET)), strict=True):
        variable, level = pop.domains[d]
        lines.append(
            f"  {variable + ' ' + level:<26} {pop.indicators[j]:<22} {coverage[d, j]:5.1f} %"
            f"  ({int(tally.published[d, j])} samples, mean n "
            f"{tally.n_sum[d, j] / tally.published[d, j]:.1f})"
        )
    return lines


def change_table(wave: SecondWave, tallies: dict[str, ChangeTally]) -> list[str]:
    """Per scenario: coverage of the population change (linearised, with the jackknife, and
    linearised without the covariance) and of the panel change (linearised, with the
    jackknife), each with SE / SD; the Monte Carlo SE of a coverage near 95 % once."""
    header = (
        f"{'indicator':<22} {'truth':>6}  {'population: lin':>15} {'SE/SD':>5} "
        f"{'jack':>6} {'SE/SD':>5} {'no cov':>7}  {'panel: lin':>10} {'SE/SD':>5} "
        f"{'jack':>6} {'SE/SD':>5}"
    )

    def cell(value: float) -> str:
        return f"{value:.1f}{'!' if value < 100 * TARGET else ' '}"

    lines: list[str] = []
    for scenario, tally in tallies.items():
        r = tally.samples
        lines.append(
            f"{scenario}: {r} pairs of waves; wave 2 mean n {tally.n_second_sum / max(r, 1):.1f}, "
            f"mean shared {tally.shared_sum / max(r, 1):.1f}; census stratum in wave 1 "
            f"{tally.census_first} times, in wave 2 {tally.census_second} times; Monte Carlo "
            f"SE of a coverage near 95 %: {mc_se(95.0, r):.2f} points"
        )
        lines += [header, "-" * len(header)]
        population, panel = tally.population, tally.panel
        for j, indicator in enumerate(wave.indicators):
            lines.append(
                f"{indicator:<22} {wave.truth[j]:>6.2f}  "
                f"{cell(population.coverage(CHANGE_METHODS[0])[j]):>15} "
                f"{population.se_ratio('linearisation')[j]:>5.2f} "
                f"{cell(population.coverage(CHANGE_METHODS[2])[j]):>6} "
                f"{population.se_ratio('jackknife')[j]:>5.2f} "
                f"{population.coverage(CHANGE_METHODS[1])[j]:>7.1f}  "
                f"{cell(panel.coverage(PANEL_METHODS[0])[j]):>10} "
                f"{panel.se_ratio('linearisation')[j]:>5.2f} "
                f"{cell(panel.coverage(PANEL_METHODS[1])[j]):>6} "
                f"{panel.se_ratio('jackknife')[j]:>5.2f}"
            )
        lines.append("")
    return lines[:-1]


def wave_timing(questionnaire: Questionnaire) -> list[str]:
    """A wave's computation (estimate_wave on the demo's first wave), per variance method."""
    from barometre.stats.sector.wave import estimate_wave

    sector = simulate_sector(questionnaire, organisations=ORGANISATIONS, seed=SEED)
    scores = score_responses(questionnaire, sector.responses).to_file()
    lines = []
    for variance in ("linearisation", "jackknife"):
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            estimate_wave(scores, sector.frame, questionnaire, variance=variance)
            best = min(best, time.perf_counter() - started)
        lines.append(f"estimate_wave (demo wave, 154 organisations), {variance:<14} {best:6.2f} s")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1000, help="samples drawn (default 1000)")
    parser.add_argument(
        "--change-samples",
        type=int,
        default=1000,
        help="pairs of waves drawn per change scenario (default 1000; 0: no change part)",
    )
    parser.add_argument("--no-timing", action="store_true", help="skip the wave timing")
    args = parser.parse_args(argv)
    if args.samples < 2:
        parser.error("--samples must be at least 2")
    if args.change_samples != 0 and args.change_samples < 2:
        parser.error("--change-samples must be 0 or at least 2")
    questionnaire = load_questionnaire("hlm-2026")
    started = time.perf_counter()
    pop, tallies = run(args.samples, questionnaire)
    seconds = time.perf_counter() - started
    print(
        f"Coverage of the nominal 95 % intervals: SYNTHETIC demo frame ({ORGANISATIONS} "
        f"organisations, seed {SEED}, hlm-2026), {args.samples} samples of "
        f"{round(RESPONSE_RATE * ORGANISATIONS)} responding organisations, response by "
        f"organisation type and size class only ({seconds:.0f} s)"
    )
    print(
        "Coverage in %, '!' below 94 %; SE/SD: mean standard error / standard deviation of the "
        "estimates over the samples; a figure counts when published (>= "
        f"{pop.min_domain} organisations). Monte Carlo SE of a coverage near 95 %: "
        f"{mc_se(95.0, args.samples):.2f} points."
    )
    print()
    for text in table(pop, tallies.figures):
        print(text)
    print()
    print("Pairwise contrasts (second minus first), as the estimates file publishes them:")
    for text in contrast_table(pop, tallies.contrasts):
        print(text)
    print()
    for text in summary(pop, tallies):
        print(text)
    print()
    print(f"Means and shares below {100 * TARGET:.0f} % with the jackknife (the default):")
    for text in below_target(pop, tallies.figures) or ["  none"]:
        print(text)
    if args.change_samples:
        started = time.perf_counter()
        wave, changes = run_change(pop, args.change_samples)
        seconds = time.perf_counter() - started
        print()
        print(
            f"Change between two waves (sector; {int(100 * PANEL)} % of wave 1 answers again; "
            f"{seconds:.0f} s): coverage in %, '!' below 94 %, of the population change "
            "(V1 + V2 - 2C) linearised, with the jackknife (replicate V1 and V2, C from the "
            "linearised correlation) and linearised without the covariance ('no cov'), and of "
            "the panel change linearised and on wave 2's jackknife"
        )
        for text in change_table(wave, changes):
            print(text)
    if not args.no_timing:
        print()
        for text in wave_timing(questionnaire):
            print(text)


if __name__ == "__main__":
    main()
