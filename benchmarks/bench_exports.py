"""Benchmark of the wave exports (run with `make bench`; not a test).

Simulates a synthetic sector of 6,000 organisations x 10 respondents with the full hlm-2026
questionnaire (every organisation answers), scores it once, then times every format x table
through `write_export`, checking the answers and building the table included (what a user
waits for). Prints seconds, and the ratio against a baseline measured in the same run: a
plain pandas `to_csv` of the same wide responses table (no checks, no codebook).
Set BENCH_ORGANISATIONS for another size (e.g. 600 for a quick run).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from barometre.interop.exports import (
    FORMAT_SUFFIX,
    FORMATS,
    ExportError,
    WaveData,
    build_tables,
    write_export,
)
from barometre.questionnaire import build_field_tables, load_questionnaire
from barometre.scoring import score_responses
from barometre.simulate import simulate_sector

ORGANISATIONS = int(os.environ.get("BENCH_ORGANISATIONS", "6000"))
TABLES = ("organisations", "items", "responses", "responses-long")
LIMIT_SECONDS = 60.0


def main() -> None:
    questionnaire = load_questionnaire("hlm-2026")
    tables = build_field_tables(questionnaire)
    sector = simulate_sector(
        questionnaire,
        organisations=ORGANISATIONS,
        response_rate=1.0,
        seed=1,
        respondents_per_organisation=10,
    )
    scores = score_responses(questionnaire, sector.responses, tables=tables).to_file()
    data = WaveData(
        questionnaire=questionnaire,
        scores=scores,
        responses=sector.responses,
        pseudonym_key=b"benchmark key (synthetic data)",
    )
    print(
        f"Export benchmark (synthetic data, hlm-2026): {ORGANISATIONS} organisations x 10 "
        f"respondents, {len(sector.responses):,} answers"
    )
    started = time.perf_counter()
    wide = build_tables(data, ["responses"])[0]
    built = time.perf_counter() - started
    print(
        f"wide responses table: {wide.rows:,} rows x {len(wide.columns)} columns, "
        f"checked and built in {built:.1f} s"
    )
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        wide.frame.to_csv(Path(folder) / "baseline.csv", index=False)
        baseline = time.perf_counter() - started
        print(f"baseline: pandas to_csv of that table, {baseline:.1f} s")
        print()
        print(f"{'format':>8} {'table':>15} {'rows':>10} {'MB':>8} {'seconds':>8} {'ratio':>6}")
        slow = []
        for fmt in FORMATS:
            for table in TABLES:
                out = Path(folder) / f"{table}.{fmt}{FORMAT_SUFFIX[fmt]}"
                started = time.perf_counter()
                try:
                    summary = write_export(data, table, fmt, out)
                except ExportError as error:
                    print(f"{fmt:>8} {table:>15}  refused: {error.problems[0].code}")
                    continue
                seconds = time.perf_counter() - started
                if seconds > LIMIT_SECONDS:
                    slow.append(f"{fmt} {table}")
                print(
                    f"{fmt:>8} {table:>15} {summary.rows:>10,} {summary.bytes / 1e6:>8.1f} "
                    f"{seconds:>8.1f} {seconds / baseline:>6.1f}"
                )
                out.unlink()
    print()
    print(f"over {LIMIT_SECONDS:.0f} s: {', '.join(slow) if slow else 'none'}")


if __name__ == "__main__":
    main()
