"""The languages a questionnaire declares, and the rules its texts follow
(docs/questionnaire-format.md, "Languages").

A questionnaire's `languages` lists the languages of its texts, the first its default; without
the key, French is the default and English optional (`DEFAULT_LANGUAGES`). Every text of the
file has the default language, and none is in a language the questionnaire does not declare.
The texts the product supplies (the default levels and status ladder, yes / no) have every
language of the product and are not the file's: they are not checked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import BaseModel

from barometre.errors import Code, Problem, problem
from barometre.questionnaire.models import Item, Localized, Questionnaire


def file_texts(value: Any, path: str) -> Iterator[tuple[str, Localized]]:
    """Every text of `value` (a model, a list, a mapping) with its path (`label`,
    `options.2.label`), leaving out the fields equal to their default (the product's texts:
    the default levels and status ladder, written out or not)."""
    if isinstance(value, Localized):
        yield path, value
    elif isinstance(value, BaseModel):
        for name, field in type(value).model_fields.items():
            part = getattr(value, name)
            if part != field.get_default(call_default_factory=True):
                yield from file_texts(part, _joined(path, name))
    elif isinstance(value, list | tuple):
        for index, part in enumerate(value):
            yield from file_texts(part, _joined(path, str(index)))
    elif isinstance(value, dict):
        for key, part in value.items():
            yield from file_texts(part, _joined(path, str(key)))


def _joined(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def check_languages(q: Questionnaire, source: str, at: Callable[[Item], str]) -> Iterator[Problem]:
    """The problems of the questionnaire's languages and of its texts' languages."""
    for language, count in Counter(q.languages or ()).items():
        if count > 1:
            yield problem(source, Code.DUPLICATE_LANGUAGE, language=language)
    for name, field in type(q).model_fields.items():
        value = getattr(q, name)
        if name != "items" and value != field.get_default(call_default_factory=True):
            yield from _check_texts(q, file_texts(value, name), source)
    for index, item in enumerate(q.items):
        yield from _check_texts(q, file_texts(item, f"items.{index}"), at(item))


def _check_texts(
    q: Questionnaire, texts: Iterator[tuple[str, Localized]], where: str
) -> Iterator[Problem]:
    declared = q.declared_languages
    listed = ", ".join(declared)
    default = q.default_language
    for path, text in texts:
        if not getattr(text, default):
            yield problem(
                where,
                Code.TEXT_WITHOUT_DEFAULT_LANGUAGE,
                field=f"{path}.{default}",
                language=default,
                languages=listed,
            )
        for language in text.languages:
            if language not in declared:
                yield problem(
                    where,
                    Code.TEXT_IN_UNDECLARED_LANGUAGE,
                    field=f"{path}.{language}",
                    language=language,
                    languages=listed,
                )


class ShownText(str):
    """A questionnaire's text as shown to a reader; `lang` is its language when it is not the
    reader's, else "". A questionnaire without the reader's language shows its default
    language's text, and the web page or the report marks it (`lang="en"`), so that a screen
    reader pronounces it right."""

    lang: str = ""


def shown(text: Localized | None, language: str, default: str | None = None) -> ShownText:
    """`text` in `language`, else in `default` (the questionnaire's default language), with
    the language it is in when that is not `language`; "" for no text."""
    if text is None:
        return ShownText("")
    found = ShownText(text.get(language, default))
    language_shown = text.language_of(language, default)
    if language_shown != language:
        found.lang = language_shown
    return found
