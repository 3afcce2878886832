"""HTML for the browser and PDF for print (WeasyPrint), from the reports' content."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import markdown as markdown_lib
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from barometre import formatting
from barometre.files import write_atomic
from barometre.i18n import Language
from barometre.reports.texts import texts

TEMPLATES = Path(__file__).parent / "templates"
#: Tagged PDF for screen readers (PDF/UA-1): structure tree, document language and title.
PDF_VARIANT = "pdf/ua-1"


# The templates' number filters: every figure goes through `barometre.formatting`, with the
# language first as the templates always wrote it (`value|number(language, 2)`).
def _number(value: Any, language: Language = "fr", places: int = 1) -> str:
    return formatting.number(value, places, language=language)


def _share(value: Any, language: Language = "fr", places: int = 1) -> str:
    return formatting.share(value, places, language=language)


def _percent(value: Any, language: Language = "fr", places: int = 1) -> str:
    return formatting.percent(value, places, language=language)


def _signed(value: Any, language: Language = "fr", places: int = 1) -> str:
    return formatting.signed(value, places, language=language)


def _interval(low: Any, high: Any, language: Language = "fr", places: int = 1) -> str:
    """`low|interval(high, language)`: "[47,3 ; 52,9]"."""
    return formatting.interval(low, high, places, language=language)


def _share_interval(low: Any, high: Any, language: Language = "fr", places: int = 1) -> str:
    """`low|share_interval(high, language)`: the interval of a share (fractions), in percent."""
    if low is None or high is None:
        return formatting.MISSING
    scaled = (formatting.exact(low) * 100, formatting.exact(high) * 100)
    return formatting.interval(*scaled, places, language=language)


def _lang(text: Any) -> Markup:
    """`<td{{ r.label|lang }}>`: ` lang="en"` for a questionnaire's text shown in another
    language than the report's (`questionnaire.languages.ShownText`), else nothing."""
    lang = getattr(text, "lang", "")
    return Markup(' lang="{}"').format(lang) if lang else Markup("")


def _label(text: str, language: Language = "fr") -> str:
    """`"Global index"|label(language)`: the label with the language's colon."""
    return formatting.label(text, language=language)


def _markdown(text: str) -> Markup:
    return Markup(markdown_lib.markdown(text, output_format="html"))


@functools.cache  # one per process: its templates are compiled once, not for every report
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("barometre.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["number"] = _number
    env.filters["share"] = _share
    env.filters["percent"] = _percent
    env.filters["signed"] = _signed
    env.filters["interval"] = _interval
    env.filters["share_interval"] = _share_interval
    env.filters["label"] = _label
    env.filters["lang"] = _lang
    env.filters["markdown"] = _markdown
    env.globals["titles_of"] = _titles_of
    return env


def _titles_of(sheet_ids, plan, language: Language = "fr") -> list[str]:
    """Titles of the sheets of the plan among `sheet_ids` (prerequisites already in place are
    not named)."""
    titles = {r.sheet.id: r.sheet.title.get(language) for r in plan.roadmap}
    return [titles[i] for i in sheet_ids if i in titles]


def render_html(template: str, report: Any, **extra: Any) -> str:
    language = getattr(report, "language", "fr")
    css = Markup((TEMPLATES / "report.css").read_text(encoding="utf-8"))
    template_ = environment().get_template(template)
    return template_.render(report=report, t=texts(language), language=language, css=css, **extra)


def write_pdf(html: str, target: str | Path) -> Path:
    """Render the HTML to a PDF, written under a temporary name and then renamed."""
    from weasyprint import HTML  # imported here: it needs Pango, only reports use it

    document = HTML(string=html, base_url=str(TEMPLATES))
    return write_atomic(target, lambda tmp: document.write_pdf(str(tmp), pdf_variant=PDF_VARIANT))


def organisation_html(report) -> str:
    return render_html("organisation.html", report)


def sector_html(report) -> str:
    return render_html("sector.html", report)


def pdf_bytes(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=str(TEMPLATES)).write_pdf(pdf_variant=PDF_VARIANT)
