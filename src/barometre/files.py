"""Writing files so that nothing is ever half-written: a temporary name, then a rename."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only annotated here: writing a file must not import pandas (issue 14)
    import pandas as pd


def _umask() -> int:
    # Read once, at import (one thread): os.umask can only be read by setting it.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: The mode a file written here gets: what `open()` would give it under the process's umask
#: (mkstemp makes its temporary file 0600 whatever the umask, which would surprise a user
#: sharing an export or a scores file with colleagues).
FILE_MODE = 0o666 & ~_umask()


def write_atomic(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Call `write(tmp)` on a temporary file beside `path`, then rename it to `path` (what
    `write` returns is ignored)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    try:
        write(Path(tmp))
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_text_atomic(path: str | Path, text: str | Iterable[str]) -> Path:
    """Write `text` in UTF-8: a string, or its pieces one after the other (a large file
    written as it is made)."""
    if isinstance(text, str):
        return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8") as stream:
            stream.writelines(text)

    return write_atomic(path, write)


def dumps_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def csv_text(table: pd.DataFrame) -> str:
    return table.to_csv(index=False, lineterminator="\n")


def write_all_atomic(contents: dict[Path, str]) -> None:
    """Write several text files so that either all of them appear or none changes.

    Every file is first written under a temporary name; only when all are written are they
    renamed, one after the other.
    """
    pending: list[tuple[Path, Path]] = []
    try:
        for target, text in contents.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
            )
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
            pending.append((Path(name), target))
            os.chmod(name, FILE_MODE)
    except BaseException:
        for tmp, _ in pending:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in pending:
        os.replace(tmp, target)
