"""Showing an estimate: a value with its interval, or the reason it is suppressed."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def estimate(figure: dict, percent: bool = False):
    if figure is None or figure.get("suppressed") or figure.get("value") is None:
        return format_html(
            '<span class="suppressed" title="{}">{}</span>',
            _("fewer than 5 organisations: not published"),
            _("n < 5"),
        )
    scale = 100 if percent else 1
    unit = " %" if percent else ""
    return format_html(
        "<strong>{}{}</strong> <small>[{} ; {}]</small>",
        number_format(figure["value"] * scale, 1),
        unit,
        number_format(figure["ci_low"] * scale, 1),
        number_format(figure["ci_high"] * scale, 1),
    )
