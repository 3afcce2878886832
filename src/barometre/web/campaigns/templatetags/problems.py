"""Showing a problem of an input file in the reader's language."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def localized(problem) -> str:
    return problem.localized(gettext)
