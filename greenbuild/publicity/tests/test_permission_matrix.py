"""Who gets what on publicity's pages and endpoints (testing/matrix.py): the public pages are
open; inside, the bureau, the project's district and owner; everyone else 404 (anonymous: sign in)."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from greenbuild.api import services as api_services
from greenbuild.publicity import services
from greenbuild.publicity.models import Objection, PublicMessage, PublicNotice
from greenbuild.testing.matrix import each_persona, login_redirect, table, undone

pytestmark = pytest.mark.django_db

PAGES = ("index", "public_notice", "public_pilot", "manage", "notice", "message", "new_notice")

PAGE_MATRIX = """
alice_owner        ok ok ok ok ok  ok  403
olivia_other_owner ok ok ok ok 404 404 404
dan_district       ok ok ok ok ok  ok  403
wu_district        ok ok ok ok 404 404 404
bureau             ok ok ok ok ok  ok  ok
dept_reviewer      ok ok ok ok 404 404 403
carl_contractor    ok ok ok ok 404 404 404
eve_expert         ok ok ok ok 404 404 404
ted_evaluator      ok ok ok ok 404 404 404
dave_outsider      ok ok ok ok 404 404 404
anonymous          ok ok ok login login login login
"""

POSTS = ("publish", "answer_objection", "answer_message")

POST_MATRIX = """
alice_owner        403  403  done
olivia_other_owner 404  404  404
dan_district       403  403  done
wu_district        404  404  404
bureau             done done done
dept_reviewer      404  404  404
carl_contractor    404  404  404
eve_expert         404  404  404
ted_evaluator      404  404  404
dave_outsider      404  404  404
anonymous          login login login
"""


@pytest.fixture
def world(running_notice, pilot, personas):
    objection = services.file_objection(notice_id=running_notice.pk, text="异议")
    message = services.leave_message(project_id=pilot.pk, category="noise", text="噪声")
    draft = services.create_notice(
        actor=personas["bureau"], project=pilot, data={"kind": "completion", "title": "验收公示", "body": "结果"}
    )
    return {"notice": running_notice, "objection": objection, "message": message, "draft": draft, "pilot": pilot}


def _classify(response):
    if login_redirect(response):
        return "login"
    if response.status_code in (403, 404):
        return str(response.status_code)
    return "ok" if response.status_code == 200 else "unexpected {}".format(response.status_code)


def test_pages(client, personas, world):
    urls = {
        "index": reverse("publicity:public-index"),
        "public_notice": reverse("publicity:public-notice", args=[world["notice"].pk]),
        "public_pilot": reverse("publicity:public-pilot", args=[world["pilot"].pk]),
        "manage": reverse("publicity:manage"),
        "notice": reverse("publicity:notice-detail", args=[world["notice"].pk]),
        "message": reverse("publicity:message-detail", args=[world["message"].pk]),
        "new_notice": reverse("publicity:notice-create", args=[world["notice"].project_id]),
    }
    expected = table(PAGE_MATRIX, PAGES)
    got = {}
    for persona in each_persona(client, personas):
        got[persona] = {column: _classify(client.get(url)) for column, url in urls.items()}
    assert got == expected


def test_writes(client, personas, world):
    expected = table(POST_MATRIX, POSTS)
    got = {}
    for persona in each_persona(client, personas):
        row = {}
        with undone():
            response = client.post(reverse("publicity:notice-move", args=[world["draft"].pk, "publish"]))
            done = PublicNotice.objects.get(pk=world["draft"].pk).status == "published"
            row["publish"] = "done" if done else _classify(response)
        with undone():
            response = client.post(
                reverse("publicity:objection-answer", args=[world["objection"].pk]), {"answer": "答复"}
            )
            done = Objection.objects.get(pk=world["objection"].pk).status == "answered"
            row["answer_objection"] = "done" if done else _classify(response)
        with undone():
            response = client.post(reverse("publicity:message-answer", args=[world["message"].pk]), {"answer": "答复"})
            done = PublicMessage.objects.get(pk=world["message"].pk).status == "answered"
            row["answer_message"] = "done" if done else _classify(response)
        got[persona] = row
    assert got == expected


def test_contact_details_only_for_the_bureau_and_the_district(client, personas, world):
    PublicMessage.objects.filter(pk=world["message"].pk).update(contact_phone="13812345678")
    Objection.objects.filter(pk=world["objection"].pk).update(contact_phone="13712345678")
    for persona, sees_message, sees_objection in (
        ("bureau", True, True),
        ("dan_district", True, False),
        ("alice_owner", False, False),
    ):
        client.force_login(personas[persona])
        message_page = client.get(reverse("publicity:message-detail", args=[world["message"].pk])).content.decode()
        notice_page = client.get(reverse("publicity:notice-detail", args=[world["notice"].pk])).content.decode()
        assert ("13812345678" in message_page) is sees_message, persona
        assert ("13712345678" in notice_page) is sees_objection, persona


API = ("notices", "objections", "messages", "open_notices", "open_messages", "answer_message")

API_MATRIX = """
alice_owner        2 1 1 ok ok done
olivia_other_owner 0 0 0 ok ok 404
dan_district       2 1 1 ok ok done
wu_district        0 0 0 ok ok 404
bureau             2 1 1 ok ok done
dept_reviewer      0 0 0 ok ok 404
carl_contractor    0 0 0 ok ok 404
eve_expert         0 0 0 ok ok 404
ted_evaluator      0 0 0 ok ok 404
dave_outsider      0 0 0 ok ok 404
anonymous          0 0 0 ok ok 401
"""


def test_api(personas, world):
    expected = table(API_MATRIX, API)
    got = {}
    for persona in expected:
        headers = {}
        if persona != "anonymous":
            user = personas[persona]
            token = api_services.create_token(actor=user, user=user, name="矩阵", scope="write")[1]
            headers = {"HTTP_AUTHORIZATION": "Bearer " + token}
        api = Client(**headers)
        row = {}
        for column, path in (
            ("notices", "/api/v1/public-notices/"),
            ("objections", "/api/v1/objections/"),
            ("messages", "/api/v1/public-messages/"),
        ):
            response = api.get(path)
            row[column] = str(response.json()["count"]) if response.status_code == 200 else str(response.status_code)
        for column, path in (
            ("open_notices", "/api/v1/open/public-notices/"),
            ("open_messages", "/api/v1/open/public-messages/"),
        ):
            row[column] = "ok" if Client().get(path).status_code == 200 else "bad"
        with undone():
            response = api.post(
                "/api/v1/public-messages/{}/actions/answer/".format(world["message"].pk),
                json.dumps({"answer": "答复"}),
                "application/json",
            )
            row["answer_message"] = "done" if response.status_code == 200 else str(response.status_code)
        got[persona] = row
    assert got == expected
