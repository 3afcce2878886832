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
    QUESTIONNAIRE_NOT_FOUND = (
        "questionnaire_not_found",
        gettext_noop(
            "neither a built-in questionnaire nor a file (the built-in questionnaires: "
            "%(builtin)s; a file is named with its path, e.g. ./my-questionnaire.yaml)"
        ),
    )
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
        gettext_noop(
            "exclusive option '%(option)s' has a weight but no score: a weighted exclusive "
            "option earns weight x score / 100 of the item, give its score (0-100)"
        ),
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

    # --- questionnaire files: an optional, configurable typology (methodology.typology) ----
    AXIS_WITHOUT_TYPOLOGY = (
        "axis_without_typology",
        gettext_noop(
            "the questionnaire has no typology (methodology.typology: null): "
            "remove the item's 'axis'"
        ),
    )
    UNKNOWN_AXIS = (
        "unknown_axis",
        gettext_noop("unknown axis '%(axis)s' (the typology's axes: %(declared)s)"),
    )
    MISSING_NAMED_AXIS = (
        "missing_named_axis",
        gettext_noop("a scored item needs an 'axis' (%(declared)s)"),
    )
    TYPOLOGY_AXES_COUNT = (
        "typology_axes_count",
        gettext_noop("methodology.typology.axes names exactly two axes, not %(count)s"),
    )
    DUPLICATE_TYPOLOGY_AXIS = (
        "duplicate_typology_axis",
        gettext_noop("the typology's two axes have the same id '%(axis)s'"),
    )
    TYPOLOGY_THRESHOLD_CONFLICT = (
        "typology_threshold_conflict",
        gettext_noop(
            "methodology.typology.%(field)s (%(value)g) disagrees with the threshold of axis "
            "'%(axis)s' (%(threshold)g): set the threshold on the axis only"
        ),
    )

    # --- path items (questionnaire/paths.py, scoring/answers.py) ---------------------------
    PATH_UNEXPECTED_STEPS = (
        "path_unexpected_steps",
        gettext_noop("only a path item has steps (this is a %(kind)s item)"),
    )
    PATH_NO_STEPS = "path_no_steps", gettext_noop("a path item needs its questions in 'steps'")
    PATH_DUPLICATE_STEP = (
        "path_duplicate_step",
        gettext_noop("step id '%(step)s' is used more than once"),
    )
    PATH_TOO_FEW_OPTIONS = (
        "path_too_few_options",
        gettext_noop("step '%(step)s' needs at least 2 options"),
    )
    PATH_DUPLICATE_OPTION = (
        "path_duplicate_option",
        gettext_noop("step '%(step)s': option '%(option)s' is declared more than once"),
    )
    PATH_RESERVED_CODE = (
        "path_reserved_code",
        gettext_noop(
            "step '%(step)s': option code '%(option)s' is reserved for not applicable/don't know"
        ),
    )
    PATH_OPTION_NO_OUTCOME = (
        "path_option_no_outcome",
        gettext_noop(
            "step '%(step)s', option '%(option)s': give it 'next' (the step it leads to) or "
            "'score' (it ends the path)"
        ),
    )
    PATH_OPTION_BOTH = (
        "path_option_both",
        gettext_noop(
            "step '%(step)s', option '%(option)s' has both 'next' and 'score': an answer "
            "either leads on or ends the path"
        ),
    )
    PATH_LAST_STEP_CONTINUES = (
        "path_last_step_continues",
        gettext_noop(
            "step '%(step)s' is the last one: option '%(option)s' cannot lead on ('next'); "
            "give it a 'score'"
        ),
    )
    PATH_UNKNOWN_STEP = (
        "path_unknown_step",
        gettext_noop(
            "step '%(step)s', option '%(option)s' leads to unknown step '%(next)s' "
            "(steps: %(steps)s)"
        ),
    )
    PATH_BACKWARD_STEP = (
        "path_backward_step",
        gettext_noop(
            "step '%(step)s', option '%(option)s' leads back to step '%(next)s': a path only "
            "goes forward"
        ),
    )
    PATH_UNREACHABLE_STEP = (
        "path_unreachable_step",
        gettext_noop("step '%(step)s' is never reached: no answer leads to it"),
    )
    PATH_NOT_AN_OPTION = (
        "path_not_an_option",
        gettext_noop(
            "answer '%(answer)s' of path item '%(item)s': '%(chosen)s' is not an option of "
            "step '%(step)s' (options: %(options)s); a path is the codes of its steps joined "
            "with |, or NA, DK"
        ),
    )
    PATH_AFTER_END = (
        "path_after_end",
        gettext_noop(
            "answer '%(answer)s' of path item '%(item)s' goes on after '%(chosen)s', which "
            "ends the path at step '%(step)s'"
        ),
    )
    ANSWER_PATH_AFTER_END = (
        "answer_path_after_end",
        gettext_noop("This answer goes on after a choice that ends these questions."),
    )
    SURVEYJS_PATH_STEP = (
        "surveyjs_path_step",
        gettext_noop(
            "'%(name)s' is in a path item's panel: a step is a radiogroup named %(prefix)sSTEP"
        ),
    )
    XLSFORM_PATH_STEP = (
        "xlsform_path_step",
        gettext_noop(
            "'%(name)s' is in a path item's group: a step is a select_one with its step id "
            "in barometre::row"
        ),
    )

    # --- conditional questions (questionnaire/relevance.py, `relevant`) -------------------
    RELEVANT_FORM = (
        "relevant_form",
        gettext_noop(
            "%(field)s: a condition is either {item, in}, or {any_of: [...]}, or "
            "{all_of: [...]} of {item, in} conditions"
        ),
    )
    RELEVANT_UNKNOWN_ITEM = (
        "relevant_unknown_item",
        gettext_noop("%(field)s: the condition names item '%(item)s', which does not exist"),
    )
    RELEVANT_LATER_ITEM = (
        "relevant_later_item",
        gettext_noop(
            "%(field)s: the condition names item '%(item)s', which does not come before this "
            "item (a condition only looks back, so that conditions never form a loop)"
        ),
    )
    RELEVANT_KIND = (
        "relevant_kind",
        gettext_noop(
            "%(field)s: the condition names item '%(item)s', a %(kind)s item; a condition "
            "needs an item answered with options (scale, single, multi, yesno)"
        ),
    )
    RELEVANT_UNKNOWN_OPTION = (
        "relevant_unknown_option",
        gettext_noop(
            "%(field)s: item '%(item)s' has no option '%(option)s' (options: %(options)s)"
        ),
    )
    RELEVANT_ROLES = (
        "relevant_roles",
        gettext_noop(
            "%(field)s: the condition's item '%(item)s' is not asked of %(roles)s, who answer "
            "this item: the condition could not be evaluated for them (ask the condition's "
            "item of every role of this item)"
        ),
    )
    NOT_RELEVANT = (
        "not_relevant",
        gettext_noop(
            "item '%(item)s' is answered ('%(answer)s') but is not asked of respondent "
            "'%(respondent)s': its condition (%(condition)s) is not met by their own answers; "
            "leave the answer empty (or NA)"
        ),
    )
    OPTION_NOT_RELEVANT = (
        "option_not_relevant",
        gettext_noop(
            "answer '%(answer)s' of item '%(item)s' chooses option '%(option)s', which is not "
            "shown to respondent '%(respondent)s': its condition (%(condition)s) is not met "
            "by their own answers"
        ),
    )
    ANSWER_NOT_RELEVANT = (
        "answer_not_relevant",
        gettext_noop("This question is not asked given your earlier answers."),
    )
    XLSFORM_RELEVANT_UNREADABLE = (
        "xlsform_relevant_unreadable",
        gettext_noop(
            "%(where)s: the relevant expression '%(expression)s' cannot be read; barometre "
            "reads ${item} = 'code' and selected(${item}, 'code'), joined by 'or' (or by "
            "'and'), each comparison to an earlier question with choices"
        ),
    )

    # --- questionnaire files: the languages it declares (questionnaire/languages.py) -------
    DUPLICATE_LANGUAGE = (
        "duplicate_language",
        gettext_noop("language '%(language)s' is listed more than once in 'languages'"),
    )
    TEXT_WITHOUT_DEFAULT_LANGUAGE = (
        "text_without_default_language",
        gettext_noop(
            "%(field)s: required, the text in '%(language)s', the questionnaire's default "
            "language (languages: %(languages)s)"
        ),
    )
    TEXT_IN_UNDECLARED_LANGUAGE = (
        "text_in_undeclared_language",
        gettext_noop(
            "%(field)s: a text in '%(language)s', a language the questionnaire does not "
            "declare (languages: %(languages)s): add it to 'languages' or remove the text"
        ),
    )

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
    NOT_AN_OBJECT = (
        "not_an_object",
        gettext_noop("the file is not a JSON object (expected: %(kind)s)"),
    )
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
    FORMAT_MISSING = (
        "format_missing",
        gettext_noop(
            "this is not the file expected (%(kind)s): it has no 'format' key, expected "
            "'format': '%(expected)s'"
        ),
    )
    WRONG_FORMAT = (
        "wrong_format",
        gettext_noop(
            "this is not the file expected (%(kind)s): 'format' is %(found)s, expected "
            "'%(expected)s'"
        ),
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

    # --- best-practice sheets triggered by answers (recommend/library.py) -------------------
    CHOSEN_WITHOUT_OPTIONS = (
        "chosen_without_options",
        gettext_noop(
            "%(field)s: item '%(item)s' is a %(kind)s item, not answered with options: "
            "'chosen' needs a scale, single, yesno or multi item (for a status table, name "
            "its 'row' with 'at_most' or 'exactly')"
        ),
    )
    UNKNOWN_OPTION_IN_SHEET = (
        "unknown_option_in_sheet",
        gettext_noop(
            "%(field)s: item '%(item)s' has no option '%(option)s' (its options: %(options)s)"
        ),
    )
    ROW_NOT_A_STATUS_TABLE = (
        "row_not_a_status_table",
        gettext_noop("%(field)s: item '%(item)s' is not a status table: 'row' needs one"),
    )
    UNKNOWN_ROW_IN_SHEET = (
        "unknown_row_in_sheet",
        gettext_noop(
            "%(field)s: status table '%(item)s' has no row '%(row)s' (its rows: %(rows)s)"
        ),
    )
    UNKNOWN_STEP_IN_SHEET = (
        "unknown_step_in_sheet",
        gettext_noop(
            "%(field)s: '%(step)s' is not a step of the ladder of '%(item)s' (its steps: %(steps)s)"
        ),
    )

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

    # (issue 12 anchor: exports codes go below, in a section "# --- exports ---")
    # --- exports -------------------------------------------------------------------------
    EXPORT_NEEDS_RESPONSES = (
        "export_needs_responses",
        gettext_noop("the table '%(table)s' is made from the answers: give the responses file too"),
    )
    EXPORT_NEEDS_ESTIMATES = (
        "export_needs_estimates",
        gettext_noop(
            "the table '%(table)s' is made from the sector estimate: give the estimates file too"
        ),
    )
    EXPORT_ONE_TABLE = (
        "export_one_table",
        gettext_noop("a %(format)s file holds one table: choose one of %(tables)s"),
    )
    EXPORT_SHEET_TOO_LONG = (
        "export_sheet_too_long",
        gettext_noop(
            "the table '%(table)s' has %(rows)s rows, more than the %(limit)s rows of an Excel "
            "sheet; export it as CSV or Parquet, or choose another table"
        ),
    )
    EXPORT_UNKNOWN_ORGANISATION = (
        "export_unknown_organisation",
        gettext_noop("organisation '%(organisation)s' is not in the scores file"),
    )
    EXPORT_EMPTY_SELECTION = (
        "export_empty_selection",
        gettext_noop("no organisation is selected: the export would be empty"),
    )
    EXPORT_RESPONSES_OTHER_WAVE = (
        "export_responses_other_wave",
        gettext_noop(
            "%(count)s organisation(s) of the responses have no scores in the scores file "
            "(%(organisations)s): the two files are not of the same wave"
        ),
    )
    EXPORT_MISSING_OPTION = (
        "export_missing_option",
        gettext_noop("the option %(option)s is required to export"),
    )
    EXPORT_ESTIMATES_OTHER_QUESTIONNAIRE = (
        "export_estimates_other_questionnaire",
        gettext_noop(
            "the estimates were made with %(made_with)s but the scores with %(scores)s: give "
            "the estimates made from these scores"
        ),
    )
    EXPORT_ESTIMATES_OTHER_WAVE = (
        "export_estimates_other_wave",
        gettext_noop(
            "the estimates were not made from these scores: %(field)s is %(estimated)s in the "
            "estimates file but %(scored)s in the scores file; give the estimates made from "
            "these scores"
        ),
    )
    EXPORT_ESTIMATES_OF_SECTOR = (
        "export_estimates_of_sector",
        gettext_noop(
            "the table '%(table)s' holds the whole sector's figures, not an organisation's: "
            "it is not exported for a selection of organisations"
        ),
    )
    EXPORT_OUT_IS_FOLDER = (
        "export_out_is_folder",
        gettext_noop("%(path)s is a folder: --out names the file to write"),
    )
    EXPORT_OUT_NO_FOLDER = (
        "export_out_no_folder",
        gettext_noop(
            "the folder %(folder)s does not exist: create it first, or write the file in an "
            "existing folder"
        ),
    )
    EXPORT_OUT_SUFFIX = (
        "export_out_suffix",
        gettext_noop(
            "%(path)s does not end with %(suffix)s, the suffix of the format %(format)s: "
            "name the file e.g. %(example)s, or choose the format of its suffix"
        ),
    )

    # (issue 12 anchor: XLSForm and ODK codes go below, in a section "# --- XLSForm ---")
    # --- XLSForm and ODK submissions ------------------------------------------------------
    XLSFORM_NOT_A_WORKBOOK = (
        "xlsform_not_a_workbook",
        gettext_noop("the file is not an Excel workbook (.xlsx): %(detail)s"),
    )
    XLSFORM_MISSING_SHEET = (
        "xlsform_missing_sheet",
        gettext_noop("the workbook has no sheet '%(sheet)s'"),
    )
    XLSFORM_MISSING_COLUMN = (
        "xlsform_missing_column",
        gettext_noop("the sheet '%(sheet)s' has no column '%(column)s' in its first row"),
    )
    XLSFORM_TOO_MANY_ROWS = (
        "xlsform_too_many_rows",
        gettext_noop("the sheet '%(sheet)s' has more than %(limit)s rows; the rest is not read"),
    )
    XLSFORM_NOT_A_NUMBER = (
        "xlsform_not_a_number",
        gettext_noop("%(column)s: '%(value)s' is not a number"),
    )
    XLSFORM_NOT_A_BOOLEAN = (
        "xlsform_not_a_boolean",
        gettext_noop("%(column)s: '%(value)s' is neither true nor false"),
    )
    XLSFORM_NO_LIST_NAME = (
        "xlsform_no_list_name",
        gettext_noop("a choice without a list_name"),
    )
    XLSFORM_NO_NAME = "xlsform_no_name", gettext_noop("a row of '%(sheet)s' without a name")
    XLSFORM_NO_TYPE = "xlsform_no_type", gettext_noop("question '%(name)s' has no type")
    XLSFORM_DUPLICATE_CHOICE = (
        "xlsform_duplicate_choice",
        gettext_noop(
            "choice '%(choice)s' is twice in the list '%(list)s' (first at row %(first)s)"
        ),
    )
    XLSFORM_DUPLICATE_NAME = (
        "xlsform_duplicate_name",
        gettext_noop("the name '%(name)s' is used twice (first at row %(first)s)"),
    )
    XLSFORM_NO_QUESTIONS = (
        "xlsform_no_questions",
        gettext_noop("the survey has no question that a questionnaire item can take"),
    )
    XLSFORM_UNMAPPED_TYPE = (
        "xlsform_unmapped_type",
        gettext_noop(
            "question '%(name)s': the type '%(type)s' has no questionnaire item kind "
            "(select_one, select_multiple, decimal, integer, text and groups are read)"
        ),
    )
    XLSFORM_UNKNOWN_TYPE = (
        "xlsform_unknown_type",
        gettext_noop("question '%(name)s': '%(type)s' is not an XLSForm type"),
    )
    XLSFORM_UNKNOWN_LIST = (
        "xlsform_unknown_list",
        gettext_noop("question '%(name)s': no choice list '%(list)s' in the sheet 'choices'"),
    )
    XLSFORM_END_WITHOUT_BEGIN = (
        "xlsform_end_without_begin",
        gettext_noop("end_group without a begin_group before it"),
    )
    XLSFORM_GROUP_NOT_CLOSED = (
        "xlsform_group_not_closed",
        gettext_noop("the group '%(name)s' has no end_group"),
    )
    XLSFORM_KIND_TYPE = (
        "xlsform_kind_type",
        gettext_noop("barometre::kind '%(kind)s' cannot be asked as an XLSForm '%(type)s'"),
    )
    XLSFORM_STATUS_ROW = (
        "xlsform_status_row",
        gettext_noop(
            "question '%(name)s' is inside a status table: it must be a select_one with "
            "a barometre::row"
        ),
    )
    XLSFORM_STATUS_LISTS = (
        "xlsform_status_lists",
        gettext_noop(
            "question '%(name)s' uses the list '%(list)s' but the other rows of its status "
            "table use '%(first)s'"
        ),
    )
    XLSFORM_ONE_GOALPOST = (
        "xlsform_one_goalpost",
        gettext_noop("give both barometre::worst and barometre::best, or neither"),
    )
    XLSFORM_ROLE_QUESTION = (
        "xlsform_role_question",
        gettext_noop("the question 'role' must be a select_one of the roles, not '%(type)s'"),
    )
    XLSFORM_NO_AXIS = (
        "xlsform_no_axis",
        gettext_noop(
            "%(count)s scored questions have no axis (%(items)s): add a column barometre::axis "
            "to the sheet 'survey', with tech or transfo on each"
        ),
    )
    XLSFORM_INCOMPLETE_ROW = (
        "xlsform_incomplete_row",
        gettext_noop("this row lacks a value in one of its columns"),
    )
    XLSFORM_NOT_JSON = (
        "xlsform_not_json",
        gettext_noop("'%(value)s' is not a JSON value (a text is written in double quotes)"),
    )
    XLSFORM_BAD_PATH = (
        "xlsform_bad_path",
        gettext_noop("the path '%(path)s' is given twice or inside another value"),
    )
    ODK_MISSING_COLUMN = (
        "odk_missing_column",
        gettext_noop(
            "the submissions have no column %(column)s: export them from the form that "
            "barometre questionnaire export wrote (it asks the role and the organisation first)"
        ),
    )
    ODK_DUPLICATE_SUBMISSION = (
        "odk_duplicate_submission",
        gettext_noop("submission '%(submission)s' is already at row %(first)s"),
    )
    FORM_FORMAT_UNKNOWN = (
        "form_format_unknown",
        gettext_noop(
            "cannot tell the format from the suffix '%(suffix)s': give --format xlsform "
            "(.xlsx) or --format surveyjs (.json)"
        ),
    )
    XLSFORM_CONTROL_CHARACTER = (
        "xlsform_control_character",
        gettext_noop(
            "this text holds a control character (U+0000 to U+001F but tab and line breaks), "
            "which a workbook cannot hold"
        ),
    )
    XLSFORM_NAME_CLASH = (
        "xlsform_name_clash",
        gettext_noop(
            "'%(name)s' would be the XLSForm name of both %(first)s and %(second)s; "
            "rename one of them"
        ),
    )
    XLSFORM_DAMAGED_SHEET = (
        "xlsform_damaged_sheet",
        gettext_noop(
            "the workbook is damaged: its sheet '%(sheet)s' cannot be read (%(detail)s); open "
            "it in a spreadsheet and save it again, or export it again"
        ),
    )
    XLSFORM_OR_OTHER = (
        "xlsform_or_other",
        gettext_noop(
            "question '%(name)s': 'or_other' (an 'other, specify' answer typed in) cannot be "
            "scored; remove it from the type, or add a choice 'other' to the list '%(list)s'"
        ),
    )
    XLSFORM_AXIS_WITHOUT_SCORES = (
        "xlsform_axis_without_scores",
        gettext_noop(
            "question '%(name)s' has a barometre::axis but its choices have no scores: give "
            "every choice of the list '%(list)s' a barometre_score (or name the choices by "
            "numbers, 1 to 5...), or remove the axis"
        ),
    )
    XLSFORM_AXIS_WITHOUT_GOALPOSTS = (
        "xlsform_axis_without_goalposts",
        gettext_noop(
            "question '%(name)s' has a barometre::axis but a number is scored only between "
            "goalposts: give barometre::worst and barometre::best, or remove the axis"
        ),
    )
    ODK_BOOLEAN_CELL = (
        "odk_boolean_cell",
        gettext_noop(
            "the cell holds the spreadsheet value %(value)s, which only a select_multiple "
            "choice column (1 or 0) may hold: write the answer itself (a choice name, a number "
            "or a text)"
        ),
    )
    FORM_OUT_SUFFIX = (
        "form_out_suffix",
        gettext_noop(
            "%(path)s does not end with %(suffix)s, the suffix of %(format)s: name the file "
            "e.g. %(example)s"
        ),
    )
    FORM_OUT_IS_INPUT = (
        "form_out_is_input",
        gettext_noop("%(path)s is the file read: --out must name another file"),
    )
    FORM_OUT_IS_FOLDER = (
        "form_out_is_folder",
        gettext_noop("%(path)s is a folder: --out names the file to write"),
    )
    FORM_OUT_NO_FOLDER = (
        "form_out_no_folder",
        gettext_noop(
            "the folder %(folder)s does not exist: create it first, or write the file in an "
            "existing folder"
        ),
    )

    # (issue 12 anchor: SurveyJS codes go below, in a section "# --- SurveyJS ---")
    # --- SurveyJS forms and results (interop/surveyjs.py, surveyjs_results.py) -------------
    SURVEYJS_NOT_A_FORM = (
        "surveyjs_not_a_form",
        gettext_noop("a SurveyJS form is a JSON object with a list of 'pages' (or 'elements')"),
    )
    SURVEYJS_NOT_AN_ELEMENT = (
        "surveyjs_not_an_element",
        gettext_noop("a page, panel or question is a JSON object, and a question has a 'type'"),
    )
    SURVEYJS_NOT_AN_OBJECT = (
        "surveyjs_not_an_object",
        gettext_noop("'%(property)s' must be a JSON object"),
    )
    SURVEYJS_NOT_A_LIST = (
        "surveyjs_not_a_list",
        gettext_noop("'%(property)s' must be a JSON list"),
    )
    SURVEYJS_INVALID_TEXT = (
        "surveyjs_invalid_text",
        gettext_noop(
            "'%(property)s' must be a text or a localised text such as "
            '{"default": "English", "fr": "Français"}'
        ),
    )
    SURVEYJS_NO_QUESTIONS = (
        "surveyjs_no_questions",
        gettext_noop("the form has no question that can be an item"),
    )
    SURVEYJS_UNSUPPORTED_TYPE = (
        "surveyjs_unsupported_type",
        gettext_noop(
            "a question of type '%(type)s' cannot be mapped to an item (radiogroup, dropdown, "
            "rating, checkbox, tagbox, boolean, matrix, text and comment can): remove it"
        ),
    )
    SURVEYJS_NO_NAME = "surveyjs_no_name", gettext_noop("the question has no 'name'")
    SURVEYJS_INVALID_NAME = (
        "surveyjs_invalid_name",
        gettext_noop(
            "the question name '%(name)s' cannot be an item id (letters, digits, '_' and '-'): "
            "rename the question, e.g. '%(suggestion)s'"
        ),
    )
    SURVEYJS_RESERVED_NAME = (
        "surveyjs_reserved_name",
        gettext_noop(
            "'%(name)s' names the respondent's role, organisation or identifier in a SurveyJS "
            "form and its results: rename the item"
        ),
    )
    SURVEYJS_OTHER_ITEM = (
        "surveyjs_other_item",
        gettext_noop(
            "an 'Other' choice with its own text (hasOther, showOtherItem) cannot be mapped to "
            "an option: remove it, or add the answer as a choice"
        ),
    )
    SURVEYJS_KIND_MISMATCH = (
        "surveyjs_kind_mismatch",
        gettext_noop(
            "a question of type '%(type)s' cannot hold an item of kind '%(kind)s' "
            "(it holds %(kinds)s)"
        ),
    )
    SURVEYJS_INVALID_CHOICE = (
        "surveyjs_invalid_choice",
        gettext_noop("a choice's value is a text or a number, not %(value)s"),
    )
    SURVEYJS_COLUMN_WITHOUT_SCORE = (
        "surveyjs_column_without_score",
        gettext_noop(
            "the matrix column '%(value)s' has no score: give every column a numeric value "
            "or a 'score'"
        ),
    )
    SURVEYJS_INVALID_NUMBER = (
        "surveyjs_invalid_number",
        gettext_noop("'%(property)s' must be a number, not %(value)s"),
    )
    SURVEYJS_CHOICES_BY_URL = (
        "surveyjs_choices_by_url",
        gettext_noop(
            "the question loads its choices from a web service (choicesByUrl), which cannot be "
            "mapped to options: list the choices in the form itself ('choices')"
        ),
    )
    SURVEYJS_INVALID_LOCALE = (
        "surveyjs_invalid_locale",
        gettext_noop(
            "the form's 'locale' must be a language code such as 'fr' or 'en', not %(value)s"
        ),
    )
    SURVEYJS_RESULTS_NOT_A_LIST = (
        "surveyjs_results_not_a_list",
        gettext_noop(
            "a SurveyJS results file is a JSON list of results (each one survey.data), "
            "one per respondent"
        ),
    )
    SURVEYJS_RESULT_NOT_AN_OBJECT = (
        "surveyjs_result_not_an_object",
        gettext_noop("a result is a JSON object of answers (survey.data), not %(value)s"),
    )
    SURVEYJS_RESULT_MISSING_KEY = (
        "surveyjs_result_missing_key",
        gettext_noop("the result has no '%(key)s' (the first page of the form asks for it)"),
    )
    SURVEYJS_RESULT_NOT_TEXT = (
        "surveyjs_result_not_text",
        gettext_noop("'%(key)s' must be a text or a number, not %(value)s"),
    )
    SURVEYJS_RESULT_NOT_AN_ANSWER = (
        "surveyjs_result_not_an_answer",
        gettext_noop("the answer to this question is a text or a number, not %(value)s"),
    )
    SURVEYJS_RESULT_NOT_CHOICES = (
        "surveyjs_result_not_choices",
        gettext_noop("the answer to a checkbox question is a list of choices, not %(value)s"),
    )
    SURVEYJS_RESULT_NOT_ROWS = (
        "surveyjs_result_not_rows",
        gettext_noop("the answer to a matrix question is an object {row: column}, not %(value)s"),
    )

    # (issue 12 anchor: questionnaire diff codes go below, "# --- questionnaire versions ---")
    # --- questionnaire versions: what changed, in words (interop/versions.py) --------------
    VERSION_QUESTIONNAIRE_CHANGED = (
        "version_questionnaire_changed",
        gettext_noop("questionnaire: %(field)s changed from %(old)s to %(new)s"),
    )
    VERSION_METHODOLOGY_CHANGED = (
        "version_methodology_changed",
        gettext_noop("methodology: %(parameter)s changed from %(old)s to %(new)s"),
    )
    VERSION_ROLE_ADDED = "version_role_added", gettext_noop("role %(role)s added")
    VERSION_ROLE_REMOVED = "version_role_removed", gettext_noop("role %(role)s removed")
    VERSION_ROLE_CHANGED = (
        "version_role_changed",
        gettext_noop("role %(role)s: %(field)s changed from %(old)s to %(new)s"),
    )
    VERSION_DIMENSION_ADDED = (
        "version_dimension_added",
        gettext_noop("dimension %(dimension)s added"),
    )
    VERSION_DIMENSION_REMOVED = (
        "version_dimension_removed",
        gettext_noop("dimension %(dimension)s removed"),
    )
    VERSION_DIMENSION_CHANGED = (
        "version_dimension_changed",
        gettext_noop("dimension %(dimension)s: %(field)s changed from %(old)s to %(new)s"),
    )
    VERSION_DIMENSIONS_REORDERED = (
        "version_dimensions_reordered",
        gettext_noop("the dimensions are in another order"),
    )
    VERSION_ITEM_ADDED = "version_item_added", gettext_noop("question %(item)s added")
    VERSION_ITEM_REMOVED = "version_item_removed", gettext_noop("question %(item)s removed")
    VERSION_ITEM_CHANGED = (
        "version_item_changed",
        gettext_noop("question %(item)s: %(field)s changed from %(old)s to %(new)s"),
    )
    VERSION_ITEMS_REORDERED = (
        "version_items_reordered",
        gettext_noop("the questions are in another order"),
    )
    VERSION_OPTION_ADDED = (
        "version_option_added",
        gettext_noop("question %(item)s: answer %(option)s added"),
    )
    VERSION_OPTION_REMOVED = (
        "version_option_removed",
        gettext_noop("question %(item)s: answer %(option)s removed"),
    )
    VERSION_OPTION_CHANGED = (
        "version_option_changed",
        gettext_noop(
            "question %(item)s, answer %(option)s: %(field)s changed from %(old)s to %(new)s"
        ),
    )
    VERSION_OPTIONS_REORDERED = (
        "version_options_reordered",
        gettext_noop("question %(item)s: the answers are in another order"),
    )
    VERSION_OPTIONS_REORDERED_RECODED = (
        "version_options_reordered_recoded",
        gettext_noop(
            "question %(item)s: the answers are in another order, from %(old)s to %(new)s; "
            "the exports number them in this order, so their numeric codes change"
        ),
    )
    VERSION_ROW_ADDED = "version_row_added", gettext_noop("question %(item)s: row %(row)s added")
    VERSION_ROW_REMOVED = (
        "version_row_removed",
        gettext_noop("question %(item)s: row %(row)s removed"),
    )
    VERSION_ROW_CHANGED = (
        "version_row_changed",
        gettext_noop("question %(item)s, row %(row)s: %(field)s changed from %(old)s to %(new)s"),
    )
    VERSION_ROWS_REORDERED = (
        "version_rows_reordered",
        gettext_noop("question %(item)s: the rows are in another order"),
    )
    VERSION_DIMENSION_NOT_COMPARABLE = (
        "version_dimension_not_comparable",
        gettext_noop("The dimension “%(dimension)s” changed: %(changes)s"),
    )
    VERSION_AND_MORE = "version_and_more", gettext_noop("and %(count)s more")
    VERSION_SCORES_DIFFER = (
        "version_scores_differ",
        gettext_noop(
            "questionnaire versions %(before)s and %(after)s score differently: %(changes)s"
        ),
    )

    # (issue 12 anchor: open data codes go below, in a section "# --- open data ---")
    # --- open data ---------------------------------------------------------------------------
    OPENDATA_NO_WAVE_YEAR = (
        "opendata_no_wave_year",
        gettext_noop(
            "the estimates file names no wave year: a data package is of one wave; estimate "
            "again with --wave-year"
        ),
    )
    OPENDATA_OTHER_QUESTIONNAIRE = (
        "opendata_other_questionnaire",
        gettext_noop(
            "the estimates were made with %(estimates)s but %(questionnaire)s is loaded: "
            "give the questionnaire the wave was run with"
        ),
    )
    OPENDATA_OTHER_WAVE_CHANGE = (
        "opendata_other_wave_change",
        gettext_noop(
            "the change file is the change of wave %(change_year)s, not of the estimates' wave "
            "%(year)s: give the change computed for this wave"
        ),
    )
    OPENDATA_OUT_NOT_EMPTY = (
        "opendata_out_not_empty",
        gettext_noop(
            "already exists and is not an empty folder: the data package is written to a new "
            "or empty folder (choose another --out, or remove this one)"
        ),
    )
    OPENDATA_BAD_DATE = (
        "opendata_bad_date",
        gettext_noop("'%(value)s' is not a date: write it YYYY-MM-DD, e.g. 2026-06-30"),
    )
    OPENDATA_OUT_IS_FOLDER = (
        "opendata_out_is_folder",
        gettext_noop("is a folder: with --zip, --out names the ZIP file to write"),
    )
    OPENDATA_UNKNOWN_CI_METHOD = (
        "opendata_unknown_ci_method",
        gettext_noop(
            "the estimates file gives a confidence interval method this version does not "
            "know, '%(method)s' (known: %(known)s): estimate again with this version"
        ),
    )

    # (issue 12 anchor: REST API codes go below, in a section "# --- REST API ---")

    # --- REST API (web/api) ---------------------------------------------------------------
    API_MISSING = "api_missing", gettext_noop("%(parameter)s is required")
    API_NOT_AN_INTEGER = "api_not_an_integer", gettext_noop("%(parameter)s must be a whole number")
    API_NOT_A_BOOLEAN = "api_not_a_boolean", gettext_noop("%(parameter)s must be true or false")
    API_TOO_SMALL = "api_too_small", gettext_noop("%(parameter)s must be at least %(limit)s")
    API_TOO_LARGE = "api_too_large", gettext_noop("%(parameter)s must be at most %(limit)s")
    API_TOO_LONG = (
        "api_too_long",
        gettext_noop("%(parameter)s is too long: at most %(limit)s characters"),
    )
    API_TOO_SHORT = (
        "api_too_short",
        gettext_noop("%(parameter)s is too short: at least %(limit)s characters"),
    )
    API_NOT_ONE_OF = "api_not_one_of", gettext_noop("%(parameter)s must be one of %(choices)s")
    API_INVALID = "api_invalid", gettext_noop("%(parameter)s is not valid")
    API_NOT_JSON = "api_not_json", gettext_noop("the body of the request is not valid JSON")
    API_WAVE_EXISTS = "api_wave_exists", gettext_noop("a wave of the year %(year)s exists already")
    API_FILE_TOO_LARGE = (
        "api_file_too_large",
        gettext_noop("the file %(name)s is %(size)s MB, more than the limit of %(limit)s MB"),
    )
    API_NOT_UTF8 = "api_not_utf8", gettext_noop("the file %(name)s is not UTF-8 text")
    API_EMPTY_LIST = "api_empty_list", gettext_noop("%(parameter)s needs at least one entry")


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
