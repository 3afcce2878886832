"""Every organisation report of a wave as PDF, on every core: `barometre report wave` and the
web's reports job.

The reports are made by a pool of worker processes started with "spawn" (a fresh
interpreter: nothing is inherited from the caller, neither its threads nor its database
connections). Each worker receives what the wave's reports share (`WaveReports`: scores,
questionnaire, sheets...) once, in the pool's initializer, and keeps it with its imports
(WeasyPrint, matplotlib) and fonts warm from one report to the next; a task carries only an
organisation's id, name, answers and file. Each PDF is written under a temporary name and
renamed by the worker that made it; the outcomes come back in the order of the tasks (the
organisations' order), whatever the order the workers finish in, and the same inputs give
the same files with one worker or several.

A report that fails is an outcome with its error: the others are still made.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from barometre.contracts.scores import ScoresFile
from barometre.errors import BarometreError
from barometre.i18n import Language
from barometre.questionnaire.models import Questionnaire
from barometre.recommend import Library
from barometre.scoring.organisation_answers import OrganisationAnswers

if TYPE_CHECKING:  # the reports' module (matplotlib) is imported where a report is made
    from barometre.reports.organisation import PeerKey

#: The number of worker processes, when set (a whole number of 1 or more); by default one per
#: core the process may use. Never more than the cores, nor than the reports.
WORKERS_VARIABLE = "BAROMETRE_REPORT_WORKERS"


@dataclass(frozen=True)
class WaveReports:
    """What every organisation report of a wave shares (`build_organisation_report`'s
    arguments but the organisation's own). `report_date` is fixed once for the whole wave."""

    scores: ScoresFile
    questionnaire: Questionnaire
    library: Library
    report_date: date
    wave: str = ""
    previous: ScoresFile | None = None
    language: Language = "fr"
    peer_keys: Mapping[str, PeerKey] | None = None
    hidden_peer_cells: tuple[PeerKey, ...] = ()


@dataclass(frozen=True)
class ReportTask:
    """One organisation's report, to be written to `target` (a PDF)."""

    organisation_id: str
    target: Path
    name: str | None = None
    answers: OrganisationAnswers | None = None


@dataclass(frozen=True)
class ReportOutcome:
    """A report written, or why not: `error` in one line for the person who asked (empty when
    written), `detail` the traceback of an unexpected error, for the log."""

    organisation_id: str
    target: Path
    error: str = ""
    detail: str = ""
    #: The error was a mistake in the input (a `BarometreError`), not a bug.
    input_error: bool = False

    @property
    def written(self) -> bool:
        return not self.error


def available_cores() -> int:
    """The cores this process may run on (its affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def worker_count(requested: int | None = None, reports: int | None = None) -> int:
    """The size of the pool: `requested`, else `BAROMETRE_REPORT_WORKERS`, else every core;
    at most the cores and the number of reports, at least 1. A `ValueError` naming the
    variable when it is not a whole number of 1 or more."""
    if requested is None:
        setting = os.environ.get(WORKERS_VARIABLE, "").strip()
        if setting:
            try:
                requested = int(setting)
            except ValueError:
                requested = 0
            if requested < 1:
                raise ValueError(
                    f"{WORKERS_VARIABLE} must be a whole number of 1 or more, not {setting!r}"
                )
    count = min(requested or available_cores(), available_cores())
    if reports is not None:
        count = min(count, reports)
    return max(1, count)


#: What the worker process keeps between reports (set by `_start_worker`).
_shared: WaveReports | None = None


def _start_worker(shared: WaveReports) -> None:
    """The pool's initializer: the wave's data, and the imports the reports need, once."""
    global _shared
    _shared = shared
    import weasyprint  # noqa: F401  (Pango and fontconfig loaded once per worker)

    import barometre.reports.organisation  # noqa: F401  (matplotlib, Jinja2)


def _make(task: ReportTask) -> ReportOutcome:
    """One report, in a worker (or in the caller with a single worker)."""
    assert _shared is not None, "the worker was started without its wave"
    return make_report(_shared, task)


def make_report(shared: WaveReports, task: ReportTask) -> ReportOutcome:
    """Build the organisation's report and write its PDF; an error is the outcome's, never
    raised (a bug's traceback is kept in `detail`)."""
    from barometre.reports.organisation import build_organisation_report
    from barometre.reports.render import organisation_html, write_pdf

    try:
        report = build_organisation_report(
            shared.scores,
            task.organisation_id,
            shared.questionnaire,
            shared.library,
            name=task.name,
            wave=shared.wave,
            previous=shared.previous,
            language=shared.language,
            for_print=True,
            peer_keys=shared.peer_keys,
            hidden_peer_cells=shared.hidden_peer_cells,
            report_date=shared.report_date,
            answers=task.answers,
        )
        write_pdf(organisation_html(report), task.target)
    except BarometreError as exc:
        return ReportOutcome(task.organisation_id, task.target, str(exc), input_error=True)
    except Exception as exc:
        return ReportOutcome(
            task.organisation_id, task.target, _one_line(exc), traceback.format_exc()
        )
    return ReportOutcome(task.organisation_id, task.target)


def _one_line(exc: BaseException) -> str:
    detail = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def make_reports(
    shared: WaveReports,
    tasks: Sequence[ReportTask],
    *,
    workers: int | None = None,
    before_start: Callable[[], None] | None = None,
) -> Iterator[ReportOutcome]:
    """The outcome of each task, in the tasks' order, as the reports are made by
    `worker_count(workers, len(tasks))` processes (in this process when that is 1).
    `before_start` runs just before the pool starts (the web closes its database connections
    there). A worker process that dies (killed, out of memory) fails the reports it had not
    finished, never the others."""
    count = worker_count(workers, len(tasks))
    if count == 1:
        for task in tasks:
            yield make_report(shared, task)
        return
    if before_start is not None:
        before_start()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=count, mp_context=context, initializer=_start_worker, initargs=(shared,)
    ) as pool:
        futures: list[Future[ReportOutcome]] = [pool.submit(_make, task) for task in tasks]
        try:
            for task, future in zip(tasks, futures, strict=True):
                yield _outcome(task, future)
        finally:
            for future in futures:  # the caller stopped early: no report is started after
                future.cancel()


def _outcome(task: ReportTask, future: Future[ReportOutcome]) -> ReportOutcome:
    try:
        return future.result()
    except BrokenProcessPool:
        return ReportOutcome(
            task.organisation_id,
            task.target,
            "the process making the report stopped (killed, or out of memory)",
        )
