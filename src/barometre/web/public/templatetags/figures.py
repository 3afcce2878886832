"""Showing an estimate: a value with its interval, or the reason it is suppressed."""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from barometre import formatting
from barometre.contracts.change import Difference
from barometre.contracts.estimates import Figure
from barometre.i18n import language_of
from barometre.publication import hidden_reason

register = template.Library()


@register.simple_tag
def estimate(figure: Figure | Difference | None, minimum: int, percent: bool = False):
    """`minimum`: the methodology's disclosure minimum, named when a figure is suppressed.
    What is shown and why the rest is hidden is `barometre.publication`'s rule, the one the
    open-data package follows too.

    A figure suppressed to protect another one (complementary suppression) says so: it rests
    on enough organisations, but publishing it would give a hidden one by subtraction."""
    reason = hidden_reason(figure)
    if reason is not None:
        if reason == "complementary":
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
    # shown: published(figure) holds (said again for the type checker)
    assert figure is not None and figure.value is not None
    assert figure.ci_low is not None and figure.ci_high is not None
    language = language_of(get_language())
    scale = 100 if percent else 1

    def scaled(value: float):
        # on the decimal value: 0.5785 is 57.85 % (57.9), where 0.5785 * 100 is 57.849999…
        return formatting.exact(value) * scale

    if percent:
        shown = formatting.share(figure.value, 1, language=language)
    elif isinstance(figure, Difference):  # a change reads with its sign: +2,4 is a rise
        shown = formatting.signed(figure.value, 1, language=language)
    else:
        shown = formatting.number(figure.value, 1, language=language)
    return format_html(
        '<strong>{}</strong> <small class="interval">{}</small>',
        shown,
        formatting.interval(scaled(figure.ci_low), scaled(figure.ci_high), 1, language=language),
    )
