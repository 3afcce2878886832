"""When two waves can be compared, and which questionnaire a scores file was made with: one
rule for the command line, the web application and the reports (docs/statistics.md, "Comparable
waves"; methodology: waves).

Two waves compare when they used the same questionnaire (id) and the same methodology version,
and either the same questionnaire version or another version whose diff does not break the
scores: the same dimensions, scored items, weights, options, goalposts and rows (labels, help
and unscored items may change).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from barometre.contracts.estimates import EstimatesFile
from barometre.contracts.scores import ScoresFile
from barometre.errors import Code, ComparabilityError, problem
from barometre.questionnaire import load_questionnaire
from barometre.questionnaire.models import Questionnaire


@dataclass(frozen=True)
class WaveMethod:
    """What a wave was made with: questionnaire id and version, methodology version."""

    questionnaire_id: str
    questionnaire_version: str
    methodology_version: str

    @classmethod
    def of_file(cls, file: ScoresFile | EstimatesFile) -> WaveMethod:
        return cls(file.questionnaire.id, file.questionnaire.version, file.methodology.version)

    @classmethod
    def of_questionnaire(cls, questionnaire: Questionnaire) -> WaveMethod:
        return cls(questionnaire.id, questionnaire.version, questionnaire.methodology.version)

    def __str__(self) -> str:
        return (
            f"questionnaire {self.questionnaire_id} {self.questionnaire_version}, "
            f"methodology {self.methodology_version}"
        )


def scoring_signature(questionnaire: Questionnaire) -> str:
    """Everything of a questionnaire that a score depends on, as canonical JSON: two versions
    with the same signature give the same scores to the same answers (texts people read and
    unscored items are left out)."""
    data = {
        # The recommendation weights change no score or estimate.
        "methodology": questionnaire.methodology.model_dump(
            mode="json", exclude={"version", "recommendation"}
        ),
        "dimensions": [d.model_dump(mode="json") for d in questionnaire.dimensions],
        "items": [i.model_dump(mode="json") for i in questionnaire.scored_items],
    }
    return json.dumps(_without_texts(data), sort_keys=True)


_TEXTS = frozenset({"label", "help", "unit", "description", "descriptors"})


def _without_texts(value: object) -> object:
    if isinstance(value, dict):
        return {k: _without_texts(v) for k, v in value.items() if k not in _TEXTS}
    if isinstance(value, list):
        return [_without_texts(v) for v in value]
    return value


def comparability_problem(
    before: WaveMethod,
    after: WaveMethod,
    questionnaires: tuple[Questionnaire, Questionnaire] | None = None,
) -> str | None:
    """Why the two waves cannot be compared (in English), or None when they can.

    `questionnaires` (before's, after's) allow two questionnaire versions whose diff does not
    break the scores; without them the versions must be equal.
    """
    if before.questionnaire_id != after.questionnaire_id:
        return (
            f"the waves used different questionnaires ({before.questionnaire_id} and "
            f"{after.questionnaire_id})"
        )
    if before.methodology_version != after.methodology_version:
        return (
            f"the waves used different methodology versions ({before.methodology_version} and "
            f"{after.methodology_version})"
        )
    if before.questionnaire_version == after.questionnaire_version:
        return None
    if questionnaires is not None and scoring_signature(questionnaires[0]) == scoring_signature(
        questionnaires[1]
    ):
        return None
    return (
        f"questionnaire versions {before.questionnaire_version} and "
        f"{after.questionnaire_version} score differently"
    )


def check_comparable(
    before: WaveMethod,
    after: WaveMethod,
    source: str,
    questionnaires: tuple[Questionnaire, Questionnaire] | None = None,
) -> None:
    """Raise a ComparabilityError naming both waves when they cannot be compared."""
    reason = comparability_problem(before, after, questionnaires)
    if reason is not None:
        raise ComparabilityError(
            source,
            [
                problem(
                    source,
                    Code.NOT_COMPARABLE,
                    reason=reason,
                    before=str(before),
                    after=str(after),
                )
            ],
        )


def questionnaire_of(
    file: ScoresFile | EstimatesFile, given: str | None, source: str
) -> Questionnaire:
    """The questionnaire a scores or estimates file was made with: `given` (a file or built-in
    name) or the built-in one the file names. Its id, version and methodology version must be
    the file's."""
    questionnaire = load_questionnaire(given or file.questionnaire.id)
    made_with, loaded = WaveMethod.of_file(file), WaveMethod.of_questionnaire(questionnaire)
    if made_with != loaded:
        raise ComparabilityError(
            source,
            [
                problem(
                    source,
                    Code.OTHER_QUESTIONNAIRE,
                    made_with=str(made_with),
                    loaded=str(loaded),
                )
            ],
        )
    return questionnaire
