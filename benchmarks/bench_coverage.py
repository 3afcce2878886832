"""Coverage simulation: do the sector estimate's 95 % intervals cover 95 % of the time? (SYNTHETIC)

The demo's frame (570 synthetic organisations, seed 2026, hlm-2026) is simulated with a response
rate of 1 and every organisation is scored: that is the finite population, and its true values
are the means over every organisation of the frame with a value (the global index, each
dimension, each axis), in the sector and in each organisation type, size class and region.

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
value +/- t_df SE with df of the domain's design (R `degf`), and for comparison linearisation
with the normal quantile (the intervals before t, which an outside reviewer measured at
90.9-92.4 %). A figure counts in a sample only when it would be published: its domain and its
figure rest on at least `disclosure_minimum` responding organisations (complementary
suppression is not applied here).

The per-sample work is vectorised: one calibration per sample (the jackknife replays it in all
154 replicates at once), and all figures of all domains come from matrix products over
organisations x (domain, indicator). `tests/stats/test_bench_coverage.py` checks these
figures equal `SurveyDesign.mean` on a sample.

    .venv/bin/python benchmarks/bench_coverage.py [--samples 1000]

Cells below 94 % are flagged with `!`. Seeded and deterministic: the same samples every run.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from barometre.questionnaire import load_questionnaire
from barometre.questionnaire.models import Questionnaire
from barometre.scoring import score_responses
from barometre.simulate import simulate_sector
from barometre.stats.linearisation import linearised_covariance
from barometre.stats.sector.inputs import ORGANISATION_TYPES, SIZE_CLASSES, check_inputs
from barometre.stats.sector.weighting import weight_to_frame

SEED = 2026
ORGANISATIONS = 570
RESPONSE_RATE = 0.27
TARGET = 0.94
Z = float(stats.norm.ppf(0.975))
#: The methods of the table: (label, variance, quantile). "linearisation, z" is the interval
#: before t intervals, for comparison with the reviewer's measure.
METHODS = ("linearisation, z", "linearisation, t", "jackknife, t")


@dataclass(frozen=True)
class Population:
    """The finite population: every organisation of the frame, scored."""

    frame: pd.DataFrame
    table: pd.DataFrame  # one row per organisation: scores and frame attributes
    indicators: tuple[str, ...]
    domains: tuple[tuple[str, str], ...]
    values: np.ndarray  # organisations x indicators, NaN when missing
    masks: np.ndarray  # organisations x domains
    truth: np.ndarray  # domains x indicators
    propensity: np.ndarray  # organisations
    min_cell: int
    min_domain: int


@dataclass(frozen=True)
class SampleFigures:
    """Every figure of one sample: domains x indicators."""

    value: np.ndarray
    n: np.ndarray
    organisations: np.ndarray  # responding organisations per domain
    se: dict[str, np.ndarray]  # variance method -> SE
    df: dict[str, np.ndarray]  # variance method -> df per domain


def population(questionnaire: Questionnaire) -> Population:
    sector = simulate_sector(
        questionnaire, organisations=ORGANISATIONS, response_rate=1.0, seed=SEED
    )
    scores = score_responses(questionnaire, sector.responses).to_file().organisation_table()
    dimensions = [d.id for d in questionnaire.dimensions]
    inputs = check_inputs(scores, sector.frame, dimensions, None, None)
    table = inputs.respondents.reset_index(drop=True)
    indicators = ("global", *dimensions, "tech", "transfo")
    values = table[list(indicators)].to_numpy(dtype=float)
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
    # The demo's propensity exp(0.4 tech_latent), kept only through organisation type and size
    # class: least squares of 0.4 tech_latent on their main effects.
    latent = sector.latent.set_index("organisation_id").loc[table["organisation_id"]]
    log_propensity = 0.4 * latent["tech_latent"].to_numpy()
    design = pd.get_dummies(table[["organisation_type", "size_class"]], drop_first=True)
    x = np.column_stack([np.ones(len(table)), design.to_numpy(dtype=float)])
    coefficients, *_ = np.linalg.lstsq(x, log_propensity, rcond=None)
    method = questionnaire.methodology
    return Population(
        frame=inputs.frame,
        table=table,
        indicators=indicators,
        domains=tuple(domains),
        values=values,
        masks=masks,
        truth=truth,
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
    """Weighted means of every indicator in every domain, with linearised and jackknife SEs."""
    respondents = pop.table.iloc[rows].reset_index(drop=True)
    design, _report = weight_to_frame(respondents, pop.frame, pop.min_cell)
    y, masks = pop.values[rows], pop.masks[rows]
    finite = np.isfinite(y)
    cells = masks[:, :, None] & finite[:, None, :]  # organisations x domains x indicators
    y0 = np.where(finite, y, 0.0)
    a = cells * y0[:, None, :]
    w = design.weights
    n, k = len(rows), cells.shape[1] * cells.shape[2]
    top, bottom = w @ a.reshape(n, k), w @ cells.reshape(n, k)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = top / bottom
    # influence values of a domain mean: w I (y - mean) / sum w I (0 outside the domain)
    y_cells = np.broadcast_to(y0[:, None, :], cells.shape).reshape(n, k)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = w[:, None] * cells.reshape(n, k) * (y_cells - value) / bottom
    z = np.nan_to_num(z)
    state = design._state  # the library's own linearisation, on every figure at once
    linear = np.diag(linearised_covariance(z, state.structure, state.steps))
    jack = design.jackknife()
    replicates = jack.replicate_weights
    assert replicates is not None and jack._state.scheme is not None
    with np.errstate(invalid="ignore", divide="ignore"):
        thetas = (replicates.T @ a.reshape(n, k)) / (replicates.T @ cells.reshape(n, k))
    jackknife = jack._state.scheme.variance(thetas, value)
    df_linear = np.array([design.subset(m).degrees_of_freedom for m in masks.T], dtype=float)
    df_jack = np.array([jack.subset(m).degrees_of_freedom for m in masks.T], dtype=float)
    shape = cells.shape[1:]
    return SampleFigures(
        value=value.reshape(shape),
        n=cells.sum(axis=0),
        organisations=masks.sum(axis=0),
        se={
            "linearisation": np.sqrt(np.maximum(linear, 0.0)).reshape(shape),
            "jackknife": np.sqrt(np.maximum(jackknife, 0.0)).reshape(shape),
        },
        df={"linearisation": df_linear, "jackknife": df_jack},
    )


def critical(df: np.ndarray) -> np.ndarray:
    """t_{df} at 97.5 %, the normal quantile below 1 degree of freedom (intervals.critical)."""
    safe = np.where(df >= 1, df, 1.0)
    return np.where(df >= 1, stats.t.ppf(0.975, safe), Z)


@dataclass
class Tally:
    """Running sums over the samples, per (domain, indicator)."""

    published: np.ndarray
    covered: dict[str, np.ndarray]
    se_sum: dict[str, np.ndarray]
    value_sum: np.ndarray
    value_squares: np.ndarray
    n_sum: np.ndarray

    @classmethod
    def empty(cls, shape: tuple[int, int]) -> Tally:
        return cls(
            published=np.zeros(shape),
            covered={m: np.zeros(shape) for m in METHODS},
            se_sum={v: np.zeros(shape) for v in ("linearisation", "jackknife")},
            value_sum=np.zeros(shape),
            value_squares=np.zeros(shape),
            n_sum=np.zeros(shape),
        )

    def add(self, pop: Population, figures: SampleFigures) -> None:
        shown = (figures.n >= pop.min_domain) & (figures.organisations[:, None] >= pop.min_domain)
        shown &= np.isfinite(pop.truth)
        error = np.abs(figures.value - pop.truth)
        for method in METHODS:
            variance = "linearisation" if method.startswith("linearisation") else "jackknife"
            if method.endswith(", z"):
                factor = np.full_like(figures.df[variance], Z)
            else:
                factor = critical(figures.df[variance])
            half = factor[:, None] * figures.se[variance]
            self.covered[method] += shown & (error <= half)
        for variance, se in figures.se.items():
            self.se_sum[variance] += np.where(shown, se, 0.0)
        self.published += shown
        self.value_sum += np.where(shown, figures.value, 0.0)
        self.value_squares += np.where(shown, figures.value**2, 0.0)
        self.n_sum += np.where(shown, figures.n, 0.0)


def run(samples: int, questionnaire: Questionnaire | None = None) -> tuple[Population, Tally]:
    pop = population(questionnaire or load_questionnaire("hlm-2026"))
    tally = Tally.empty(pop.truth.shape)
    for sample in range(samples):
        tally.add(pop, estimate(pop, draw(pop, sample)))
    return pop, tally


def table(pop: Population, tally: Tally) -> list[str]:
    """The coverage table: the sector's every indicator, then each domain's global index and
    its lowest-covered other indicator."""
    count = np.maximum(tally.published, 1)
    coverage = {m: 100 * tally.covered[m] / count for m in METHODS}
    mean = tally.value_sum / count
    sd = np.sqrt(
        np.maximum(tally.value_squares / count - mean**2, 0.0) * (count / np.maximum(count - 1, 1))
    )
    ratio = {v: (tally.se_sum[v] / count) / np.where(sd > 0, sd, np.nan) for v in tally.se_sum}

    def cell(d: int, j: int) -> str:
        if tally.published[d, j] < 2:
            return f"{'(not published)':>22}"
        parts = []
        for method in METHODS:
            value = coverage[method][d, j]
            parts.append(f"{value:6.1f}{'!' if value < 100 * TARGET else ' '}")
        ratios = " ".join(f"{ratio[v][d, j]:5.2f}" for v in ("linearisation", "jackknife"))
        return " ".join(parts) + "  " + ratios

    header = (
        f"{'domain':<26} {'indicator':<22} {'samples':>7} {'mean n':>6}  "
        + " ".join(f"{m:>7}" for m in ("lin z", "lin t", "jack t"))
        + "   SE/SD: lin  jack"
    )
    lines = [header, "-" * len(header)]

    def line(d: int, j: int, label: str) -> str:
        variable, level = pop.domains[d]
        return (
            f"{variable + ' ' + level:<26} {label:<22} {int(tally.published[d, j]):>7} "
            f"{tally.n_sum[d, j] / max(tally.published[d, j], 1):>6.1f}  {cell(d, j)}"
        )

    for j, indicator in enumerate(pop.indicators):
        lines.append(line(0, j, indicator))
    lines.append("")
    for d in range(1, len(pop.domains)):
        lines.append(line(d, 0, "global"))
        others = [j for j in range(1, len(pop.indicators)) if tally.published[d, j] >= 2]
        if others:
            worst = min(others, key=lambda j: coverage["jackknife, t"][d, j])
            lines.append(line(d, worst, f"lowest: {pop.indicators[worst]}"[:22]))
    return lines


def summary(tally: Tally) -> list[str]:
    lines = []
    shown = tally.published >= 2
    for method in METHODS:
        cov = 100 * tally.covered[method] / np.maximum(tally.published, 1)
        below = int((shown & (cov < 100 * TARGET)).sum())
        lines.append(
            f"{method:<18} lowest {cov[shown].min():5.1f} %, median {np.median(cov[shown]):5.1f}"
            f" %, {below} of {int(shown.sum())} figures below {100 * TARGET:.0f} %"
        )
    return lines


def below_target(pop: Population, tally: Tally, method: str = "jackknife, t") -> list[str]:
    """Every published figure whose coverage is below the target with `method`."""
    count = np.maximum(tally.published, 1)
    coverage = 100 * tally.covered[method] / count
    lines = []
    for d, j in zip(*np.nonzero((tally.published >= 2) & (coverage < 100 * TARGET)), strict=True):
        variable, level = pop.domains[d]
        lines.append(
            f"  {variable + ' ' + level:<26} {pop.indicators[j]:<22} {coverage[d, j]:5.1f} %"
            f"  ({int(tally.published[d, j])} samples, mean n "
            f"{tally.n_sum[d, j] / tally.published[d, j]:.1f})"
        )
    return lines


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
    parser.add_argument("--no-timing", action="store_true", help="skip the wave timing")
    args = parser.parse_args(argv)
    if args.samples < 2:
        parser.error("--samples must be at least 2")
    questionnaire = load_questionnaire("hlm-2026")
    started = time.perf_counter()
    pop, tally = run(args.samples, questionnaire)
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
        f"{pop.min_domain} organisations)."
    )
    print()
    for text in table(pop, tally):
        print(text)
    print()
    for text in summary(tally):
        print(text)
    print()
    print(f"Figures below {100 * TARGET:.0f} % with the jackknife (the default):")
    for text in below_target(pop, tally) or ["  none"]:
        print(text)
    if not args.no_timing:
        print()
        for text in wave_timing(questionnaire):
            print(text)


if __name__ == "__main__":
    main()
