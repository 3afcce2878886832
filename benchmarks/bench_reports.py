"""Benchmark of the reports (run with `make bench`; not a test): the time to render one
organisation report to PDF, and every organisation report of the demo's wave."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from barometre.questionnaire import load_questionnaire
from barometre.recommend import load_library
from barometre.reports.organisation import build_organisation_report
from barometre.reports.render import organisation_html, write_pdf
from barometre.scoring import score_responses
from barometre.simulate import simulate_sector


def main() -> None:
    questionnaire = load_questionnaire("hlm-2026")
    library = load_library(None, questionnaire)
    sector = simulate_sector(questionnaire, organisations=570, seed=2025)  # the demo's wave
    scores = score_responses(questionnaire, sector.responses).to_dict()
    ids = [o["organisation_id"] for o in scores["organisations"] if o["global"] is not None]
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        for number, organisation_id in enumerate(ids):
            report = build_organisation_report(
                scores,
                organisation_id,
                questionnaire,
                library,
                wave="Baromètre 2025",
                for_print=True,
            )
            write_pdf(organisation_html(report), Path(folder) / f"{organisation_id}.pdf")
            if number == 0:
                first = time.perf_counter() - started
        total = time.perf_counter() - started
    print("Report benchmark (synthetic demo wave, hlm-2026)")
    print(f"  one organisation report (PDF)       {first:6.2f} s")
    print(
        f"  all {len(ids)} reports of the wave      {total:6.1f} s ({total / len(ids):.2f} s each)"
    )


if __name__ == "__main__":
    main()
