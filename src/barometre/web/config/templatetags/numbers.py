"""Numbers in the pages, through the one formatter (`barometre.formatting`) in the page's
language: `{{ x|number }}`, `{{ x|number:0 }}`, `{{ share|share }}`, `{{ n|count }}`,
`{{ change|signed }}`, `{% interval low high %}`, `{% label "Global index" %}` (a translated
text followed by the language's colon)."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from barometre import formatting
from barometre.i18n import Language, language_of

register = template.Library()


def page_language() -> Language:
    return language_of(get_language())


@register.filter
def number(value, places: int = 1) -> str:
    return formatting.number(value, int(places), language=page_language())


@register.filter
def share(value, places: int = 1) -> str:
    return formatting.share(value, int(places), language=page_language())


@register.filter
def percent(value, places: int = 1) -> str:
    return formatting.percent(value, int(places), language=page_language())


@register.filter
def signed(value, places: int = 1) -> str:
    return formatting.signed(value, int(places), language=page_language())


@register.filter
def count(value) -> str:
    return formatting.count(value, language=page_language())


@register.simple_tag
def interval(low, high, places: int = 1) -> str:
    return formatting.interval(low, high, int(places), language=page_language())


@register.filter
def colon(text: str) -> str:
    """`{% translate "Global index" as t %}{{ t|colon }}`: the text and the language's colon."""
    return formatting.label(str(text), language=page_language())
