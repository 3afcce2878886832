"""Every problem code of the code base, each with its one translatable English message.

A problem is made with `errors.problem(location, Code.X, **params)`: the message is the code's
`template` with its `%(name)s` placeholders filled from `params`. The web shows the template
in the reader's language (`Problem.localized`), the command line in English. Codes are stable
(files, logs, tests and the documentation name them); a code has one message, so that a new
way to say what is wrong is a new code. `tests/test_problem_codes.py` checks that every code has
a French message and that every call site passes exactly its template's placeholders.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


def gettext_noop(text: str) -> str:
    """Mark a message template for translation; the web application translates it when it
    shows the problem (`Problem.localized`), the command line prints it in English."""
    return text


class Code(StrEnum):
    """A problem code: its value is the code written in files and logs, `template` its
    message (English, `%(name)s` placeholders)."""

    _value_: str
    template: str

    def __new__(cls, value: str, template: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.template = template
        return member

    # --- any input file ------------------------------------------------------------------
    FILE_NOT_FOUND = "file_not_found", gettext_noop("no such file")
    NOT_UTF8 = "not_utf8", gettext_noop("the file is not UTF-8 (%(reason)s)")
    EMPTY_FILE = "empty_file", gettext_noop("the file is empty")
    YAML_SYNTAX = "yaml_syntax", gettext_noop("invalid YAML: %(detail)s")
    FILE_TOO_LARGE = (
        "file_too_large",
        gettext_noop("the file is too large: %(size)s bytes, at most %(limit)s are read"),
    )

    # --- CSV files (tabular.py) -------------------------------------------------------------
    NOT_TEXT = (
        "not_text",
        gettext_noop(
            "byte 0x%(byte)s is neither UTF-8 nor Windows-1252 text; "
            "save the file from Excel as 'CSV UTF-8' or "
            "'CSV (séparateur : point-virgule)'"
        ),
    )
    NOT_TEXT_AFTER_BOM = (
        "not_text_after_bom",
        gettext_noop(
            "the file starts as UTF-8 but byte 0x%(byte)s is not UTF-8; "
            "save it again from Excel as 'CSV UTF-8'"
        ),
    )
    NOT_TEXT_UTF16 = (
        "not_text_utf16",
        gettext_noop(
            "the file is UTF-16 text (Excel's 'Unicode text'), which is not read here; "
            "save it from Excel as 'CSV UTF-8' or 'CSV (séparateur : point-virgule)'"
        ),
    )
    NOT_TEXT_NUL_BYTE = (
        "not_text_nul_byte",
        gettext_noop(
            "the file contains a NUL byte, so it is not CSV text; "
            "save it from Excel as 'CSV UTF-8' or 'CSV (séparateur : point-virgule)'"
        ),
    )
    MISSING_COLUMN = (
        "missing_column",
        gettext_noop(
            "missing column(s) %(missing)s; the first line must name the columns, "
            "as in: %(expected)s"
        ),
    )
    MISSING_COLUMN_OTHER_SEPARATOR = (
        "missing_column_other_separator",
        gettext_noop(
            "missing column(s) %(missing)s: the columns of the first line are "
            "separated by '%(found)s' where '%(separator)s' is expected; save the file "
            "with '%(separator)s' between the columns, as in: %(expected)s"
        ),
    )
    MALFORMED_ROW = (
        "malformed_row",
        gettext_noop("%(seen)s fields where the header has %(expected)s"),
    )
    MALFORMED_ROW_UNCLOSED_QUOTE = (
        "malformed_row_unclosed_quote",
        gettext_noop("a quoted cell starting on this line is never closed; add the missing '\"'"),
    )
    MALFORMED_ROW_UNREADABLE = (
        "malformed_row_unreadable",
        gettext_noop("the CSV cannot be read: %(detail)s"),
    )
    DUPLICATE_COLUMN = (
        "duplicate_column",
        gettext_noop(
            "the column '%(column)s' is named %(count)s times in the first line "
            "(columns %(positions)s): keep one"
        ),
    )

    # --- responses files (scoring/answers.py) -----------------------------------------------
    UNKNOWN_ITEM = "unknown_item", gettext_noop("unknown item '%(item)s'")
    UNKNOWN_ITEM_STATUS_TABLE = (
        "unknown_item_status_table",
        gettext_noop(
            "unknown item '%(item)s' (a status table is answered row by row: use ITEM.ROW)"
        ),
    )
    # also an item's role that the questionnaire does not declare (questionnaire/validation.py)
    UNKNOWN_ROLE = "unknown_role", gettext_noop("unknown role '%(role)s' (declared: %(declared)s)")
    ROLE_NOT_ASKED = (
        "role_not_asked",
        gettext_noop("item '%(item)s' is not asked to role '%(role)s'"),
    )
    INCONSISTENT_RESPONDENT = (
        "inconsistent_respondent",
        gettext_noop(
            "respondent '%(respondent)s' has %(column)s '%(value)s' here but '%(earlier)s' "
            "on an earlier line"
        ),
    )
    # also an empty organisation_id in a frame (organisations.py)
    EMPTY_VALUE = "empty_value", gettext_noop("the column '%(column)s' is empty")
    # also an organisation_id in a frame (organisations.py); the rule is identifiers.py's
    INVALID_IDENTIFIER = (
        "invalid_identifier",
        gettext_noop(
            "%(column)s '%(value)s' is not an identifier: 1 to %(limit)s letters (A-Z, a-z), "
            "digits, '-', '_' or '.', and neither '.' nor '..'"
        ),
    )
    # also a text cell of a frame (organisations.py)
    NUL_CHARACTER = (
        "nul_character",
        gettext_noop(
            "the column '%(column)s' holds a NUL character (code 0), which cannot be stored; "
            "remove it"
        ),
    )
    ANSWER_TOO_LONG_IN_FILE = (
        "answer_too_long_in_file",
        gettext_noop("the answer to item '%(item)s' has %(length)s characters: at most %(limit)s"),
    )
    DUPLICATE_ANSWER = (
        "duplicate_answer",
        gettext_noop("respondent '%(respondent)s' answers item '%(item)s' more than once"),
    )
    NOT_AN_OPTION = (
        "not_an_option",
        gettext_noop(
            "answer '%(answer)s' is not an option of item '%(item)s' "
            "(options: %(options)s; or NA, DK)"
        ),
    )
    NOT_AN_OPTION_MULTI = (
        "not_an_option_multi",
        gettext_noop(
            "answer '%(answer)s' holds a code that is not an option of item '%(item)s' "
            "(options: %(options)s; or NA, DK)"
        ),
    )
    EXCLUSIVE_COMBINED = (
        "exclusive_combined",
        gettext_noop("answer '%(answer)s' combines an exclusive option with others"),
    )
    REPEATED_OPTION = (
        "repeated_option",
        gettext_noop("answer '%(answer)s' ticks the same option twice"),
    )
    NOT_A_NUMBER = (
        "not_a_number",
        gettext_noop("answer '%(answer)s' of item '%(item)s' is not a number"),
    )
    OUT_OF_RANGE = (
        "out_of_range",
        gettext_noop("answer '%(answer)s' of item '%(item)s' is outside its range %(range)s"),
    )

    # --- one answer refused, told to the person answering (scoring/answer_check.py, web) ----
    ANSWER_NOT_AN_OPTION = (
        "answer_not_an_option",
        gettext_noop("This answer is not one of the choices offered."),
    )
    ANSWER_NOT_A_NUMBER = (
        "answer_not_a_number",
        gettext_noop("Please enter a number, such as 12 or 12.5."),
    )
    ANSWER_OUT_OF_RANGE = (
        "answer_out_of_range",
        gettext_noop("This number is outside the range allowed for the question."),
    )
    ANSWER_EXCLUSIVE_COMBINED = (
        "answer_exclusive_combined",
        gettext_noop("“None of these” cannot be combined with another choice."),
    )
    ANSWER_REPEATED_OPTION = "answer_repeated_option", gettext_noop("A choice is ticked twice.")
    ANSWER_NOT_ASKED = (
        "answer_not_asked",
        gettext_noop("This question is not part of your questionnaire."),
    )
    ANSWER_REFUSED = "answer_refused", gettext_noop("This answer cannot be saved.")
    TOO_LONG = "too_long", gettext_noop("This answer is too long: at most %(n)s characters.")
    ANSWER_NUL_CHARACTER = (
        "answer_nul_character",
        gettext_noop("This answer holds an invisible character (NUL) that cannot be saved."),
    )

    # --- questionnaire files: the YAML and its shape (questionnaire/loader.py) --------------
    NOT_A_MAPPING = "not_a_mapping", gettext_noop("the file must be a YAML mapping (key: value)")
    YAML_ALIAS = (
        "yaml_alias",
        gettext_noop(
            "YAML anchors and aliases (& and *) are not allowed in a questionnaire: "
            "write the value out in full"
        ),
    )
    YAML_TOO_DEEP = (
        "yaml_too_deep",
        gettext_noop("the YAML is nested more than %(limit)s levels deep"),
    )
    YAML_DUPLICATE_KEY = (
        "yaml_duplicate_key",
        gettext_noop(
            "the key '%(key)s' is given twice in one mapping: lines %(first)s and %(second)s"
        ),
    )
    YAML_NUMBER_TOO_LONG = (
        "yaml_number_too_long",
        gettext_noop("a number written with %(digits)s digits: at most %(limit)s"),
    )
    NO_ITEMS = "no_items", gettext_noop("'items' must be a non-empty list")
    # pydantic's error types, with their own messages
    EXTRA_FORBIDDEN = (
        "extra_forbidden",
        gettext_noop(
            "%(field)s: unknown key (check its spelling against docs/questionnaire-format.md)"
        ),
    )
    MISSING = "missing", gettext_noop("%(field)s: required key is missing")
    FINITE_NUMBER = (
        "finite_number",
        gettext_noop("%(field)s: must be a finite number (got %(value)s)"),
    )
    GREATER_THAN = (
        "greater_than",
        gettext_noop("%(field)s: must be greater than %(limit)s (got %(value)s)"),
    )
    GREATER_THAN_EQUAL = (
        "greater_than_equal",
        gettext_noop("%(field)s: must be at least %(limit)s (got %(value)s)"),
    )
    LESS_THAN = (
        "less_than",
        gettext_noop("%(field)s: must be less than %(limit)s (got %(value)s)"),
    )
    LESS_THAN_EQUAL = (
        "less_than_equal",
        gettext_noop("%(field)s: must be at most %(limit)s (got %(value)s)"),
    )
    LITERAL_ERROR = (
        "literal_error",
        gettext_noop("%(field)s: must be one of %(expected)s (got %(value)s)"),
    )
    # any other of pydantic's error types, with pydantic's (English) description
    INVALID_VALUE = "invalid_value", gettext_noop("%(field)s: %(detail)s (got %(value)s)")

    # --- questionnaire files: the rules between parts (questionnaire/validation.py) ---------
    DUPLICATE_ROLE = "duplicate_role", gettext_noop("role '%(role)s' is declared more than once")
    DUPLICATE_ROLE_IN_ITEM = (
        "duplicate_role_in_item",
        gettext_noop("role '%(role)s' is listed twice"),
    )
    DUPLICATE_DIMENSION = (
        "duplicate_dimension",
        gettext_noop("dimension '%(dimension)s' is declared twice"),
    )
    DUPLICATE_LEVEL = (
        "duplicate_level",
        gettext_noop("level '%(level)s' is declared more than once"),
    )
    LEVELS_START = "levels_start", gettext_noop("the first level must start at 0, not %(minimum)g")
    LEVELS_ORDER = (
        "levels_order",
        gettext_noop("level minimums must increase strictly, got %(minimums)s"),
    )
    DUPLICATE_OPTION_STATUS_LADDER = (
        "duplicate_option_status_ladder",
        gettext_noop("status ladder option '%(option)s' is repeated"),
    )
    OPTION_WITHOUT_SCORE_STATUS_LADDER = (
        "option_without_score_status_ladder",
        gettext_noop("every status ladder option needs a score"),
    )
    UNKNOWN_LEVEL = (
        "unknown_level",
        gettext_noop(
            "dimension '%(dimension)s' has a descriptor for unknown level "
            "'%(level)s' (levels: %(levels)s)"
        ),
    )
    DUPLICATE_ID = "duplicate_id", gettext_noop("item id '%(item)s' is used more than once")
    DUPLICATE_ID_STATUS_ROW = (
        "duplicate_id_status_row",
        gettext_noop("item id '%(item)s' collides with a status row of the same name"),
    )
    UNKNOWN_DIMENSION = (
        "unknown_dimension",
        gettext_noop("unknown dimension '%(dimension)s' (declared: %(declared)s)"),
    )
    REFERENCE_ROLE = (
        "reference_role",
        gettext_noop("reference role '%(role)s' must be one of the item's roles (%(roles)s)"),
    )
    TEXT_SCORED = "text_scored", gettext_noop("a text item is never scored: remove its 'axis'")
    MISSING_DIMENSION = "missing_dimension", gettext_noop("a scored item needs a 'dimension'")
    MISSING_AXIS = "missing_axis", gettext_noop("a scored item needs an 'axis' (tech or transfo)")
    SCORED_CONTEXT = (
        "scored_context",
        gettext_noop("a context item cannot be scored: set scored: false"),
    )
    UNEXPECTED_OPTIONS = "unexpected_options", gettext_noop("a %(kind)s item takes no options")
    UNEXPECTED_ROWS = "unexpected_rows", gettext_noop("only a status item has rows")
    MISSING_ROWS = (
        "missing_rows",
        gettext_noop("a status item needs at least one row (a practice)"),
    )
    DUPLICATE_ROW = "duplicate_row", gettext_noop("row '%(row)s' is listed twice")
    TOO_FEW_OPTIONS = "too_few_options", gettext_noop("a %(kind)s item needs at least two options")
    DUPLICATE_OPTION = "duplicate_option", gettext_noop("option '%(option)s' is listed twice")
    RESERVED_CODE = (
        "reserved_code",
        gettext_noop("option code '%(option)s' is reserved for not applicable/don't know"),
    )
    YESNO_OPTIONS = (
        "yesno_options",
        gettext_noop("a yesno item's options are 'yes' and 'no', got %(codes)s"),
    )
    EXCLUSIVE_MISUSE = (
        "exclusive_misuse",
        gettext_noop("only a multi item can have an exclusive option"),
    )
    EXCLUSIVE_MISUSE_WEIGHT = (
        "exclusive_misuse_weight",
        gettext_noop("exclusive option '%(option)s' stands alone and takes no weight"),
    )
    EXCLUSIVE_MISUSE_ALL_EXCLUSIVE = (
        "exclusive_misuse_all_exclusive",
        gettext_noop("a multi item needs at least one option that is not exclusive"),
    )
    MULTI_SCORE = (
        "multi_score",
        gettext_noop(
            "option '%(option)s': a multi option counts with a 'weight', not a "
            "'score' (only an exclusive option has a score)"
        ),
    )
    UNEXPECTED_WEIGHT = (
        "unexpected_weight",
        gettext_noop("option '%(option)s': only multi options have a weight"),
    )
    OPTION_WITHOUT_SCORE = (
        "option_without_score",
        gettext_noop("options %(options)s have no score in a scored item"),
    )
    OPTION_WITHOUT_SCORE_SCALE = (
        "option_without_score_scale",
        gettext_noop(
            "options %(options)s have no score: give every option of a scale a score, "
            "or none (then levels are spread linearly on 0-100)"
        ),
    )
    UNEXPECTED_KEY = (
        "unexpected_key",
        gettext_noop("'%(key)s' applies only to percent and number items"),
    )
    BOUNDS_ORDER = (
        "bounds_order",
        gettext_noop("minimum %(minimum)g must be below maximum %(maximum)g"),
    )
    MISSING_GOALPOSTS = (
        "missing_goalposts",
        gettext_noop("a scored fact indicator needs goalposts {worst, best}"),
    )
    GOALPOSTS_EQUAL = (
        "goalposts_equal",
        gettext_noop("goalposts worst and best are both %(worst)g"),
    )
    GOALPOSTS_INVERTED = (
        "goalposts_inverted",
        gettext_noop("higher is better but best (%(best)g) is below worst (%(worst)g)"),
    )
    GOALPOSTS_INVERTED_LOWER = (
        "goalposts_inverted_lower",
        gettext_noop("lower is better but best (%(best)g) is above worst (%(worst)g)"),
    )
    MISSING_BETTER = (
        "missing_better",
        gettext_noop("say whether 'higher' or 'lower' is better (key 'better')"),
    )
    GOALPOSTS_RANGE = "goalposts_range", gettext_noop("a percent item's goalposts lie in 0-100")
    CONTEXT_KIND = (
        "context_kind",
        gettext_noop("context '%(context)s' must be a %(kinds)s item"),
    )
    EMPTY_DIMENSION = (
        "empty_dimension",
        gettext_noop("dimension '%(dimension)s' has no scored item"),
    )
    DUPLICATE_CONTEXT = (
        "duplicate_context",
        gettext_noop("context '%(context)s' is set on %(count)s items"),
    )
    EMPTY_AXIS = "empty_axis", gettext_noop("no scored item is on the '%(axis)s' axis")

    # --- frames of organisations (organisations.py) -----------------------------------------
    NOT_A_TABLE = "not_a_table", gettext_noop("the frame must be a table")
    RENAMED_COLUMN = (
        "renamed_column",
        gettext_noop(
            "the column 'family' is now called 'organisation_type' (the legal form: "
            "%(types)s); rename it in the first line"
        ),
    )
    RENAMED_COLUMN_IN_TABLE = (
        "renamed_column_in_table",
        gettext_noop(
            "the column 'family' is now called 'organisation_type' (the legal form: %(types)s)"
        ),
    )
    MISSING_COLUMN_IN_FRAME = (
        "missing_column_in_frame",
        gettext_noop("missing column(s) %(missing)s"),
    )
    EMPTY_FRAME = "empty_frame", gettext_noop("the frame has no organisation")
    DUPLICATE_ORGANISATION = (
        "duplicate_organisation",
        gettext_noop("organisation '%(value)s' is listed more than once"),
    )
    UNKNOWN_ORGANISATION_TYPE = (
        "unknown_organisation_type",
        gettext_noop("unknown organisation type '%(value)s' (types: %(types)s)"),
    )
    NOT_A_NUMBER_DWELLINGS = (
        "not_a_number_dwellings",
        gettext_noop("dwellings '%(value)s' is not a number"),
    )
    NEGATIVE_SIZE = "negative_size", gettext_noop("dwellings %(value)s is negative")
    NOT_WHOLE_DWELLINGS = (
        "not_whole_dwellings",
        gettext_noop("dwellings %(value)s is not a whole number"),
    )
    TOO_MANY_DWELLINGS = (
        "too_many_dwellings",
        gettext_noop(
            "dwellings %(value)s is more than %(limit)s: no organisation is that large; "
            "check the figure"
        ),
    )
    NAME_TOO_LONG = (
        "name_too_long",
        gettext_noop("the name has %(length)s characters: at most %(limit)s"),
    )
    UNKNOWN_SIZE_CLASS = (
        "unknown_size_class",
        gettext_noop("size class '%(value)s' is not one of %(classes)s"),
    )
    SIZE_CLASS_MISMATCH = (
        "size_class_mismatch",
        gettext_noop(
            "size class '%(value)s' does not match the dwellings (ELAN thresholds 1,500 and 12,000)"
        ),
    )
    MISSING_REGION = "missing_region", gettext_noop("the region is missing")
    UNKNOWN_DEPARTMENT = (
        "unknown_department",
        gettext_noop("unknown department '%(value)s' (INSEE code such as 01, 2A, 75, 974)"),
    )

    # --- scores given to the sector estimate (stats/sector/inputs.py) -----------------------
    NOT_A_TABLE_SCORES = "not_a_table_scores", gettext_noop("the scores must be a DataFrame")
    MISSING_COLUMN_IN_SCORES = (
        "missing_column_in_scores",
        gettext_noop("missing or invalid column(s) %(columns)s"),
    )
    UNKNOWN_ORGANISATION = (
        "unknown_organisation",
        gettext_noop("organisation %(organisation)s is not in the frame"),
    )
    DUPLICATE_ORGANISATION_IN_SCORES = (
        "duplicate_organisation_in_scores",
        gettext_noop("organisation %(organisation)s has more than one row of scores"),
    )
    SCORE_OUT_OF_RANGE = (
        "score_out_of_range",
        gettext_noop("%(column)s = %(value)s is not a score on 0-100"),
    )

    # --- the files between the layers (contracts/base.py) -----------------------------------
    NOT_AN_OBJECT = "not_an_object", gettext_noop("a %(kind)s is a JSON object")
    UNSUPPORTED_FORMAT_VERSION = (
        "unsupported_format_version",
        gettext_noop(
            "%(kind)s format version %(found)s is not supported; this version "
            "of Baromètre reads version %(expected)s (make the file again with "
            "this version)"
        ),
    )
    UNSUPPORTED_FORMAT_VERSION_1 = (
        "unsupported_format_version_1",
        gettext_noop(
            "this %(kind)s is of format version 1 (before files named their "
            "format); this version of Baromètre reads version %(expected)s: "
            "make the file again with this version"
        ),
    )
    WRONG_FORMAT = (
        "wrong_format",
        gettext_noop("this is not a %(kind)s: 'format' is %(found)s, expected '%(expected)s'"),
    )
    INVALID_JSON = "invalid_json", gettext_noop("not valid JSON: %(reason)s")
    # also a field of a best-practice sheet (recommend/library.py)
    INVALID_FIELD = "invalid_field", gettext_noop("%(field)s: %(reason)s")
    #: A field of a scores, estimates or change file (the location names the field).
    FILE_FIELD_INVALID = "file_field_invalid", gettext_noop("not valid: %(reason)s")

    # --- waves compared (comparability.py) --------------------------------------------------
    NOT_COMPARABLE = (
        "not_comparable",
        gettext_noop(
            "the waves cannot be compared: %(reason)s (earlier wave: %(before)s; "
            "later wave: %(after)s)"
        ),
    )
    OTHER_QUESTIONNAIRE = (
        "other_questionnaire",
        gettext_noop(
            "the scores were made with %(made_with)s but %(loaded)s is loaded: "
            "pass the right questionnaire file with --questionnaire"
        ),
    )

    # --- the library of best-practice sheets (recommend/library.py) -------------------------
    EMPTY_LIBRARY = "empty_library", gettext_noop("no sheet (*.md) in this folder")
    NO_FRONT_MATTER = (
        "no_front_matter",
        gettext_noop("a sheet starts with YAML front matter between two lines '---'"),
    )
    NOT_A_MAPPING_FRONT_MATTER = (
        "not_a_mapping_front_matter",
        gettext_noop("the front matter must be a YAML mapping (key: value)"),
    )
    MISSING_SECTION = (
        "missing_section",
        gettext_noop("the body lacks the section(s) %(sections)s"),
    )
    NO_ENGLISH_BODY = (
        "no_english_body",
        gettext_noop(
            "the body has no English text: after the French body, add a line '<!-- en -->' "
            "and then the English body"
        ),
    )
    MISSING_ENGLISH_SECTION = (
        "missing_english_section",
        gettext_noop("the English body lacks the section(s) %(sections)s"),
    )
    MISSING_TRANSLATION = (
        "missing_translation",
        gettext_noop("%(field)s: no English text (en)"),
    )
    ID_MISMATCH = (
        "id_mismatch",
        gettext_noop("id '%(id)s' differs from the file name '%(name)s'"),
    )
    DUPLICATE_SHEET = (
        "duplicate_sheet",
        gettext_noop("sheet id '%(id)s' is used by more than one file"),
    )
    MISSING_PREREQUISITE = (
        "missing_prerequisite",
        gettext_noop("prerequisites: no sheet '%(id)s' in the library"),
    )
    UNKNOWN_DIMENSION_IN_SHEET = (
        "unknown_dimension_in_sheet",
        gettext_noop("%(field)s: unknown dimension '%(dimension)s'"),
    )
    UNKNOWN_ITEM_IN_SHEET = (
        "unknown_item_in_sheet",
        gettext_noop("%(field)s: unknown or unscored item '%(item)s'"),
    )
    PREREQUISITE_CYCLE = "prerequisite_cycle", gettext_noop("prerequisites loop: %(cycle)s")

    # --- commands and web ----------------------------------------------------------------
    UNKNOWN_ORGANISATION_IN_SCORES = (
        "unknown_organisation_in_scores",
        gettext_noop("no organisation '%(organisation)s' in this scores file"),
    )
    INVALID_EMAIL = "invalid_email", gettext_noop("'%(email)s' is not an e-mail address")
    EMAIL_TOO_LONG = (
        "email_too_long",
        gettext_noop(
            "the e-mail address is %(length)s characters long: an address has at most %(limit)s"
        ),
    )
    # a questionnaire's identifier, version or role code longer than the web's database column
    TOO_LONG_TO_STORE = (
        "too_long_to_store",
        gettext_noop("%(field)s is %(length)s characters long: at most %(limit)s can be stored"),
    )
    UNSAFE_FILE_NAME = (
        "unsafe_file_name",
        gettext_noop(
            "organisation '%(organisation)s' cannot name a file inside %(folder)s: an "
            "identifier is 1 to %(limit)s letters, digits, '-', '_' or '.'"
        ),
    )
    UNKNOWN_ORGANISATION_IN_WAVE = (
        "unknown_organisation_in_wave",
        gettext_noop("organisation '%(organisation)s' is not in the frame of wave %(year)s"),
    )


def reference() -> str:
    """docs/problem-codes.md: every code with its message, in the sections of this file
    (`python -m barometre.problems docs/problem-codes.md` rewrites it; a test checks it)."""
    import re
    from pathlib import Path

    lines = [
        "# Problem codes",
        "",
        "Every problem Baromètre reports names one of these codes, at the end of its line",
        "(`file:line: message [code]`). Placeholders such as `%(item)s` are filled in the",
        "message. Generated from `src/barometre/problems.py`; French messages are in the",
        "catalogue (`src/barometre/locale/fr`).",
    ]
    source = Path(__file__).read_text(encoding="utf-8").split("class Code(StrEnum):", 1)[1]
    for line in source.splitlines():
        section = re.match(r"\s+# --- (.+?) -+$", line)
        member = re.match(r"\s+([A-Z0-9_]+) = ", line)
        if section:
            lines += ["", f"## {section.group(1)[:1].upper()}{section.group(1)[1:]}", ""]
            lines += ["| code | message |", "|---|---|"]
        elif member and member.group(1) in Code.__members__:
            code = Code[member.group(1)]
            message = code.template.replace("|", "\\|")
            lines.append(f"| `{code.value}` | {message} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - a maintainer's command
    import sys
    from pathlib import Path

    from barometre.files import write_text_atomic

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/problem-codes.md")
    write_text_atomic(target, reference())
    print(target)
