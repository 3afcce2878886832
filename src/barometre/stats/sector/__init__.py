"""The barometer's sector estimate: responding organisations weighted to the frame, figures by
domain."""

from barometre.stats.sector.estimate import estimate_sector
from barometre.stats.sector.inputs import ORGANISATION_TYPES, SIZE_CLASSES
from barometre.stats.sector.results import DomainResult, SectorEstimate, SectorFigure
from barometre.stats.sector.weighting import (
    CellReport,
    MarginGroup,
    MarginReport,
    WeightingReport,
)

__all__ = [
    "ORGANISATION_TYPES",
    "SIZE_CLASSES",
    "CellReport",
    "DomainResult",
    "MarginGroup",
    "MarginReport",
    "SectorEstimate",
    "SectorFigure",
    "WeightingReport",
    "estimate_sector",
]
