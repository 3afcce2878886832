"""`barometre estimate` and `barometre compare`: sector statistics from the engine's files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from barometre.cli.errors import user_errors
from barometre.contracts.vocabulary import VarianceMethod as Variance
from barometre.files import write_text_atomic

if TYPE_CHECKING:  # imported in the commands: `barometre --help` must not load them (issue 14)
    from barometre.contracts.change import ChangeFile, Difference
    from barometre.contracts.estimates import EstimatesFile, Figure


def estimate(
    scores: Path = typer.Option(..., "--scores", help="Scores JSON from `barometre score`."),
    frame: Path = typer.Option(..., "--frame", help="Frame CSV of the wave's organisations."),
    wave_year: int = typer.Option(None, "--wave-year", help="Year of the wave, for the record."),
    out: Path = typer.Option(None, "--out", "-o", help="JSON file to write (default: none)."),
    variance: Variance | None = typer.Option(
        None,
        "--variance",
        help="jackknife (delete-one, re-calibrated in each replicate), linearisation or "
        "bootstrap (default: the questionnaire's methodology.variance.method).",
        show_default=False,
    ),
    replicates: int | None = typer.Option(
        None,
        "--replicates",
        min=2,
        help="Bootstrap replicates (default: the questionnaire's).",
        show_default=False,
    ),
    seed: int | None = typer.Option(
        None,
        "--seed",
        min=0,
        help="Seed of the bootstrap (default: the questionnaire's).",
        show_default=False,
    ),
    questionnaire: str = typer.Option(
        None, "--questionnaire", "-q", help="Questionnaire file (default: the scores' own)."
    ),
) -> None:
    """Weight the responding organisations to the frame and estimate the sector, with
    confidence intervals, by organisation type, size class and region (figures about fewer
    organisations than the methodology's disclosure minimum are suppressed)."""
    from barometre.comparability import questionnaire_of
    from barometre.contracts.scores import ScoresFile
    from barometre.organisations import read_frame
    from barometre.stats.sector.wave import estimate_wave

    with user_errors():
        data = ScoresFile.read(scores)
        result = estimate_wave(
            data,
            read_frame(frame),
            questionnaire_of(data, questionnaire, str(scores)),
            wave_year=wave_year,
            variance=variance,
            replicates=replicates,
            seed=seed,
        )
    if out is not None:
        write_text_atomic(out, result.dumps())
    typer.echo(estimate_summary(result))
    if out is not None:
        typer.echo(f"\nEstimates written to {out}.")


def compare(
    before: Path = typer.Option(..., "--before", help="Scores JSON of the earlier wave."),
    after: Path = typer.Option(..., "--after", help="Scores JSON of the later wave."),
    before_frame: Path = typer.Option(..., "--before-frame", help="Frame CSV of the earlier wave."),
    after_frame: Path = typer.Option(..., "--after-frame", help="Frame CSV of the later wave."),
    before_year: int = typer.Option(None, "--before-year", help="Year of the earlier wave."),
    after_year: int = typer.Option(None, "--after-year", help="Year of the later wave."),
    out: Path = typer.Option(None, "--out", "-o", help="JSON file to write."),
    questionnaire: str = typer.Option(None, "--questionnaire", "-q"),
) -> None:
    """Change between two comparable waves (same questionnaire and methodology version):
    population change and panel change (organisations in both), with the variance of a
    difference that accounts for the overlap."""
    from barometre.comparability import questionnaire_of
    from barometre.contracts.scores import ScoresFile
    from barometre.organisations import read_frame
    from barometre.stats.sector.wave import compare_wave_scores

    if before_year is not None and after_year is not None and before_year >= after_year:
        raise typer.BadParameter(
            f"the earlier wave's year ({before_year}) must come before the later wave's "
            f"({after_year}).",
            param_hint="'--before-year' / '--after-year'",
        )
    with user_errors():
        first, second = ScoresFile.read(before), ScoresFile.read(after)
        result = compare_wave_scores(
            first,
            read_frame(before_frame),
            second,
            read_frame(after_frame),
            questionnaire_of(second, questionnaire, str(after)),
            before_year=before_year,
            after_year=after_year,
            source=f"{before} and {after}",
        )
    if out is not None:
        write_text_atomic(out, result.dumps())
    typer.echo(compare_summary(result))


def _figure(f: Figure, minimum: int, percent: bool = False) -> str:
    if f.suppression == "complementary":
        return "suppressed (protects another figure)"
    if f.suppressed or f.value is None:
        return f"suppressed (n < {minimum})"
    k = 100 if percent else 1
    low, high, se = (f.ci_low or 0.0) * k, (f.ci_high or 0.0) * k, (f.se or 0.0) * k
    deff = "—" if f.deff is None else f"{f.deff:.2f}"  # undefined, e.g. for a constant
    return f"{f.value * k:5.1f}  [{low:5.1f} ; {high:5.1f}]  SE {se:.2f}  deff {deff}  n {f.n}"


def estimate_summary(result: EstimatesFile) -> str:
    sector = result.sector
    weighting = result.weighting
    minimum = result.method.suppression.min_organisations
    lines = [
        f"Sector estimate — {result.frame.responding_organisations} of "
        f"{result.frame.organisations} organisations ({result.frame.sampling_fraction:.0%}), "
        f"{weighting.method}: {weighting.reason}",
        f"  variance: {result.method.variance}",
        *_fallback(result),
        f"  global index   {_figure(sector.global_index, minimum)}",
        *(
            f"  {role + ' axis':<14} {_figure(figure, minimum)}"
            for role, figure in sector.axis_figures()
        ),
        "  dimensions:",
        *[f"    {k:<24} {_figure(v, minimum)}" for k, v in sector.dimensions.items()],
        "  levels (%):",
        *[f"    {k:<24} {_figure(v, minimum, True)}" for k, v in sector.shares.level.items()],
        *(["  families (%):"] if sector.shares.typology else []),
        *[f"    {k:<24} {_figure(v, minimum, True)}" for k, v in sector.shares.typology.items()],
        "  global index by domain:",
    ]
    for variable in ("organisation_type", "size_class", "region"):
        for domain in result.domains.of(variable):
            lines.append(
                f"    {variable:<17} {domain.level:<12} {_figure(domain.global_index, minimum)}"
            )
    lines.append("  reliability (Cronbach's alpha [95 % CI], omega):")
    for r in result.reliability:
        if r.suppressed or r.alpha is None or r.alpha_ci is None:
            lines.append(f"    {r.dimension:<24} suppressed (n < {minimum})")
            continue
        omega = f"{r.omega:.2f}" if r.omega is not None else "—"
        low, high = r.alpha_ci
        lines.append(
            f"    {r.dimension:<24} {r.alpha:.2f} [{low or 0.0:.2f} ; {high or 0.0:.2f}]  "
            f"omega {omega}  (n {r.organisations})"
        )
    return "\n".join(lines)


def _fallback(result: EstimatesFile) -> list[str]:
    """The line saying that the requested replicate variance could not be used (none when it
    was)."""
    requested = result.variance_fell_back_from
    if requested is None:
        return []
    # The recorded reason ends with "; the variance is linearised", which the note says first.
    reason = (result.method.variance_fallback or "see the weighting's notes").removesuffix(
        "; the variance is linearised"
    )
    return [
        f"  Note: the variance is linearised: the {requested} was requested, but the sample is "
        f"too sparse for the calibration to be redone in every replicate ({reason})"
    ]


def compare_summary(result: ChangeFile) -> str:
    lines = ["Change between waves (population | panel):"]
    method = result.method
    if method.variance is not None:
        lines.append(f"  variance: {method.variance}")
    if method.variance_fallback is not None:
        lines.append(f"  Note: the variance is linearised: {method.variance_fallback}")
    for name in result.indicators:
        change = result.indicator(name)
        if change is None:
            reason = getattr(result.indicators[name], "reason", "")
            lines.append(f"  {name:<24} suppressed: {reason}")
            continue
        lines.append(f"  {name:<24} {_change(change.population)} | {_change(change.panel)}")
    return "\n".join(lines)


def _change(c: Difference) -> str:
    if c.suppressed or c.value is None:
        return "suppressed (too few organisations)"
    return f"{c.value:+5.1f} [{c.ci_low or 0.0:+5.1f} ; {c.ci_high or 0.0:+5.1f}] n {c.n}"
