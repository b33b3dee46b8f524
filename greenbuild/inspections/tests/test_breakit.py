"""Break-it pass: a doubled post of a finding or of a scheduling changes nothing twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from greenbuild.inspections import services
from greenbuild.inspections.models import Finding, Inspection

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _memory_files(settings):
    settings.STORAGES = {**settings.STORAGES, "attachments": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}


def test_a_doubled_finding_is_recorded_once(world, personas, client):
    client.force_login(personas["dan_district"])
    url = reverse("inspections:finding-create", args=[world["inspection"].pk])
    data = {"severity": "minor", "clause": "GB/T 50905 5.1", "summary": "围挡破损", "location": "东门"}
    for _ in range(2):
        assert client.post(url, data).status_code == 302
    body = {"inspection": world["inspection"].pk, **data}
    client.post("/api/v1/findings/", body, content_type="application/json")
    assert Finding.objects.filter(summary="围挡破损").count() == 1
    # the same words about another place are another finding
    client.post(url, {**data, "location": "西门"})
    assert Finding.objects.filter(summary="围挡破损").count() == 2


def test_a_doubled_scheduling_is_kept_once(world, personas, client):
    dan = personas["dan_district"]
    client.force_login(dan)
    due = (world["today"] + dt.timedelta(days=5)).isoformat()
    data = {"project": world["project"].pk, "inspector": dan.pk, "due_on": due, "reason": "专项检查"}
    for _ in range(2):
        assert client.post(reverse("inspections:inspection-create"), data).status_code == 302
    client.post("/api/v1/inspections/", data, content_type="application/json")
    assert Inspection.objects.filter(reason="专项检查").count() == 1
    services.schedule_inspection(
        project=world["project"],
        inspector=dan,
        due_on=world["today"] + dt.timedelta(days=6),
        actor=dan,
        reason="专项检查",
    )
    assert Inspection.objects.filter(reason="专项检查").count() == 2


def test_an_inspector_who_left_the_pool_is_offered_no_inspection_to_do(world, personas, client):
    from greenbuild.inspections.events import inspections_to_do
    from greenbuild.supervision.models import InspectorPoolMember

    carl = personas["carl_contractor"]
    member = InspectorPoolMember.objects.create(
        user=carl, district=world["project"].district, added_by=personas["bureau"]
    )
    inspection = services.schedule_inspection(
        project=world["project"],
        inspector=carl,
        due_on=world["today"] + dt.timedelta(days=2),
        actor=personas["bureau"],
    )
    assert [item.url for item in inspections_to_do(carl)] == [
        reverse("inspections:inspection-detail", args=[inspection.pk])
    ]
    InspectorPoolMember.objects.filter(pk=member.pk).update(active=False)
    carl.__dict__.pop("_gb_inspector_pool", None)
    assert list(inspections_to_do(carl)) == []


def test_the_same_photo_or_evidence_sent_twice_is_kept_once(world, personas, client):
    from greenbuild.inspections.tests.conftest import png

    client.force_login(personas["dan_district"])
    url = reverse("inspections:finding-photo", args=[world["finding"].pk])
    for _ in range(2):
        client.post(url, {"file": png("site.png")})
    assert world["finding"].photos.count() == 1
    client.post(url, {"file": png("other.png", size=(50, 20))})
    assert world["finding"].photos.count() == 2
    client.force_login(personas["alice_owner"])
    url = reverse("inspections:order-evidence", args=[world["order"].pk])
    for _ in range(2):
        client.post(url, {"file": png("cover.png")})
    assert world["order"].evidence.count() == 1


def test_the_offline_draft_is_kept_per_user(world, personas, client):
    """The browser keeps unsent input under a key that names the user: on a shared phone the next
    person signed in never sees the previous inspector's draft (a reviewer's find)."""
    dan = personas["dan_district"]
    client.force_login(dan)
    page = client.get(reverse("inspections:inspection-detail", args=[world["inspection"].pk])).content.decode()
    key = 'data-draft-key="gb-inspection-{}-{}'.format(dan.pk, world["inspection"].pk)
    assert key + '"' in page and key + '-finding"' in page
