"""The questionnaire a wave was run with, parsed once per process."""

from __future__ import annotations

import hashlib

from barometre.errors import Code, Problem, problem
from barometre.questionnaire import (
    FieldTables,
    Questionnaire,
    build_field_tables,
    parse_questionnaire,
)
from barometre.scoring.answer_check import AnswerRules
from barometre.web.campaigns.models import AccessLink, Wave
from barometre.web.responses.models import Answer


def storage_problems(questionnaire: Questionnaire, source: str) -> list[Problem]:
    """What of a valid questionnaire the web's database cannot hold: its identifier and
    versions (columns of `Wave`), its role codes (of links and respondents) and its answer
    fields (of answers), each longer than its column. Checked before anything is written."""
    limits = [
        ("id", questionnaire.id, Wave._meta.get_field("questionnaire_id")),
        ("version", questionnaire.version, Wave._meta.get_field("questionnaire_version")),
        (
            "methodology.version",
            questionnaire.methodology.version,
            Wave._meta.get_field("methodology_version"),
        ),
    ]
    limits += [
        (f"roles.{role.code}", role.code, AccessLink._meta.get_field("role"))
        for role in questionnaire.roles
    ]
    field_ids = build_field_tables(questionnaire).fields.index
    limits += [(f"field {f}", f, Answer._meta.get_field("field_id")) for f in field_ids]
    return [
        problem(
            f"{source}: {where}",
            Code.TOO_LONG_TO_STORE,
            field=where,
            length=len(value),
            limit=column.max_length,
        )
        for where, value, column in limits
        if column.max_length is not None and len(value) > column.max_length
    ]


def questionnaire_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Parsed:
    def __init__(self, text: str, digest: str):
        self.questionnaire = parse_questionnaire(text, f"wave questionnaire {digest[:8]}")
        self.tables = build_field_tables(self.questionnaire)
        self.rules = AnswerRules.from_tables(self.tables)


_cache: dict[str, _Parsed] = {}


def _parsed(wave: Wave) -> _Parsed:
    digest = wave.questionnaire_digest
    if digest and digest in _cache:
        return _cache[digest]
    text = Wave.objects.values_list("questionnaire_yaml", flat=True).get(pk=wave.pk)
    digest = questionnaire_digest(text)
    if digest not in _cache:
        if len(_cache) >= 16:
            _cache.pop(next(iter(_cache)))
        _cache[digest] = _Parsed(text, digest)
    return _cache[digest]


def wave_questionnaire(wave: Wave) -> tuple[Questionnaire, FieldTables]:
    parsed = _parsed(wave)
    return parsed.questionnaire, parsed.tables


def wave_answer_rules(wave: Wave) -> AnswerRules:
    """The questionnaire's rules for checking one answer at a time (autosave)."""
    return _parsed(wave).rules
