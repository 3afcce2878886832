"""Answers → item scores → dimension scores, global index, levels, axes and family."""

from barometre.contracts.vocabulary import FAMILIES
from barometre.scoring.engine import score_answer_table, score_responses
from barometre.scoring.result import ScoreResult
from barometre.scoring.typology import family_of, levels_of

__all__ = [
    "FAMILIES",
    "ScoreResult",
    "family_of",
    "levels_of",
    "score_answer_table",
    "score_responses",
]
