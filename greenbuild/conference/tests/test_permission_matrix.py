"""The permission matrix of every conference page, action and endpoint (404 for non-members,
403 for members who may not act, nothing written when refused)."""

import json

import pytest
from django.urls import reverse

from greenbuild.conference.models import ActionItem, ActionItemTransition, Decision, Meeting, MeetingTransition
from greenbuild.testing.matrix import PERSONAS, each_persona, outcome, table, undone

pytestmark = pytest.mark.django_db

PAGES = ["list", "board", "members", "meeting", "item", "new", "edit"]
PAGE_MATRIX = """
alice_owner         404 404 404 404 404 404 404
olivia_other_owner  404 404 404 404 404 404 404
dan_district        ok  ok  ok  ok  ok  403 403
wu_district         ok  ok  ok  ok  ok  403 403
bureau              ok  ok  ok  ok  ok  ok  ok
dept_reviewer       ok  ok  ok  ok  ok  403 403
carl_contractor     404 404 404 404 404 404 404
eve_expert          404 404 404 404 404 404 404
ted_evaluator       404 404 404 404 404 404 404
dave_outsider       404 404 404 404 404 404 404
anonymous           login login login login login login login
"""

ACTIONS = ["hold", "decide", "assign", "close_district", "close_department", "reopen", "edit"]
ACTION_MATRIX = """
alice_owner         404 404 404 404 404 404 404
olivia_other_owner  404 404 404 404 404 404 404
dan_district        403 403 403 done 403 403 403
wu_district         403 403 403 403 403 403 403
bureau              done done done 403 403 done done
dept_reviewer       403 403 403 403 done 403 403
carl_contractor     404 404 404 404 404 404 404
eve_expert          404 404 404 404 404 404 404
ted_evaluator       404 404 404 404 404 404 404
dave_outsider       404 404 404 404 404 404 404
anonymous           login login login login login login login
"""


def _state():
    return (
        list(Meeting.objects.order_by("pk").values_list("status", "title", "minutes")),
        Decision.objects.count(),
        list(ActionItem.objects.order_by("pk").values_list("status", "closure_note")),
        ActionItemTransition.objects.count(),
        MeetingTransition.objects.count(),
    )


def _page_urls(world):
    return {
        "list": reverse("conference:meeting-list"),
        "board": reverse("conference:action-board"),
        "members": reverse("conference:member-list"),
        "meeting": reverse("conference:meeting-detail", args=[world["held"].pk]),
        "item": reverse("conference:action-item-detail", args=[world["district_item"].pk]),
        "new": reverse("conference:meeting-create"),
        "edit": reverse("conference:meeting-edit", args=[world["held"].pk]),
    }


def test_page_matrix(client, personas, world):
    expected = table(PAGE_MATRIX, PAGES)
    urls = _page_urls(world)
    got = {}
    for persona in each_persona(client, personas):
        got[persona] = {name: outcome(client, "get", url, None, "")[0] for name, url in urls.items()}
    assert got == expected


def test_nothing_of_the_conference_shows_to_a_non_member(client, personas, world):
    client.force_login(personas["alice_owner"])
    for url in _page_urls(world).values():
        assert "启动会" not in client.get(url).content.decode()
    assert "nav-conference" not in client.get(reverse("dashboards:overview")).content.decode()
    client.force_login(personas["dan_district"])
    assert "nav-conference" in client.get(reverse("dashboards:overview")).content.decode()


def _actions(world):
    held, planned = world["held"], world["planned"]
    item, dept_item, closed = world["district_item"], world["department_item"], world["closed_item"]
    return {
        "hold": (reverse("conference:meeting-move", args=[planned.pk, "hold"]), {}, planned),
        "decide": (reverse("conference:decision-add", args=[held.pk]), {"text": "新决定"}, held),
        "assign": (
            reverse("conference:action-item-add", args=[held.pk]),
            {"title": "新任务", "district": world["tianning"].pk, "due": "2030-01-01"},
            held,
        ),
        "close_district": (reverse("conference:action-item-move", args=[item.pk, "close"]), {"comment": "已办"}, item),
        "close_department": (
            reverse("conference:action-item-move", args=[dept_item.pk, "close"]),
            {"comment": "已办"},
            dept_item,
        ),
        "reopen": (reverse("conference:action-item-move", args=[closed.pk, "reopen"]), {"comment": "重办"}, closed),
        "edit": (
            reverse("conference:meeting-edit", args=[held.pk]),
            {"number": 1, "title": "改名", "date": "2026-01-01", "place": "301", "agenda": "一", "minutes": "纪要"},
            held,
        ),
    }


def _detail(obj):
    if isinstance(obj, ActionItem):
        return reverse("conference:action-item-detail", args=[obj.pk])
    return reverse("conference:meeting-detail", args=[obj.pk])


def test_action_matrix_and_nothing_written_when_refused(client, personas, world):
    expected = table(ACTION_MATRIX, ACTIONS)
    actions = _actions(world)
    got = {}
    for persona in each_persona(client, personas):
        got[persona] = {}
        for name, (url, data, obj) in actions.items():
            with undone():
                before = _state()
                result, _response = outcome(client, "post", url, data, _detail(obj))
                after = _state()
            got[persona][name] = result
            assert (after != before) == (result == "done"), (persona, name, result)
    assert got == expected


def test_bad_input_on_the_pages_gives_a_message_in_chinese_and_writes_nothing(client, personas, world):
    client.force_login(personas["bureau"])
    before = _state()
    url = reverse("conference:action-item-add", args=[world["held"].pk])
    response = client.post(url, {"title": "无人", "due": "不是日期"}, follow=True)
    text = response.content.decode()
    assert "请" in text or "输入" in text
    response = client.post(
        reverse("conference:meeting-create"),
        {"number": 1, "title": "重复", "date": "2026-01-01", "place": "x", "agenda": "x"},
    )
    assert response.status_code == 200 and response.context["form"].errors["number"]
    client.force_login(personas["dan_district"])
    response = client.post(
        reverse("conference:action-item-move", args=[world["district_item"].pk, "close"]), {"comment": ""}, follow=True
    )
    assert "请" in response.content.decode()
    assert _state() == before


def test_a_malformed_or_unknown_id_is_a_404(client, personas, world):
    client.force_login(personas["bureau"])
    for url in ("/conference/meetings/99999999/", "/conference/action-items/99999999/"):
        assert client.get(url).status_code == 404
    assert client.get("/conference/meetings/99999999999999999999999/").status_code == 404


def test_the_board_filters_by_assignee_status_and_overdue(client, personas, world, django_assert_max_num_queries):
    client.force_login(personas["bureau"])
    url = reverse("conference:action-board")

    def titles(**params):
        return [i.title for i in client.get(url, params).context["items"]]

    assert titles(assignee="district-{}".format(world["tianning"].pk)) == ["推荐天宁区项目"]
    assert titles(assignee="department-{}".format(world["nrp"].pk)) == ["规划条件写入绿色指标"]
    assert titles(status="closed") == ["推荐武进区项目"]
    assert titles(overdue="on") == ["推荐天宁区项目"]
    assert len(titles()) == 3
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    for n in range(5):
        ActionItem.objects.create(
            meeting=world["held"], title="x{}".format(n), district=world["tianning"], due="2030-01-01"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


# --- the API -----------------------------------------------------------------------------------

API_READS = ["meetings", "meeting", "items", "item", "members", "decisions"]
API_READ_MATRIX = """
alice_owner         0 404 0 404 0 0
olivia_other_owner  0 404 0 404 0 0
dan_district        2 200 3 200 n 1
wu_district         2 200 3 200 n 1
bureau              2 200 3 200 n 1
dept_reviewer       2 200 3 200 n 1
carl_contractor     0 404 0 404 0 0
eve_expert          0 404 0 404 0 0
ted_evaluator       0 404 0 404 0 0
dave_outsider       0 404 0 404 0 0
anonymous           0 404 0 404 0 0
"""


def _api_read(client, path):
    response = client.get(path)
    if response.status_code != 200:
        return str(response.status_code)
    body = response.json()
    if "results" in body:
        return str(body["count"]) if body["count"] in (0, 1, 2, 3) else "n"
    return "200"


def test_api_read_matrix(client, personas, world):
    from greenbuild.conference.demo import _seats

    _seats(personas["bureau"])
    expected = table(API_READ_MATRIX, API_READS)
    paths = {
        "meetings": "/api/v1/meetings/",
        "meeting": "/api/v1/meetings/{}/".format(world["held"].pk),
        "items": "/api/v1/action-items/",
        "item": "/api/v1/action-items/{}/".format(world["district_item"].pk),
        "members": "/api/v1/conference-members/",
        "decisions": "/api/v1/decisions/",
    }
    got = {}
    for persona in each_persona(client, personas):
        got[persona] = {name: _api_read(client, path) for name, path in paths.items()}
    assert got == expected


API_WRITES = ["create", "patch", "hold", "decide", "assign", "close", "reopen"]
API_WRITE_MATRIX = """
alice_owner         404 404 404 404 404 404 404
olivia_other_owner  404 404 404 404 404 404 404
dan_district        403 403 403 403 403 200 403
wu_district         403 403 403 403 403 403 403
bureau              201 200 200 201 201 403 200
dept_reviewer       403 403 403 403 403 403 403
carl_contractor     404 404 404 404 404 404 404
eve_expert          404 404 404 404 404 404 404
ted_evaluator       404 404 404 404 404 404 404
dave_outsider       404 404 404 404 404 404 404
"""


def test_api_write_matrix_and_nothing_written_when_refused(client, personas, world):
    held, planned = world["held"], world["planned"]
    calls = {
        "create": (
            "/api/v1/meetings/",
            {"number": 9, "title": "新会", "date": "2027-01-01", "place": "1", "agenda": "一"},
        ),
        "patch": ("/api/v1/meetings/{}/".format(held.pk), {"minutes": "改纪要"}),
        "hold": ("/api/v1/meetings/{}/actions/hold/".format(planned.pk), {}),
        "decide": ("/api/v1/decisions/", {"meeting": held.pk, "text": "新决定"}),
        "assign": (
            "/api/v1/action-items/",
            {"meeting": held.pk, "title": "新任务", "department": world["nrp"].pk, "due": "2030-01-01"},
        ),
        "close": ("/api/v1/action-items/{}/actions/close/".format(world["district_item"].pk), {"comment": "已办"}),
        "reopen": ("/api/v1/action-items/{}/actions/reopen/".format(world["closed_item"].pk), {"comment": "重办"}),
    }
    expected = table(API_WRITE_MATRIX, API_WRITES, personas=[p for p in PERSONAS if p != "anonymous"])
    got = {}
    for persona in each_persona(client, personas, [p for p in PERSONAS if p != "anonymous"]):
        got[persona] = {}
        for name, (path, body) in calls.items():
            with undone():
                before = _state()
                method = client.patch if name == "patch" else client.post
                response = method(path, json.dumps(body), content_type="application/json")
                after = _state()
            got[persona][name] = str(response.status_code)
            assert (after != before) == (response.status_code in (200, 201)), (persona, name, response.content)
    assert got == expected


def test_api_bad_input_is_a_field_error_and_writes_nothing(client, personas, world):
    client.force_login(personas["bureau"])
    before = _state()
    response = client.post(
        "/api/v1/action-items/",
        json.dumps(
            {
                "meeting": world["held"].pk,
                "title": "两个",
                "district": world["tianning"].pk,
                "department": world["nrp"].pk,
                "due": "2030-01-01",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400 and "department" in response.json()["errors"]
    response = client.patch(
        "/api/v1/meetings/{}/".format(world["held"].pk), json.dumps({"status": "held"}), content_type="application/json"
    )
    assert response.status_code == 400 and "status" in response.json()["errors"]
    response = client.post("/api/v1/decisions/", json.dumps({"text": "无会议"}), content_type="application/json")
    assert response.status_code == 400 and "meeting" in response.json()["errors"]
    client.force_login(personas["dan_district"])
    response = client.post(
        "/api/v1/action-items/{}/actions/close/".format(world["district_item"].pk),
        json.dumps({"comment": ""}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert _state() == before


def test_the_predicate_and_sql_forms_of_every_conference_gate_agree(personas, world):
    from greenbuild.conference.demo import _seats
    from greenbuild.conference.models import ConferenceMember
    from greenbuild.core.permissions import gate_for
    from greenbuild.testing.gates import gate_disagreements, users_of

    _seats(personas["bureau"])
    users = users_of(personas)
    for model in (Meeting, Decision, ActionItem, ConferenceMember):
        objects = list(model.objects.all())
        assert objects
        assert gate_disagreements(gate_for(model), users, objects) == []
