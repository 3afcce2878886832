"""Benchmark of the reports (run with `make bench`; not a test), on the demo's synthetic wave
(hlm-2026, 570 organisations, seed 2025).

1. One organisation report: the time to build it (scores to content, its two charts drawn by
   matplotlib), and WeasyPrint's time for its PDF against a baseline: WeasyPrint's layout of
   the same HTML with each chart an empty SVG of the same size (the same `<svg>` element,
   width, height and viewBox, with nothing in it), so that the pages and their layout are the
   same and only the drawing of the charts differs. Best of several runs, in CPU time of this
   process (WeasyPrint runs on one thread), less troubled by other work on the machine than
   the wall clock. Target: within 1.3 times the baseline.
2. Every organisation report of the wave as PDF (`reports.batch.make_reports`, what
   `barometre report wave` and the web's reports job run), on one worker and on every core:
   wall time, CPU time of this process and of its worker processes (`getrusage` SELF +
   CHILDREN), and CPU / wall (the cores kept busy; target at least 1.6 on two cores).
   Target: 150 PDFs in under two minutes on two cores.

`python benchmarks/bench_reports.py [--organisations N]`: N reports of the wave only (all by
default).
"""

from __future__ import annotations

import argparse
import re
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

from barometre.questionnaire import load_questionnaire
from barometre.recommend import load_library
from barometre.reports.batch import ReportTask, WaveReports, available_cores, make_reports
from barometre.reports.organisation import build_organisation_report
from barometre.reports.render import organisation_html, pdf_bytes
from barometre.scoring import score_responses
from barometre.simulate import simulate_sector

REPEATS = 5


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its children that ended."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def empty_charts(html: str, charts: list[str]) -> str:
    """The baseline: each chart an empty `<svg>` with its own width, height and viewBox."""
    for svg in charts:
        head = re.match(r"<svg[^>]*>", svg)
        assert head is not None
        html = html.replace(svg, head.group(0) + "</svg>")
    return html


def best(render, html: str) -> tuple[float, float]:
    """(wall, CPU) seconds of the fastest of `REPEATS` runs."""
    walls, cpus = [], []
    for _ in range(REPEATS):
        wall, cpu = time.perf_counter(), time.process_time()
        render(html)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=None, help="reports of the wave")
    limit = parser.parse_args().organisations
    questionnaire = load_questionnaire("hlm-2026")
    library = load_library(None, questionnaire)
    sector = simulate_sector(questionnaire, organisations=570, seed=2025)  # the demo's wave
    scores = score_responses(questionnaire, sector.responses).to_file()
    ids = [o.organisation_id for o in scores.organisations if o.scored][:limit]

    started = time.perf_counter()
    report = build_organisation_report(
        scores, ids[0], questionnaire, library, wave="Baromètre 2025", for_print=True
    )
    build = time.perf_counter() - started
    html = organisation_html(report)
    charts = [report.radar_svg, report.typology_svg]
    baseline = empty_charts(html, charts)
    pdf_bytes(html)  # warm: fonts, WeasyPrint's caches
    with_charts = best(pdf_bytes, html)
    without = best(pdf_bytes, baseline)
    nodes = sum(svg.count("<") - svg.count("</") for svg in charts)

    shared = WaveReports(
        scores=scores,
        questionnaire=questionnaire,
        library=library,
        report_date=date.today(),
        wave="Baromètre 2025",
    )
    runs = []
    for workers in (1, available_cores()):
        with tempfile.TemporaryDirectory() as folder:
            tasks = [ReportTask(i, Path(folder) / f"{i}.pdf") for i in ids]
            wall, cpu = time.perf_counter(), cpu_seconds()
            outcomes = list(make_reports(shared, tasks, workers=workers))
            wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
            assert all(o.written for o in outcomes), [o.error for o in outcomes if o.error]
        runs.append((workers, wall, cpu))

    print("Report benchmark (synthetic demo wave, hlm-2026)")
    print(
        f"  one report: build (content, {len(charts)} charts, {nodes} SVG elements) {build:5.2f} s"
    )
    print(
        f"  one report: PDF {with_charts[1]:5.2f} s CPU ({with_charts[0]:5.2f} s wall); "
        f"baseline, charts empty {without[1]:5.2f} s CPU ({without[0]:5.2f} s wall): "
        f"ratio {with_charts[1] / without[1]:.2f} (target <= 1.3)"
    )
    for workers, wall, cpu in runs:
        print(
            f"  {len(ids)} reports on {workers} worker{'s' if workers > 1 else ''}: "
            f"{wall:6.1f} s wall ({wall / len(ids):.2f} s each), {cpu:6.1f} s CPU, "
            f"CPU / wall {cpu / wall:.2f}"
        )
    if len(runs) > 1:
        print(f"  speed-up {runs[0][1] / runs[-1][1]:.2f} on {runs[-1][0]} cores")


if __name__ == "__main__":
    main()
