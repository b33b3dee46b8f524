"""Documents out: one way to turn a template into a PDF (WeasyPrint, A4, Noto CJK).

A report template extends ``reports/pdf/base.html``, which sets the page (A4, margins), a running
header with the report's title, and the footer "第 N 页 共 M 页" / "Page N of M" from CSS page
counters. Fonts come from the system (``fonts-noto-cjk``); nothing is fetched from the network.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext

from greenbuild.reports.charts import CJK_FONTS


def page_counter_css() -> str:
    """The CSS ``content`` value of the page footer in the active language.

    The translated sentence keeps ``{page}`` and ``{pages}`` where the counters go, so the order
    of words follows each language.
    """
    sentence = gettext("Page {page} of {pages}")
    parts: list[str] = []
    rest = sentence
    while rest:
        positions = [(rest.find(token), token) for token in ("{page}", "{pages}") if token in rest]
        if not positions:
            parts.append(_css_string(rest))
            break
        index, token = min(positions)
        if index:
            parts.append(_css_string(rest[:index]))
        parts.append("counter(page)" if token == "{page}" else "counter(pages)")  # noqa: S105 (a placeholder)
        rest = rest[index + len(token) :]
    return " ".join(parts)


def _css_string(text: str) -> str:
    return '"{}"'.format(text.replace("\\", "\\\\").replace('"', '\\"'))


def render_pdf(template_name: str, context: dict[str, Any], *, title: str) -> bytes:
    """Render ``template_name`` with ``context`` and lay it out as an A4 PDF."""
    from weasyprint import HTML

    language = get_language() or settings.LANGUAGE_CODE
    html = render_to_string(
        template_name,
        {
            **context,
            "report_title": title,
            "page_counter_css": page_counter_css(),
            "font_stack": ", ".join('"{}"'.format(f) for f in CJK_FONTS),
            "html_lang": "zh-CN" if language.startswith("zh") else language,
        },
    )
    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf() or b""
