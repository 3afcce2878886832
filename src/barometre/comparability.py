"""When two waves can be compared, and which questionnaire a scores file was made with: one
rule for the command line, the web application and the reports (docs/statistics.md, "Comparable
waves"; methodology: waves).

Two waves compare when they used the same questionnaire (id) and the same methodology version,
and either the same questionnaire version or another version whose diff
(`interop.versions.diff_questionnaires`, docs/versions.md) has no breaking change: the same
dimensions, scored items, weights, roles asked, options, goalposts and rows (labels, help,
wording and unscored items may change). When it has, the reason names the first breaking
changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from barometre.contracts.estimates import EstimatesFile
from barometre.contracts.scores import ScoresFile
from barometre.errors import Code, ComparabilityError, problem
from barometre.interop.versions import diff_questionnaires, explain
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
    unscored items are left out). It is stricter than the diff, which `comparability_problem`
    asks (the order of items and dimensions, or a default written out, change the signature
    and no score)."""
    data = {
        # The recommendation weights change no score or estimate; the variance method no
        # score (only the estimates' errors).
        "methodology": questionnaire.methodology.model_dump(
            mode="json", exclude={"version", "recommendation", "variance"}
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

    `questionnaires` (before's, after's) allow two questionnaire versions whose diff has no
    breaking change (`interop.versions`); without them the versions must be equal. When the
    diff breaks, the reason names its first breaking changes.
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
    if questionnaires is None:
        return (
            f"questionnaire versions {before.questionnaire_version} and "
            f"{after.questionnaire_version} may score differently (the questionnaires are not "
            f"at hand to compare them)"
        )
    diff = diff_questionnaires(*questionnaires)
    if diff.comparability.comparable:
        return None
    return Code.VERSION_SCORES_DIFFER.template % {
        "before": before.questionnaire_version,
        "after": after.questionnaire_version,
        "changes": explain(diff),
    }


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
