"""Benchmark of checking one answer, as the web does on each autosave (not a test).

Checks simulated hlm-2026 answers (plus some refused ones) one at a time, in the same run, in
two ways: `AnswerRules.check` (dict and set lookups) and the former route, `score_answers` on a
one-row responses table. Prints checks per second of each and the ratio.
"""

from __future__ import annotations

import time

import pandas as pd

from barometre.errors import ResponsesError
from barometre.questionnaire import build_field_tables, load_questionnaire
from barometre.scoring.answer_check import AnswerRules
from barometre.scoring.answers import score_answers
from barometre.simulate import simulate_sector

REFUSED = [
    ("numerique", "loc_online_requests", "120"),
    ("numerique", "loc_online_requests", "a lot"),
    ("numerique", "loc_online_requests", "12,5 %"),
    ("direction", "str_strategy", "maybe"),
    ("direction", "nope", "1"),
    ("nobody", "str_strategy", "1"),
]


def one_row_route(tables, role: str, field_id: str, value: str) -> str | None:
    row = pd.DataFrame(
        [
            {
                "organisation_id": "o",
                "respondent_id": "r",
                "role": role,
                "item_id": field_id,
                "answer": value,
            }
        ]
    )
    try:
        score_answers(row, tables, source="answer")
    except ResponsesError as exc:
        return exc.problems[0].code
    return None


def per_second(answers: list[tuple[str, str, str]], check, repeats: int) -> float:
    """Best of `repeats` runs over every answer, in checks per second."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        for role, field_id, value in answers:
            check(role, field_id, value)
        best = min(best, time.perf_counter() - started)
    return len(answers) / best


def main() -> None:
    questionnaire = load_questionnaire("hlm-2026")
    tables = build_field_tables(questionnaire)
    started = time.perf_counter()
    rules = AnswerRules.from_tables(tables)
    built = time.perf_counter() - started
    sector = simulate_sector(
        questionnaire, organisations=40, response_rate=1.0, seed=1, respondents_per_organisation=5
    )
    simulated = sector.responses[["role", "item_id", "answer"]].itertuples(index=False)
    answers = [tuple(map(str, row)) for row in simulated] + REFUSED * 20

    sample = answers[:: max(1, len(answers) // 200)]  # the old route is slow: 200 answers
    disagree = sum(
        rules.check(*answer) != one_row_route(tables, *answer) for answer in sample + REFUSED
    )
    fast = per_second(answers, rules.check, repeats=5)
    slow = per_second(sample, lambda *a: one_row_route(tables, *a), repeats=2)

    print("One-answer check benchmark (hlm-2026, simulated answers and some refused ones)")
    print(f"rules built in {built * 1000:.1f} ms; {len(REFUSED) + len(sample)} answers compared,")
    print(f"{disagree} disagreements between the two routes")
    print(f"{'route':<34} {'answers':>8} {'checks/s':>12} {'µs/check':>10}")
    print(f"{'AnswerRules.check':<34} {len(answers):>8} {fast:>12,.0f} {1e6 / fast:>10.2f}")
    print(f"{'score_answers on one row':<34} {len(sample):>8} {slow:>12,.0f} {1e6 / slow:>10.0f}")
    print(f"ratio: AnswerRules.check is {fast / slow:,.0f} times faster")


if __name__ == "__main__":
    main()
