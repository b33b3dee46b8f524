"""R7–R14 in the API (issue 18 item 5, API-07): ``GET /api/v1/projects/{id}/checks/`` answers the
verdicts of the standards page (标准核查) — the same functions, the same gate, the same result of
record with R7's pending claims labelled as provisional."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from greenbuild.projects.models import Project
from greenbuild.scoring.permissions import can
from greenbuild.testing.demo import load_demo
from greenbuild.testing.factories import building_data, make_project

pytestmark = pytest.mark.django_db

VERDICT_WORDS = {"满足": "pass", "不满足": "fail", "尚无数据": "unknown"}


class _Rows(HTMLParser):
    """The cells' text of every ``<tr data-requirement>`` of the table with ``table_id``'s
    enclosing element (the R7–R14 card, the side-by-side table)."""

    def __init__(self, container_id: str) -> None:
        super().__init__()
        self.container_id = container_id
        self.depth = 0  # >0 inside the container
        self.rows: dict[str, list[str]] = {}
        self.row: str | None = None
        self.cell: list[str] | None = None
        self.skip = 0  # inside the pending R7 note

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.depth:
            self.depth += tag not in ("br", "img", "input")
        elif attributes.get("id") == self.container_id:
            self.depth = 1
            return
        if not self.depth:
            return
        if tag == "tr" and "data-requirement" in attributes:
            self.row = attributes["data-requirement"]
            self.rows[self.row] = []
        elif tag == "td" and self.row:
            self.cell = []
        elif "data-pending-r7" in attributes:
            self.skip = self.depth

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if self.skip and self.depth == self.skip:
            self.skip = 0
        if tag == "td" and self.row and self.cell is not None:
            self.rows[self.row].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr":
            self.row = None
        self.depth -= 1

    def handle_data(self, data):
        if self.cell is not None and not self.skip:
            self.cell.append(data)


def _page_rows(html: str, container_id: str) -> dict[str, list[str]]:
    parser = _Rows(container_id)
    parser.feed(html)
    return parser.rows


def test_the_api_answers_the_standards_pages_verdicts_for_every_demo_project(client):
    load_demo()
    users = get_user_model().objects.filter(username__in=("bureau", "owner", "district_tianning"))
    compared = 0
    for user in users:
        client.force_login(user)
        for project in Project.objects.order_by("pk"):
            if not can(user, "view", project):
                assert client.get("/api/v1/projects/{}/checks/".format(project.pk)).status_code == 404
                continue
            page = client.get("/projects/{}/scores/".format(project.pk))
            assert page.status_code == 200
            html = page.content.decode()
            api = client.get("/api/v1/projects/{}/checks/".format(project.pk), HTTP_ACCEPT_LANGUAGE="zh-hans")
            assert api.status_code == 200, api.content
            answer = api.json()
            checks = _page_rows(html, "pilot-checks")
            assert [row["code"] for row in answer["requirements"]] == list(checks)
            sides = _page_rows(html, "baseline-checks")
            assert (answer["baseline_version"] is not None) == bool(sides)
            for row in answer["requirements"]:
                code, title, badge, reason = checks[row["code"]]
                assert row["title"] == title
                assert row["verdict_label"] == badge
                assert reason.startswith(" ".join(row["reason"].split()))
                pending = "data-pending-r7" in html.split('data-requirement="R7"')[1].split("</tr>")[0]
                assert (row["provisional"] is not None) == (row["code"] == "R7" and pending)
                if sides:
                    _requirement, declared, baseline, achieved = sides[row["code"]]
                    assert row["declared"] == declared and row["baseline"] == baseline
                    assert achieved.startswith(row["achieved_label"])
                compared += 1
        client.logout()
    assert compared >= 8 * 3
    # and every demo score run's result answers to its schema component (ScoreRunResult)
    from greenbuild.scoring.models import ScoreRun
    from greenbuild.scoring.tests.test_result_schema import result_errors

    runs = list(ScoreRun.objects.all())
    assert {run.engine for run in runs} >= {"gbt50378", "gbt51129"}
    assert [(run.pk, result_errors(run.result)) for run in runs if result_errors(run.result)] == []


def test_only_the_readers_of_a_projects_scores_get_its_checks(client, personas, pilot):
    path = "/api/v1/projects/{}/checks/".format(pilot.pk)
    for name in ("alice_owner", "bureau", "dan_district", "ted_evaluator"):
        client.force_login(personas[name])
        answer = client.get(path)
        assert answer.status_code == 200, (name, answer.content)
        assert [row["code"] for row in answer.json()["requirements"]] == ["R{}".format(n) for n in range(7, 15)]
    for name in ("dave_outsider", "olivia_other_owner", "wu_district", "eve_expert"):
        client.force_login(personas[name])
        assert client.get(path).status_code == 404, name
    client.logout()
    assert client.get(path).status_code in (401, 404)
    client.force_login(personas["bureau"])
    assert client.get("/api/v1/projects/99999999/checks/").status_code == 404
    assert client.get("/api/v1/projects/x/checks/").status_code == 404


def test_the_checks_speak_the_request_language_with_stable_codes(client, personas, pilot):
    client.force_login(personas["alice_owner"])
    path = "/api/v1/projects/{}/checks/".format(pilot.pk)
    zh = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans").json()["requirements"]
    en = client.get(path, HTTP_ACCEPT_LANGUAGE="en").json()["requirements"]
    assert [r["verdict"] for r in zh] == [r["verdict"] for r in en]
    assert [r["reason_code"] for r in zh] == [r["reason_code"] for r in en]
    assert all(r["reason_code"] and r["reason_code"].startswith("pilot.") for r in zh)
    assert zh[0]["title"] != en[0]["title"]
    assert {r["verdict_label"] for r in zh} <= set(VERDICT_WORDS)


def test_the_checks_cost_the_same_queries_whatever_the_number_of_buildings(client, personas):
    from greenbuild.projects import services as project_services

    owner = personas["alice_owner"]
    small, large = make_project(owner, name="一栋楼"), make_project(owner, name="四栋楼")
    for n in range(3):
        project_services.save_building(
            actor=owner, project_id=large.pk, data=building_data("{}#楼".format(n + 2), area="100")
        )
    client.force_login(owner)
    client.get("/api/v1/projects/{}/checks/".format(small.pk))
    counts = []
    for project in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/projects/{}/checks/".format(project.pk)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
