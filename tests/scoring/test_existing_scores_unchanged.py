"""The questionnaires already in use score byte for byte as before the method engine grew.

Issue 13 made the format general (missing answers as zero, levels closed above, path items,
conditional questions, weighted exclusive options, optional typology, declared languages,
answer triggers). None of that may move a score of `hlm-2026`: a wave scored before and after
must be the same file. The digests below were taken on commit f6d7bf3, before that work, with

    barometre simulate --seed S --out DIR [--respondents 1 --response-rate 0.5]
    barometre score -r DIR/responses.csv -o DIR/scores.json

and are what this test recomputes through the same commands. A digest that changes here is a
change of method: it needs a new methodology version, not a new digest.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from barometre.cli.main import app

runner = CliRunner()

#: (simulate options, sha256 of responses.csv, sha256 of scores.json), on commit f6d7bf3.
BEFORE = [
    (
        ["--seed", "2026"],
        "90ab7adf23b471aa0d3fa605a896b3646c72b6963000404d3cdc36df40d4cfc3",
        "154b0e34cbaec8e180f84a46cfae20c1c04a1a717ab961295a046108ec88d12f",
    ),
    (
        ["--seed", "7"],
        "33d9f3e5a8fd74d27d8349b4b1e2089f4ae0e03a3199dc00c7df27bd474acf27",
        "da9dd9d49b5a4092f5a61ecfa2da68f98c1abfec112f5536f10f1d7b67924bbd",
    ),
    (
        ["--seed", "11", "--respondents", "1", "--response-rate", "0.5"],
        "c631d62fb52beddf59a0b81b8a36475675004f0216b01b22358838784c29a24e",
        "3886697d2caf7ca04de0a558d8948930226ebe555514a1fc94b2b6da0010cf85",
    ),
]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(("options", "responses_digest", "scores_digest"), BEFORE)
def test_hlm_2026_scores_byte_identically(
    tmp_path: Path, options: list[str], responses_digest: str, scores_digest: str
) -> None:
    simulated = runner.invoke(app, ["simulate", *options, "--out", str(tmp_path)])
    assert simulated.exit_code == 0, simulated.output
    assert _digest(tmp_path / "responses.csv") == responses_digest
    scores = tmp_path / "scores.json"
    scored = runner.invoke(app, ["score", "-r", str(tmp_path / "responses.csv"), "-o", str(scores)])
    assert scored.exit_code == 0, scored.output
    assert _digest(scores) == scores_digest
