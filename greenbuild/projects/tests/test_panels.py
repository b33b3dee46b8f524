"""Other apps add panels to the project page through ``greenbuild.projects.panels`` (issue 11
item 9): the project views import none of them, each panel's own gate decides whether it shows, and
the page's query count does not grow with the project."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from greenbuild.projects.panels import register_panel, registered_panels, unregister_panel
from greenbuild.testing.factories import scored_candidate

VIEWS = Path(__file__).resolve().parents[1] / "views.py"


make_pilot = scored_candidate


def test_the_project_views_import_no_app_that_adds_a_panel():
    tree = ast.parse(VIEWS.read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not [name for name in imported if name.startswith("greenbuild.scoring")]


def test_the_standards_checks_card_is_a_registered_panel_in_the_side_column():
    standards = {panel.code: panel for panel in registered_panels()}["standards"]
    assert standards.column == "side"
    assert standards.template == "scoring/partials/project_panel.html"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona,shown",
    [
        ("alice_owner", True),  # the owner reads the project's scores
        ("bureau", True),
        ("dan_district", True),
        ("ted_evaluator", True),
        ("carl_contractor", True),  # on the project
        ("dept_reviewer", True),  # the departments see candidates and pilots
        ("eve_expert", False),
    ],
)
def test_the_standards_checks_card_shows_only_to_whoever_may_see_the_scores(client, personas, persona, shown):
    pilot = make_pilot(personas)
    client.force_login(personas[persona])
    with translation.override("zh-hans"):
        html = client.get(reverse("projects:project-detail", args=[pilot.pk])).content.decode()
    assert ('id="standards-summary"' in html) is shown
    # The requirement as the card prints it, not any "R7" (a CSRF token or nonce may hold one).
    assert ('<span class="fw-semibold">R7</span>' in html) is shown


@pytest.mark.django_db
def test_panels_render_in_order_and_a_panel_whose_gate_says_none_is_left_out(client, personas, tmp_path, settings):
    (tmp_path / "first.html").write_text('<p id="panel-first">{{ word }} {{ project.name }}</p>', encoding="utf-8")
    (tmp_path / "second.html").write_text('<p id="panel-second">{{ word }}</p>', encoding="utf-8")
    (tmp_path / "hidden.html").write_text('<p id="panel-hidden"></p>', encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    pilot = make_pilot(personas)
    register_panel("test-second", order=20, template="second.html", context=lambda request, project: {"word": "乙"})
    register_panel("test-first", order=10, template="first.html", context=lambda request, project: {"word": "甲"})
    register_panel("test-hidden", order=15, template="hidden.html", context=lambda request, project: None)
    try:
        client.force_login(personas["alice_owner"])
        html = client.get(reverse("projects:project-detail", args=[pilot.pk])).content.decode()
    finally:
        for code in ("test-first", "test-second", "test-hidden"):
            unregister_panel(code)
    assert '<p id="panel-first">甲 评分项目</p>' in html
    assert html.index('id="panel-first"') < html.index('id="panel-second"')
    assert 'id="panel-hidden"' not in html


def test_a_panel_has_a_known_column():
    with pytest.raises(ValueError):
        register_panel("test-bad", order=1, template="x.html", context=lambda r, p: {}, column="footer")  # type: ignore[arg-type]
    assert "test-bad" not in {panel.code for panel in registered_panels()}


def _queries(client, pilot) -> int:
    url = reverse("projects:project-detail", args=[pilot.pk])
    client.get(url)  # warm the per-process caches (content types, reference data)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["alice_owner", "bureau", "carl_contractor"])
def test_the_project_page_makes_as_many_queries_for_a_large_project_as_for_a_small_one(client, personas, persona):
    small = make_pilot(personas, name="小项目")
    large = make_pilot(personas, name="大项目", buildings=6, designers=4)
    client.force_login(personas[persona])
    assert _queries(client, small) == _queries(client, large)
