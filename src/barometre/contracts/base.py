"""What every file contract shares: strict frozen records, a format name and version in the
file, rounding of scores, and reading that names the field a foreign or old file gets wrong."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated, Any, ClassVar, Self

import numpy as np
from pydantic import BaseModel, ConfigDict, PlainSerializer, ValidationError

from barometre.errors import Code, ContractError, Problem, json_error_reason, problem
from barometre.files import dumps_json

#: Scores and shares are written with at most this many decimals, so that a score and its level
#: never disagree to a reader (49.99999999999999 is written 50.0; levels and families are
#: assigned after the same rounding, see scoring/typology.py).
DECIMALS = 10


def rounded(value: float | None) -> float | None:
    """A finite float rounded to `DECIMALS`; NaN, infinities and None become None."""
    if value is None:
        return None
    value = float(value)
    if not math.isfinite(value):
        return None
    # numpy's rounding, as the levels' (scoring/typology.py): the written score is the very
    # number the level was assigned from. + 0.0 turns -0.0 into 0.0.
    return float(np.round(value, DECIMALS)) + 0.0


def finite(value: float | None) -> float | None:
    """A finite float as it is (not rounded); NaN, infinities and None become None."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


#: A number of the file: a finite float or null (NaN is never written).
Number = Annotated[float | None, PlainSerializer(finite, return_type=float | None)]


class Record(BaseModel):
    """A part of a file: unknown keys are refused, values never change after reading."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        serialize_by_alias=True,
        # Every key is written, defaults included: the published schema requires them all.
        json_schema_serialization_defaults_required=True,
    )


class FileContract(Record):
    """A whole file: it names its format and the version of that format.

    A reader accepts only its own format and version; anything else gets an error that names
    the field and says what was expected.
    """

    FORMAT: ClassVar[str]
    VERSION: ClassVar[int]
    KIND: ClassVar[str]  # how the file is called to a person ("scores file")
    #: Keys that a format-1 file of this kind had (it named neither format nor version).
    V1_KEYS: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def load(cls, data: Any, source: str) -> Self:
        """The record of `data` (parsed JSON), or a ContractError naming every wrong field."""
        if not isinstance(data, dict):
            raise _refused(source, problem(source, Code.NOT_AN_OBJECT, kind=cls.KIND))
        found, version = data.get("format"), data.get("format_version")
        where = f"{source}: format_version"
        if found is None and version is None and set(data) >= cls.V1_KEYS:
            raise _refused(
                source,
                problem(
                    where, Code.UNSUPPORTED_FORMAT_VERSION_1, kind=cls.KIND, expected=cls.VERSION
                ),
            )
        if "format" not in data:
            raise _refused(
                source,
                problem(
                    f"{source}: format", Code.FORMAT_MISSING, kind=cls.KIND, expected=cls.FORMAT
                ),
            )
        if found != cls.FORMAT:
            raise _refused(
                source,
                problem(
                    f"{source}: format",
                    Code.WRONG_FORMAT,
                    kind=cls.KIND,
                    found=json.dumps(found),
                    expected=cls.FORMAT,
                ),
            )
        if version != cls.VERSION:
            raise _refused(
                source,
                problem(
                    where,
                    Code.UNSUPPORTED_FORMAT_VERSION,
                    kind=cls.KIND,
                    found=json.dumps(version),
                    expected=cls.VERSION,
                ),
            )
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            raise ContractError(source, _problems(source, error)) from None

    @classmethod
    def read(cls, path: str | Path) -> Self:
        """Read and check a file written by `write` (or by `barometre`)."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ContractError(str(path), [problem(str(path), Code.FILE_NOT_FOUND)]) from None
        except UnicodeDecodeError as exc:
            raise ContractError(
                str(path), [problem(str(path), Code.NOT_UTF8, reason=exc.reason)]
            ) from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ContractError(
                str(path),
                [
                    problem(
                        f"{path}:{exc.lineno}",
                        Code.INVALID_JSON,
                        reason=json_error_reason(exc),
                    )
                ],
            ) from None
        return cls.load(data, str(path))

    def to_json(self) -> dict[str, Any]:
        """The JSON form: only dicts, lists, strings, finite floats, ints, booleans and None."""
        return self.model_dump(mode="json", by_alias=True)

    def dumps(self) -> str:
        """The file's text: UTF-8 JSON, indented, keys in the model's order."""
        return dumps_json(self.to_json())


def _refused(source: str, found: Problem) -> ContractError:
    return ContractError(source, [found])


def _problems(source: str, error: ValidationError):
    problems = []
    for detail in error.errors(include_url=False):
        where = ".".join(str(part) for part in detail["loc"]) or "(file)"
        problems.append(
            problem(
                f"{source}: {where}",
                Code.FILE_FIELD_INVALID,
                reason=detail["msg"],
            )
        )
    return problems
