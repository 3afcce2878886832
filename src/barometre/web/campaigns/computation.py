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
from barometre.web.campaigns.services import wave_transition


@transaction.atomic
def wave_compute(*, wave: Wave) -> Wave:
    """Score the submitted answers and estimate the sector; the wave becomes `computed`."""
    wave = wave_transition(wave=wave, target=Wave.Status.COMPUTED)
    questionnaire, tables = wave_questionnaire(wave)
    responses = wave_responses(wave=wave)
    if responses.empty:
        raise ValueError(_("No respondent of this wave has answered yet."))
    result = score_responses(questionnaire, responses, source=f"wave {wave.year}", tables=tables)
    wave.scores_json = result.to_dict()
    wave.estimate_problem = ""
    try:
        wave.estimates_json = estimate_wave(
            wave.scores_json, wave_frame(wave=wave), questionnaire, wave_year=wave.year
        )
        wave.change_json = _change_since_previous(wave, questionnaire)
    except StatisticsError as error:
        # The organisations keep their results; the sector estimate waits for more answers.
        wave.estimates_json = wave.change_json = None
        wave.estimate_problem = str(error)
    wave.save(update_fields=["scores_json", "estimates_json", "change_json", "estimate_problem"])
    return wave


def _change_since_previous(wave: Wave, questionnaire) -> dict | None:
    """Population and panel change since the last computed wave run with the same
    questionnaire and methodology version (methodology §7: only comparable waves)."""
    previous = comparable_previous_wave(wave)
    if previous is None:
        return None
    change = compare_wave_scores(
        previous.scores_json,
        wave_frame(wave=previous),
        wave.scores_json,
        wave_frame(wave=wave),
        questionnaire,
    )
    return {"before_year": previous.year, **change}
