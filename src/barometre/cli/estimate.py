"""`barometre estimate` and `barometre compare`: sector statistics from the engine's files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from barometre.cli.errors import user_errors
from barometre.cli.inputs import read_json
from barometre.files import dumps_json, write_text_atomic
from barometre.organisations import read_frame
from barometre.questionnaire import load_questionnaire
from barometre.stats.sector.wave import compare_wave_scores, estimate_wave


def _questionnaire(scores: dict[str, Any], given: str | None):
    return load_questionnaire(given or scores["questionnaire"]["id"])


def estimate(
    scores: Path = typer.Option(..., "--scores", help="Scores JSON from `barometre score`."),
    frame: Path = typer.Option(..., "--frame", help="Frame CSV of the wave's organisations."),
    wave_year: int = typer.Option(None, "--wave-year", help="Year of the wave, for the record."),
    out: Path = typer.Option(None, "--out", "-o", help="JSON file to write (default: none)."),
    variance: str = typer.Option(
        "linearisation", "--variance", help="linearisation, jackknife or bootstrap."
    ),
    replicates: int = typer.Option(500, "--replicates", min=2, help="Bootstrap replicates."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap."),
    questionnaire: str = typer.Option(
        None, "--questionnaire", "-q", help="Questionnaire file (default: the scores' own)."
    ),
) -> None:
    """Weight the responding organisations to the frame and estimate the sector, with
    confidence intervals, by family, size class and region (cells under 5 suppressed)."""
    with user_errors():
        data = read_json(scores, "scores")
        result = estimate_wave(
            data,
            read_frame(frame),
            _questionnaire(data, questionnaire),
            wave_year=wave_year,
            variance=variance,
            replicates=replicates,
            seed=seed,
        )
    if out is not None:
        write_text_atomic(out, dumps_json(result))
    typer.echo(estimate_summary(result))
    if out is not None:
        typer.echo(f"\nEstimates written to {out}.")


def compare(
    before: Path = typer.Option(..., "--before", help="Scores JSON of the earlier wave."),
    after: Path = typer.Option(..., "--after", help="Scores JSON of the later wave."),
    before_frame: Path = typer.Option(..., "--before-frame", help="Frame CSV of the earlier wave."),
    after_frame: Path = typer.Option(..., "--after-frame", help="Frame CSV of the later wave."),
    out: Path = typer.Option(None, "--out", "-o", help="JSON file to write."),
    questionnaire: str = typer.Option(None, "--questionnaire", "-q"),
) -> None:
    """Change between two waves: population change and panel change (organisations in both),
    with the variance of a difference that accounts for the overlap."""
    with user_errors():
        first, second = read_json(before, "scores"), read_json(after, "scores")
        result = compare_wave_scores(
            first,
            read_frame(before_frame),
            second,
            read_frame(after_frame),
            _questionnaire(second, questionnaire),
        )
    if out is not None:
        write_text_atomic(out, dumps_json(result))
    typer.echo(compare_summary(result))


def _figure(f: dict[str, Any], percent: bool = False) -> str:
    if f.get("suppressed") or f.get("value") is None:
        return "suppressed (n < 5)"
    k = 100 if percent else 1
    return (
        f"{f['value'] * k:5.1f}  [{f['ci_low'] * k:5.1f} ; {f['ci_high'] * k:5.1f}]  "
        f"SE {f['se'] * k:.2f}  deff {f['deff'] or float('nan'):.2f}  n {f['n']}"
    )


def estimate_summary(result: dict[str, Any]) -> str:
    sector = result["domains"]["sector"][0]
    weighting = result["weighting"]
    lines = [
        f"Sector estimate — {result['frame']['respondents']} of {result['frame']['organisations']}"
        f" organisations ({result['frame']['sampling_fraction']:.0%}), "
        f"{weighting['method']}: {weighting['reason']}",
        f"  global index   {_figure(sector['global'])}",
        f"  tech axis      {_figure(sector['axes']['tech'])}",
        f"  transfo axis   {_figure(sector['axes']['transfo'])}",
        "  dimensions:",
        *[f"    {k:<24} {_figure(v)}" for k, v in sector["dimensions"].items()],
        "  levels (%):",
        *[f"    {k:<24} {_figure(v, True)}" for k, v in sector["shares"]["level"].items()],
        "  families (%):",
        *[f"    {k:<24} {_figure(v, True)}" for k, v in sector["shares"]["typology"].items()],
        "  global index by domain:",
    ]
    for variable in ("family", "size_class", "region"):
        for domain in result["domains"][variable]:
            lines.append(f"    {variable:<10} {domain['level']:<12} {_figure(domain['global'])}")
    lines.append("  reliability (Cronbach's alpha [95 % CI], omega):")
    for r in result["reliability"]:
        if r["suppressed"]:
            lines.append(f"    {r['dimension']:<24} suppressed (n < 5)")
            continue
        omega = f"{r['omega']:.2f}" if r["omega"] is not None else "—"
        lines.append(
            f"    {r['dimension']:<24} {r['alpha']:.2f} [{r['alpha_ci'][0]:.2f} ; "
            f"{r['alpha_ci'][1]:.2f}]  omega {omega}  (n {r['organisations']})"
        )
    return "\n".join(lines)


def compare_summary(result: dict[str, Any]) -> str:
    lines = ["Change between waves (population | panel):"]
    for name, c in result["indicators"].items():
        if c.get("suppressed"):
            lines.append(f"  {name:<24} suppressed: {c['reason']}")
            continue
        lines.append(f"  {name:<24} {_change(c['population'])} | {_change(c['panel'])}")
    return "\n".join(lines)


def _change(c: dict[str, Any]) -> str:
    if c.get("suppressed"):
        return "suppressed (n < 5)"
    return f"{c['value']:+5.1f} [{c['ci_low']:+5.1f} ; {c['ci_high']:+5.1f}] n {c['n']}"
