"""Reading the JSON files the commands exchange (scores, estimates, changes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from barometre.errors import InputError, Problem


def read_json(path: Path, kind: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            str(path), [Problem(str(path), "file_not_found", "no such file")]
        ) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            str(path),
            [Problem(f"{path}:{exc.lineno}", "invalid_json", f"not valid JSON: {exc.msg}")],
        ) from None
    if kind == "estimates" and "domains" not in data:
        raise InputError(
            str(path),
            [
                Problem(
                    str(path),
                    "not_estimates",
                    "this is not an estimates file from `barometre estimate`",
                )
            ],
        )
    if kind == "scores" and "organisations" not in data:
        raise InputError(
            str(path),
            [Problem(str(path), "not_scores", "this is not a scores file from `barometre score`")],
        )
    return data
