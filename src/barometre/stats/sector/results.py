"""The sector estimate as frozen records, and its JSON form (`SectorEstimate.to_dict`).

Suppression: a figure resting on fewer than `min_domain` respondents carries no number at all
(value, SE, interval, design effect, effective n and n are None), only `suppressed` and a
`reason`; a domain with fewer than `min_domain` respondents is suppressed as a whole, including
its population and respondent counts.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Literal

from barometre.stats.sector.weighting import WeightingReport


@dataclass(frozen=True)
class SectorFigure:
    """One indicator in one domain. Shares are proportions in [0, 1]."""

    indicator: str
    kind: Literal["mean", "share"]
    suppressed: bool
    reason: str | None = None
    n: int | None = None
    value: float | None = None
    unweighted_value: float | None = None
    se: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    ci_method: str | None = None
    deff: float | None = None
    effective_n: float | None = None

    def to_dict(self) -> dict[str, Any]:
        record = asdict(self)
        del record["indicator"], record["kind"]
        return {k: _json(v) for k, v in record.items()}


@dataclass(frozen=True)
class DomainResult:
    """All figures of one domain: the sector, or one family, size class or region."""

    variable: Literal["sector", "family", "size_class", "region"]
    level: str
    suppressed: bool
    reason: str | None
    population: int | None
    respondents: int | None
    figures: tuple[SectorFigure, ...]

    def figure(self, indicator: str) -> SectorFigure:
        for figure in self.figures:
            if figure.indicator == indicator:
                return figure
        raise KeyError(indicator)

    def to_dict(self) -> dict[str, Any]:
        means = {f.indicator: f.to_dict() for f in self.figures if f.kind == "mean"}
        shares: dict[str, dict[str, Any]] = {"level": {}, "typology": {}}
        for f in self.figures:
            if f.kind == "share":
                group, name = f.indicator.split(":", 1)
                shares[group][name] = f.to_dict()
        return {
            "level": self.level,
            "suppressed": self.suppressed,
            "reason": self.reason,
            "population": self.population,
            "respondents": self.respondents,
            "global": means.pop("global"),
            "axes": {"tech": means.pop("tech"), "transfo": means.pop("transfo")},
            "dimensions": {k.split(":", 1)[1]: v for k, v in means.items()},
            "shares": shares,
        }


@dataclass(frozen=True)
class SectorEstimate:
    """The barometer's sector estimate, overall and by family, size class and region."""

    frame_size: int
    respondents: int
    weighting: WeightingReport
    variance_method: str
    min_domain: int
    dimensions: tuple[str, ...]
    levels: tuple[str, ...]
    typology: tuple[str, ...]
    domains: tuple[DomainResult, ...]
    confidence_level: float = 0.95
    design_effect_reference: str = "wor"

    @property
    def sampling_fraction(self) -> float:
        return self.respondents / self.frame_size

    def domain(self, variable: str, level: str = "all") -> DomainResult:
        for domain in self.domains:
            if domain.variable == variable and domain.level == level:
                return domain
        raise KeyError((variable, level))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: only dicts, lists, strings, finite floats, ints, booleans and None."""
        grouped: dict[str, list[dict[str, Any]]] = {
            "sector": [],
            "family": [],
            "size_class": [],
            "region": [],
        }
        for domain in self.domains:
            grouped[domain.variable].append(domain.to_dict())
        return {
            "frame": {
                "organisations": self.frame_size,
                "respondents": self.respondents,
                "sampling_fraction": self.sampling_fraction,
            },
            "method": {
                "variance": self.variance_method,
                "confidence_level": self.confidence_level,
                "design_effect": f"against simple random sampling ({self.design_effect_reference})",
                "shares": "proportions in [0, 1]",
                "suppression": {
                    "min_respondents": self.min_domain,
                    "rule": "a figure or domain with fewer respondents carries no number",
                },
            },
            "indicators": {
                "dimensions": list(self.dimensions),
                "levels": list(self.levels),
                "typology": list(self.typology),
            },
            "weighting": _weighting(self.weighting),
            "domains": grouped,
        }


def _weighting(report: WeightingReport) -> dict[str, Any]:
    return {
        "method": report.method,
        "reason": report.reason,
        "min_cell": report.min_cell,
        "cells": [asdict(c) for c in report.cells],
        "margins": [
            {
                "variable": m.variable,
                "collapsed": m.collapsed,
                "groups": [{**asdict(g), "members": list(g.members)} for g in m.groups],
            }
            for m in report.margins
        ],
        "notes": list(report.notes),
        "diagnostics": {k: _json(v) for k, v in asdict(report.diagnostics).items()},
    }


def _json(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
