"""A wave's statistics from the engine's files: sector estimate, reliability, wave change.

These functions join the scores file, the frame and the questionnaire to the estimation
layer, so that the command line and the web application call one function each. Every
threshold comes from the questionnaire's methodology (`disclosure_minimum`,
`calibration_min_cell`), and so does the variance method (`variance`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
from threadpoolctl import threadpool_limits

from barometre.comparability import WaveMethod, check_comparable
from barometre.contracts.change import (
    ChangeFile,
    ChangeMethod,
    Difference,
    IndicatorChange,
    SuppressedChange,
)
from barometre.contracts.estimates import (
    DimensionReliability,
    EstimatesFile,
    VarianceMethod,
    WeakItem,
)
from barometre.contracts.scores import ScoresFile
from barometre.contracts.vocabulary import FAMILIES
from barometre.errors import StatisticsError
from barometre.questionnaire.models import Questionnaire
from barometre.scoring.result import methodology_ref
from barometre.stats.arguments import check_choice
from barometre.stats.design import SurveyDesign
from barometre.stats.reliability import dimension_reliability
from barometre.stats.sector.estimate import VARIANCE_METHODS, estimate_sector, replicated_design
from barometre.stats.sector.inputs import check_inputs
from barometre.stats.sector.weighting import weight_to_frame
from barometre.stats.waves import Change, WaveComparison, compare_waves

Variance = VarianceMethod


def estimate_wave(
    scores: ScoresFile,
    frame: pd.DataFrame,
    questionnaire: Questionnaire,
    *,
    wave_year: int | None = None,
    variance: Variance | None = None,
    replicates: int | None = None,
    seed: int | None = None,
) -> EstimatesFile:
    """The estimates file of `barometre estimate` (see docs/statistics.md). variance,
    replicates, seed: None, the questionnaire's (`methodology.variance`)."""
    check_comparable(
        WaveMethod.of_questionnaire(questionnaire), WaveMethod.of_file(scores), "scores"
    )
    method = questionnaire.methodology
    estimate = estimate_sector(
        scores.organisation_table(),
        frame,
        dimensions=[d.id for d in questionnaire.dimensions],
        variance=method.variance.method if variance is None else variance,
        replicates=method.variance.replicates if replicates is None else replicates,
        seed=method.variance.seed if seed is None else seed,
        min_cell=method.calibration_min_cell,
        min_domain=method.disclosure_minimum,
        level_order=[level.code for level in method.levels],
        # no typology: an empty order, so no family shares and no axis means
        typology_order=FAMILIES if method.typology is not None else (),
    )
    return EstimatesFile(
        wave_year=wave_year,
        questionnaire=scores.questionnaire,
        methodology=methodology_ref(method),
        frame=estimate.frame_record(),
        method=estimate.method_record(),
        indicators=estimate.indicators_record(),
        weighting=estimate.weighting_record(),
        domains=estimate.domains_record(),
        hidden_peer_cells=estimate.hidden_peer_cells_record(),
        contrasts=estimate.contrasts_record(),
        reliability=reliability(scores, questionnaire),
    )


def reliability(
    scores: ScoresFile, questionnaire: Questionnaire
) -> tuple[DimensionReliability, ...]:
    """Alpha (Feldt interval), omega and weakest items of each dimension, over organisations."""
    minimum = questionnaire.methodology.disclosure_minimum
    items = scores.item_table()
    by_dimension: dict[str, pd.DataFrame] = {}
    for each in questionnaire.dimensions:
        columns = [
            i.id
            for i in questionnaire.scored_items
            if i.dimension == each.id and i.id in items.columns
        ]
        if len(columns) >= 2:
            by_dimension[each.id] = items[columns]
    records = []
    for dimension, table in by_dimension.items():
        try:
            [record] = dimension_reliability({dimension: table})
        except StatisticsError as error:  # e.g. an item that does not vary in a small wave
            records.append(
                DimensionReliability(
                    dimension=dimension,
                    suppressed=True,
                    reason=str(error),
                    organisations=None,
                    alpha=None,
                    alpha_ci=None,
                    omega=None,
                    weakest_items=(),
                )
            )
            continue
        suppressed = record.n < minimum
        records.append(
            DimensionReliability(
                dimension=record.dimension,
                organisations=None if suppressed else record.n,
                items=record.k,
                organisations_dropped=record.n_dropped,
                suppressed=suppressed,
                alpha=None if suppressed else record.alpha,
                alpha_ci=None if suppressed else (record.alpha_ci_low, record.alpha_ci_high),
                omega=None if suppressed else record.omega,
                omega_note=record.omega_note,
                weakest_items=()
                if suppressed
                else tuple(
                    WeakItem(
                        item=s.item,
                        item_rest_correlation=s.item_rest_correlation,
                        alpha_if_deleted=s.alpha_if_deleted,
                    )
                    for s in record.weakest_items
                ),
            )
        )
    return tuple(records)


def calibrated_design(
    scores: ScoresFile, frame: pd.DataFrame, dimensions: Sequence[str], min_cell: int
) -> SurveyDesign:
    inputs = check_inputs(scores.organisation_table(), frame, dimensions, None, None)
    design, _report = weight_to_frame(inputs.respondents, inputs.frame, min_cell)
    return design


# One BLAS thread, as estimate_sector: the ranks of the replicate weights (the panel's degrees
# of freedom) are eigendecompositions of small matrices, which two BLAS threads spin on against
# a busy CPU (docs/statistics.md, "Computation time").
@threadpool_limits.wrap(limits=1, user_api="blas")
def compare_wave_scores(
    before: ScoresFile,
    before_frame: pd.DataFrame,
    after: ScoresFile,
    after_frame: pd.DataFrame,
    questionnaire: Questionnaire,
    *,
    before_year: int | None = None,
    after_year: int | None = None,
    questionnaires: tuple[Questionnaire, Questionnaire] | None = None,
    source: str = "waves",
    variance: Variance | None = None,
    replicates: int | None = None,
    seed: int | None = None,
) -> ChangeFile:
    """Population change (each wave weighted to its own frame) and panel change (organisations
    in both waves) of the global index, both axes and every dimension. The waves must be
    comparable (`comparability.check_comparable`).

    variance, replicates, seed: None, the questionnaire's (`methodology.variance`). With the
    jackknife or the bootstrap, each wave's calibrated design gets its replicate weights (as
    its estimates): the panel change's variance is the later wave's replicate variance, the
    population change's V1 and V2 each wave's, with the covariance from the linearised
    correlation (`stats.waves`); when either wave's replicates cannot be calibrated again, the
    whole change is linearised and `method.variance_fallback` says why."""
    check_comparable(WaveMethod.of_file(before), WaveMethod.of_file(after), source, questionnaires)
    check_comparable(WaveMethod.of_questionnaire(questionnaire), WaveMethod.of_file(after), source)
    method = questionnaire.methodology
    minimum = method.disclosure_minimum
    dimensions = [d.id for d in questionnaire.dimensions]
    requested = method.variance.method if variance is None else variance
    requested = check_choice(requested, "variance", "compare_wave_scores", VARIANCE_METHODS)
    count = method.variance.replicates if replicates is None else replicates
    seed = method.variance.seed if seed is None else seed
    first = calibrated_design(before, before_frame, dimensions, method.calibration_min_cell)
    second = calibrated_design(after, after_frame, dimensions, method.calibration_min_cell)
    used: Variance = requested
    fallback = None
    if requested != "linearisation":
        try:
            first, second = (replicated_design(d, requested, count, seed) for d in (first, second))
        except StatisticsError as error:
            # As estimate_sector: a wave so sparse that its calibration has no solution once an
            # organisation is left out. Both waves are then linearised (one estimator for the
            # change), and the method says why.
            fallback = f"{requested} not possible ({error}); the variance is linearised"
            used = "linearisation"
    changes: dict[str, IndicatorChange | SuppressedChange] = {}
    axes = ["tech", "transfo"] if method.typology is not None else []
    for column in ["global", *axes, *dimensions]:
        try:
            comparison = compare_waves(
                first.subset(first.data[column].notna()),
                second.subset(second.data[column].notna()),
                column,
                "organisation_id",
            )
        except StatisticsError as error:
            changes[column] = SuppressedChange(reason=str(error))
            continue
        changes[column] = _indicator_change(comparison, minimum)
    return ChangeFile(
        before=before.questionnaire,
        after=after.questionnaire,
        before_year=before_year,
        after_year=after_year,
        methodology_version=method.version,
        method=ChangeMethod(
            population=_population_text(used, fallback is not None),
            panel=_panel_text(used, fallback is not None),
            suppression=f"no figure resting on fewer than {minimum} organisations; the panel "
            f"change is suppressed when the organisations that left or joined number between 1 "
            f"and {minimum - 1} (the sector figures would give their total by subtraction); "
            f"the covariance is not given when 1 to {minimum - 1} organisations are in both "
            "waves",
            variance=used,
            variance_fallback=fallback,
        ),
        indicators=changes,
    )


def _population_text(used: Variance, fell_back: bool) -> str:
    """The change file's words for the population change's variance, as it was computed."""
    if used == "linearisation":
        why = (
            ", the replicates of a wave not being possible (`variance_fallback`)"
            if fell_back
            else ", the variance method asked for"
        )
        terms = f"V1, V2 and C are linearised with each wave's calibration residuals{why}"
    else:
        terms = (
            f"V1 and V2 are each wave's {used} variance, its calibration redone in every "
            "replicate (as its estimates), and C = rho sqrt(V1 V2), rho the correlation of the "
            "two means linearised with each wave's calibration residuals and bounded to "
            "[-1, 1] (replicate weights cannot be paired across two waves drawn each on its "
            "own; the linearised correlation is consistent and the variances get the "
            "replicate correction)"
        )
    return (
        "difference of the two weighted means, each wave weighted to its own frame; variance "
        "V1 + V2 - 2 C, C the covariance of the two means that the organisations in both waves "
        f"create (`covariance`, over the `shared` organisations); {terms}; Student interval at "
        "`df`, the degrees of freedom of the two waves stacked (organisations with a value in "
        "either wave minus the strata), normal below 1"
    )


def _panel_text(used: Variance, fell_back: bool) -> str:
    """The change file's words for the panel change's variance, as it was computed."""
    start = (
        "weighted mean of the within-organisation change over the organisations present in "
        "both waves, with the later wave's weights; its variance is "
    )
    if used == "linearisation":
        why = (
            ", the replicates of a wave not being possible (`variance_fallback`)"
            if fell_back
            else ", the variance method asked for"
        )
        return (
            f"{start}linearised in the later wave's calibrated design (its calibration "
            f"residuals){why} (the covariance of the overlap is in the paired differences); "
            "Student interval at `df`, the degrees of freedom of that design for the indicator "
            "(its organisations with a value minus the strata; the panel is a domain of it), "
            "normal below 1"
        )
    return (
        f"{start}the {used} variance of that domain mean in the later wave's calibrated design, "
        "its calibration redone in every replicate (the covariance of the overlap is in the "
        "paired differences); Student interval at `df`, the degrees of freedom of that design "
        "for the indicator (the rank of its replicate weights over the organisations with a "
        "value, minus 1; the panel is a domain of it), normal below 1"
    )


def _indicator_change(c: WaveComparison, minimum: int) -> IndicatorChange:
    def difference(x: Change | None, population: bool) -> Difference:
        if x is None or x.n < minimum:
            return Difference(suppressed=True, suppression="primary")
        # The covariance rests on the organisations in both waves: none (0) or at least the
        # minimum, else it is not given (the change itself rests on both whole waves).
        covariance = x.covariance if x.shared == 0 or x.shared >= minimum else None
        return Difference(
            suppressed=False,
            value=x.value,
            se=x.se,
            ci_low=x.ci_low,
            ci_high=x.ci_high,
            n=x.n,
            df=_interval_df(x.df),
            covariance=covariance if population else None,
            shared=x.shared if population else None,
        )

    # The population change rests on each wave's organisations: both must reach the minimum
    # (its n, the sum of the two, would let 3 + 3 organisations through).
    both = c.previous.n >= minimum and c.current.n >= minimum
    return IndicatorChange(
        previous=c.previous.value if c.previous.n >= minimum else None,
        current=c.current.value if c.current.n >= minimum else None,
        population=difference(c.population, population=True)
        if both
        else Difference(suppressed=True, suppression="primary"),
        panel=difference(c.panel, population=False)
        if _panel_protects(c, minimum)
        else Difference(suppressed=True, suppression="complementary"),
    )


def _interval_df(df: float | None) -> float | None:
    """The degrees of freedom of the Student interval, None when it is normal (fewer than 1
    degree of freedom, as `intervals.student_interval`)."""
    return df if df is not None and math.isfinite(df) and df >= 1 else None


def _panel_protects(c: WaveComparison, minimum: int) -> bool:
    """The panel change, with each wave's sector figure, gives the total of the organisations
    outside the panel by subtraction (those that left, those that joined): each group must be
    empty or hold at least the minimum (complementary suppression across waves)."""
    if c.panel is None:
        return True
    left, joined = c.previous.n - c.panel.n, c.current.n - c.panel.n
    return all(group == 0 or group >= minimum for group in (left, joined))
