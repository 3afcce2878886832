"""Benchmark of the scoring engine (run with `make bench`; not a test).

Scores a synthetic sector of 600 organisations x 10 respondents x the full hlm-2026
questionnaire, then a sector ten times larger, and prints answers per second: checking and
scoring every answer, consolidation, dimensions, axes, typology and spread. Reading the CSV is
timed apart.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from barometre.files import csv_text
from barometre.questionnaire import build_field_tables, load_questionnaire
from barometre.scoring import score_responses
from barometre.scoring.responses_file import read_responses
from barometre.simulate import simulate_sector


def best_of(repeats: int, run) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    questionnaire = load_questionnaire("hlm-2026")
    tables = build_field_tables(questionnaire)
    print("Scoring benchmark (synthetic data, hlm-2026, 10 respondents per organisation)")
    print(
        f"{'organisations':>14} {'answers':>10} {'read CSV s':>11} {'score s':>9} {'answers/s':>12}"
    )
    for organisations, repeats in ((600, 3), (6000, 1)):
        sector = simulate_sector(
            questionnaire,
            organisations=organisations,
            response_rate=1.0,
            seed=1,
            respondents_per_organisation=10,
        )
        answers = len(sector.responses)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "responses.csv"
            path.write_text(csv_text(sector.responses), encoding="utf-8")
            read = best_of(repeats, lambda path=path: read_responses(path))
        scored = best_of(
            repeats, lambda s=sector: score_responses(questionnaire, s.responses, tables=tables)
        )
        print(
            f"{organisations:>14} {answers:>10} {read:>11.2f} {scored:>9.2f} "
            f"{answers / scored:>12,.0f}"
        )


if __name__ == "__main__":
    main()
