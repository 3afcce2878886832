"""Weighting the responding organisations to the frame: post-stratification or raking, chosen
and reported.

Rule (docs/statistics.md, "The sector estimate"): post-stratify on organisation type x size
class when every cell of the frame holds at least `min_cell` responding organisations or is
fully enumerated (every organisation of the cell answered: a census cell, sampling fraction 1,
put in a stratum of its own that contributes no variance);
otherwise rake on the margins of organisation type, size class and region. A margin level with
fewer than `min_cell` responding organisations is collapsed before raking: size classes with an
adjacent class, organisation types and regions with the level that has the fewest responding
organisations (repeatedly, so small regions pool together); the groups are reported. When the
sample is too sparse for raking to have a solution, the region margin is dropped, then the size
class margin, and the report says so in its notes. Before calibration the design is a simple
random sample without replacement from the frame (weights N / n, fpc N).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from barometre.contracts.estimates import WeightingMethod
from barometre.errors import StatisticsError
from barometre.stats.design import SurveyDesign
from barometre.stats.results import WeightDiagnostics
from barometre.stats.sector.inputs import ORGANISATION_TYPES, SIZE_CLASSES

FPC_COLUMN = "__frame_size__"
STRATUM_COLUMN = "__census_stratum__"
GROUP_PREFIX = "__group_"


@dataclass(frozen=True)
class CellReport:
    """An organisation type x size class cell of the frame: its population and responding
    organisations."""

    organisation_type: str
    size_class: str
    population: int
    responding_organisations: int


@dataclass(frozen=True)
class MarginGroup:
    """A level of a raking margin; several frame levels when collapsed."""

    label: str
    members: tuple[str, ...]
    population: int
    responding_organisations: int


@dataclass(frozen=True)
class MarginReport:
    variable: str
    groups: tuple[MarginGroup, ...]

    @property
    def collapsed(self) -> bool:
        return any(len(g.members) > 1 for g in self.groups)


@dataclass(frozen=True)
class WeightingReport:
    """How the weights were made, and what they cost (Kish)."""

    method: WeightingMethod
    reason: str
    min_cell: int
    frame_size: int
    responding_organisations: int
    cells: tuple[CellReport, ...]
    margins: tuple[MarginReport, ...]
    notes: tuple[str, ...]
    diagnostics: WeightDiagnostics


def weight_to_frame(respondents: pd.DataFrame, frame: pd.DataFrame, min_cell: int):
    """The calibrated design of the respondents and the report of how it was weighted."""
    data = respondents.copy()
    data[FPC_COLUMN] = float(len(frame))
    design = SurveyDesign(data, fpc=FPC_COLUMN)
    cells = _cells(respondents, frame)
    census = [c for c in cells if 0 < c.population == c.responding_organisations]
    small = [
        c
        for c in cells
        if c.population > 0 and c.responding_organisations < min_cell and c not in census
    ]
    if not small:
        population = {
            (c.organisation_type, c.size_class): c.population for c in cells if c.population > 0
        }
        if census:
            design = _census_design(data, census)
        calibrated = design.poststratify(["organisation_type", "size_class"], population)
        reason = (
            "every organisation type x size class cell of the frame has at least "
            f"{min_cell} responding organisations"
        )
        if census:
            reason += (
                " or is fully enumerated ("
                + ", ".join(f"{c.organisation_type} {c.size_class}" for c in census)
                + ": every organisation answered, no sampling variance)"
            )
        return calibrated, _report(
            "poststratification", reason, min_cell, frame, respondents, cells, (), (), calibrated
        )
    margins = tuple(
        _margin(respondents, frame, variable, min_cell)
        for variable in ("organisation_type", "size_class", "region")
    )
    for report in margins:
        lookup = {member: g.label for g in report.groups for member in g.members}
        design = design.with_column(
            GROUP_PREFIX + report.variable, respondents[report.variable].map(lookup).to_numpy()
        )
    reason = (
        f"{len(small)} organisation type x size class cell(s) of the frame have fewer than "
        f"{min_cell} responding organisations: "
        + ", ".join(
            f"{c.organisation_type} {c.size_class} ({c.responding_organisations})" for c in small
        )
    )
    notes = [
        f"{r.variable}: {g.label} pools {', '.join(g.members)} "
        f"({g.responding_organisations} responding organisations)"
        for r in margins
        for g in r.groups
        if len(g.members) > 1
    ]
    # Raking has no solution with positive weights when the sample's joint table is too sparse
    # for the margins: drop the region margin, then the size class margin.
    for used in (margins, margins[:2], margins[:1]):
        try:
            calibrated = design.rake(
                {GROUP_PREFIX + r.variable: {g.label: g.population for g in r.groups} for r in used}
            )
        except StatisticsError as error:
            notes.append(
                f"raking on {', '.join(r.variable for r in used)} failed ({error}); "
                f"the {used[-1].variable} margin is dropped"
            )
            continue
        return calibrated, _report(
            "raking", reason, min_cell, frame, respondents, cells, used, tuple(notes), calibrated
        )
    raise StatisticsError(f"Raking on the organisation type margin alone failed: {notes[-1]}")


def _census_design(data: pd.DataFrame, census: list[CellReport]) -> SurveyDesign:
    """The fully enumerated cells as a stratum of their own, sampled with certainty (fpc =
    their size, sampling fraction 1: no variance), the other organisations a simple random
    sample without replacement of the rest of the frame."""
    keys = {(c.organisation_type, c.size_class) for c in census}
    in_census = [
        (kind, size) in keys
        for kind, size in zip(data["organisation_type"], data["size_class"], strict=True)
    ]
    data = data.copy()
    data[STRATUM_COLUMN] = ["census" if x else "sample" for x in in_census]
    counted = sum(c.population for c in census)
    data[FPC_COLUMN] = [
        float(counted) if x else float(data[FPC_COLUMN].iloc[0] - counted) for x in in_census
    ]
    return SurveyDesign(data, strata=STRATUM_COLUMN, fpc=FPC_COLUMN)


def _report(method, reason, min_cell, frame, respondents, cells, margins, notes, design):
    return WeightingReport(
        method=method,
        reason=reason,
        min_cell=min_cell,
        frame_size=len(frame),
        responding_organisations=len(respondents),
        cells=tuple(cells),
        margins=margins,
        notes=notes,
        diagnostics=design.weight_diagnostics(),
    )


def _cells(respondents: pd.DataFrame, frame: pd.DataFrame) -> list[CellReport]:
    population = frame.groupby(["organisation_type", "size_class"]).size()
    sample = respondents.groupby(["organisation_type", "size_class"]).size()
    return [
        CellReport(
            kind, size, int(population.get((kind, size), 0)), int(sample.get((kind, size), 0))
        )
        for kind in ORGANISATION_TYPES
        for size in SIZE_CLASSES
    ]


def _margin(respondents, frame, variable: str, min_cell: int) -> MarginReport:
    if variable == "organisation_type":
        levels = list(ORGANISATION_TYPES)
    elif variable == "size_class":
        levels = list(SIZE_CLASSES)
    else:
        levels = sorted(frame["region"].unique())
    population = frame[variable].value_counts()
    sample = respondents[variable].value_counts()
    groups = [[lv] for lv in levels if population.get(lv, 0) > 0]

    def count(group, table=sample):
        return int(sum(table.get(lv, 0) for lv in group))

    while len(groups) > 1 and min(count(g) for g in groups) < min_cell:
        smallest = min(range(len(groups)), key=lambda i: (count(groups[i]), i))
        if variable == "size_class":
            neighbours = [i for i in (smallest - 1, smallest + 1) if 0 <= i < len(groups)]
        else:
            neighbours = [i for i in range(len(groups)) if i != smallest]
        partner = min(neighbours, key=lambda i: (count(groups[i]), i))
        low, high = sorted((smallest, partner))
        groups[low] = groups[low] + groups[high]
        del groups[high]
    return MarginReport(
        variable,
        tuple(MarginGroup("+".join(g), tuple(g), count(g, population), count(g)) for g in groups),
    )
