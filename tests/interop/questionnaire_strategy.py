"""A hypothesis strategy of random VALID questionnaires (synthetic), for round-trip tests.

Every questionnaire drawn passes `check_questionnaire`: each dimension has a scored item, both
axes have one, option codes are unique and never NA/DK, scored options have their scores,
goalposts agree with `better`. Texts are any Unicode text (accents, quotes, `:`, `#`, line
breaks), ids and codes are drawn from their patterns.
"""

from __future__ import annotations

from hypothesis import strategies as st

from barometre.questionnaire.models import (
    Dimension,
    Goalposts,
    Item,
    Level,
    Localized,
    Methodology,
    Option,
    PathOption,
    PathStep,
    Questionnaire,
    Role,
    StatusRow,
)
from barometre.questionnaire.validation import check_questionnaire

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"]) | st.sampled_from("\n:#'\"-"),
    min_size=1,
    max_size=20,
).filter(lambda text: text.strip() != "")
#: Texts pyxform converts whatever they hold: no `${` (an XLSForm reference), no markup.
SAFE_TEXT = st.text(
    alphabet=st.characters(whitelist_categories=["L", "N", "Zs"]) | st.sampled_from(":;,.'?!-()"),
    min_size=1,
    max_size=20,
).filter(lambda text: text.strip() != "")
#: Ids of items, rows, dimensions: a letter first and no "__", so that they are also names in
#: XLSForm (where a status row is `ITEM__ROW`, docs/xlsform.md).
_ID = st.from_regex(r"[a-z][a-z0-9_]{0,7}", fullmatch=True).filter(lambda i: "__" not in i)
_CODE = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,5}", fullmatch=True).filter(
    lambda code: code not in ("NA", "DK")
)
_SCORE = st.floats(0, 100, allow_nan=False) | st.integers(0, 100).map(float)
_WEIGHT = st.floats(0.01, 10, allow_nan=False) | st.integers(1, 4).map(float)
_NUMBER = st.floats(-1000, 1000, allow_nan=False) | st.integers(-100, 100).map(float)


@st.composite
def localized(draw, text: st.SearchStrategy[str] = _TEXT) -> Localized:
    return Localized(fr=draw(text), en=draw(st.none() | text))


@st.composite
def _options(draw, scores: str, text: st.SearchStrategy[str]) -> list[Option]:
    """`scores`: "all", "none" or "multi" (weights and maybe exclusive options)."""
    codes = draw(st.lists(_CODE, min_size=2, max_size=5, unique=True))
    options = []
    for index, code in enumerate(codes):
        exclusive = scores == "multi" and index == len(codes) - 1 and draw(st.booleans())
        score = draw(_SCORE) if scores == "all" or (exclusive and draw(st.booleans())) else None
        # an exclusive option with a score may weigh (a weighted exclusive option)
        weighs = scores == "multi" and (not exclusive or score is not None)
        options.append(
            Option(
                code=code,
                label=draw(localized(text)),
                description=draw(st.none() | localized(text)),
                score=score,
                weight=draw(st.none() | _WEIGHT) if weighs else None,
                exclusive=exclusive,
            )
        )
    return options


@st.composite
def _path_steps(draw, text: st.SearchStrategy[str]) -> list[PathStep]:
    """1 to 3 steps; each step's first option leads to the next step (so that every step is
    reached), the others end the path or jump to a later step; the last step's all end."""
    ids = draw(st.lists(_ID, min_size=1, max_size=3, unique=True))
    steps = []
    for position, step_id in enumerate(ids):
        codes = draw(st.lists(_CODE, min_size=2, max_size=3, unique=True))
        options = []
        for index, code in enumerate(codes):
            later = ids[position + 1 :]
            if later and (index == 0 or draw(st.booleans())):
                goes_to = later[0] if index == 0 else draw(st.sampled_from(later))
                outcome: dict = {"next": goes_to}
            else:
                outcome = {"score": draw(_SCORE)}
            options.append(
                PathOption(
                    code=code,
                    label=draw(localized(text)),
                    description=draw(st.none() | localized(text)),
                    **outcome,
                )
            )
        steps.append(
            PathStep(
                id=step_id,
                label=draw(localized(text)),
                help=draw(st.none() | localized(text)),
                options=options,
            )
        )
    return steps


@st.composite
def _item(
    draw, item_id: str, dimension: str, axis: str, roles: list[str], text: st.SearchStrategy[str]
) -> Item:
    kind = draw(
        st.sampled_from(
            ["scale", "single", "multi", "status", "percent", "number", "yesno", "path"]
        )
    )
    asked = draw(st.lists(st.sampled_from(roles), min_size=1, unique=True))
    fields: dict = {
        "id": item_id,
        "kind": kind,
        "label": draw(localized(text)),
        "help": draw(st.none() | localized(text)),
        "dimension": dimension,
        "axis": axis,
        "roles": asked,
        "weight": draw(st.just(1.0) | _WEIGHT),
    }
    if kind == "scale":
        fields["options"] = draw(_options(draw(st.sampled_from(["all", "none"])), text))
    elif kind == "single":
        fields["options"] = draw(_options("all", text))
    elif kind == "multi":
        fields["options"] = draw(_options("multi", text))
    elif kind == "status":
        row_ids = draw(st.lists(_ID, min_size=1, max_size=3, unique=True))
        fields["rows"] = [
            StatusRow(id=row, label=draw(localized(text)), weight=draw(st.just(1.0) | _WEIGHT))
            for row in row_ids
        ]
        if draw(st.booleans()):
            fields["options"] = draw(_options("all", text))
    elif kind == "path":
        fields["steps"] = draw(_path_steps(text))
    elif kind == "yesno":
        if draw(st.booleans()):
            fields["options"] = [
                Option(code="yes", label=draw(localized(text)), score=draw(_SCORE)),
                Option(code="no", label=draw(localized(text)), score=draw(_SCORE)),
            ]
    else:
        low, high = sorted(draw(st.lists(_NUMBER, min_size=2, max_size=2, unique=True)))
        if kind == "percent":
            low, high = sorted(draw(st.lists(_SCORE, min_size=2, max_size=2, unique=True)))
        better = draw(st.sampled_from(["higher", "lower"]))
        fields["goalposts"] = (
            Goalposts(worst=low, best=high)
            if better == "higher"
            else Goalposts(worst=high, best=low)
        )
        fields["better"] = better
        fields["unit"] = draw(st.none() | localized(text))
        if kind == "number" and draw(st.booleans()):
            fields["minimum"] = low - 1
            fields["maximum"] = draw(st.none() | st.just(high + 1))
        if draw(st.booleans()):
            fields["reference_role"] = asked[0]
    return Item(**fields)


@st.composite
def questionnaires(draw, text: st.SearchStrategy[str] = _TEXT) -> Questionnaire:
    """A valid questionnaire whose texts are drawn from `text` (any text by default)."""
    role_codes = draw(
        st.lists(st.from_regex(r"[a-z][a-z_]{0,6}", fullmatch=True), min_size=1, max_size=3).map(
            lambda codes: list(dict.fromkeys(codes))
        )
    )
    roles = [Role(code=code, label=draw(localized(text))) for code in role_codes]
    dimension_ids = draw(st.lists(_ID, min_size=1, max_size=3, unique=True))
    levels = Methodology().levels
    if draw(st.booleans()):
        levels = [
            Level(code="bas", label=draw(localized(text)), min=0),
            Level(code="haut", label=draw(localized(text)), min=draw(st.floats(1, 99))),
        ]
    dimensions = [
        Dimension(
            id=dimension_id,
            label=draw(localized(text)),
            description=draw(st.none() | localized(text)),
            weight=draw(st.just(1.0) | _WEIGHT),
            descriptors={
                level.code: draw(localized(text)) for level in levels if draw(st.booleans())
            },
            missing_as_zero=draw(st.sampled_from([None, True, False])),
        )
        for dimension_id in dimension_ids
    ]
    taken = set(dimension_ids)
    items: list[Item] = []
    axes = ["tech", "transfo"]
    count = 0
    for dimension in dimension_ids:
        for _ in range(draw(st.integers(1, 3))):
            item_id = draw(_ID.filter(lambda i: i not in taken))
            taken.add(item_id)
            axis = axes[count % 2] if count < 2 else draw(st.sampled_from(axes))
            items.append(draw(_item(item_id, dimension, axis, role_codes, text)))
            count += 1
    if count < 2:  # both axes need a scored item
        item_id = draw(_ID.filter(lambda i: i not in taken))
        taken.add(item_id)
        items.append(draw(_item(item_id, dimension_ids[0], "transfo", role_codes, text)))
    if draw(st.booleans()):
        items.insert(
            draw(st.integers(0, len(items))),
            Item(
                id="ctx_comment",
                kind="text",
                label=draw(localized(text)),
                roles=role_codes[:1],
            ),
        )
    if draw(st.booleans()):
        items.append(
            Item(
                id="ctx_type",
                kind="single",
                scored=False,
                context="organisation_type",
                label=draw(localized(text)),
                roles=role_codes,
                options=[
                    Option(code=code, label=Localized(fr=code))
                    for code in ("OPH", "ESH", "COOP", "SEM")
                ],
            )
        )
    methodology = Methodology(
        version=draw(st.sampled_from(["1.0", "2", "2026.1"])),
        coverage_threshold=draw(st.sampled_from([0.65, 0.5, 1.0])),
        levels=levels,
        disclosure_minimum=draw(st.integers(1, 10)),
        missing_as_zero=draw(st.booleans()),
        levels_closed=draw(st.sampled_from(["lower", "upper"])),
    )
    questionnaire = Questionnaire(
        id=draw(st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True)),
        version=draw(st.sampled_from(["1", "2026.1", "v2"])),
        title=draw(localized(text)),
        description=draw(st.none() | localized(text)),
        methodology=methodology,
        roles=roles,
        dimensions=dimensions,
        items=items,
    )
    assert check_questionnaire(questionnaire, "drawn") == []
    return questionnaire
