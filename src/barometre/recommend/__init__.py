"""Best-practice sheets, and the recommendations and roadmap drawn from an organisation's scores."""

from barometre.recommend.engine import Plan, Recommendation, recommend
from barometre.recommend.library import LibraryChoice, LibraryError, library_for, load_library
from barometre.recommend.sheets import Library, Sheet

__all__ = [
    "Library",
    "LibraryChoice",
    "LibraryError",
    "Plan",
    "Recommendation",
    "Sheet",
    "library_for",
    "load_library",
    "recommend",
]
