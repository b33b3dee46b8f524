"""REG-02 / issue 16 item 11: the overview's box of programme activity (applications under review,
withdrawal requests awaiting the bureau) is for those who act on it — the bureau and district
officials — labelled 计划动态 (not 待办), and counts through the requests' own gate."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from greenbuild.projects import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(personas, filed_project):
    pilot = filed_project("confirmed", name="申请撤回的试点")
    filed_project("submitted", name="在审申请")
    services.request_withdrawal(actor=personas["alice_owner"], project_id=pilot.pk, reason="建设计划调整")
    return pilot


def overview(client, who=None):
    if who is not None:
        client.force_login(who)
    with translation.override("zh-hans"):
        return client.get(reverse("dashboards:overview")).content.decode()


@pytest.mark.parametrize("who", [None, "alice_owner", "olivia_other_owner", "carl_contractor", "eve_expert"])
def test_the_public_and_roles_that_cannot_act_see_no_activity_box(client, personas, pending, who):
    page = overview(client, personas[who] if who else None)
    assert 'id="todo"' not in page and "todo-withdrawals" not in page and "申请撤回的试点" not in page


@pytest.mark.parametrize("who", ["bureau", "dan_district"])
def test_the_bureau_and_the_district_see_it_labelled_as_programme_activity(client, personas, pending, who):
    page = overview(client, personas[who])
    box = page[page.index('id="todo"') :]
    box = box[: box.index("</div>")]
    assert "计划动态" in box and "我的待办" in box
    assert 'id="todo-withdrawals"' in box


def test_another_districts_official_does_not_count_the_request(client, personas, pending):
    page = overview(client, personas["wu_district"])
    assert "todo-withdrawals" not in page
