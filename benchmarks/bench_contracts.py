"""Benchmark of the typed file contracts (not a test).

What the records cost against the plain JSON they replace, in the same run: reading a scores
and an estimates file (`json.loads` alone, then `ScoresFile.load` / `EstimatesFile.load` on the
parsed data, which the web does each time it reads a wave's results), and writing them
(`ScoreResult.to_file().dumps()` against `json.dumps` of the same data). Synthetic hlm-2026
sector of 570 organisations, every one answering.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from barometre.contracts.estimates import EstimatesFile
from barometre.contracts.scores import ScoresFile
from barometre.questionnaire import load_questionnaire
from barometre.scoring import score_responses
from barometre.simulate import simulate_sector
from barometre.stats.sector.wave import estimate_wave


def best_of(run: Callable[[], object], repeats: int = 7) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    questionnaire = load_questionnaire("hlm-2026")
    sector = simulate_sector(questionnaire, organisations=570, response_rate=1.0, seed=2026)
    result = score_responses(questionnaire, sector.responses)
    scores = result.to_file()
    estimates = estimate_wave(scores, sector.frame, questionnaire)
    for name, record, model in (
        ("scores", scores, ScoresFile),
        ("estimates", estimates, EstimatesFile),
    ):
        text = record.dumps()
        data = json.loads(text)
        parse = best_of(lambda text=text: json.loads(text))
        validate = best_of(lambda data=data, model=model: model.load(data, "benchmark"))
        dump_plain = best_of(lambda data=data: json.dumps(data, ensure_ascii=False, indent=2))
        dump_typed = best_of(lambda record=record: record.dumps())
        print(
            f"{name:<9} {len(text) / 1e6:5.2f} MB: json.loads {parse * 1e3:6.1f} ms, "
            f"typed load {validate * 1e3:6.1f} ms "
            f"({validate / parse:.2f}x json.loads); json.dumps {dump_plain * 1e3:6.1f} ms, "
            f"typed dumps {dump_typed * 1e3:6.1f} ms ({dump_typed / dump_plain:.2f}x)"
        )
    to_file = best_of(result.to_file, repeats=3)
    print(f"ScoreResult.to_file for {len(scores.organisations)} organisations: {to_file:.2f} s")


if __name__ == "__main__":
    main()
