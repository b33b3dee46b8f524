"""Lists as Excel: the same rows as the page (filters and gate), formula injection escaped."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from greenbuild.reports.excel import Sheet, build_workbook, safe_cell
from greenbuild.scoring import services as scoring_services
from greenbuild.scoring.choices import Stage
from greenbuild.scoring.tests.conftest import HEADER, WORKED, claims_from, make_pilot
from greenbuild.testing.factories import make_project


def rows(response, sheet=0):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    workbook = load_workbook(io.BytesIO(response.content))
    ws = workbook.worksheets[sheet]
    return [[c.value for c in row] for row in ws.iter_rows()]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x","y")'])
def test_a_text_that_excel_would_run_as_a_formula_gets_a_quote_prefix(text):
    assert safe_cell(text) == "'" + text
    data = build_workbook([Sheet(title="t", headers=["h"], rows=[[text]])])
    cell = load_workbook(io.BytesIO(data)).active["A2"]
    assert cell.data_type == "s"
    assert cell.value.startswith("'") and cell.value[2:] == text[1:]  # XML keeps CR as LF


def test_ordinary_values_keep_their_type():
    assert safe_cell("常州") == "常州"
    assert safe_cell(Decimal("-1.5")) == Decimal("-1.5")  # a negative number is a number, not text
    assert safe_cell(3) == 3
    assert safe_cell(dt.date(2026, 12, 1)) == dt.date(2026, 12, 1)
    assert safe_cell(None) is None


def test_the_project_list_export_keeps_the_filters_and_the_gate(client, alice_owner, olivia_other_owner):
    make_project(alice_owner, "天宁花园")
    make_project(alice_owner, '=HYPERLINK("http://evil")')
    make_project(olivia_other_owner, "武进新城")
    client.force_login(alice_owner)
    url = reverse("reports:project-list-xlsx")
    table = rows(client.get(url, {"q": "花园"}))
    assert table[0][0] == "项目名称" or table[0][0]  # a header row in the user's language
    names = [r[0] for r in table[1:]]
    assert names == ["天宁花园"]
    assert table[1][3] == "草稿"  # after the programme and the first submission (REG-04)
    assert table[1][4] == "天宁区"
    assert "常州天宁置业有限公司" in table[1]
    everything = [r[0] for r in rows(client.get(url))[1:]]
    assert sorted(everything) == sorted(["天宁花园", '\'=HYPERLINK("http://evil")'])  # not olivia's draft
    english = rows(client.get("/en" + url, {"q": "花园"}))
    assert english[1][3] == "Draft"


def test_the_project_list_page_links_the_export_with_its_filters(client, alice_owner):
    client.force_login(alice_owner)
    page = client.get(reverse("projects:project-list"), {"q": "天宁", "status": "draft"}).content.decode()
    assert reverse("reports:project-list-xlsx") + "?q=%E5%A4%A9%E5%AE%81&amp;status=draft" in page


def test_the_project_list_export_runs_a_constant_number_of_queries(client, alice_owner, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(alice_owner)
    url = reverse("reports:project-list-xlsx")
    make_project(alice_owner, "项目一")
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(3):
        make_project(alice_owner, "项目{}".format(i + 2))
    with CaptureQueriesContext(connection) as four:
        assert len(rows(client.get(url))) == 5
    assert len(four) == len(one)


@pytest.fixture
def pilot(personas):
    return make_pilot(personas, name="评分导出项目")


def test_score_runs_and_records_export_for_insiders_only(client, pilot, alice_owner, olivia_other_owner):
    scoring_services.save_scorecard(
        actor=alice_owner, project=pilot, stage=Stage.EVALUATION, header=HEADER, claims=claims_from(WORKED)
    )
    scoring_services.record_waste(
        actor=alice_owner,
        project=pilot,
        data={
            "recorded_on": dt.date(2022, 5, 1),
            "category": "construction_waste",
            "tonnes": Decimal("500"),
            "note": "-2 车",
        },
    )
    client.force_login(alice_owner)
    runs = rows(client.get(reverse("reports:score-runs-xlsx", args=[pilot.pk])))
    assert len(runs) == 2
    assert any("GB/T 50378-2019" in str(cell) for cell in runs[1])
    assert "二星级 · 80.5" in runs[1]  # the headline as the standards page words it
    assert isinstance(runs[1][0], dt.datetime)
    waste = rows(client.get(reverse("reports:records-xlsx", args=[pilot.pk])))
    assert waste[1][0] == dt.datetime(2022, 5, 1)
    assert waste[1][2] == 500
    assert waste[1][4] == "'-2 车"
    scores_page = client.get(reverse("scoring:scores", args=[pilot.pk])).content.decode()
    assert reverse("reports:score-runs-xlsx", args=[pilot.pk]) in scores_page
    records_page = client.get(reverse("scoring:records", args=[pilot.pk])).content.decode()
    assert reverse("reports:records-xlsx", args=[pilot.pk]) in records_page

    client.force_login(olivia_other_owner)
    assert client.get(reverse("reports:score-runs-xlsx", args=[pilot.pk])).status_code == 404
    assert client.get(reverse("reports:records-xlsx", args=[pilot.pk])).status_code == 404
