"""Computing a closed wave: scores of every organisation, then the sector estimate."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from barometre.contracts.change import ChangeFile
from barometre.contracts.estimates import EstimatesFile
from barometre.contracts.scores import ScoresFile
from barometre.errors import StatisticsError
from barometre.questionnaire.models import Questionnaire
from barometre.scoring import score_responses
from barometre.stats.sector.wave import compare_wave_scores, estimate_wave
from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.questionnaires import wave_questionnaire
from barometre.web.campaigns.selectors import (
    comparable_previous_wave,
    wave_frame,
    wave_responses,
)
from barometre.web.campaigns.services import TRANSITIONS, wave_transition


def wave_compute(*, wave: Wave) -> Wave:
    """Score the answers and estimate the sector; the wave becomes `computed`.

    The work is done outside any transaction (a closed wave takes no more answers), and its
    results are written in one short transaction that checks the wave may still be computed.
    """
    check_can_compute(wave)
    # erasures from now on may or may not be in the answers read: they stay counted
    erased_before = Wave.objects.values_list("erased_since_computation", flat=True).get(pk=wave.pk)
    questionnaire, tables = wave_questionnaire(wave)
    responses = wave_responses(wave=wave)
    if responses.empty:
        raise ValueError(_("No respondent of this wave has answered yet."))
    result = score_responses(questionnaire, responses, source=f"wave {wave.year}", tables=tables)
    scores = result.to_file()
    problem = ""
    estimates: EstimatesFile | None
    change: ChangeFile | None
    try:
        estimates = estimate_wave(scores, wave_frame(wave=wave), questionnaire, wave_year=wave.year)
        change = _change_since_previous(wave, scores, questionnaire)
    except StatisticsError as error:
        # The organisations keep their results; the sector estimate waits for more answers.
        estimates = change = None
        problem = str(error)
    with transaction.atomic():
        wave = wave_transition(wave=wave, target=Wave.Status.COMPUTED)
        wave.scores, wave.estimates, wave.change = scores, estimates, change
        wave.estimate_problem = problem
        wave.save(update_fields=["scores", "estimates", "change", "estimate_problem"])
        Wave.objects.filter(pk=wave.pk).update(
            erased_since_computation=F("erased_since_computation") - erased_before
        )
    wave.refresh_from_db(fields=["erased_since_computation"])
    return wave


def check_can_compute(wave: Wave) -> None:
    status = Wave.objects.values_list("status", flat=True).get(pk=wave.pk)
    if Wave.Status.COMPUTED not in TRANSITIONS[Wave.Status(status)]:
        raise ValueError(
            _("A wave cannot go from %(source)s to %(target)s.")
            % {"source": Wave.Status(status).label, "target": Wave.Status.COMPUTED.label}
        )


def _change_since_previous(
    wave: Wave, scores: ScoresFile, questionnaire: Questionnaire
) -> ChangeFile | None:
    """Population and panel change since the last comparable published wave (docs/statistics.md,
    `comparability.comparability_problem`)."""
    previous = comparable_previous_wave(wave)
    if previous is None or previous.scores is None:
        return None
    previous_questionnaire, _tables = wave_questionnaire(previous)
    return compare_wave_scores(
        previous.scores,
        wave_frame(wave=previous),
        scores,
        wave_frame(wave=wave),
        questionnaire,
        before_year=previous.year,
        after_year=wave.year,
        questionnaires=(previous_questionnaire, questionnaire),
    )
