"""Accessibility fixes that hold for every page (issue 19 item 1; findings UI-02, UI-29): the
colours of site.css meet WCAG 2.1 AA contrast on the site background, every template's table
headers have a scope and every <nav> a translated name, and the base template gives each page its
language, a skip link to the main landmark and a named main menu. The browser sweep (axe-core)
checks the rendered pages; these tests keep the sources right without a browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

import greenbuild

ROOT = Path(greenbuild.__file__).parent
SITE_CSS = ROOT / "static" / "greenbuild" / "site.css"
TEMPLATES = sorted(p for p in ROOT.rglob("templates/**/*.html"))


def _luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio of two opaque colours (#rrggbb)."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def css_variables() -> dict[str, str]:
    return dict(re.findall(r"(--gb-[a-z-]+):\s*(#[0-9a-fA-F]{6})\s*;", SITE_CSS.read_text()))


def test_the_contrast_formula_gives_the_ratios_the_findings_measured():
    assert round(contrast("#0d6efd", "#f4f6f5"), 2) == 4.15  # UI-02: "4.14:1" (axe rounds down)
    assert round(contrast("#ffffff", "#20a39e"), 2) == 3.09  # the old teal badge
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0


@pytest.mark.parametrize(
    ("foreground", "background", "minimum"),
    [
        # Text on the page background, on white cards and on the green section rows (.table-success).
        *(
            (text, bg, 4.5)
            for text in ("--gb-link", "--gb-success", "--gb-danger", "--gb-secondary", "--gb-warning-text", "--gb-code")
            for bg in ("--gb-bg", "#ffffff", "#d1e7dd")
        ),
        ("--gb-link-hover", "--gb-bg", 4.5),
        # White text on the filled badges and buttons.
        *(
            ("#ffffff", fill, 4.5)
            for fill in ("--gb-primary", "--gb-success", "--gb-danger", "--gb-secondary", "--gb-teal")
        ),
        # The navbar: white text on the brand green.
        ("#ffffff", "--gb-green", 4.5),
        # Component boundaries and the focus outline (WCAG 1.4.11): 3:1.
        ("--gb-control-border", "#ffffff", 3.0),
        ("--gb-control-border", "--gb-bg", 3.0),
        ("--gb-focus", "--gb-bg", 3.0),
        ("--gb-focus", "#ffffff", 3.0),
        ("#ffffff", "--gb-green", 3.0),  # the focus outline inside the navbar is white
    ],
)
def test_the_site_colours_meet_wcag_aa_contrast(foreground, background, minimum):
    variables = css_variables()
    variables["--gb-green"] = re.search(r"--gb-green:\s*(#[0-9a-f]{6})", SITE_CSS.read_text()).group(1)
    fg, bg = variables.get(foreground, foreground), variables.get(background, background)
    assert contrast(fg, bg) >= minimum, f"{foreground} {fg} on {background} {bg}: {contrast(fg, bg):.2f}:1"


def test_the_bootstrap_colours_are_overridden_by_the_checked_ones():
    css = SITE_CSS.read_text()
    for variable in (
        "--bs-link-color",
        "--bs-code-color",
        "--bs-primary",
        "--bs-success",
        "--bs-danger",
        "--bs-secondary",
    ):
        assert re.search(rf"{variable}:\s*var\(--gb-", css), variable
    assert re.search(r"\.text-bg-teal\s*\{[^}]*var\(--gb-teal\)", css.split("Accessibility")[1])
    assert re.search(r":focus-visible\s*\{[^}]*outline:\s*3px solid var\(--gb-focus\)", css)


def test_every_table_header_in_the_templates_has_a_scope_and_a_name():
    missing, empty = [], []
    for path in TEMPLATES:
        text = path.read_text()
        for tag in re.findall(r"<th(?=[\s>])[^>]*>", text):
            if "scope=" not in tag:
                missing.append(f"{path.relative_to(ROOT)}: {tag}")
        empty += [str(path.relative_to(ROOT)) for _ in re.findall(r"<th[^>]*>\s*</th>", text)]
    assert not missing
    assert not empty  # an action column is named with a visually hidden "操作"


def test_every_nav_in_the_templates_has_a_translated_name():
    unnamed = []
    for path in TEMPLATES:
        for tag in re.findall(r"<nav(?=[\s>])[^>]*>", path.read_text()):
            if not re.search(r'aria-label(ledby)?="\{%', tag):
                unnamed.append(f"{path.relative_to(ROOT)}: {tag}")
    assert not unnamed


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "lang"), [("zh-hans", "zh-Hans"), ("en", "en")])
def test_every_page_has_its_language_a_skip_link_and_named_landmarks(client, bureau, language, lang):
    client.force_login(bureau)
    with translation.override(language):
        page = client.get(reverse("dashboards:overview")).content.decode()
        skip, menu = str(translation.gettext("Skip to main content")), str(translation.gettext("Main menu"))
    assert f'<html lang="{lang}">' in page
    assert re.search(r'<a class="gb-skip-link" href="#main">' + re.escape(skip) + "</a>", page)
    assert page.index("gb-skip-link") < page.index("<nav")  # the first thing a keyboard reaches
    assert re.search(r'<main [^>]*id="main"', page)
    assert f'<nav class="navbar navbar-expand-lg navbar-gb mb-4" aria-label="{menu}">' in page
    assert len(re.findall(r"<h1[\s>]", page)) == 1
    if language == "zh-hans":
        assert skip == "跳到主要内容" and menu == "主菜单"
