"""The files the layers hand each other: scores, estimates and wave change, as typed records.

Each is a pydantic model that names its format and version in the file; its JSON Schema is
generated into docs/schemas/ (`python -m barometre.contracts.schemas`). The engine and the
statistics layer return them; recommend, reports, the command line and the web read them.
"""

from barometre.contracts.change import ChangeFile, Difference, IndicatorChange
from barometre.contracts.estimates import DomainEstimate, EstimatesFile, Figure
from barometre.contracts.scores import OrganisationScores, QuestionnaireRef, ScoresFile

__all__ = [
    "ChangeFile",
    "Difference",
    "DomainEstimate",
    "EstimatesFile",
    "Figure",
    "IndicatorChange",
    "OrganisationScores",
    "QuestionnaireRef",
    "ScoresFile",
]
