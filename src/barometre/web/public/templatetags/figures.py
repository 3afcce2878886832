"""Showing an estimate: a value with its interval, or the reason it is suppressed."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from barometre.contracts.change import Difference
from barometre.contracts.estimates import Figure

register = template.Library()


@register.simple_tag
def estimate(figure: Figure | Difference | None, minimum: int, percent: bool = False):
    """`minimum`: the methodology's disclosure minimum, named when a figure is suppressed.

    A figure suppressed to protect another one (complementary suppression) says so: it rests
    on enough organisations, but publishing it would give a hidden one by subtraction."""
    if (
        figure is None
        or figure.suppressed
        or figure.value is None
        or figure.ci_low is None
        or figure.ci_high is None
    ):
        if getattr(figure, "suppression", None) == "complementary":
            return format_html(
                '<span class="suppressed" title="{}">{}</span>',
                _(
                    "hidden to protect another figure: by subtraction it would give a figure "
                    "about fewer than %(minimum)s organisations"
                )
                % {"minimum": minimum},
                _("hidden"),
            )
        return format_html(
            '<span class="suppressed" title="{}">{}</span>',
            _("fewer than %(minimum)s organisations: not published") % {"minimum": minimum},
            _("n < %(minimum)s") % {"minimum": minimum},
        )
    scale = 100 if percent else 1
    unit = " %" if percent else ""
    # number_format cuts decimals: round first, so that 47.695 reads 47.7, not 47.6.
    return format_html(
        "<strong>{}{}</strong> <small>[{} ; {}]</small>",
        number_format(round(figure.value * scale, 1), 1),
        unit,
        number_format(round(figure.ci_low * scale, 1), 1),
        number_format(round(figure.ci_high * scale, 1), 1),
    )
