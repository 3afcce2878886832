"""Names a package offers, imported from its modules on first use (PEP 562).

A package's `__init__` that imported every module it re-exports would make importing any one
of its modules (`barometre.contracts.vocabulary`, say) import them all, with pandas, pydantic
or scipy: every command of `barometre` would pay for every other's libraries (issue 14). Such a
package lists its names and their modules instead:

    __all__ = ["ChangeFile"]
    if TYPE_CHECKING:  # the same names, for type checkers and readers
        from barometre.contracts.change import ChangeFile
    else:
        __getattr__, __dir__ = lazy_names(__name__, {"barometre.contracts.change": ("ChangeFile",)})

`from barometre.contracts import ChangeFile` then works as before, importing
`barometre.contracts.change` at that moment; `tests/test_lazy_imports.py` checks that every
name of each such package's `__all__` resolves.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from importlib import import_module
from typing import Any


def lazy_names(
    package: str, modules: Mapping[str, Iterable[str]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The `__getattr__` and `__dir__` of `package`, whose names are those of `modules`
    (module name -> names taken from it). A name is imported on first use, then kept in the
    package's namespace, so that the next use is an ordinary attribute."""
    origin = {name: module for module, names in modules.items() for name in names}
    namespace = sys.modules[package].__dict__  # the package, while its `__init__` runs

    def __getattr__(name: str) -> Any:
        module = origin.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *origin})

    return __getattr__, __dir__
