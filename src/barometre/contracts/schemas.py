"""The JSON Schemas of the file contracts, generated from the models into docs/schemas/.

`python -m barometre.contracts.schemas [FOLDER]` (re)writes them; a test checks that the
committed ones are what the models generate.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Literal

from barometre.contracts.base import FileContract
from barometre.contracts.change import ChangeFile
from barometre.contracts.estimates import EstimatesFile
from barometre.contracts.scores import ScoresFile
from barometre.files import write_all_atomic
from barometre.interop.versions import QuestionnaireDiff

#: The name of a file contract, as a web column or a schema file names it.
ContractName = Literal["scores", "estimates", "change", "questionnaire-diff"]
CONTRACTS: dict[ContractName, type[FileContract]] = {
    "scores": ScoresFile,
    "estimates": EstimatesFile,
    "change": ChangeFile,
    "questionnaire-diff": QuestionnaireDiff,
}


def schema_text(name: ContractName) -> str:
    """The schema of one contract, as committed in docs/schemas/NAME.schema.json."""
    model = CONTRACTS[name]
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **model.model_json_schema(by_alias=True, mode="serialization"),
    }
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    contents = {folder / f"{name}.schema.json": schema_text(name) for name in CONTRACTS}
    write_all_atomic(contents)
    return sorted(contents)


if __name__ == "__main__":  # pragma: no cover - a maintainer's command
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/schemas")
    for path in write_schemas(target):
        print(path)
