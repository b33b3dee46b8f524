"""The permission matrix of every supervision page and action (404 for who may not see, 403 for
who sees but may not act, nothing written when refused), and the public pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from greenbuild.supervision.models import Draw, DrawTransition, Evaluation, InspectorPoolMember, PlanTransition
from greenbuild.testing.matrix import each_persona, outcome, table, undone

pytestmark = pytest.mark.django_db

PAGES = [
    "plans",
    "plan",
    "plan_new",
    "plan_edit",
    "pool",
    "draws",
    "draw_new",
    "draw_own",
    "draw_pub",
    "pub_list",
    "pub_draw",
    "pub_hidden",
    "evals",
    "eval",
    "eval_new",
    "eval_file",
]
PAGE_MATRIX = """
alice_owner         ok ok  404 403 404 ok 404 404 ok ok ok 404 ok ok  404 403
olivia_other_owner  ok 404 404 404 404 ok 404 404 ok ok ok 404 ok 404 404 404
dan_district        ok ok  ok  ok  ok  ok ok  ok  ok ok ok 404 ok ok  404 403
wu_district         ok 404 ok  404 ok  ok ok  404 ok ok ok 404 ok 404 404 404
bureau              ok ok  ok  ok  ok  ok ok  ok  ok ok ok 404 ok ok  ok  403
dept_reviewer       ok 404 404 404 404 ok 404 404 ok ok ok 404 ok 404 404 404
carl_contractor     ok 404 404 404 404 ok 404 404 ok ok ok 404 ok 404 404 404
eve_expert          ok 404 404 404 404 ok 404 404 ok ok ok 404 ok 404 404 404
ted_evaluator       ok 404 404 404 404 ok 404 404 ok ok ok 404 ok ok  404 ok
dave_outsider       ok 404 404 404 404 ok 404 404 ok ok ok 404 ok 404 404 404
anonymous           login login login login login login login login login ok ok 404 login login login login
"""

ACTIONS = ["pause", "publish", "toggle", "file"]
ACTION_MATRIX = """
alice_owner         403 404 404 403
olivia_other_owner  404 404 404 404
dan_district        done done done 403
wu_district         404 404 403 404
bureau              done done done 403
dept_reviewer       404 404 404 404
carl_contractor     404 404 404 404
eve_expert          404 404 404 404
ted_evaluator       404 404 404 done
dave_outsider       404 404 404 404
anonymous           login login login login
"""


def _urls(sv):
    plan, own, pub, ev = sv["plan"].pk, sv["unpublished"].pk, sv["published"].pk, sv["evaluation"].pk
    return {
        "plans": reverse("supervision:plan-list"),
        "plan": reverse("supervision:plan-detail", args=[plan]),
        "plan_new": reverse("supervision:plan-create"),
        "plan_edit": reverse("supervision:plan-edit", args=[plan]),
        "pool": reverse("supervision:pool"),
        "draws": reverse("supervision:draw-list"),
        "draw_new": reverse("supervision:draw-create"),
        "draw_own": reverse("supervision:draw-detail", args=[own]),
        "draw_pub": reverse("supervision:draw-detail", args=[pub]),
        "pub_list": reverse("supervision:public-draw-list"),
        "pub_draw": reverse("supervision:public-draw-detail", args=[pub]),
        "pub_hidden": reverse("supervision:public-draw-detail", args=[own]),
        "evals": reverse("supervision:evaluation-list"),
        "eval": reverse("supervision:evaluation-detail", args=[ev]),
        "eval_new": reverse("supervision:evaluation-create"),
        "eval_file": reverse("supervision:evaluation-file", args=[ev]),
    }


def test_page_matrix(client, personas, sv):
    urls = _urls(sv)
    got = {}
    for persona in each_persona(client, personas):
        got[persona] = {name: outcome(client, "get", url, None, "")[0] for name, url in urls.items()}
    assert got == table(PAGE_MATRIX, PAGES)


REPORT = {
    "summary": "总体符合",
    "scores-TOTAL_FORMS": "1",
    "scores-INITIAL_FORMS": "0",
    "scores-MIN_NUM_FORMS": "0",
    "scores-MAX_NUM_FORMS": "20",
    "scores-0-aspect": "装配率",
    "scores-0-score": "80",
    "recs-TOTAL_FORMS": "1",
    "recs-INITIAL_FORMS": "0",
    "recs-MIN_NUM_FORMS": "0",
    "recs-MAX_NUM_FORMS": "20",
    "recs-0-text": "补充台账",
    "recs-0-severity": "minor",
}


def _state():
    return (
        list(Draw.objects.order_by("pk").values_list("status", "published_at")),
        PlanTransition.objects.count(),
        DrawTransition.objects.count(),
        list(InspectorPoolMember.objects.order_by("pk").values_list("active", flat=True)),
        list(Evaluation.objects.order_by("pk").values_list("status", "summary")),
    )


def test_action_matrix(client, personas, sv):
    plan, own, ev = sv["plan"].pk, sv["unpublished"].pk, sv["evaluation"].pk
    actions = {
        "pause": (
            reverse("supervision:plan-move", args=[plan, "pause"]),
            {"comment": "停工"},
            reverse("supervision:plan-detail", args=[plan]),
        ),
        "publish": (
            reverse("supervision:draw-publish", args=[own]),
            {},
            reverse("supervision:draw-detail", args=[own]),
        ),
        "toggle": (
            reverse("supervision:pool-toggle", args=[sv["pool"]["dan"].pk]),
            {},
            reverse("supervision:pool"),
        ),
        "file": (
            reverse("supervision:evaluation-file", args=[ev]),
            REPORT,
            reverse("supervision:evaluation-detail", args=[ev]),
        ),
    }
    before = _state()
    got = {}
    for persona in each_persona(client, personas):
        got[persona] = {}
        for name, (url, data, detail) in actions.items():
            with undone():
                result, _response = outcome(client, "post", url, data, detail)
                changed = _state() != before
            got[persona][name] = result
            if result != "done":
                assert not changed, (persona, name)
    assert got == table(ACTION_MATRIX, ACTIONS)


def test_the_public_pages_show_nothing_unpublished(client, sv):
    listing = client.get(reverse("supervision:public-draw-list")).content.decode()
    assert sv["published"].title in listing
    # an unpublished draw is named (a draw repeated until it suits shows), never its seed or result
    # (test_breakit_public.py)
    assert sv["unpublished"].seed not in listing
    assert reverse("supervision:public-draw-detail", args=[sv["unpublished"].pk]) not in listing
    page = client.get(reverse("supervision:public-draw-detail", args=[sv["published"].pk])).content.decode()
    assert sv["unpublished"].seed not in page
    assert client.get(reverse("supervision:public-draw-detail", args=[sv["unpublished"].pk])).status_code == 404


def test_the_public_page_shows_the_record_the_command_and_the_match(client, sv):
    record = sv["published"]
    page = client.get(reverse("supervision:public-draw-detail", args=[record.pk])).content.decode()
    population = " ".join(str(i) for i in record.project_population)
    assert record.seed in page
    assert "greenbuild supervision draw --seed {} --ratio 0.5 {} --json".format(record.seed, population) in page
    assert 'data-recomputed="match"' in page and "mismatch" not in page
    assert 'data-selected="projects">{}<'.format(" ".join(str(i) for i in record.project_selected)) in page
    # the inspectors' names stay off the public page (ids only)
    assert str(record.drawn_by) not in page


def test_a_refused_draw_form_keeps_its_input_and_saves_nothing(client, personas, sv):
    client.force_login(personas["bureau"])
    before = Draw.objects.count()
    data = {"title": "第二批", "kind": "both", "ratio": "0", "inspector_ratio": "1", "due_on": sv["today"].isoformat()}
    response = client.post(reverse("supervision:draw-create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["ratio"]
    assert response.context["form"]["title"].value() == "第二批"
    assert Draw.objects.count() == before
    data["ratio"] = "1.5"
    assert client.post(reverse("supervision:draw-create"), data).context["form"].errors["ratio"]
    assert Draw.objects.count() == before


def test_a_draw_through_the_page(client, personas, sv):
    client.force_login(personas["dan_district"])
    data = {
        "title": "天宁区第二批",
        "kind": "both",
        "district": sv["tianning"].pk,
        "ratio": "1",
        "inspector_ratio": "0.5",
        "due_on": sv["today"].isoformat(),
    }
    response = client.post(reverse("supervision:draw-create"), data)
    record = Draw.objects.get(title="天宁区第二批")
    assert response.status_code == 302 and response["Location"] == reverse("supervision:draw-detail", args=[record.pk])
    assert record.drawn_by == personas["dan_district"] and record.project_selected == [sv["alice_pilot"].pk]
    assert 'data-recomputed="match"' in client.get(response["Location"]).content.decode()


def test_the_project_page_shows_the_supervision_panel(client, personas, sv):
    client.force_login(personas["alice_owner"])
    page = client.get(reverse("projects:project-detail", args=[sv["alice_pilot"].pk])).content.decode()
    assert 'id="supervision-panel"' in page
    assert reverse("supervision:plan-detail", args=[sv["plan"].pk]) in page
    assert reverse("supervision:evaluation-detail", args=[sv["evaluation"].pk]) in page
    assert sv["unpublished"].title not in page  # alice may not see the district's unpublished draw
