"""The API's OpenAPI 3.1 schema as the committed file `docs/api/openapi.json`: generated
from the code, written deterministically (keys sorted, two-space indent, final newline), so
that a test can tell when the code and the committed file differ.

    python -m barometre.web.api.schema docs/api/openapi.json
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any


def openapi_schema() -> dict[str, Any]:
    from barometre.web.api.api import api

    return api.get_openapi_schema()


def schema_text() -> str:
    return json.dumps(openapi_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:  # pragma: no cover - a maintainer's command
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "barometre.web.config.settings.test")
    import django

    django.setup()
    from barometre.files import write_text_atomic

    target = Path(argv[0]) if argv else Path("docs/api/openapi.json")
    write_text_atomic(target, schema_text())
    print(target)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
