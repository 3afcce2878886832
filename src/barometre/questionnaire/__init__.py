"""Questionnaires as data: typed models, YAML loading and validation."""

from typing import TYPE_CHECKING

from barometre.lazy import lazy_names

__all__ = [
    "FieldTables",
    "Item",
    "Questionnaire",
    "build_field_tables",
    "builtin_path",
    "effective_options",
    "load_questionnaire",
    "parse_questionnaire",
]

# Imported on first use: reading a questionnaire needs pydantic and YAML, not the pandas of its
# field tables (start-up of the commands, issue 14; barometre/lazy.py).
if TYPE_CHECKING:
    from barometre.questionnaire.fields import FieldTables, build_field_tables, effective_options
    from barometre.questionnaire.loader import builtin_path, load_questionnaire, parse_questionnaire
    from barometre.questionnaire.models import Item, Questionnaire
else:
    __getattr__, __dir__ = lazy_names(
        __name__,
        {
            "barometre.questionnaire.fields": (
                "FieldTables",
                "build_field_tables",
                "effective_options",
            ),
            "barometre.questionnaire.loader": (
                "builtin_path",
                "load_questionnaire",
                "parse_questionnaire",
            ),
            "barometre.questionnaire.models": ("Item", "Questionnaire"),
        },
    )
