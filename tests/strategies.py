"""Named hypothesis strategies shared by the property tests."""

from __future__ import annotations

from hypothesis import strategies as st

from barometre.questionnaire import build_field_tables
from tests.helpers import tiny_questionnaire

TINY = tiny_questionnaire()
TABLES = build_field_tables(TINY)
ROLES = ["direction", "numerique", "clientele"]
SCORED_FIELDS = list(TABLES.fields.index[TABLES.fields["scored"]])


def field_answers(field_id: str) -> st.SearchStrategy[str]:
    """Any valid answer to a field, including NA, DK and unanswered ('')."""
    kind = TABLES.fields.at[field_id, "kind"]
    special = st.sampled_from(["NA", "DK", ""])
    if kind == "percent":
        value = st.integers(0, 100).map(str)
    elif kind == "number":
        value = st.integers(0, 200).map(str)
    elif kind == "multi":
        codes = ["p", "q", "r"]
        value = st.one_of(
            st.just("none"),
            st.lists(st.sampled_from(codes), min_size=1, max_size=3, unique=True).map("|".join),
        )
    else:
        codes = list(TABLES.options.loc[TABLES.options["field_id"] == field_id, "code"])
        value = st.sampled_from(codes)
    return st.one_of(value, value, value, special)


@st.composite
def organisation_rows(draw, organisations: int = 2):
    """Answers of 1-4 respondents in each of a few organisations."""
    rows = []
    for o in range(organisations):
        for r in range(draw(st.integers(1, 4))):
            role = draw(st.sampled_from(ROLES))
            for field in SCORED_FIELDS:
                if not TABLES.roles.at[field, role]:
                    continue
                answer = draw(field_answers(field))
                if answer:
                    rows.append((f"O{o}", f"O{o}-R{r}", role, field, answer))
    return rows


#: Header names of the random CSV files, with a padded one (headers are stripped).
CSV_NAMES = st.lists(st.sampled_from(["id", "v", "w", " id ", "x"]), min_size=1, max_size=4)


def draw_csv_text(
    data: st.DataObject, cell: st.SearchStrategy[str], ragged_cell: st.SearchStrategy[str]
) -> tuple[str, list[str], str]:
    """A random CSV text (separator, line ending, header, rows of `cell`s or, in some
    files, ragged rows of `ragged_cell`s, blank lines anywhere) and the columns asked of
    it, some absent; returns the text, the columns and the separator it was written with."""
    separators = [",", ";", "\t"]
    separator = data.draw(st.sampled_from(separators), label="separator")
    ending = data.draw(st.sampled_from(["\n", "\r\n", "\r"]), label="line ending")
    header = data.draw(CSV_NAMES, label="header")
    width = len(header)
    # Rows of the header's width mostly; in some files, shorter and longer ones too.
    ragged = data.draw(st.booleans(), label="ragged rows")
    drawn = ragged_cell if ragged else cell
    row = st.lists(drawn, min_size=max(width - ragged, 0), max_size=width + ragged)
    rows = data.draw(st.lists(row, max_size=6), label="rows")
    lines = [separator.join(header)] + [separator.join(row) for row in rows]
    for _ in range(data.draw(st.integers(0, 2), label="blank lines")):
        at = data.draw(st.integers(0, len(lines)))
        lines.insert(at, data.draw(st.sampled_from(["", " ", separator * (width - 1)])))
    text = ending.join(lines) + data.draw(st.sampled_from(["", ending, ending * 2]))
    columns = data.draw(
        st.lists(
            st.sampled_from([*header, *header, "absent"]).map(str.strip),
            min_size=1,
            max_size=2,
            unique=True,
        ),
        label="columns",
    )
    return text, columns, separator
