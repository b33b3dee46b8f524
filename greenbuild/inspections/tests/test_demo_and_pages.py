import json

import pytest
from django.urls import reverse

from greenbuild.inspections.demo import seed_inspections
from greenbuild.inspections.models import Finding, Inspection, RectificationOrder

pytestmark = pytest.mark.django_db


def test_demo_has_findings_in_every_state_and_one_overdue_order(personas, filed_project):
    filed_project("confirmed")
    assert seed_inspections(personas["bureau"]) == 6
    assert set(Finding.objects.values_list("status", flat=True)) == {"open", "rectifying", "closed"}
    assert set(RectificationOrder.objects.values_list("status", flat=True)) == {"issued", "answered", "closed"}
    assert [o.overdue for o in RectificationOrder.objects.all()].count(True) == 1
    assert seed_inspections(personas["bureau"]) == 0  # idempotent


def test_server_draft_and_counts_export(client, personas, world):
    client.force_login(personas["dan_district"])
    url = reverse("inspections:inspection-draft", args=[world["inspection"].pk])
    response = client.post(url, json.dumps({"summary": "草稿"}), content_type="application/json")
    assert response.status_code == 200 and response.json()["saved"]
    assert Inspection.objects.get(pk=world["inspection"].pk).draft == {"summary": "草稿"}
    response = client.post(url, "not json", content_type="application/json")
    assert response.status_code == 400
    response = client.get(reverse("inspections:stats-xlsx"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    response = client.get(reverse("inspections:stats") + "?start=2030-01-01&end=2020-01-01")
    assert response.status_code == 200


def test_project_page_panel(client, personas, world):
    client.force_login(personas["alice_owner"])
    response = client.get(reverse("projects:project-detail", args=[world["project"].pk]))
    text = response.content.decode()
    assert 'id="inspections-panel"' in text and world["order"].number in text
