"""`python -m barometre.interop.opendata [FILE]`: write the descriptor's JSON Schema (default
docs/schemas/opendata-datapackage.schema.json), a maintainer's command."""

import sys
from pathlib import Path

from barometre.files import write_text_atomic
from barometre.interop.opendata.descriptor import descriptor_schema_text

default = Path("docs/schemas/opendata-datapackage.schema.json")
target = Path(sys.argv[1]) if len(sys.argv) > 1 else default
write_text_atomic(target, descriptor_schema_text())
print(target)
