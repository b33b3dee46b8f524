"""The permission matrix of the summaries' pages, files, moves and endpoints: everything for the
bureau; issued summaries for the joint conference's readers (district officials, department
reviewers), who get 403 on writes; 404 for everyone else (owners, contractors, experts,
evaluators, strangers); the login page for the anonymous."""

import datetime as dt

import pytest
from django.urls import reverse

from greenbuild.summaries import services
from greenbuild.summaries.models import EditionChange, ProgrammeSummary, SummaryTransition
from greenbuild.testing.matrix import each_persona, outcome, table, undone

pytestmark = pytest.mark.django_db

PAGES = ["list", "new", "draft", "draft_pdf", "issued", "issued_pdf", "issued_xlsx", "edition"]
PAGE_MATRIX = """
alice_owner         404 404 404 404 404 404 404 404
olivia_other_owner  404 404 404 404 404 404 404 404
dan_district        ok  403 404 404 ok  ok  ok  403
wu_district         ok  403 404 404 ok  ok  ok  403
bureau              ok  ok  ok  ok  ok  ok  ok  ok
dept_reviewer       ok  403 404 404 ok  ok  ok  403
carl_contractor     404 404 404 404 404 404 404 404
eve_expert          404 404 404 404 404 404 404 404
ted_evaluator       404 404 404 404 404 404 404 404
dave_outsider       404 404 404 404 404 404 404 404
anonymous           login login login login login login login login
"""

ACTIONS = ["approve", "send_back", "issue", "generate", "recommendations", "edition_start", "item_change"]
ACTION_MATRIX = """
alice_owner         404 404 404 404 404 404 404
olivia_other_owner  404 404 404 404 404 404 404
dan_district        404 404 404 404 404 403 403
wu_district         404 404 404 404 404 403 403
bureau              done done done done done done done
dept_reviewer       404 404 404 404 404 403 403
carl_contractor     404 404 404 404 404 404 404
eve_expert          404 404 404 404 404 404 404
ted_evaluator       404 404 404 404 404 404 404
dave_outsider       404 404 404 404 404 404 404
anonymous           login login login login login login login
"""

API_MATRIX = """
alice_owner         0 404 404 404
olivia_other_owner  0 404 404 404
dan_district        2 404 200 404
wu_district         2 404 200 404
bureau              4 200 200 409
dept_reviewer       2 404 200 404
carl_contractor     0 404 404 404
eve_expert          0 404 404 404
ted_evaluator       0 404 404 404
dave_outsider       0 404 404 404
"""


def _programme(code):
    from greenbuild.programmes.models import Phase, Programme

    programme = Programme.objects.create(code=code, name_zh=code, name_en=code, city="常州市", min_pilots=1)
    Phase.objects.create(
        programme=programme,
        order=1,
        name_zh="总结评估",
        name_en="Review",
        starts_on=dt.date(2020, 1, 1),
        ends_on=dt.date(2020, 12, 31),
    )
    return programme


@pytest.fixture
def world(pilots, draft, personas):
    bureau = personas["bureau"]
    drafted = draft(of=_programme("p-draft"))
    approved = draft(of=_programme("p-approved"))
    issued = draft(of=_programme("p-issued"))
    with_edition = draft()  # the 2021 programme's: its pilots' lessons are those a change cites
    for summary in (approved, issued, with_edition):
        services.transition_summary(actor=bureau, summary_id=summary.pk, action="approve")
    for summary in (issued, with_edition):
        services.transition_summary(actor=bureau, summary_id=summary.pk, action="issue")
    services.start_next_edition(actor=bureau, summary_id=with_edition.pk, code="next-edition")
    with_edition.refresh_from_db()
    return {"draft": drafted, "approved": approved, "issued": issued, "with_edition": with_edition}


def _state():
    return (
        list(
            ProgrammeSummary.objects.order_by("pk").values_list(
                "status", "revision_id", "recommendations", "next_edition_id"
            )
        ),
        SummaryTransition.objects.count(),
        list(ProgrammeSummary.objects.order_by("pk").values_list("revisions__number")),
        EditionChange.objects.count(),
    )


def test_page_matrix(client, personas, world):
    drafted, issued = world["draft"], world["with_edition"]
    urls = {
        "list": reverse("summaries:summary-list"),
        "new": reverse("summaries:summary-create"),
        "draft": reverse("summaries:summary-detail", args=[drafted.pk]),
        "draft_pdf": reverse("summaries:revision-file", args=[drafted.pk, 1, "pdf"]),
        "issued": reverse("summaries:summary-detail", args=[issued.pk]),
        "issued_pdf": reverse("summaries:revision-file", args=[issued.pk, 1, "pdf"]),
        "issued_xlsx": reverse("summaries:revision-file", args=[issued.pk, 1, "xlsx"]),
        "edition": reverse("summaries:edition", args=[issued.pk]),
    }
    got = {}
    for persona in each_persona(client, personas):
        got[persona] = {name: outcome(client, "get", url, None, "")[0] for name, url in urls.items()}
    assert got == table(PAGE_MATRIX, PAGES)


def test_action_matrix(client, personas, world, immediate):
    from greenbuild.completion.models import Lesson

    drafted, approved, issued, with_edition = (world[k] for k in ("draft", "approved", "issued", "with_edition"))
    item = with_edition.next_edition.items.order_by("sort_order").first()
    prefix = "item-{}-".format(item.pk)
    cells = {
        "approve": (reverse("summaries:summary-move", args=[drafted.pk, "approve"]), {}, drafted),
        "send_back": (
            reverse("summaries:summary-move", args=[approved.pk, "send_back"]),
            {"comment": "数据需更新"},
            approved,
        ),
        "issue": (reverse("summaries:summary-move", args=[approved.pk, "issue"]), {}, approved),
        "generate": (reverse("summaries:summary-generate", args=[drafted.pk]), {}, drafted),
        "recommendations": (
            reverse("summaries:summary-recommendations", args=[drafted.pk]),
            {"recommendations": "新建议"},
            drafted,
        ),
        "edition_start": (reverse("summaries:edition-start", args=[issued.pk]), {"code": "x-next"}, issued),
        "item_change": (
            reverse("summaries:edition-item-change", args=[with_edition.pk, item.pk]),
            {prefix + "text_zh": "改", prefix + "reason": "经验", prefix + "lessons": [Lesson.objects.first().pk]},
            with_edition,
        ),
    }
    after = {
        "edition_start": lambda s: reverse("summaries:edition", args=[s.pk]),
        "item_change": lambda s: reverse("summaries:edition", args=[s.pk]),
    }
    got = {}
    for persona in each_persona(client, personas):
        got[persona] = {}
        for name, (url, data, target) in cells.items():
            detail = after.get(name, lambda s: reverse("summaries:summary-detail", args=[s.pk]))(target)
            before = _state()
            with undone():
                result, _response = outcome(client, "post", url, data, detail)
                changed = _state() != before
            assert changed == (result == "done"), (persona, name, result)
            got[persona][name] = result
    expected = table(ACTION_MATRIX, ACTIONS)
    assert {p: {k: v for k, v in row.items() if expected[p][k] != v} for p, row in got.items()} == {p: {} for p in got}


def test_api_matrix(client, personas, world):
    drafted, issued = world["draft"], world["issued"]
    expected = table(API_MATRIX, ["list", "draft", "issued", "issue_draft"], personas=list(personas))
    got = {}
    for persona in each_persona(client, personas, names=list(personas)):
        listed = client.get("/api/v1/summaries/").json()["results"]
        before = _state()
        with undone():
            issue = client.post(
                "/api/v1/summaries/{}/actions/issue/".format(drafted.pk), {}, content_type="application/json"
            )
            assert _state() == before
        got[persona] = {
            "list": str(len(listed)),
            "draft": str(client.get("/api/v1/summaries/{}/".format(drafted.pk)).status_code),
            "issued": str(client.get("/api/v1/summaries/{}/".format(issued.pk)).status_code),
            "issue_draft": str(issue.status_code),
        }
    assert got == expected
    client.logout()  # the anonymous: an empty list, nothing more
    anonymous = client.get("/api/v1/summaries/")
    assert anonymous.status_code == 200 and anonymous.json()["results"] == []
    assert client.get("/api/v1/summaries/{}/".format(issued.pk)).status_code in (401, 403, 404)
