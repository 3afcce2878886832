"""The questionnaire a wave was run with, parsed once per process."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from barometre.questionnaire import (
    FieldTables,
    Questionnaire,
    build_field_tables,
    parse_questionnaire,
)
from barometre.web.campaigns.models import Wave


@lru_cache(maxsize=16)
def _parsed(digest: str, text: str) -> tuple[Questionnaire, FieldTables]:
    questionnaire = parse_questionnaire(text, f"wave questionnaire {digest[:8]}")
    return questionnaire, build_field_tables(questionnaire)


def wave_questionnaire(wave: Wave) -> tuple[Questionnaire, FieldTables]:
    text = wave.questionnaire_yaml
    return _parsed(hashlib.sha256(text.encode()).hexdigest(), text)
