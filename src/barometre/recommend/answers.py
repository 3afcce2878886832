"""What an organisation answered, told back from its consolidated item score.

For a sheet triggered by a score, the recommendation engine has the scores file, where an item
holds the organisation's consolidated score (`scoring/consolidate.py`: the mean of its
respondents' scores, or of the reference role's when someone of that role gave a figure), not
the answers themselves. (A sheet triggered by an answer gets the answers as well, in
`scoring.organisation_answers.OrganisationAnswers`: the options chosen are named as they are,
`option_labels`, and a status row is told from its consolidated score, `told_step`.) The
answer is told back through the item's own scoring, which maps answers to scores:

- a figure (percent, number): the goalposts map it linearly onto 0-100, so the score gives the
  figure back (the mean figure when several respondents answered within the goalposts); a score
  of 0 or 100 says only that the figure is at a goalpost or beyond it ("90 or more");
- one option (scale, single, yes/no): the option worth that score; when respondents differ, the
  two options their mean lies between;
- a status table: the step of the ladder its rows average to (or lie between);
- several options (multi): how many were ticked, or their weighted share of the list.
- a path item: the answer that ended the path, with its question ("Are they
  machine-readable? — No").

Every answer is given in both languages, numbers through `barometre.formatting`.
"""

from __future__ import annotations

from decimal import Decimal

from barometre import formatting
from barometre.errors import gettext_noop as _
from barometre.i18n import LANGUAGES, Language, translation
from barometre.questionnaire.fields import effective_options
from barometre.questionnaire.models import (
    CODED_KINDS,
    NUMERIC_KINDS,
    Item,
    Localized,
    Methodology,
    Option,
)
from barometre.questionnaire.paths import ending_options

#: Scores are written rounded to 10 decimals: closer than this, two scores are the same.
TOLERANCE = 1e-6
QUOTES: dict[Language, tuple[str, str]] = {
    "fr": ("«\u202f", "\u202f»"),
    "en": ("\u201c", "\u201d"),
}

OR_MORE = _("{figure} or more")
OR_LESS = _("{figure} or less")
BETWEEN = _("between {lower} and {upper}")
ON_AVERAGE = _("on average {answer}")
TICKED = _("{count} of {total} options ticked")
TICKED_ON_AVERAGE = _("on average {count} of {total} options ticked")
TICKED_SHARE = _("ticked options worth {share} of the list")


def told_answer(
    item: Item, score: float, methodology: Methodology, *, consolidated: bool = False
) -> Localized | None:
    """The answer that scores `score` on `item`, in French and English; None for an item whose
    answers cannot be told from a score (a figure without goalposts, a text).

    `consolidated`: the score is a mean of several respondents' scores. Each was clamped at the
    goalposts before the mean, so a mean score gives no figure anyone answered (200 and 50
    e-mails score 0 and 50: a mean of 25 reads 70 e-mails, the answers' mean is 125): a figure
    is then not told (None, the score is shown), and options are told as an average."""
    if consolidated and item.kind in NUMERIC_KINDS:
        return None
    told = {
        language: _told(item, score, methodology, language, consolidated) for language in LANGUAGES
    }
    french = told["fr"]
    if french is None:
        return None
    return Localized(fr=french, en=told["en"])


def _told(
    item: Item, score: float, methodology: Methodology, language: Language, consolidated: bool
) -> str | None:
    if item.kind in NUMERIC_KINDS:
        return _figure_answer(item, score, language) if item.goalposts is not None else None
    if item.kind == "multi":
        return _ticked(effective_options(item, methodology), score, language, consolidated)
    if item.kind == "path":  # the answer that ended the path, with its question
        answer = _option_answer(ending_options(item), score, language)
        return translation(language)(ON_AVERAGE).format(answer=answer) if consolidated else answer
    if item.kind in CODED_KINDS:
        answer = _option_answer(effective_options(item, methodology), score, language)
        # a status item's score is the weighted mean of its rows; a consolidated one, of people
        if item.kind == "status" or consolidated:
            return translation(language)(ON_AVERAGE).format(answer=answer)
        return answer
    return None


def _figure_answer(item: Item, score: float, language: Language) -> str:
    goalposts = item.goalposts
    assert goalposts is not None  # checked by the caller
    worst, best = goalposts.worst, goalposts.best
    figure = figure_text(item, worst + (best - worst) * score / 100.0, language)
    translate = translation(language)
    # At a goalpost the score is clamped: the figure may lie beyond it, unless the item's own
    # range ends there (a share cannot be below 0 %).
    if score <= TOLERANCE:
        beyond_higher = worst > best
        if _open_beyond(item, worst, beyond_higher):
            return translate(OR_MORE if beyond_higher else OR_LESS).format(figure=figure)
    elif score >= 100 - TOLERANCE:
        beyond_higher = best > worst
        if _open_beyond(item, best, beyond_higher):
            return translate(OR_MORE if beyond_higher else OR_LESS).format(figure=figure)
    return figure


def _open_beyond(item: Item, bound: float, higher: bool) -> bool:
    """Whether an answer may lie beyond `bound` (above it if `higher`, else below)."""
    if higher:
        limit = item.maximum if item.maximum is not None else _percent_limit(item, 100.0)
        return limit is None or limit > bound
    limit = item.minimum if item.minimum is not None else _percent_limit(item, 0.0)
    return limit is None or limit < bound


def _percent_limit(item: Item, limit: float) -> float | None:
    return limit if item.kind == "percent" else None


def figure_text(item: Item, value: float, language: Language) -> str:
    """A figure as the item asks it: "45 %" for a percent, "80 courriels par jour" for a number
    with a unit; whole figures without decimals, others with one or two."""
    places = _places(value)
    if item.kind == "percent":
        return formatting.percent(value, places, language=language)
    text = formatting.number(value, places, language=language)
    if item.unit is not None:
        return f"{text}{formatting.NBSP}{item.unit.get(language)}"
    return text


def _places(value: float) -> int:
    """The fewest decimals (at most two) that show `value` rounded to two decimals."""
    two = formatting.rounded(value, 2)
    for places in (0, 1):
        if formatting.rounded(two, places) == two:
            return places
    return 2


def _quoted(option: Option, language: Language) -> str:
    opening, closing = QUOTES[language]
    return f"{opening}{option.label.get(language)}{closing}"


def _option_answer(options: list[Option], score: float, language: Language) -> str:
    scored = sorted((o for o in options if o.score is not None), key=lambda o: o.score or 0.0)
    same = [o for o in scored if abs((o.score or 0.0) - score) <= TOLERANCE]
    if same:
        return " / ".join(_quoted(o, language) for o in same)
    lower = [o for o in scored if (o.score or 0.0) < score]
    upper = [o for o in scored if (o.score or 0.0) > score]
    if not lower or not upper:  # outside the options' scores: the nearest one
        return _quoted((lower or upper)[-1 if lower else 0], language)
    return translation(language)(BETWEEN).format(
        lower=_quoted(lower[-1], language), upper=_quoted(upper[0], language)
    )


def _ticked(options: list[Option], score: float, language: Language, consolidated: bool) -> str:
    translate = translation(language)
    listed = [o for o in options if not o.exclusive]
    # A tick always adds a positive weight: only an exclusive option ("none of these") gives 0.
    nothing = [o for o in options if o.exclusive and not o.score]
    if nothing and score <= TOLERANCE:
        return _quoted(nothing[0], language)
    weights = {o.weight or 1.0 for o in listed}
    # Weighted exclusive options (docs/questionnaire-format.md) hold part of the denominator:
    # chosen, one is worth 100 x weight x score / 100 / the total weight.
    weighted = [o for o in options if o.exclusive and o.weight]
    total_weight = sum(o.weight or 1.0 for o in listed) + sum(o.weight or 0.0 for o in weighted)
    for option in weighted if not consolidated else []:
        if abs(score - (option.weight or 0.0) * (option.score or 0.0) / total_weight) <= TOLERANCE:
            return _quoted(option, language)
    if len(weights) != 1:
        share = formatting.percent(score, 0, language=language)
        return translate(TICKED_SHARE).format(share=share)
    count = Decimal(repr(score)) * len(listed) / 100
    if weighted:  # the ticked options' weight over the total, in options of the list
        count = Decimal(repr(score)) * Decimal(repr(total_weight / weights.pop())) / 100
    total = formatting.count(len(listed), language=language)
    if not consolidated and abs(count - count.to_integral_value()) <= Decimal(str(TOLERANCE)):
        shown = formatting.count(int(count.to_integral_value()), language=language)
        return translate(TICKED).format(count=shown, total=total)
    shown = formatting.number(count, 1, language=language)
    return translate(TICKED_ON_AVERAGE).format(count=shown, total=total)


def told_step(options: list[Option], score: float, *, consolidated: bool = False) -> Localized:
    """The step of a ladder (a status row's options) that scores `score`, in both languages:
    its option, or the two it lies between; "on average" when `consolidated` from several
    respondents."""
    told = {}
    for language in LANGUAGES:
        answer = _option_answer(options, score, language)
        told[language] = (
            translation(language)(ON_AVERAGE).format(answer=answer) if consolidated else answer
        )
    return Localized(fr=told["fr"], en=told["en"])


def option_labels(options: list[Option]) -> Localized:
    """Options named in their quotes, in both languages, separated by " / "."""
    return Localized(
        fr=" / ".join(_quoted(o, "fr") for o in options),
        en=" / ".join(_quoted(o, "en") for o in options),
    )
