"""Best-practice sheets, and the recommendations and roadmap drawn from an organisation's scores."""

from barometre.recommend.engine import Plan, Recommendation, recommend
from barometre.recommend.library import LibraryError, load_library
from barometre.recommend.sheets import Library, Sheet

__all__ = [
    "Library",
    "LibraryError",
    "Plan",
    "Recommendation",
    "Sheet",
    "load_library",
    "recommend",
]
