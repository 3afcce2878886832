"""Synthetic responses files of any size for the benchmarks, written without holding them whole.

A sector of 100,000 organisations x 10 respondents (35 M answers, about 2 GB of CSV) is too
large to simulate at once as a table of Python strings. It is written as blocks of
`BLOCK` organisations, each simulated (`barometre.simulate`) with its own seed, whose
identifiers carry the block's number (SYN-B03-0001, SYN-B03-0001-R01): every organisation
and respondent is distinct, the data stay seeded and synthetic, and the file is the same
whatever the machine.
"""

from __future__ import annotations

from pathlib import Path

from barometre.files import csv_text
from barometre.questionnaire import load_questionnaire
from barometre.simulate import simulate_sector

#: Organisations simulated at once.
BLOCK = 10_000


def write_responses(path: Path, organisations: int, seed: int = 1) -> int:
    """Write a responses CSV of `organisations` organisations x 10 respondents (hlm-2026,
    everyone answering) to `path`; returns its number of answers."""
    questionnaire = load_questionnaire("hlm-2026")
    answers = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        for number, start in enumerate(range(0, organisations, BLOCK), start=1):
            size = min(BLOCK, organisations - start)
            block = simulate_sector(
                questionnaire,
                organisations=size,
                response_rate=1.0,
                seed=seed + number - 1,
                respondents_per_organisation=10,
            ).responses
            if organisations > BLOCK:
                prefix = f"SYN-B{number:02d}-"
                for column in ("organisation_id", "respondent_id"):
                    block[column] = prefix + block[column].str.removeprefix("SYN-")
            text = csv_text(block)
            out.write(text if number == 1 else text.split("\n", 1)[1])
            answers += len(block)
    return answers
