"""Questionnaires as data: typed models, YAML loading and validation."""

from barometre.questionnaire.fields import FieldTables, build_field_tables, effective_options
from barometre.questionnaire.loader import builtin_path, load_questionnaire, parse_questionnaire
from barometre.questionnaire.models import Item, Questionnaire

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
