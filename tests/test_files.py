"""Files written by Baromètre get the mode any program's new file gets under the user's umask
(not the 0600 of a temporary file), whole or not at all."""

from __future__ import annotations

import os
import stat

import pytest

from barometre.files import FILE_MODE, write_all_atomic, write_atomic, write_text_atomic


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_mode_is_what_the_umask_gives_a_new_file(tmp_path):
    # worked out by hand from the process's umask, the way open() does it
    mask = os.umask(0o022)
    os.umask(mask)
    assert 0o666 & ~mask == FILE_MODE
    plain = tmp_path / "plain.txt"
    plain.write_text("x")  # an ordinary new file, for comparison
    assert mode(write_text_atomic(tmp_path / "a.txt", "x")) == mode(plain)
    write_all_atomic({tmp_path / "b.txt": "y", tmp_path / "c.txt": "z"})
    assert mode(tmp_path / "b.txt") == mode(tmp_path / "c.txt") == mode(plain)


def test_a_failed_write_leaves_nothing(tmp_path):
    def fails(tmp) -> None:
        tmp.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomic(tmp_path / "out.csv", fails)
    assert list(tmp_path.iterdir()) == []
