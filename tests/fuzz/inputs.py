"""Hypothesis strategies for bad input: questionnaire YAML (mutations of real questionnaires
and random YAML), responses CSV and frame CSV files as bytes, as careless users and attackers
write them."""

from __future__ import annotations

import yaml
from hypothesis import strategies as st

from barometre.organisations import FRAME_COLUMNS
from barometre.questionnaire.loader import builtin_path
from barometre.scoring.answers import RESPONSE_COLUMNS
from tests.helpers import TINY

HLM_2026 = builtin_path("hlm-2026").read_text(encoding="utf-8")

#: Values that broke, or could break, a reader: non-finite and huge numbers, wrong types,
#: YAML features (aliases, tags, merge keys), control characters, paths, formulas.
NASTY_SCALARS = [
    ".inf",
    "-.inf",
    ".nan",
    "1e999",
    "9" * 5000,
    "-1",
    "0",
    "[a, b]",
    "{x: 1}",
    "[]",
    "{}",
    "null",
    "~",
    "true",
    "2026-01-01",
    "!!binary aGVsbG8=",
    "!!python/object/apply:os.system ['true']",
    "!!set {a, b}",
    "&anchor x",
    "*anchor",
    "<<: {a: 1}",
    "'$x^2$'",
    '"\\0"',
    '"a\\x00b"',
    "../../../x",
    "'" + "x" * 300 + "'",
    "[" * 60 + "]" * 60,
    "{a: {b: {c: {d: {e: {f: 1}}}}}}",
    "'NA'",
    "'DK'",
    "|\n  multi\n  line",
]

NASTY_TEXT = [
    "",
    " ",
    "NA",
    "DK",
    "../../../x",
    "a/b",
    "..",
    ".",
    "x" * 65,
    "x" * 5000,
    "9" * 5000,
    "inf",
    "-inf",
    "nan",
    "1e30",
    "1e999",
    "12.5",
    "-3",
    "12,5",
    "$x$",
    "a\x00b",
    "é",
    "\u202e",
    '"',
    '""',
    "a,b",
    "a;b",
    "a\tb",
    "a\nb",
    "a\r\nb",
    "=cmd|' /C calc'!A0",
    "p|q",
    "none|p",
    "p|p",
    "\ufeff",
]


#: One edit of a line: (where, what, with), where in 0-1 of the lines.
LineEdit = tuple[float, str, str]

LINE_EDITS: st.SearchStrategy[list[LineEdit]] = st.lists(
    st.tuples(
        st.floats(0, 1, exclude_max=True),
        st.sampled_from(["delete", "repeat", "value", "cut", "indent", "insert"]),
        st.one_of(st.sampled_from(NASTY_SCALARS), st.text(max_size=20)),
    ),
    min_size=1,
    max_size=4,
)


def edited(text: str, edits: list[LineEdit]) -> str:
    """`text` with its lines deleted, repeated, cut, re-indented, given a nasty value or with
    a line inserted, as `edits` say (drawn small, so that a failing case shrinks fast even on
    a 119 KB file)."""
    lines = text.split("\n")
    for where, action, value in edits:
        at = int(where * len(lines))
        line = lines[at]
        if action == "delete":
            del lines[at]
        elif action == "repeat":
            lines.insert(at, line)
        elif action == "value" and ":" in line:
            lines[at] = f"{line.split(':', 1)[0]}: {value}"
        elif action == "cut":
            lines[at] = line[: len(value) % (len(line) + 1)]
        elif action == "indent":
            lines[at] = value[:2].replace("\n", " ") + line.lstrip()
        else:
            lines.insert(at, value)
        lines = lines or [""]
    return "\n".join(lines)


#: Any YAML value a questionnaire's node could be replaced with.
YAML_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=20),
        st.sampled_from(["scale", "multi", "status", "text", "A", "tech", "direction", "NA"]),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(
                st.text(max_size=8),
                st.sampled_from(["id", "kind", "label", "fr", "options", "code", "weight"]),
            ),
            children,
            max_size=4,
        ),
    ),
    max_leaves=12,
)


@st.composite
def _tree_mutated(draw) -> str:
    """The tiny questionnaire with a few of its nodes replaced, added or removed, as YAML."""
    tree = yaml.safe_load(TINY)  # a fresh copy to change
    for _ in range(draw(st.integers(1, 3))):
        node, path = tree, []
        while isinstance(node, (dict, list)) and node and draw(st.integers(0, 3)) > 0:
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            key = draw(st.sampled_from(keys))
            path.append((node, key))
            node = node[key]
        if not path:
            continue
        parent, key = path[-1]
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "replace":
            parent[key] = draw(YAML_VALUES)
        elif action == "delete":
            del parent[key]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=8))] = draw(YAML_VALUES)
        else:
            parent.append(draw(YAML_VALUES))
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)


#: Questionnaire files: mutations of the tiny one (text or tree), random YAML, random text.
QUESTIONNAIRE_TEXTS = st.one_of(
    LINE_EDITS.map(lambda edits: edited(TINY, edits)),
    _tree_mutated(),
    YAML_VALUES.map(lambda value: yaml.safe_dump(value, allow_unicode=True)),
    st.text(max_size=200),
)


@st.composite
def csv_files(draw, columns: list[str], good_cells: dict[str, list[str]]) -> bytes:
    """A CSV file as bytes: a header of the expected columns (some missing, repeated,
    padded, extra), rows of good and nasty cells, any separator, line ending, quoting and
    encoding."""
    header = draw(st.permutations(columns))
    if draw(st.integers(0, 4)) == 0:
        header = draw(st.lists(st.sampled_from([*columns, "", "x"]), max_size=8))
    header = [draw(st.sampled_from(["", "", " "])) + name for name in header]
    separator = draw(st.sampled_from([",", ";", "\t", "|"]))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    nasty = st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=10))

    def cell(name: str) -> str:
        good = good_cells.get(name.strip())
        text = draw(st.sampled_from(good)) if good and draw(st.integers(0, 3)) else draw(nasty)
        if draw(st.integers(0, 5)) == 0 or any(c in text for c in f'"{separator}\r\n'):
            text = '"' + text.replace('"', '""') + '"'
        return text

    rows = [separator.join(header)]
    for _ in range(draw(st.integers(0, 6))):
        width = len(header) + draw(st.sampled_from([0, 0, 0, 0, -1, 1]))
        names = [*header, *["x"] * 2][: max(width, 0)]
        rows.append(separator.join(cell(name) for name in names))
    text = ending.join(rows) + draw(st.sampled_from(["", ending, ending * 2, ";;;" + ending]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    raw = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 9)) == 0:  # a byte changed anywhere
        at = draw(st.integers(0, max(len(raw) - 1, 0)))
        raw = raw[:at] + bytes([draw(st.integers(0, 255))]) + raw[at + 1 :]
    return raw


RESPONSE_CELLS = {
    "organisation_id": ["O1", "O2", "SYN-0003"],
    "respondent_id": ["R1", "R2", "O1-R1"],
    "role": ["direction", "numerique", "clientele"],
    "item_id": ["a_scale", "a_single", "a_multi", "a_status.r1", "a_pct", "b_mail", "ctx_comment"],
    "answer": ["0", "3", "z", "p|q", "none", "planned", "50", "12,5", "NA", "DK", "", "yes"],
}
FRAME_CELLS = {
    "organisation_id": ["O1", "O2", "O3", "SYN-0003"],
    "name": ["Office public", "ESH du Nord", "Coop'Hab"],
    "organisation_type": ["OPH", "ESH", "COOP", "SEM"],
    "dwellings": ["0", "120", "1500", "12000", "250000", "1500.0"],
    "department": ["01", "2A", "75", "974", "59"],
}

RESPONSES_FILES = csv_files(RESPONSE_COLUMNS, RESPONSE_CELLS)
FRAME_FILES = csv_files(FRAME_COLUMNS, FRAME_CELLS)
