"""The permission matrix of the bulletins' pages, files, moves and endpoints: drafts for the
bureau, districts and departments (404 for others), writes for the bureau (403 for readers),
published bulletins for everyone."""

import pytest
from django.urls import reverse

from greenbuild.bulletins import services
from greenbuild.bulletins.models import Bulletin, BulletinTransition
from greenbuild.testing.matrix import each_persona, outcome, table, undone

pytestmark = pytest.mark.django_db

PAGES = ["list", "new", "draft", "draft_pdf", "public_list", "public", "public_pdf", "public_of_draft"]
PAGE_MATRIX = """
alice_owner         404 404 404 404 ok ok ok 404
olivia_other_owner  404 404 404 404 ok ok ok 404
dan_district        ok  403 ok  ok  ok ok ok 404
wu_district         ok  403 ok  ok  ok ok ok 404
bureau              ok  ok  ok  ok  ok ok ok 404
dept_reviewer       ok  403 ok  ok  ok ok ok 404
carl_contractor     404 404 404 404 ok ok ok 404
eve_expert          404 404 404 404 ok ok ok 404
ted_evaluator       404 404 404 404 ok ok ok 404
dave_outsider       404 404 404 404 ok ok ok 404
anonymous           login login login login ok ok ok 404
"""

ACTIONS = ["approve", "send_back", "publish", "generate"]
ACTION_MATRIX = """
alice_owner         404 404 404 404
olivia_other_owner  404 404 404 404
dan_district        403 403 403 403
wu_district         403 403 403 403
bureau              done done done done
dept_reviewer       403 403 403 403
carl_contractor     404 404 404 404
eve_expert          404 404 404 404
ted_evaluator       404 404 404 404
dave_outsider       404 404 404 404
anonymous           login login login login
"""

API_MATRIX = """
alice_owner         1 404 404
olivia_other_owner  1 404 404
dan_district        3 200 403
wu_district         3 200 403
bureau              3 200 409
dept_reviewer       3 200 403
carl_contractor     1 404 404
eve_expert          1 404 404
ted_evaluator       1 404 404
dave_outsider       1 404 404
"""


@pytest.fixture
def world(pilots, generate, personas):
    bureau = personas["bureau"]
    draft = generate(period=10)
    approved = generate(period=11)
    published = generate(period=12)
    services.transition_bulletin(actor=bureau, bulletin_id=approved.pk, action="approve")
    services.transition_bulletin(actor=bureau, bulletin_id=published.pk, action="approve")
    services.transition_bulletin(actor=bureau, bulletin_id=published.pk, action="publish")
    return {"draft": draft, "approved": approved, "published": published}


def _state():
    return (
        list(Bulletin.objects.order_by("pk").values_list("status", "revision_id")),
        BulletinTransition.objects.count(),
        list(Bulletin.objects.order_by("pk").values_list("revisions__number")),
    )


def test_page_matrix(client, personas, world):
    draft, published = world["draft"], world["published"]
    urls = {
        "list": reverse("bulletins:bulletin-list"),
        "new": reverse("bulletins:bulletin-create"),
        "draft": reverse("bulletins:bulletin-detail", args=[draft.pk]),
        "draft_pdf": reverse("bulletins:revision-file", args=[draft.pk, 1, "pdf"]),
        "public_list": reverse("bulletins:public-list"),
        "public": reverse("bulletins:public-detail", args=[published.pk]),
        "public_pdf": reverse("bulletins:public-file", args=[published.pk, "pdf"]),
        "public_of_draft": reverse("bulletins:public-detail", args=[draft.pk]),
    }
    got = {}
    for persona in each_persona(client, personas):
        got[persona] = {name: outcome(client, "get", url, None, "")[0] for name, url in urls.items()}
    assert got == table(PAGE_MATRIX, PAGES)


def test_action_matrix(client, personas, world, immediate):
    draft, approved = world["draft"], world["approved"]
    cells = {
        "approve": (reverse("bulletins:bulletin-move", args=[draft.pk, "approve"]), {}, draft),
        "send_back": (
            reverse("bulletins:bulletin-move", args=[approved.pk, "send_back"]),
            {"comment": "数据需更新"},
            approved,
        ),
        "publish": (reverse("bulletins:bulletin-move", args=[approved.pk, "publish"]), {}, approved),
        "generate": (reverse("bulletins:bulletin-generate", args=[draft.pk]), {}, draft),
    }
    expected = table(ACTION_MATRIX, ACTIONS)
    got = {}
    for persona in each_persona(client, personas):
        got[persona] = {}
        for name, (url, data, target) in cells.items():
            detail = reverse("bulletins:bulletin-detail", args=[target.pk])
            before = _state()
            with undone():
                result, _response = outcome(client, "post", url, data, detail)
                changed = _state() != before
            if result == "done":
                assert changed, (persona, name)
            else:
                assert not changed, (persona, name)
            got[persona][name] = result
    assert got == expected


def test_api_matrix(client, personas, world):
    draft = world["draft"]
    expected = table(API_MATRIX, ["list", "draft", "publish_draft"], personas=list(personas))
    got = {}
    for persona in each_persona(client, personas, names=list(personas)):
        listed = client.get("/api/v1/bulletins/").json()["results"]
        before = _state()
        with undone():
            publish = client.post(
                "/api/v1/bulletins/{}/actions/publish/".format(draft.pk), {}, content_type="application/json"
            )
            assert _state() == before
        got[persona] = {
            "list": str(len(listed)),
            "draft": str(client.get("/api/v1/bulletins/{}/".format(draft.pk)).status_code),
            "publish_draft": str(publish.status_code),
        }
    assert got == expected
