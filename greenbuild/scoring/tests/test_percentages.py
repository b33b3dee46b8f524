"""Issue 10 item 10: a percentage out of 0–100 gets a field error in Chinese on every form where a
percentage is entered, never a server error, and nothing is saved."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from greenbuild.projects.models import Building, Project
from greenbuild.scoring.engines import building_items
from greenbuild.scoring.models import BuildingAssessment, Scorecard, ScoreRun
from greenbuild.standards.gbt51129 import RATIO_ITEMS
from greenbuild.testing.forms import as_post, edit_form_data

pytestmark = pytest.mark.django_db

BAD = ["100.1", "1000", "-1"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def field_error(html: str, name: str) -> str:
    match = re.search(r'<div class="field-errors" data-field="{}">([^<]*)</div>'.format(re.escape(name)), html)
    assert match, "no field error on {}".format(name)
    return match.group(1)


def assert_chinese_field_error(response, name):
    assert response.status_code == 200, (name, response.status_code)
    text = field_error(response.content.decode(), name)
    assert CJK.search(text) and not re.search(r"[A-Za-z]{3,}", text), (name, text)


@pytest.fixture
def draft(filed_project):
    return filed_project("draft", name="百分比项目")


def scorecard_post():
    return {"building_type": "residential", "full_decoration": "on"}


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize(
    "field", ["envelope_improvement_pct", "load_reduction_pct", "pollutant_reduction_pct", "green_material_ratio_pct"]
)
def test_a_scorecard_percentage_out_of_range_is_a_chinese_field_error(client, draft, alice_owner, field, value):
    client.force_login(alice_owner)
    with translation.override("zh-hans"):
        url = reverse("scoring:scorecard-edit", args=[draft.pk, "pre_evaluation"])
    response = client.post(url, {**scorecard_post(), field: value})
    assert_chinese_field_error(response, field)
    assert not Scorecard.objects.exists() and not ScoreRun.objects.exists()


@pytest.mark.parametrize("value", BAD)
def test_every_assembly_ratio_out_of_range_is_a_chinese_field_error(client, draft, alice_owner, value):
    client.force_login(alice_owner)
    building = draft.buildings.get()
    url = reverse("scoring:building-assess", args=[draft.pk, building.pk])
    fields = [item["key"] + "_pct" for item in building_items() if item["key"] in RATIO_ITEMS]
    assert len(fields) >= 8
    response = client.post(url, {"structure": "concrete", **{name: value for name in fields}})
    for name in fields:
        assert_chinese_field_error(response, name)
    assert not BuildingAssessment.objects.exists() and not ScoreRun.objects.exists()


@pytest.mark.parametrize("value", BAD)
def test_the_declared_green_material_target_out_of_range_is_a_chinese_field_error(client, draft, alice_owner, value):
    client.force_login(alice_owner)
    before = Project.objects.get(pk=draft.pk).green_material_target_pct
    url = reverse("projects:project-edit", args=[draft.pk])
    response = client.post(url, edit_form_data(draft, green_material_target_pct=value))
    assert_chinese_field_error(response, "green_material_target_pct")
    assert Project.objects.get(pk=draft.pk).green_material_target_pct == before


@pytest.mark.parametrize("value", BAD)
def test_a_building_target_assembly_rate_out_of_range_is_a_chinese_field_error(client, draft, alice_owner, value):
    client.force_login(alice_owner)
    building = draft.buildings.get()
    url = reverse("projects:building-edit", args=[draft.pk, building.pk])
    data = {
        "name": building.name,
        "floor_area_m2": building.floor_area_m2,
        "storeys": building.storeys,
        "height_m": building.height_m,
        "structure_material": building.structure_material,
        "structure_system": building.structure_system,
        "target_assembly_rate_pct": value,
    }
    response = client.post(url, as_post(data))
    assert_chinese_field_error(response, "target_assembly_rate_pct")
    assert Building.objects.get(pk=building.pk).target_assembly_rate_pct is None


def test_the_english_ui_says_it_in_english(client, draft, alice_owner):
    client.force_login(alice_owner)
    with translation.override("en"):
        url = reverse("projects:project-edit", args=[draft.pk])
        response = client.post(url, edit_form_data(draft, green_material_target_pct="100.1"))
    assert response.status_code == 200
    text = field_error(response.content.decode(), "green_material_target_pct")
    assert "100" in text and not CJK.search(text)
