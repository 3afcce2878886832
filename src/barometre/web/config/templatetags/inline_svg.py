"""Inline SVG charts under the Content-Security-Policy: `{% inline_svg chart %}`.

The charts (`reports/charts.py`, matplotlib) are trusted markup made by the server; each holds
a `<style>` element, which the policy lets through only with the response's nonce.
"""

from django import template
from django.utils.safestring import SafeString, mark_safe

from barometre.web.config.csp import with_style_nonce

register = template.Library()


@register.simple_tag(takes_context=True)
def inline_svg(context, svg: str) -> SafeString:
    """The chart, its `<style>` elements carrying the request's CSP nonce."""
    return mark_safe(with_style_nonce(svg, context.get("request")))  # the server's own markup
