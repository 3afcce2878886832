"""The frame's limits (issue 10, findings 8 and 10): safe identifiers, names that fit the
database, a plausible whole number of dwellings, no NUL character; each refusal names the
file, the line and the column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from barometre.errors import FrameError
from barometre.organisations import MAX_DWELLINGS, MAX_NAME_LENGTH, check_frame, read_frame

HEADER = "organisation_id,name,organisation_type,dwellings,department\n"


def frame_problems(tmp_path: Path, rows: str) -> list[tuple[str, str, str]]:
    path = tmp_path / "f.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    with pytest.raises(FrameError) as caught:
        read_frame(path)
    return [(p.location.removeprefix(str(path)), p.code, p.message) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("dwellings", "code", "message"),
    [
        ("inf", "not_a_number_dwellings", "dwellings 'inf' is not a number"),
        ("-inf", "not_a_number_dwellings", "dwellings '-inf' is not a number"),
        ("nan", "not_a_number_dwellings", "dwellings 'nan' is not a number"),
        ("12.5", "not_whole_dwellings", "dwellings 12.5 is not a whole number"),
        (
            "1e30",
            "too_many_dwellings",
            "dwellings 1e30 is more than 1,000,000: no organisation is that large; "
            "check the figure",
        ),
        ("1000001", "too_many_dwellings", None),
        ("-3", "negative_size", "dwellings -3 is negative"),
    ],
)
def test_dwellings_are_a_plausible_whole_number(tmp_path, dwellings, code, message):
    [(where, found, text)] = frame_problems(tmp_path, f"A,Nom,OPH,{dwellings},75\n")
    assert (where, found) == (":2", code)
    assert message is None or text == message


def test_a_number_of_thousands_of_digits_is_told_in_a_short_message(tmp_path: Path):
    [(where, code, message)] = frame_problems(tmp_path, "A,Nom,OPH," + "9" * 5000 + ",75\n")
    assert (where, code) == (":2", "not_a_number_dwellings")
    assert len(message) < 120


def test_the_largest_plausible_figures_are_accepted(tmp_path: Path):
    path = tmp_path / "f.csv"
    path.write_text(
        HEADER + f"A,Nom,OPH,{MAX_DWELLINGS},75\nB,{'n' * MAX_NAME_LENGTH},ESH,0,2A\n"
        "C,Nom,SEM,1500.0,974\n",
        encoding="utf-8",
    )
    frame = read_frame(path)
    assert list(frame["dwellings"]) == [1_000_000, 0, 1500]
    assert list(frame["size_class"]) == [">12000", "<1500", "1500-12000"]


@pytest.mark.parametrize("identifier", ["../../../x", "a/b", "..", ".", "O 1", "x" * 65, "é"])
def test_an_organisation_id_outside_the_safe_characters_is_refused(tmp_path, identifier):
    [(where, code, message)] = frame_problems(tmp_path, f"{identifier},Nom,OPH,12,75\n")
    assert (where, code) == (":2", "invalid_identifier")
    assert message.startswith("organisation_id '")


def test_a_name_longer_than_the_database_column_is_refused(tmp_path: Path):
    [(where, code, message)] = frame_problems(
        tmp_path, "A,Nom,OPH,12,75\nB," + "n" * 201 + ",OPH,12,75\n"
    )
    assert (where, code) == (":3", "name_too_long")
    assert message == "the name has 201 characters: at most 200"


def test_a_nul_character_in_a_frame_given_by_a_program_is_refused():
    """A CSV file with a NUL byte is refused as a whole (not text); a table from a program or
    a form goes through the same check."""
    table = pd.DataFrame(
        {
            "organisation_id": ["A", "B"],
            "name": ["Office", "Off\x00ice"],
            "organisation_type": ["OPH", "OPH"],
            "dwellings": [10, 20],
            "department": ["75", "75"],
        }
    )
    with pytest.raises(FrameError) as caught:
        check_frame(table, "frame")
    [found] = caught.value.problems
    assert (found.location, found.code) == ("frame row 1", "nul_character")
    assert "'name'" in found.message


def test_dwellings_given_as_floats_by_a_program_are_checked_alike():
    table = pd.DataFrame(
        {
            "organisation_id": ["A", "B", "C"],
            "name": ["a", "b", "c"],
            "organisation_type": ["OPH", "OPH", "OPH"],
            "dwellings": [float("inf"), 1e30, 12.0],
            "department": ["75", "75", "75"],
        }
    )
    with pytest.raises(FrameError) as caught:
        check_frame(table, "frame")
    assert [(p.location, p.code) for p in caught.value.problems] == [
        ("frame row 0", "not_a_number_dwellings"),
        ("frame row 1", "too_many_dwellings"),
    ]
