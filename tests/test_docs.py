"""The documentation's examples and lists stay true."""

from __future__ import annotations

import io
import re

import pandas as pd
from typer.main import get_command

from barometre.cli.main import app
from barometre.errors import Code
from barometre.questionnaire import load_questionnaire
from barometre.scoring import score_responses
from tests.helpers import ROOT


def read(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def test_the_responses_example_scores():
    doc = read("docs/responses-format.md")
    lines = [line.strip() for line in doc.splitlines() if line.startswith("    ")]
    table = pd.read_csv(io.StringIO("\n".join(lines)), dtype=str, keep_default_na=False)
    result = score_responses(load_questionnaire("hlm-2026"), table)
    assert list(result.organisations.index) == ["SYN-0004"]


def test_every_documented_responses_code_is_raised():
    doc = read("docs/responses-format.md")
    table = doc.split("| code | problem |", 1)[1].split("\n\n", 1)[0]  # the table of codes
    documented = set(
        re.findall(r"^\| `([a-z_]+)`(?:, `([a-z_]+)`)?(?:, `([a-z_]+)`)?", table, re.M)
    )
    codes = {code for group in documented for code in group if code}
    source = read("src/barometre/scoring/answers.py") + read("src/barometre/tabular.py")
    assert len(codes) >= 15
    known = {code.value: code for code in Code}
    for code in codes:
        assert code in known, f"documented code {code} is not a problem code"
        assert f"Code.{known[code].name}" in source, f"documented code {code} is never raised"


def test_every_command_is_in_the_readme():
    readme = read("README.md")
    group = get_command(app)
    for name, command in group.commands.items():
        subcommands = getattr(command, "commands", None)
        names = [f"{name} {sub}" for sub in subcommands] if subcommands else [name]
        for full in names:
            assert f"barometre {full}" in readme, f"'barometre {full}' is not in the README"
