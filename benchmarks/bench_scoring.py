"""Benchmark of the scoring engine (run with `make bench`; not a test).

Scores a synthetic sector of 600 organisations x 10 respondents x the full hlm-2026
questionnaire, then a sector ten times larger, and prints answers per second: checking and
scoring every answer, consolidation, dimensions, axes, typology and spread. Reading the CSV is
timed apart, and compared with a plain `pandas.read_csv` of the same file (every cell as text):
`tabular.read_csv_strict` also detects the encoding and separator and numbers the lines.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pandas as pd

from barometre.errors import ResponsesError
from barometre.files import csv_text
from barometre.questionnaire import build_field_tables, load_questionnaire
from barometre.scoring import score_responses
from barometre.scoring.answers import RESPONSE_COLUMNS
from barometre.simulate import simulate_sector
from barometre.tabular import read_csv_strict


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
    reading = []
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
            # Reading is timed 3 times whatever the size: a single read is too noisy for a ratio.
            read = best_of(
                3, lambda path=path: read_csv_strict(path, RESPONSE_COLUMNS, ResponsesError)
            )
            plain = best_of(
                3,
                lambda path=path: pd.read_csv(
                    path, dtype=str, keep_default_na=False, na_filter=False, engine="c"
                ),
            )
            reading.append((answers, path.stat().st_size / 1e6, read, plain))
        scored = best_of(
            repeats, lambda s=sector: score_responses(questionnaire, s.responses, tables=tables)
        )
        print(
            f"{organisations:>14} {answers:>10} {read:>11.2f} {scored:>9.2f} "
            f"{answers / scored:>12,.0f}"
        )
    print()
    print("Reading the responses CSV: tabular.read_csv_strict against pandas.read_csv (dtype=str)")
    print(f"{'answers':>10} {'MB':>7} {'read_csv_strict s':>18} {'pandas s':>9} {'ratio':>6}")
    for answers, megabytes, read, plain in reading:
        print(f"{answers:>10} {megabytes:>7.1f} {read:>18.2f} {plain:>9.2f} {read / plain:>6.2f}")


if __name__ == "__main__":
    main()
