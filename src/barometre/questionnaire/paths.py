"""Path items: a sequence of questions where some answers end the sequence.

A `path` item has `steps`; each option of a step either leads on to a later step (`next`) or
ends the path (`score`, what the item is worth when the path ends there). The item is answered
with one answer: the codes chosen, step after step, joined with `|` (`yes|yes|no`). A path
that stops before an ending answer is incomplete: it is kept but counts as missing.

This module reads one path (`follow`), checks the structure of the steps (`path_problems`,
for `validation.py`) and builds a path from answers given step by step (`compose`, for the
web form without JavaScript and the importers of XLSForm and SurveyJS answers). The engine
scores paths column by column (`scoring/answers.py`), with the same rules.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from barometre.errors import Code, Problem, problem
from barometre.questionnaire.models import (
    DONT_KNOW,
    MULTI_SEPARATOR,
    NOT_APPLICABLE,
    Item,
    Localized,
    Option,
    PathOption,
    PathStep,
)

PATH_SEPARATOR = MULTI_SEPARATOR


def split_path(value: str) -> list[str]:
    """The codes of a path answer, in order, each stripped."""
    return [code.strip() for code in value.split(PATH_SEPARATOR)]


def step_index(item: Item) -> dict[str, int]:
    return {step.id: position for position, step in enumerate(item.steps)}


def next_position(item: Item, position: int, option: PathOption) -> int | None:
    """The position of the step `option` leads to, None when it ends the path."""
    if option.next is None:
        return None
    return step_index(item).get(option.next)


PathState = Literal["complete", "incomplete", "not_an_option", "after_end"]


@dataclass(frozen=True)
class PathOutcome:
    """What one path answer is: complete (with its score), incomplete, or wrong at `at`
    (the position of the code at fault in the answer) on step `step`."""

    state: PathState
    score: float | None = None
    at: int = -1
    step: str = ""
    code: str = ""
    steps: tuple[str, ...] = ()  # the steps the answer went through, in order


def follow(item: Item, codes: list[str]) -> PathOutcome:
    """Read one path answer (its codes) against the item's steps."""
    positions = step_index(item)
    position: int | None = 0
    score: float | None = None
    visited: list[str] = []
    for at, code in enumerate(codes):
        if position is None:
            return PathOutcome("after_end", at=at, step=visited[-1], code=codes[at - 1])
        step = item.steps[position]
        visited.append(step.id)
        option = next((o for o in step.options if o.code == code), None)
        if option is None:
            return PathOutcome("not_an_option", at=at, step=step.id, code=code)
        if option.next is None:
            position = None
            score = option.score
        else:
            position = positions.get(option.next)
    if position is None and codes:
        return PathOutcome("complete", score=score, steps=tuple(visited))
    return PathOutcome("incomplete", steps=tuple(visited))


def reached(item: Item, codes: list[str]) -> list[PathStep]:
    """The steps shown for a (possibly incomplete) path: those answered, and the next one."""
    positions = step_index(item)
    shown: list[PathStep] = []
    position: int | None = 0
    for code in codes:
        if position is None:
            break
        step = item.steps[position]
        shown.append(step)
        option = next((o for o in step.options if o.code == code), None)
        if option is None:
            return shown
        position = None if option.next is None else positions.get(option.next)
    if position is not None and item.steps:
        shown.append(item.steps[position])
    return shown


def compose(item: Item, chosen: Mapping[str, str]) -> str:
    """The path answer from answers given step by step (step id -> code): from the first step,
    each step's answer leads to the next one; answers of steps the path does not reach are
    dropped. An answer that is not an option of its step is kept, so that it is refused."""
    positions = step_index(item)
    codes: list[str] = []
    position: int | None = 0 if item.steps else None
    while position is not None:
        step = item.steps[position]
        code = chosen.get(step.id, "").strip()
        if not code:
            break
        codes.append(code)
        option = next((o for o in step.options if o.code == code), None)
        if option is None or option.next is None:
            break
        position = positions.get(option.next)
    return PATH_SEPARATOR.join(codes)


def is_special(value: str) -> bool:
    return value.strip() in (NOT_APPLICABLE, DONT_KNOW)


def ending_options(item: Item) -> list[Option]:
    """The answers that end the path, as options worth their score, labelled with their
    question: "Are they machine-readable? — No" (to tell an answer back from a score)."""

    def joined(step: PathStep, option: PathOption, language: str) -> str:
        return f"{step.label.get(language)} — {option.label.get(language)}"

    return [
        Option(
            code=option.code,
            label=Localized(fr=joined(step, option, "fr"), en=joined(step, option, "en")),
            score=option.score,
        )
        for step in item.steps
        for option in step.options
        if option.next is None
    ]


@dataclass(frozen=True)
class WholePath:
    """A complete path of an item: its answer (`yes|no`), the questions and answers it goes
    through in words, and its score."""

    answer: str
    label: Localized
    score: float | None


def whole_paths(item: Item) -> list[WholePath]:
    """Every complete path of a path item, depth first in the order of the options."""
    positions = step_index(item)
    found: list[WholePath] = []

    def walk(position: int, codes: list[str], said: list[tuple[PathStep, PathOption]]) -> None:
        step = item.steps[position]
        for option in step.options:
            route = [*said, (step, option)]
            if option.next is None or option.next not in positions:
                found.append(
                    WholePath(
                        answer=PATH_SEPARATOR.join([*codes, option.code]),
                        label=Localized(fr=_said(route, "fr"), en=_said(route, "en")),
                        score=option.score,
                    )
                )
            elif positions[option.next] > position:
                walk(positions[option.next], [*codes, option.code], route)

    if item.steps:
        walk(0, [], [])
    return found


def _said(route: list[tuple[PathStep, PathOption]], language: str) -> str:
    return "; ".join(f"{s.label.get(language)} {o.label.get(language)}" for s, o in route)


def normalised(value: str) -> str:
    """A path answer as written by `whole_paths`: its codes stripped."""
    return PATH_SEPARATOR.join(split_path(value))


# --- the structure of the steps (called by validation.py) -----------------------------------


def path_problems(item: Item, where: str) -> Iterator[Problem]:
    """Every problem of a path item's steps; for another kind, `steps` is refused."""
    if item.kind != "path":
        if item.steps:
            yield problem(where, Code.PATH_UNEXPECTED_STEPS, kind=item.kind)
        return
    if not item.steps:
        yield problem(where, Code.PATH_NO_STEPS)
        return
    ids = [step.id for step in item.steps]
    for dup in sorted(v for v, n in Counter(ids).items() if n > 1):
        yield problem(where, Code.PATH_DUPLICATE_STEP, step=dup)
    positions = {step.id: p for p, step in reversed(list(enumerate(item.steps)))}
    led_to: set[str] = set()
    last = len(item.steps) - 1
    for position, step in enumerate(item.steps):
        yield from _step_problems(item, step, position, last, positions, where)
        led_to.update(o.next for o in step.options if o.next is not None)
    for step in item.steps[1:]:
        if step.id not in led_to:
            yield problem(where, Code.PATH_UNREACHABLE_STEP, step=step.id)


def _step_problems(
    item: Item, step: PathStep, position: int, last: int, positions: dict[str, int], where: str
) -> Iterator[Problem]:
    if len(step.options) < 2:
        yield problem(where, Code.PATH_TOO_FEW_OPTIONS, step=step.id)
    codes = [o.code for o in step.options]
    for dup in sorted(v for v, n in Counter(codes).items() if n > 1):
        yield problem(where, Code.PATH_DUPLICATE_OPTION, step=step.id, option=dup)
    for code in sorted(set(codes) & {NOT_APPLICABLE, DONT_KNOW}):
        yield problem(where, Code.PATH_RESERVED_CODE, step=step.id, option=code)
    steps = ", ".join(positions)
    for option in step.options:
        if option.next is not None and option.score is not None:
            yield problem(where, Code.PATH_OPTION_BOTH, step=step.id, option=option.code)
        elif option.next is None and option.score is None:
            yield problem(where, Code.PATH_OPTION_NO_OUTCOME, step=step.id, option=option.code)
        elif option.next is not None and position == last:
            yield problem(where, Code.PATH_LAST_STEP_CONTINUES, step=step.id, option=option.code)
        elif option.next is not None and option.next not in positions:
            yield problem(
                where,
                Code.PATH_UNKNOWN_STEP,
                step=step.id,
                option=option.code,
                next=option.next,
                steps=steps,
            )
        elif option.next is not None and positions[option.next] <= position:
            yield problem(
                where, Code.PATH_BACKWARD_STEP, step=step.id, option=option.code, next=option.next
            )
