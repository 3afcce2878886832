"""Benchmark of the command line's start-up (issue 14; not a test).

Wall time of `barometre --help` and of a few other commands' `--help`, each in a fresh Python
process, against two baselines: `python -c pass` (the interpreter alone) and
`python -c "import pandas"` (what any command that reads a table pays). Best of 5 runs each.
Then the modules that cost most to import for `barometre --help` (`python -X importtime`,
cumulative, top 15) and whether it imported any of the heavy libraries that only some
commands use (scipy, matplotlib, WeasyPrint, Django, pandas).

The commands run as the `barometre` console script does: `barometre.cli.main:app`.
"""

from __future__ import annotations

import subprocess
import sys
import time

REPEATS = 5
TOP = 15
#: The console script, in a `-c` program (so that it runs whether or not the script is on PATH).
BAROMETRE = "import sys; sys.argv[0] = 'barometre'; from barometre.cli.main import app; app()"
#: Libraries a command should import only when it uses them.
HEAVY = ("scipy", "matplotlib", "weasyprint", "django", "pandas")

RUNS: list[tuple[str, list[str]]] = [
    ("python -c pass", ["-c", "pass"]),
    ('python -c "import pandas"', ["-c", "import pandas"]),
    ("barometre --help", ["-c", BAROMETRE, "--help"]),
    ("barometre score --help", ["-c", BAROMETRE, "score", "--help"]),
    ("barometre estimate --help", ["-c", BAROMETRE, "estimate", "--help"]),
    ("barometre report organisation --help", ["-c", BAROMETRE, "report", "organisation", "--help"]),
    (
        "barometre questionnaire validate hlm-2026",
        ["-c", BAROMETRE, "questionnaire", "validate", "hlm-2026"],
    ),
]


def best_wall_time(arguments: list[str], repeats: int = REPEATS) -> float:
    """The shortest of `repeats` wall times of `python ARGUMENTS`, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, *arguments],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        best = min(best, time.perf_counter() - started)
    return best


def import_costs(arguments: list[str]) -> list[tuple[int, str]]:
    """(cumulative microseconds, module) of every module `python -X importtime ARGUMENTS`
    imports, the costliest first."""
    run = subprocess.run(
        [sys.executable, "-X", "importtime", *arguments],
        check=True,
        capture_output=True,
        text=True,
    )
    costs = []
    for line in run.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self, cumulative, name = line.removeprefix("import time:").split("|")
        costs.append((int(cumulative), name.strip()))
    return sorted(costs, reverse=True)


def imported_heavy(arguments: list[str]) -> list[str]:
    """Which of `HEAVY` a command has in `sys.modules` when it ends."""
    program = (
        "import sys\n"
        "from barometre.cli.main import app\n"
        "try:\n"
        f"    app({arguments!r}, prog_name='barometre')\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print('HEAVY:', *(h for h in {HEAVY!r} if h in sys.modules))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", program], check=True, capture_output=True, text=True
    )
    return run.stdout.splitlines()[-1].split()[1:]  # the command's own output before it


def main() -> None:
    print(f"Start-up benchmark (wall time of a fresh process, best of {REPEATS})")
    times = {label: best_wall_time(arguments) for label, arguments in RUNS}
    bare, pandas = times["python -c pass"], times['python -c "import pandas"']
    for label, seconds in times.items():
        print(
            f"  {label:<42} {seconds * 1000:7.0f} ms   "
            f"{seconds - bare:+6.2f} s over python, {seconds / pandas:4.2f} x import pandas"
        )
    print(f"\nTop {TOP} import costs of `barometre --help` (cumulative, -X importtime):")
    for cumulative, name in import_costs(["-c", BAROMETRE, "--help"])[:TOP]:
        print(f"  {cumulative / 1000:7.1f} ms  {name}")
    print("\nHeavy libraries imported (scipy, matplotlib, weasyprint, django, pandas):")
    for label, arguments in [
        ("barometre --help", ["--help"]),
        ("barometre score --help", ["score", "--help"]),
        ("barometre questionnaire validate hlm-2026", ["questionnaire", "validate", "hlm-2026"]),
    ]:
        print(f"  {label:<42} {', '.join(imported_heavy(arguments)) or 'none'}")


if __name__ == "__main__":
    main()
