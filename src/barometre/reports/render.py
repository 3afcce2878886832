"""HTML for the browser and PDF for print (WeasyPrint), from the reports' content."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import markdown as markdown_lib
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from barometre.files import write_atomic
from barometre.i18n import Language
from barometre.reports.texts import texts

TEMPLATES = Path(__file__).parent / "templates"


def _number(value: Any, language: Language = "fr", decimals: int = 1) -> str:
    if value is None:
        return "—"
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if language == "fr" else text


def _markdown(text: str) -> Markup:
    return Markup(markdown_lib.markdown(text, output_format="html"))


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("barometre.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["number"] = _number
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
    return write_atomic(target, lambda tmp: document.write_pdf(str(tmp)))


def organisation_html(report) -> str:
    return render_html("organisation.html", report)


def sector_html(report) -> str:
    return render_html("sector.html", report)


def pdf_bytes(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=str(TEMPLATES)).write_pdf()
