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
