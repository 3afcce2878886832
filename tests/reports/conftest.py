"""PDF tests need WeasyPrint's system libraries (Pango); CI always has them."""

from __future__ import annotations

import os

import pytest


def _weasyprint_problem() -> str | None:
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:  # Pango missing
        return str(exc)
    return None


def pytest_collection_modifyitems(config, items):
    problem = _weasyprint_problem()
    if problem is None:
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"CI must run the PDF tests but WeasyPrint cannot load: {problem}")
    skip = pytest.mark.skip(
        reason=f"PDF tests need Pango (apt-get install libpango-1.0-0): {problem}"
    )
    for item in items:
        if "tests/reports" in str(item.fspath):
            item.add_marker(skip)
