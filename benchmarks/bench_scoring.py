"""Benchmark of the scoring engine (run with `make bench`; not a test).

Scores a synthetic sector of 600 organisations x 10 respondents x the full hlm-2026
questionnaire, then a sector ten times larger, and prints answers per second: checking and
scoring every answer, consolidation, dimensions, axes, typology and spread. Reading the CSV is
timed apart, and compared with a plain `pandas.read_csv` of the same file (every cell as text):
`tabular.read_csv_strict` also detects the encoding and separator and numbers the lines.

`engine_against_baseline` then times the engine against a plain pandas merge + groupby of the
simple kinds (single, scale, yes/no, number, percent) over the same answers, which checks
nothing and computes only dimension means, at 600, 6,000 and 60,000 organisations.

`command_end_to_end` times `barometre score` end to end, as a command (with its peak memory)
and in process, against `pandas.read_csv` merely reading the same file (`--end-to-end` runs
only it; `--before SRC` also times the package in the `src` folder SRC, turn about; `--large`
adds 60,000 organisations).
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from barometre.csv_codes import read_csv_codes
from barometre.errors import ResponsesError
from barometre.files import csv_text
from barometre.questionnaire import build_field_tables, load_questionnaire
from barometre.scoring import score_responses
from barometre.scoring.answers import RESPONSE_COLUMNS
from barometre.scoring.engine import score_responses_file
from barometre.simulate import simulate_sector
from barometre.tabular import read_csv_strict

sys.path.insert(0, str(Path(__file__).parent))  # run as a script: its sibling modules
from large_sector import write_responses


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


#: The kinds the pandas baseline scores: one option code, or a number between goalposts.
SIMPLE_KINDS = ("single", "scale", "yesno", "number", "percent")


def pandas_baseline(responses: pd.DataFrame, tables) -> pd.DataFrame:
    """Dimension scores of the simple kinds the plain pandas way, checking nothing: answers
    merged with the options (codes) and the goalposts (numbers), a mean per organisation and
    item, then a weighted mean per dimension (organisations x dimensions)."""
    fields = tables.fields
    options = tables.options[["field_id", "code", "score"]]
    coded = responses.merge(
        options, how="inner", left_on=["item_id", "answer"], right_on=["field_id", "code"]
    )
    numbers = responses.merge(
        fields.loc[fields["kind"].isin(["number", "percent"]), ["worst", "best"]],
        how="inner",
        left_on="item_id",
        right_index=True,
    )
    value = pd.to_numeric(numbers["answer"].str.replace(",", ".", regex=False), errors="coerce")
    share = ((value - numbers["worst"]) / (numbers["best"] - numbers["worst"])).clip(0.0, 1.0)
    scored = pd.concat(
        [
            coded[["organisation_id", "item_id", "score"]],
            numbers[["organisation_id", "item_id"]].assign(score=100.0 * share),
        ]
    )
    per_item = scored.groupby(["organisation_id", "item_id"], as_index=False)["score"].mean()
    per_item = per_item.merge(
        fields[["dimension", "weight"]], how="inner", left_on="item_id", right_index=True
    )
    per_item["weighted"] = per_item["score"] * per_item["weight"]
    sums = per_item.groupby(["organisation_id", "dimension"])[["weighted", "weight"]].sum()
    return (sums["weighted"] / sums["weight"]).unstack()


def engine_against_baseline(sizes=((600, 3), (6000, 2), (60000, 1))) -> None:
    """The engine (every check, every result) against `pandas_baseline` on the answers of the
    simple kinds, and the engine on every answer, at each number of organisations of `sizes`
    (with the number of timed runs, the best counts)."""
    questionnaire = load_questionnaire("hlm-2026")
    tables = build_field_tables(questionnaire)
    fields = tables.fields
    simple_items = fields.index[fields["kind"].isin(SIMPLE_KINDS).to_numpy(dtype=bool)]
    print()
    print("The engine against a pandas merge + groupby of the simple kinds (single, scale,")
    print("yes/no, number, percent), on the same answers; ratio: engine time / pandas time")
    print(
        f"{'organisations':>14} {'answers':>10} {'simple':>9} {'engine s':>9} {'pandas s':>9} "
        f"{'ratio':>6} {'engine/s (simple)':>18} {'engine/s (all)':>15}"
    )
    for organisations, repeats in sizes:
        sector = simulate_sector(
            questionnaire,
            organisations=organisations,
            response_rate=1.0,
            seed=1,
            respondents_per_organisation=10,
        )
        responses = sector.responses
        simple = responses[responses["item_id"].isin(simple_items)].reset_index(drop=True)
        engine = best_of(repeats, lambda r=simple: score_responses(questionnaire, r, tables=tables))
        plain = best_of(repeats, lambda r=simple: pandas_baseline(r, tables))
        every = best_of(
            repeats, lambda r=responses: score_responses(questionnaire, r, tables=tables)
        )
        print(
            f"{organisations:>14} {len(responses):>10} {len(simple):>9} {engine:>9.2f} "
            f"{plain:>9.2f} {engine / plain:>6.2f} {len(simple) / engine:>18,.0f} "
            f"{len(responses) / every:>15,.0f}"
        )


def _barometre_command() -> list[str]:
    """How to start `barometre` with this Python: its console script, else the app itself."""
    script = Path(sys.executable).with_name("barometre")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from barometre.cli.main import app; app()"]


#: Runs a command and tells its usage. The benchmark's own process holds gigabytes; a child
#: forked from it would count them in its peak (Linux's `ru_maxrss` keeps the largest
#: memory the process had, the parent's pages it started with included), so the command is
#: started by this small process, whose children's usage is then the command's own.
_MEASURE = """
import os, resource, subprocess, sys
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"usage {usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}", file=sys.stderr)
sys.exit(code)
"""


def _run_command_usage(args: list[str], source: Path | None = None) -> tuple[float, int, float]:
    """Run `args` (with the package of `source`, a `src` folder, when given); its wall time
    (s), peak memory (ru_maxrss, KiB) and CPU time (user + system, s)."""
    env = dict(os.environ)
    if source is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(source), env.get("PYTHONPATH")]))
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *args], capture_output=True, text=True, env=env
    )
    elapsed = time.perf_counter() - started
    lines = done.stderr.splitlines()
    if done.returncode or not lines or not lines[-1].startswith("usage "):
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr}")
    _, peak, cpu = lines[-1].split()
    return elapsed, int(peak), float(cpu)


def _run_command(args: list[str], source: Path | None = None) -> tuple[float, int]:
    """`_run_command_usage` without the CPU time."""
    elapsed, peak, _cpu = _run_command_usage(args, source)
    return elapsed, peak


def command_end_to_end(sizes=((600, 3), (6000, 2)), before: Path | None = None) -> None:
    """`barometre score` end to end (start, read, check, score, consolidate, aggregate,
    write), as a command (a new process: start and imports included, peak memory of the
    child) and in process (`score` called as the command line calls it, imports done), against
    a plain `pandas.read_csv` of the same file (every cell as text) merely reading it; the
    phases in process: reading (`read_csv_codes`), scoring (`score_responses_file`), writing
    (`ScoreResult.json_chunks` to a file). The outputs are checked byte for byte.

    `before`, a `src` folder of another version of the package, times the command of that
    version too, its runs taking turns with this one's (a busy machine slows both alike)."""
    from typer.main import get_command

    from barometre.cli.main import app
    from barometre.files import write_text_atomic

    questionnaire = load_questionnaire("hlm-2026")
    command = get_command(app)
    print()
    print("`barometre score` end to end against pandas.read_csv merely reading the same file")
    print("(ratio: time / pandas.read_csv time; peak: ru_maxrss of the command's process;")
    print("best of the runs; reading and pandas best of 3)")
    print(
        f"{'organisations':>14} {'MB':>6} {'pandas s':>9} {'command s':>10} {'ratio':>6} "
        f"{'peak MB':>8} {'in process s':>13} {'ratio':>6} {'read s':>7} {'score s':>8} "
        f"{'write s':>8}"
    )
    for organisations, repeats in sizes:
        with tempfile.TemporaryDirectory() as folder:
            responses = Path(folder) / "responses.csv"
            write_responses(responses, organisations)
            outputs = {name: Path(folder) / f"{name}.json" for name in ("now", "before", "in")}
            plain = best_of(
                3,
                lambda path=responses: pd.read_csv(
                    path, dtype=str, keep_default_na=False, na_filter=False, engine="c"
                ),
            )
            versions = {"now": None} if before is None else {"now": None, "before": before}
            runs: dict[str, list[tuple[float, int]]] = {name: [] for name in versions}
            for _ in range(repeats):
                for name, source in versions.items():
                    args = ["score", "-r", str(responses), "-o", str(outputs[name])]
                    runs[name].append(_run_command([*_barometre_command(), *args], source))
            args = ["score", "-r", str(responses), "-o", str(outputs["in"])]
            with contextlib.redirect_stdout(io.StringIO()):  # its one line, "Scored ..."
                inside = best_of(repeats, lambda a=args: command.main(a, standalone_mode=False))
            if len({outputs[name].read_bytes() for name in [*versions, "in"]}) != 1:
                raise SystemExit("the runs did not all write the same file")
            read = best_of(3, lambda path=responses: read_csv_codes(path, RESPONSE_COLUMNS))
            scored = best_of(
                repeats, lambda path=responses: score_responses_file(questionnaire, path)
            )
            result = score_responses_file(questionnaire, responses)
            written = best_of(
                repeats, lambda r=result, o=outputs["in"]: write_text_atomic(o, r.json_chunks())
            )
            del result
            megabytes = responses.stat().st_size / 1e6
            elapsed = min(run[0] for run in runs["now"])
            peak = max(run[1] for run in runs["now"])
            print(
                f"{organisations:>14} {megabytes:>6.1f} {plain:>9.2f} {elapsed:>10.2f} "
                f"{elapsed / plain:>6.2f} {peak / 1024:>8.0f} {inside:>13.2f} "
                f"{inside / plain:>6.2f} {read:>7.2f} {scored:>8.2f} {written:>8.2f}"
            )
            if before is not None:
                elapsed = min(run[0] for run in runs["before"])
                peak = max(run[1] for run in runs["before"])
                print(
                    f"{'  before':<14} {'':>6} {'':>9} {elapsed:>10.2f} "
                    f"{elapsed / plain:>6.2f} {peak / 1024:>8.0f}"
                )


#: The sizes of the scale benchmark (organisations x 10 respondents, about 35 answers each):
#: 6,000 (2.1 M answers), 60,000 (21 M) and 100,000 (35 M answers, one million respondents).
SCALE_SIZES = (6_000, 60_000, 100_000)


def scale(sizes=SCALE_SIZES) -> None:
    """`barometre score` as a command at each size: wall time, CPU time and peak memory of
    its process, against Arrow's CSV reader merely reading the same file into a table of
    texts (every cell, all cores) in the same run; then the growth from one size to the
    next, as the ratio of the time per answer (1.00: linear). Targets at 100,000
    organisations: under 60 s and 4 GB."""
    import pyarrow.csv as pa_csv

    print()
    print("Scale: `barometre score` as a command (one run per size; peak: ru_maxrss of the")
    print("command's process) against pyarrow.csv.read_csv merely reading the same file")
    print(
        f"{'organisations':>14} {'answers':>11} {'MB':>7} {'arrow s':>8} {'command s':>10} "
        f"{'ratio':>6} {'CPU s':>7} {'peak MB':>8} {'µs/answer':>10}"
    )
    measured = []
    for organisations in sizes:
        with tempfile.TemporaryDirectory() as folder:
            responses = Path(folder) / "responses.csv"
            answers = write_responses(responses, organisations)
            arrow = best_of(1, lambda path=responses: pa_csv.read_csv(path))
            args = ["score", "-r", str(responses), "-o", str(Path(folder) / "scores.json")]
            elapsed, peak, cpu = _run_command_usage([*_barometre_command(), *args])
            megabytes = responses.stat().st_size / 1e6
        per_answer = elapsed / answers * 1e6
        measured.append((organisations, answers, per_answer))
        print(
            f"{organisations:>14,} {answers:>11,} {megabytes:>7.0f} {arrow:>8.2f} "
            f"{elapsed:>10.2f} {elapsed / arrow:>6.2f} {cpu:>7.2f} {peak / 1024:>8.0f} "
            f"{per_answer:>10.3f}"
        )
    for (small, _, before), (large, _, after) in itertools.pairwise(measured):
        print(f"growth {small:,} -> {large:,} organisations: time per answer x{after / before:.2f}")


def _option(name: str) -> str | None:
    """The value after `name` among the command's arguments, if any."""
    args = sys.argv[1:]
    return args[args.index(name) + 1] if name in args[:-1] else None


if __name__ == "__main__":
    # --end-to-end: only `barometre score` against pandas.read_csv; --before SRC: also the
    # command of the package in SRC; --large: also at 60,000 organisations; --scale: only
    # the scale table.
    before = _option("--before")
    sizes = ((600, 3), (6000, 2), *(((60000, 1),) if "--large" in sys.argv[1:] else ()))
    if "--scale" in sys.argv[1:]:
        scale()
        raise SystemExit(0)
    if "--end-to-end" not in sys.argv[1:]:
        main()
        engine_against_baseline()
    command_end_to_end(sizes, Path(before) if before else None)
    scale()
