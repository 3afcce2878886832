"""Computing a closed wave: scores of every organisation, then the sector estimate."""

from __future__ import annotations

from django.db import transaction

from barometre.scoring import score_responses
from barometre.stats.sector.wave import estimate_wave
from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.questionnaires import wave_questionnaire
from barometre.web.campaigns.selectors import wave_frame, wave_responses
from barometre.web.campaigns.services import wave_transition


@transaction.atomic
def wave_compute(*, wave: Wave) -> Wave:
    """Score the submitted answers and estimate the sector; the wave becomes `computed`."""
    wave = wave_transition(wave=wave, target=Wave.Status.COMPUTED)
    questionnaire, tables = wave_questionnaire(wave)
    responses = wave_responses(wave=wave)
    if responses.empty:
        raise ValueError("No respondent of this wave has sent answers yet.")
    result = score_responses(questionnaire, responses, source=f"wave {wave.year}", tables=tables)
    wave.scores_json = result.to_dict()
    wave.estimates_json = estimate_wave(
        wave.scores_json, wave_frame(wave=wave), questionnaire, wave_year=wave.year
    )
    wave.save(update_fields=["scores_json", "estimates_json"])
    return wave
