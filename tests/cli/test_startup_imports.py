"""Each command imports only what it uses (issue 14): `barometre --help` and every command's
`--help` load none of the heavy libraries, and a command that neither draws nor renders loads
no matplotlib, WeasyPrint or Django, nor scipy unless it computes statistics.

Every case runs in a fresh Python process (this one has imported everything already) and
looks at its `sys.modules` once the command has run. Not timed: benchmarks/bench_startup.py
measures the start-up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.core import TyperGroup

from barometre.cli.main import app
from barometre.files import csv_text
from barometre.organisations import FRAME_COLUMNS
from barometre.questionnaire import load_questionnaire
from barometre.scoring import score_responses
from barometre.simulate import simulate_sector

#: Runs `barometre ARGS...` as the console script does (`app()`, which always exits), then
#: writes the exit status and the names of the top-level packages imported to the file OUT.
PROGRAM = """
import json, sys
out, arguments = sys.argv[1], sys.argv[2:]
from barometre.cli.main import app
try:
    app(arguments, prog_name="barometre")
    status = 0
except SystemExit as stop:
    status = stop.code or 0
packages = sorted({name.partition(".")[0] for name in sys.modules})
with open(out, "w", encoding="utf-8") as stream:
    json.dump({"status": status, "packages": packages}, stream)
"""

#: What a command that neither draws, renders nor serves must not import.
NOT_DRAWING = {"matplotlib", "weasyprint", "django"}
#: ... nor one that computes no statistics.
NO_STATISTICS = NOT_DRAWING | {"scipy"}
#: What printing help must not import: none of the above, nor what reads data.
HELP = NO_STATISTICS | {"numpy", "pandas", "pyarrow", "yaml", "jinja2"}


def imported(tmp_path: Path, *arguments: str, program: str = PROGRAM) -> set[str]:
    """The top-level packages a fresh process has imported after `barometre ARGUMENTS`
    (asserting that the command succeeded)."""
    out = tmp_path / "modules.json"
    run = subprocess.run(
        [sys.executable, "-c", program, str(out), *arguments],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["status"] == 0, (arguments, run.stdout, run.stderr)
    return set(result["packages"])


def command_paths() -> list[tuple[str, ...]]:
    """Every command and group of `barometre`, as the words that name it."""
    root = typer.main.get_command(app)
    paths: list[tuple[str, ...]] = []

    def walk(command: typer.core.TyperCommand | TyperGroup, path: tuple[str, ...]) -> None:
        paths.append(path)
        if isinstance(command, TyperGroup):
            for name, sub in command.commands.items():
                walk(sub, (*path, name))

    walk(root, ())
    return paths


def test_importing_the_command_line_imports_no_heavy_library(tmp_path):
    program = (
        "import json, sys\n"
        "import barometre.cli.main\n"
        "json.dump({'status': 0, 'packages': sorted({n.partition('.')[0] for n in sys.modules})},"
        " open(sys.argv[1], 'w'))\n"
    )
    assert imported(tmp_path, program=program) & HELP == set()


def test_the_tree_of_commands_is_all_there():
    paths = command_paths()
    # a few of each kind, so that a walk that found nothing cannot pass the test below
    for path in [(), ("score",), ("estimate",), ("report", "sector"), ("export", "opendata")]:
        assert path in paths
    assert len(paths) > 20


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "barometre")
def test_help_imports_no_heavy_library(tmp_path, path):
    assert imported(tmp_path, *path, "--help") & HELP == set()


@pytest.fixture(scope="module")
def wave(tmp_path_factory) -> dict[str, Path]:
    """A small synthetic wave's files: responses, frame and scores."""
    folder = tmp_path_factory.mktemp("wave")
    questionnaire = load_questionnaire("hlm-2026")
    sector = simulate_sector(questionnaire, organisations=40, response_rate=0.5, seed=7)
    files = {name: folder / f"{name}.csv" for name in ("responses", "frame")}
    files["responses"].write_text(csv_text(sector.responses), encoding="utf-8")
    files["frame"].write_text(csv_text(sector.frame[FRAME_COLUMNS]), encoding="utf-8")
    files["scores"] = folder / "scores.json"
    result = score_responses(questionnaire, sector.responses)
    files["scores"].write_text(result.to_file().dumps(), encoding="utf-8")
    files["organisation"] = Path(str(result.organisations[result.scored].index[0]))
    return files


def test_validating_a_questionnaire_computes_nothing(tmp_path):
    assert imported(tmp_path, "questionnaire", "validate", "hlm-2026") & NO_STATISTICS == set()


def test_scoring_computes_no_statistics(tmp_path, wave):
    out = tmp_path / "scores.json"
    packages = imported(tmp_path, "score", "--responses", str(wave["responses"]), "-o", str(out))
    assert out.is_file()
    assert packages & NO_STATISTICS == set()


def test_exporting_computes_no_statistics(tmp_path, wave):
    out = tmp_path / "organisations.csv"
    packages = imported(
        tmp_path, "export", "--scores", str(wave["scores"]), "--format", "csv", "--out", str(out)
    )
    assert out.is_file()
    assert packages & NO_STATISTICS == set()


def test_an_html_report_draws_but_makes_no_pdf(tmp_path, wave):
    out = tmp_path / "report.html"
    packages = imported(
        tmp_path,
        "report",
        "organisation",
        "--scores",
        str(wave["scores"]),
        "--organisation",
        str(wave["organisation"]),
        "--out",
        str(out),
    )
    assert out.is_file()
    assert packages & {"weasyprint", "django", "scipy"} == set()


def test_the_statistics_commands_do_import_scipy(tmp_path, wave):
    """The other side: the tests above would pass if nothing were ever imported."""
    packages = imported(
        tmp_path, "estimate", "--scores", str(wave["scores"]), "--frame", str(wave["frame"])
    )
    assert "scipy" in packages
    assert packages & NOT_DRAWING == set()
