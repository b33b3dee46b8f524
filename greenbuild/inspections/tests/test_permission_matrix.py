"""The permission matrix of every inspections page, move and endpoint (nothing written when refused),
and the evidence guard on the page and the API."""

import datetime as dt

import pytest
from django.urls import reverse

from greenbuild.inspections import services
from greenbuild.inspections.models import ChecklistItem, Finding, Inspection, OrderTransition, RectificationOrder
from greenbuild.inspections.tests.conftest import png
from greenbuild.testing.matrix import each_persona, outcome, table, undone

pytestmark = pytest.mark.django_db

PAGES = ["list", "new", "inspection", "finding", "order", "stats", "xlsx"]
PAGE_MATRIX = """
alice_owner         ok  404 ok  ok  ok  404 404
olivia_other_owner  ok  404 404 404 404 404 404
dan_district        ok  ok  ok  ok  ok  ok  ok
wu_district         ok  ok  404 404 404 ok  ok
bureau              ok  ok  ok  ok  ok  ok  ok
dept_reviewer       ok  404 ok  ok  ok  404 404
carl_contractor     ok  404 404 404 404 404 404
eve_expert          ok  404 404 404 404 404 404
ted_evaluator       ok  404 404 404 404 404 404
dave_outsider       ok  404 404 404 404 404 404
anonymous           login login login login login login login
"""

ACTIONS = ["checks", "finding", "order", "evidence", "answer", "verify", "reopen"]
ACTION_MATRIX = """
alice_owner         403 403 403 done refused 403 403
olivia_other_owner  404 404 404 404 404 404 404
dan_district        done done done 403 403 done done
wu_district         404 404 404 404 404 404 404
bureau              done done done 403 403 done done
dept_reviewer       403 403 403 403 403 403 403
carl_contractor     404 404 404 404 404 404 404
eve_expert          404 404 404 404 404 404 404
ted_evaluator       404 404 404 404 404 404 404
dave_outsider       404 404 404 404 404 404 404
anonymous           login login login login login login login
"""


@pytest.fixture
def answered(world, personas):
    """A second finding of the same inspection whose order the owner answered with evidence."""
    dan, alice = personas["dan_district"], personas["alice_owner"]
    finding = services.raise_finding(
        project=world["project"],
        actor=dan,
        summary="围挡破损",
        severity="minor",
        source="inspection",
        clause="4.1",
        inspection=world["inspection"],
        deadline=world["today"] + dt.timedelta(days=5),
    )
    order = finding.order
    services.add_order_evidence(actor=alice, order_id=order.pk, uploaded_file=png("fixed.png"))
    services.transition_order(actor=alice, order_id=order.pk, action="answer", comment="已修复")
    return order


def _state():
    return (
        list(ChecklistItem.objects.order_by("pk").values_list("result", "note")),
        Finding.objects.count(),
        RectificationOrder.objects.count(),
        list(RectificationOrder.objects.order_by("pk").values_list("status", "evidence")),
        OrderTransition.objects.count(),
    )


def test_page_matrix(client, personas, world):
    urls = {
        "list": reverse("inspections:inspection-list"),
        "new": reverse("inspections:inspection-create"),
        "inspection": reverse("inspections:inspection-detail", args=[world["inspection"].pk]),
        "finding": reverse("inspections:finding-detail", args=[world["finding"].pk]),
        "order": reverse("inspections:order-detail", args=[world["order"].pk]),
        "stats": reverse("inspections:stats"),
        "xlsx": reverse("inspections:stats-xlsx"),
    }
    got = {}
    for persona in each_persona(client, personas):
        got[persona] = {name: outcome(client, "get", url, None, "")[0] for name, url in urls.items()}
    assert got == table(PAGE_MATRIX, PAGES)


def test_action_matrix_and_nothing_written_when_refused(client, personas, world, answered):
    inspection, order = world["inspection"], world["order"]
    item = inspection.checklist.first() or ChecklistItem.objects.create(
        inspection=inspection, source="guideline", code="X-1", text="检查"
    )
    new_finding = services.raise_finding(
        project=world["project"], actor=personas["dan_district"], summary="新问题", severity="minor", source="other"
    )
    inspection_url = reverse("inspections:inspection-detail", args=[inspection.pk])
    order_url = reverse("inspections:order-detail", args=[order.pk])
    answered_url = reverse("inspections:order-detail", args=[answered.pk])
    deadline = (world["today"] + dt.timedelta(days=9)).isoformat()
    actions = {
        "checks": (
            reverse("inspections:inspection-checks", args=[inspection.pk]),
            {"result-{}".format(item.pk): "pass", "summary": ""},
            inspection_url,
        ),
        "finding": (
            reverse("inspections:finding-create", args=[inspection.pk]),
            {"severity": "major", "clause": "5.1", "summary": "扬尘"},
            inspection_url,
        ),
        "order": (
            reverse("inspections:finding-order", args=[new_finding.pk]),
            {"deadline": deadline, "instructions": "整改"},
            None,
        ),
        "evidence": (reverse("inspections:order-evidence", args=[order.pk]), {"file": png("e.png")}, order_url),
        "answer": (reverse("inspections:order-move", args=[order.pk, "answer"]), {"comment": "已整改"}, order_url),
        "verify": (reverse("inspections:order-move", args=[answered.pk, "verify"]), {"comment": ""}, answered_url),
        "reopen": (
            reverse("inspections:order-move", args=[answered.pk, "reopen"]),
            {"comment": "未整改到位"},
            answered_url,
        ),
    }
    got = {}
    for persona in each_persona(client, personas):
        got[persona] = {}
        for name, (url, data, detail) in actions.items():
            if "file" in data:
                data = {"file": png("e.png")}
            with undone():
                before = _state()
                response = client.post(url, data)
                if name == "order" and response.status_code == 302 and "/orders/" in response["Location"]:
                    detail = response["Location"]
                result, _response = outcome_of(
                    client, response, detail or reverse("inspections:finding-detail", args=[new_finding.pk])
                )
                after = _state()
            got[persona][name] = result
            assert (after != before) == (result == "done"), (persona, name, result)
    assert got == table(ACTION_MATRIX, ACTIONS)


def outcome_of(client, response, detail_url):
    from greenbuild.testing.matrix import error_messages, login_redirect

    if login_redirect(response):
        return "login", response
    if response.status_code in (403, 404):
        return str(response.status_code), response
    if response.status_code == 302 and response["Location"] == detail_url:
        kept = any(key.startswith("gb_kept_form:") for key in client.session.keys())  # noqa: SIM118 (a SessionBase)
        return ("refused" if error_messages(response) or kept else "done"), response
    if response.status_code == 302:
        return "done", response
    return "unexpected {}".format(response.status_code), response


def test_closing_without_evidence_refused_on_the_page_and_the_api(client, personas, world):
    dan = personas["dan_district"]
    order = world["order"]
    RectificationOrder.objects.filter(pk=order.pk).update(status="answered", answer="说明")
    client.force_login(dan)
    response = client.post(reverse("inspections:order-move", args=[order.pk, "verify"]), {"comment": ""}, follow=True)
    assert "证据" in response.content.decode() or "evidence" in response.content.decode()
    assert RectificationOrder.objects.get(pk=order.pk).status == "answered"
    response = client.post(
        "/api/v1/rectification-orders/{}/actions/verify/".format(order.pk), {}, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert RectificationOrder.objects.get(pk=order.pk).status == "answered"


def test_api_deadline_in_the_past_and_life_cycle(client, personas, world):
    dan, alice = personas["dan_district"], personas["alice_owner"]
    client.force_login(dan)
    finding = services.raise_finding(project=world["project"], actor=dan, summary="x", severity="minor", source="other")
    past = (world["today"] - dt.timedelta(days=1)).isoformat()
    response = client.post(
        "/api/v1/rectification-orders/",
        {"finding": finding.pk, "deadline": past, "instructions": "y"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not RectificationOrder.objects.filter(finding=finding).exists()
    order = world["order"]
    client.force_login(alice)
    response = client.post(
        "/api/v1/rectification-orders/{}/evidence/".format(order.pk), {"file": png("a.png")}, format="multipart"
    )
    assert response.status_code == 200, response.content
    response = client.post(
        "/api/v1/rectification-orders/{}/actions/answer/".format(order.pk),
        {"comment": "已整改"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "answered"
    client.force_login(dan)
    response = client.post(
        "/api/v1/rectification-orders/{}/actions/verify/".format(order.pk), {}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert Inspection.objects.filter(pk=world["inspection"].pk).exists()
