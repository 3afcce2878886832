"""Computing a closed wave: scores of every organisation, then the sector estimate."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from barometre.errors import StatisticsError
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
    questionnaire, tables = wave_questionnaire(wave)
    responses = wave_responses(wave=wave)
    if responses.empty:
        raise ValueError(_("No respondent of this wave has answered yet."))
    result = score_responses(questionnaire, responses, source=f"wave {wave.year}", tables=tables)
    scores = result.to_dict()
    problem = ""
    try:
        estimates = estimate_wave(scores, wave_frame(wave=wave), questionnaire, wave_year=wave.year)
        change = _change_since_previous(wave, scores, questionnaire)
    except StatisticsError as error:
        # The organisations keep their results; the sector estimate waits for more answers.
        estimates = change = None
        problem = str(error)
    with transaction.atomic():
        wave = wave_transition(wave=wave, target=Wave.Status.COMPUTED)
        wave.scores_json, wave.estimates_json, wave.change_json = scores, estimates, change
        wave.estimate_problem = problem
        wave.save(
            update_fields=["scores_json", "estimates_json", "change_json", "estimate_problem"]
        )
    return wave


def check_can_compute(wave: Wave) -> None:
    status = Wave.objects.values_list("status", flat=True).get(pk=wave.pk)
    if Wave.Status.COMPUTED not in TRANSITIONS[Wave.Status(status)]:
        raise ValueError(
            _("A wave cannot go from %(source)s to %(target)s.")
            % {"source": Wave.Status(status).label, "target": Wave.Status.COMPUTED.label}
        )


def _change_since_previous(wave: Wave, scores: dict, questionnaire) -> dict | None:
    """Population and panel change since the last computed wave run with the same
    questionnaire and methodology version (methodology §7: only comparable waves)."""
    previous = comparable_previous_wave(wave)
    if previous is None:
        return None
    change = compare_wave_scores(
        previous.scores_json,
        wave_frame(wave=previous),
        scores,
        wave_frame(wave=wave),
        questionnaire,
    )
    return {"before_year": previous.year, **change}
