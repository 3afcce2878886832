"""The files the layers hand each other: scores, estimates and wave change, as typed records.

Each is a pydantic model that names its format and version in the file; its JSON Schema is
generated into docs/schemas/ (`python -m barometre.contracts.schemas`). The engine and the
statistics layer return them; recommend, reports, the command line and the web read them.
"""

from typing import TYPE_CHECKING

from barometre.lazy import lazy_names

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

# Imported on first use: `contracts.vocabulary` is read by every command's options, and must
# not bring pydantic and pandas with it (start-up, issue 14; barometre/lazy.py).
if TYPE_CHECKING:
    from barometre.contracts.change import ChangeFile, Difference, IndicatorChange
    from barometre.contracts.estimates import DomainEstimate, EstimatesFile, Figure
    from barometre.contracts.scores import OrganisationScores, QuestionnaireRef, ScoresFile
else:
    __getattr__, __dir__ = lazy_names(
        __name__,
        {
            "barometre.contracts.change": ("ChangeFile", "Difference", "IndicatorChange"),
            "barometre.contracts.estimates": ("DomainEstimate", "EstimatesFile", "Figure"),
            "barometre.contracts.scores": ("OrganisationScores", "QuestionnaireRef", "ScoresFile"),
        },
    )
