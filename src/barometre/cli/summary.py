"""Readable terminal summaries of a scored sector."""

from __future__ import annotations

import pandas as pd

from barometre.questionnaire.models import Questionnaire
from barometre.scoring import FAMILIES, ScoreResult
from barometre.scoring.robustness import typology_agreement
from barometre.simulate import SimulatedSector

BANNER = "*** DONNÉES SYNTHÉTIQUES — SYNTHETIC DATA: no real organisation or person ***"


def _bar(share: float, width: int = 30) -> str:
    return "█" * round(share * width)


def _distribution(values: pd.Series, order: list[str], labels: dict[str, str]) -> list[str]:
    counts = values.value_counts().reindex(order, fill_value=0)
    total = max(int(counts.sum()), 1)
    return [
        f"    {labels.get(code, code):<16} {n:>4}  {n / total:>5.1%}  {_bar(n / total)}"
        for code, n in zip(order, counts, strict=True)  # counts is reindexed to `order`
    ]


def sector_summary(q: Questionnaire, sector: SimulatedSector, result: ScoreResult) -> str:
    orgs = result.organisations
    scored = orgs[result.scored]
    levels = {lv.code: q.text(lv.label, "fr") for lv in q.methodology.levels}
    low_codes = [lv.code for lv in q.methodology.levels if lv.min < 50]
    low_share = scored["level"].isin(low_codes).mean() if len(scored) else float("nan")
    typology = q.methodology.typology
    lines = [
        BANNER,
        "",
        f"Questionnaire {q.id} {q.version} — methodology {q.methodology.version}",
        f"Frame: {len(sector.frame)} organisations; {len(orgs)} answered "
        f"({sector.latent['responded'].mean():.0%}) with {len(sector.respondents)} respondents "
        f"and {len(sector.responses)} answers (seed {sector.seed}).",
        f"Global index for {len(scored)} organisations (the others lack coverage): "
        f"mean {scored['global'].mean():.1f}, median {scored['global'].median():.1f} / 100 "
        "(unweighted sample, not a sector estimate).",
        "",
        "  Levels:",
        *_distribution(scored["level"], list(levels), levels),
        f"    → {low_share:.0%} low or very low (2019 sector study: about 60 %)",
        "",
    ]
    if typology is not None:  # a questionnaire without typology has no families
        agreement = typology_agreement(
            orgs["tech"], orgs["transfo"], orgs["family"], seed=sector.seed
        )
        first, second = typology.axis_ids
        lines += [
            f"  Families ({first} x {second} axes, thresholds "
            f"{typology.tech_threshold:g} / "
            f"{typology.transfo_threshold:g}):",
            *_distribution(orgs["family"].dropna(), list(FAMILIES), {}),
            f"    borderline: {orgs['borderline'].fillna(False).astype(bool).mean():.0%} of "
            "organisations are within measurement error of a threshold",
            f"    robustness: a k-means clustering of the two axes agrees with the rule for "
            f"{agreement.agreement:.0%} of {agreement.n} organisations",
            "",
        ]
    lines += [
        "  Dimensions (mean score of the sample):",
    ]
    for dimension in q.dimensions:
        values = result.dimension_scores[dimension.id]
        lines.append(
            f"    {dimension.label.get('en')[:60]:<60} {values.mean():5.1f}   "
            f"({values.notna().mean():.0%} with enough coverage)"
        )
    lines += ["", "  A few organisations:"]
    sample = scored.sort_values("global").iloc[:: max(1, len(scored) // 5)].head(5)
    for org, row in sample.iterrows():
        border = " (borderline)" if row["borderline"] else ""
        lines.append(
            f"    {org}  {row['declared_organisation_type'] or '?':<4}  "
            f"global {row['global']:5.1f} "
            f"{levels.get(row['level'], '?'):<14} "
            + (
                f"tech {row['tech']:5.1f}  transfo {row['transfo']:5.1f}  → {row['family']}"
                f"{border}, "
                if typology is not None
                else ""
            )
            + f"{int(row['n_respondents'])} respondents, management-vs-others gap "
            + (
                f"{row['perception_gap']:+.1f}"
                if pd.notna(row["perception_gap"])
                else "not shown (fewer than two respondents on a side)"
            )
        )
    return "\n".join(lines)
