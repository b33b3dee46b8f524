"""Results never stale (issue 16 item 6, SCO-05), records name categories from the rule table
(SCO-06), the records export's header (SCO-09) and numbers in runs.xlsx (REG-04)."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from greenbuild.api import services as api_services
from greenbuild.scoring import services
from greenbuild.scoring.checks import check_material_categories, unknown_material_values
from greenbuild.scoring.messages import figure
from greenbuild.scoring.models import MaterialLine, ScoreRun, WasteRecord
from greenbuild.scoring.selectors import current_runs
from greenbuild.testing.factories import make_project, move_to

pytestmark = pytest.mark.django_db

CONCRETE = {
    "name": "C30 预拌混凝土",
    "item_type": "预拌混凝土",
    "group": "main_structure_envelope",
    "quantity": Decimal(9000),
    "unit": "m3",
    "certified": True,
}


def waste(project, actor, tonnes: str, category: str = "construction_waste") -> WasteRecord:
    return services.record_waste(
        actor=actor,
        project=project,
        data={"recorded_on": dt.date(2022, 5, 1), "category": category, "tonnes": Decimal(tonnes)},
    )


@pytest.fixture
def pilot(personas):
    """Alice's candidate pilot (records and results are the same before confirmation)."""
    return move_to(
        make_project(personas["alice_owner"], name="记录项目"),
        "candidate",
        owner=personas["alice_owner"],
        district_official=personas["dan_district"],
        bureau=personas["bureau"],
    )


@pytest.fixture
def computed(pilot, alice_owner):
    """A pilot whose waste and green-material results were computed from its records."""
    waste(pilot, alice_owner, "500")
    services.save_material_line(actor=alice_owner, project=pilot, data=CONCRETE)
    services.run_project_engines(actor=alice_owner, project=pilot)
    return pilot


def latest_waste(project) -> ScoreRun:
    return ScoreRun.objects.filter(project=project, engine="waste").latest("at", "pk")


def test_a_record_added_on_the_page_recomputes_the_result_in_the_request(client, computed, alice_owner):
    before = latest_waste(computed).result["intensity_t_per_10k_m2"]
    client.force_login(alice_owner)
    response = client.post(
        reverse("scoring:records", args=[computed.pk]),
        {
            "kind": "waste",
            "waste-recorded_on": "2022-06-01",
            "waste-category": "construction_waste",
            "waste-tonnes": "5000",
        },
    )
    assert response.status_code == 302
    after = latest_waste(computed)
    assert after.result["intensity_t_per_10k_m2"] > before
    assert len(after.inputs["records"]) == 2  # the run names the records it was computed from
    page = client.get(reverse("scoring:scores", args=[computed.pk])).content.decode()
    assert 'id="results-outdated"' not in page
    assert str(after.result["intensity_t_per_10k_m2"]) in page


def test_edits_and_deletions_through_the_api_recompute_too(client, computed, alice_owner):
    _token, raw = api_services.create_token(actor=alice_owner, user=alice_owner, name="测试", scope="write")
    auth = {"HTTP_AUTHORIZATION": "Bearer " + raw}
    record = WasteRecord.objects.get(project=computed)
    response = client.patch(
        "/api/v1/waste-records/{}/".format(record.pk),
        data=json.dumps({"tonnes": "800"}),
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200, response.content
    assert latest_waste(computed).inputs["records"][0]["tonnes"] == "800.000"
    assert client.delete("/api/v1/waste-records/{}/".format(record.pk), **auth).status_code == 204
    # Nothing is left to compute the waste intensity from: the old figure no longer stands.
    assert "waste" not in current_runs(computed)
    assert "green-materials" in current_runs(computed)


def test_a_change_made_around_the_services_shows_as_outdated_and_the_pdf_recomputes_first(
    client, computed, alice_owner, personas
):
    old = latest_waste(computed).result["intensity_t_per_10k_m2"]
    WasteRecord.objects.filter(project=computed).update(tonnes=Decimal(4000))  # e.g. a shell correction
    client.force_login(personas["bureau"])  # may see the scores, not enter records
    with translation.override("zh-hans"):
        page = client.get(reverse("scoring:scores", args=[computed.pk])).content.decode()
    assert "数据已变更，待重新计算" in page
    assert "data-outdated" in page
    assert current_runs(computed)["waste"].outdated is True

    from greenbuild.reports.services import store_standards_summary

    with translation.override("zh-hans"):
        attachment = store_standards_summary(actor=personas["bureau"], project=computed)
    fresh = latest_waste(computed)
    assert fresh.result["intensity_t_per_10k_m2"] != old
    if shutil.which("pdftotext"):  # the PDF never shows the stale figure
        from greenbuild.reports.tests.test_pdf import pdf_text

        with attachment.file.open("rb") as handle:
            text = pdf_text(handle.read())
        assert "{} t/万㎡".format(figure(fresh.result["intensity_t_per_10k_m2"])) in text.replace("\n", " ")
        assert "{} t/万㎡".format(figure(old)) not in text
    assert fresh.inputs["records"][0]["tonnes"] == "4000.000"
    assert current_runs(computed)["waste"].outdated is False
    page = client.get(reverse("scoring:scores", args=[computed.pk])).content.decode()
    assert 'id="results-outdated"' not in page


def test_every_record_result_says_when_it_was_computed_and_from_how_many_records(client, computed, alice_owner):
    client.force_login(alice_owner)
    with translation.override("zh-hans"):
        page = client.get(reverse("scoring:scores", args=[computed.pk])).content.decode()
    assert page.count("data-computed-at") == 2  # waste and green materials (no carbon factor given)
    assert "依据 1 条记录" in page


@pytest.mark.parametrize(
    "changes,field",
    [({"item_type": "幕墙玻璃XYZ"}, "item_type"), ({"unit": "平方米"}, "unit"), ({"item_type": "涂料"}, "item_type")],
)
def test_a_category_or_unit_outside_the_rule_table_is_refused_on_the_page(client, pilot, alice_owner, changes, field):
    client.force_login(alice_owner)
    data = {"kind": "material", **{"material-" + k: str(v) for k, v in {**CONCRETE, **changes}.items()}}
    data["material-certified"] = "on"
    with translation.override("zh-hans"):
        response = client.post(reverse("scoring:records", args=[pilot.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-field="{}"'.format(field) in html
    assert "附录A" in html or "单位" in html or "类别" in html
    assert not MaterialLine.objects.exists()
    assert 'value="C30 预拌混凝土"' in html  # the refused form keeps what was typed


def test_a_category_outside_the_rule_table_is_refused_by_the_api_in_the_users_language(client, pilot, alice_owner):
    _token, raw = api_services.create_token(actor=alice_owner, user=alice_owner, name="测试", scope="write")
    body = {**{k: str(v) for k, v in CONCRETE.items()}, "project": pilot.pk, "item_type": "幕墙玻璃XYZ"}
    response = client.post(
        "/api/v1/material-lines/",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer " + raw,
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert "幕墙玻璃XYZ" in json.dumps(response.json()["errors"]["item_type"], ensure_ascii=False)
    body.update(item_type="预拌混凝土", unit="平方米")
    response = client.post(
        "/api/v1/material-lines/",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer " + raw,
    )
    assert response.status_code == 400 and "unit" in response.json()["errors"]
    assert not MaterialLine.objects.exists()


def test_the_service_refuses_free_text_whatever_the_path(pilot, alice_owner):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.save_material_line(actor=alice_owner, project=pilot, data={**CONCRETE, "item_type": ""})
    assert "item_type" in refused.value.message_dict


def test_old_free_text_rows_are_mapped_and_the_rest_reported_by_the_system_check(pilot, alice_owner):
    import importlib

    migration = importlib.import_module("greenbuild.scoring.migrations.0004_material_categories_from_the_rule_table")
    line = services.save_material_line(actor=alice_owner, project=pilot, data=CONCRETE)
    MaterialLine.objects.filter(pk=line.pk).update(item_type="商品混凝土", unit="立方米")
    line.refresh_from_db()
    assert (migration._category(line), migration._unit(line)) == ("预拌混凝土", "m3")
    assert check_material_categories(None) != []
    assert unknown_material_values() == [(line.pk, pilot.pk, "商品混凝土", "立方米")]
    MaterialLine.objects.filter(pk=line.pk).update(item_type="预拌混凝土", unit="m3")
    assert check_material_categories(None) == []


def test_the_records_export_heads_the_waste_category_as_such(client, pilot, alice_owner):
    waste(pilot, alice_owner, "10")
    client.force_login(alice_owner)
    with translation.override("zh-hans"):
        response = client.get(reverse("reports:records-xlsx", args=[pilot.pk]))
    header = [c.value for c in load_workbook(io.BytesIO(response.content)).worksheets[0][1]]
    assert "废弃物类别" in header and "项目类别" not in header


def test_runs_xlsx_holds_the_figures_as_numbers_with_units_in_the_header(client, computed, alice_owner):
    client.force_login(alice_owner)
    with translation.override("zh-hans"):
        response = client.get(reverse("reports:score-runs-xlsx", args=[computed.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[0]
    column = next(i for i, h in enumerate(header) if "t/万㎡" in str(h) or "t/10,000" in str(h))
    values = [row[column] for row in rows[1:] if row[column] is not None]
    assert values and all(isinstance(v, int | float) for v in values)
    share = header.index("绿色建材应用比例（%）")
    assert [row[share] for row in rows[1:] if row[share] is not None] == [45]
    assert all(not str(cell).endswith(("%", "t/万㎡", "kgCO₂e/m²")) for row in rows[1:] for cell in row[5:10])


def test_whoever_sees_the_figures_can_have_them_recomputed_in_the_background(client, computed, personas):
    from greenbuild.jobs.choices import JobStatus
    from greenbuild.jobs.models import Job
    from greenbuild.jobs.services import run_job

    WasteRecord.objects.filter(project=computed).update(tonnes=Decimal(900))
    client.force_login(personas["bureau"])
    response = client.post(reverse("scoring:recompute-results", args=[computed.pk]))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:job-detail", args=[job.pk])
    with translation.override("zh-hans"):
        page = client.get(reverse("scoring:scores", args=[computed.pk])).content.decode()
    assert "数据已变更，正在重新计算" in page
    assert run_job(job.pk).status == JobStatus.SUCCEEDED
    assert current_runs(computed)["waste"].outdated is False
    assert latest_waste(computed).actor == personas["bureau"]
    client.force_login(personas["dave_outsider"])
    assert client.post(reverse("scoring:recompute-results", args=[computed.pk])).status_code == 404


def test_a_material_line_posted_back_as_its_form_shows_it_changes_nothing(client, computed, alice_owner):
    from greenbuild.scoring.forms import MaterialLineForm
    from greenbuild.testing.forms import as_post

    line = MaterialLine.objects.get(project=computed)
    form = MaterialLineForm(instance=line, prefix="material")
    data = as_post({form[name].html_name: form[name].value() for name in form.fields})
    stored = MaterialLine.objects.values().get(pk=line.pk)
    runs = ScoreRun.objects.count()
    client.force_login(alice_owner)
    response = client.post(reverse("scoring:record-edit", args=[computed.pk, "material", line.pk]), data)
    assert response.status_code == 302
    after = MaterialLine.objects.values().get(pk=line.pk)
    assert {k: v for k, v in after.items() if k != "updated_at"} == {
        k: v for k, v in stored.items() if k != "updated_at"
    }
    assert ScoreRun.objects.count() == runs  # nothing changed, so nothing is recomputed
