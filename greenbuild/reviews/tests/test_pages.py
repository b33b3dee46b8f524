"""The reviews pages and endpoints: the permission matrix (nothing written on a refusal), the forms'
bad input, blindness on the pages, and a constant number of queries on the lists."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from greenbuild.audit.models import AuditEvent
from greenbuild.reviews import services
from greenbuild.reviews.models import ExpertScore, PanelSeat, ReviewRound
from greenbuild.reviews.tests.conftest import full_scores
from greenbuild.testing.matrix import PERSONAS, each_persona, outcome, table, undone

pytestmark = pytest.mark.django_db


def seat_personas(personas, seats):
    """The personas plus the seated experts: ``leader``, ``member`` (both accepted)."""
    return {**personas, "leader": seats[0].expert, "member": seats[1].expert}


NAMES = (*PERSONAS[:-1], "leader", "member", "anonymous")

PAGES = table(
    """
    alice_owner         200 403 404 404 404
    olivia_other_owner  404 404 404 404 404
    dan_district        404 403 404 404 404
    wu_district         404 404 404 404 404
    bureau              200 200 200 200 403
    dept_reviewer       404 403 404 404 404
    carl_contractor     404 404 404 404 404
    eve_expert          404 404 404 404 404
    ted_evaluator       404 404 404 404 404
    dave_outsider       404 404 404 404 404
    leader              200 404 404 404 200
    member              200 404 404 404 404
    anonymous           login login login login login
    """,
    ["round", "draw", "experts", "expert_edit", "score"],
    NAMES,
)


def test_the_permission_matrix_of_the_pages(client, personas, pool, scoring, submitted_plan):
    review_round, seats = scoring
    users = seat_personas(personas, seats)
    from greenbuild.reviews.tests.conftest import submit_plan_of

    other_plan = submit_plan_of(
        __import__("greenbuild.testing.factories", fromlist=["x"]).move_to(
            __import__("greenbuild.testing.factories", fromlist=["x"]).make_project(
                personas["alice_owner"], name="待抽取"
            ),
            "candidate",
            owner=personas["alice_owner"],
            district_official=personas["dan_district"],
            bureau=personas["bureau"],
        ),
        personas["alice_owner"],
    )
    urls = {
        "round": reverse("reviews:round-detail", args=[review_round.pk]),
        "draw": reverse("reviews:draw", args=[other_plan.pk]),
        "experts": reverse("reviews:expert-list"),
        "expert_edit": reverse("reviews:expert-edit", args=[seats[0].expert_id]),
        "score": reverse("reviews:seat-score", args=[seats[0].pk]),
    }
    got = {}
    for persona in each_persona(client, users, NAMES):
        row = {}
        for column, url in urls.items():
            kind, response = outcome(client, "get", url, None, "")
            row[column] = {"ok": "200"}.get(kind, kind)
        got[persona] = row
    assert got == PAGES


ACTIONS = table(
    """
    alice_owner         403 403 403 404 403
    olivia_other_owner  404 404 404 404 404
    dan_district        404 404 404 404 404
    wu_district         404 404 404 404 404
    bureau              403 done 403 403 refused
    dept_reviewer       404 404 404 404 404
    carl_contractor     404 404 404 404 404
    eve_expert          404 404 404 404 404
    ted_evaluator       404 404 404 404 404
    dave_outsider       404 404 404 404 404
    member              403 403 403 404 403
    anonymous           login login login login login
    """,
    ["conclude", "clarify", "letter", "score_other", "replace"],
    (*PERSONAS[:-1], "member", "anonymous"),
)


def test_the_permission_matrix_of_the_actions_writes_nothing(client, personas, all_submitted):
    review_round, seats = all_submitted
    users = seat_personas(personas, seats)
    posts = {
        "conclude": (
            reverse("reviews:round-conclude", args=[review_round.pk]),
            {"conclusion": "passed", "reasons": "同意"},
        ),
        "clarify": (reverse("reviews:round-clarify", args=[review_round.pk]), {"question": "?"}),
        "letter": (reverse("reviews:round-letter", args=[review_round.pk]), {}),
        "score_other": (
            reverse("reviews:seat-score", args=[seats[0].pk]),
            {**full_scores(review_round, "1"), "submit": "1"},
        ),
        "replace": (reverse("reviews:round-replace", args=[review_round.pk]), {}),
    }
    before = (ReviewRound.objects.get().status, ExpertScore.objects.filter(score=1).count())
    got = {}
    for persona in each_persona(client, users, (*PERSONAS[:-1], "member", "anonymous")):
        row = {}
        for column, (url, data) in posts.items():
            with undone():
                kind, _response = outcome(
                    client, "post", url, data, reverse("reviews:round-detail", args=[review_round.pk])
                )
            row[column] = kind
        got[persona] = row
    assert got == ACTIONS
    assert (ReviewRound.objects.get().status, ExpertScore.objects.filter(score=1).count()) == before


def test_the_leader_concludes_through_the_page(client, all_submitted_high):
    review_round, seats = all_submitted_high  # “pass” needs ≥ 80 (the score bands)
    client.force_login(seats[0].expert)
    response = client.post(
        reverse("reviews:round-conclude", args=[review_round.pk]), {"conclusion": "passed", "reasons": "同意通过"}
    )
    assert response.status_code == 302
    review_round.refresh_from_db()
    assert review_round.status == "concluded"


def test_a_conclusion_before_every_expert_scored_is_refused_on_the_page(client, scoring):
    review_round, seats = scoring
    client.force_login(seats[0].expert)
    with translation.override("zh-hans"):
        response = client.post(
            reverse("reviews:round-conclude", args=[review_round.pk]),
            {"conclusion": "passed", "reasons": "同意"},
            follow=True,
        )
    assert "尚未提交" in response.content.decode()
    assert ReviewRound.objects.get().status == "scoring"


def test_a_score_outside_the_range_is_shown_at_its_field_in_chinese(client, scoring):
    review_round, seats = scoring
    section = review_round.scheme.sections.first()
    data = {**full_scores(review_round), "score_{}".format(section.pk): "12", "submit": "1"}
    client.force_login(seats[1].expert)
    response = client.post(reverse("reviews:seat-score", args=[seats[1].pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-field="score_{}"'.format(section.pk) in page and "之间" in page
    assert not ExpertScore.objects.exists()


def test_an_even_panel_size_is_refused_on_the_draw_page(client, personas, pool, submitted_plan):
    client.force_login(personas["bureau"])
    from greenbuild.reviews.models import CriteriaScheme

    response = client.post(
        reverse("reviews:draw", args=[submitted_plan.pk]),
        {"panel_size": "4", "scheme": CriteriaScheme.objects.first().pk},
    )
    assert response.status_code == 200
    assert 'data-field="panel_size"' in response.content.decode() and "奇数" in response.content.decode()
    assert not ReviewRound.objects.exists()


def test_the_required_specialties_are_named_above_their_options(client, personas, pool, submitted_plan):
    """UI-23: "必需专业" is the legend of its checkboxes, above them (it sat under the options)."""
    client.force_login(personas["bureau"])
    page = client.get(reverse("reviews:draw", args=[submitted_plan.pk])).content.decode()
    legend = page.index("<legend")
    assert "必需专业" in page[legend : page.index("</legend>")]
    assert legend < page.index('name="required_specialties"')


def test_an_expert_sees_no_other_score_before_submitting_and_the_reveal_is_audited(client, scoring):
    review_round, seats = scoring
    services.save_scores(actor=seats[0].expert, seat_id=seats[0].pk, data=full_scores(review_round, "3"), submit=True)
    client.force_login(seats[1].expert)
    page = client.get(reverse("reviews:round-detail", args=[review_round.pk])).content.decode()
    assert 'id="scores"' not in page and not AuditEvent.objects.filter(kind="blind_data_revealed").exists()
    api = client.get("/api/v1/expert-scores/").json()
    assert api["count"] == 0
    services.save_scores(actor=seats[1].expert, seat_id=seats[1].pk, data=full_scores(review_round, "9"), submit=True)
    page = client.get(reverse("reviews:round-detail", args=[review_round.pk])).content.decode()
    assert 'id="scores"' in page
    assert AuditEvent.objects.filter(kind="blind_data_revealed", actor=seats[1].expert).exists()


def test_the_owner_sees_the_conclusion_but_never_the_scores(client, personas, all_submitted_high):
    review_round, seats = all_submitted_high  # “pass” needs ≥ 80 (the score bands)
    services.conclude_round(actor=seats[0].expert, round_id=review_round.pk, conclusion="passed", reasons="同意")
    client.force_login(personas["alice_owner"])
    page = client.get(reverse("reviews:round-detail", args=[review_round.pk])).content.decode()
    assert 'id="round-conclusion"' in page and 'id="scores"' not in page and 'id="issue-button"' not in page
    assert client.get("/api/v1/expert-scores/").json()["count"] == 0
    body = client.get("/api/v1/review-rounds/{}/".format(review_round.pk)).json()
    assert body["seats"] == [] and body["conclusion"] == "passed"


def test_the_decision_letter_is_a_pdf_in_chinese(personas, all_submitted_high):
    from greenbuild.reviews.letter import letter_context

    review_round, seats = all_submitted_high  # “pass” needs ≥ 80 (the score bands)
    services.conclude_round(actor=seats[0].expert, round_id=review_round.pk, conclusion="passed", reasons="同意通过")
    document, created = services.issue_decision_letter(actor=personas["bureau"], round_id=review_round.pk)
    assert created and document.file.file.read(4) == b"%PDF"
    context = letter_context(ReviewRound.objects.get())
    assert "scores" not in context  # the letter carries no individual score (totals unattributed)


def test_an_expert_answers_the_invitation_on_the_page(client, drawn):
    review_round, seats = drawn
    client.force_login(seats[0].expert)
    response = client.post(
        reverse("reviews:seat-respond", args=[seats[0].pk]), {"decision": "accept", "conflict": "on"}
    )
    assert response.status_code == 302
    assert PanelSeat.objects.get(pk=seats[0].pk).response == "pending"
    client.force_login(seats[1].expert)
    assert client.post(reverse("reviews:seat-respond", args=[seats[0].pk]), {"decision": "accept"}).status_code == 404


def test_the_review_list_runs_a_constant_number_of_queries(client, personas, pool, all_submitted):
    client.force_login(personas["bureau"])
    url = reverse("reviews:round-list")
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    from greenbuild.reviews.tests.conftest import submit_plan_of
    from greenbuild.testing.factories import make_project, move_to

    project = move_to(
        make_project(personas["alice_owner"], name="第二个"),
        "candidate",
        owner=personas["alice_owner"],
        district_official=personas["dan_district"],
        bureau=personas["bureau"],
    )
    plan = submit_plan_of(project, personas["alice_owner"])
    services.draw_panel(actor=personas["bureau"], plan_id=plan.pk, panel_size=3)
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert len(second) == len(first)


API = {
    "bureau": (200, 200, 200),
    "alice_owner": (200, 200, 200),
    "eve_expert": (200, 200, 200),
    "dave_outsider": (200, 200, 200),
}


def test_the_api_lists_only_what_the_gate_allows(client, personas, all_submitted):
    review_round, seats = all_submitted
    counts = {}
    for name, user in (
        ("bureau", personas["bureau"]),
        ("owner", personas["alice_owner"]),
        ("eve", personas["eve_expert"]),
        ("member", seats[1].expert),
    ):
        client.force_login(user)
        counts[name] = tuple(
            client.get("/api/v1/{}/".format(path)).json()["count"]
            for path in ("review-rounds", "panel-seats", "expert-scores", "expert-profiles")
        )
    sections = review_round.scheme.sections.count()
    assert counts["bureau"] == (1, 3, 3 * sections, 7)
    assert counts["owner"] == (1, 0, 0, 0)
    assert counts["eve"] == (0, 0, 0, 0)
    assert counts["member"] == (1, 1, 3 * sections, 1)
    client.force_login(personas["eve_expert"])
    assert client.get("/api/v1/review-rounds/{}/".format(review_round.pk)).status_code == 404


def test_the_api_refuses_bad_input_with_nothing_written(client, personas, pool, submitted_plan):
    client.force_login(personas["bureau"])
    response = client.post(
        "/api/v1/review-rounds/", {"plan": submitted_plan.pk, "panel_size": 4}, content_type="application/json"
    )
    assert response.status_code == 400 and "panel_size" in response.json().get("errors", response.json())
    response = client.post(
        "/api/v1/review-rounds/", {"plan": submitted_plan.pk, "status": "concluded"}, content_type="application/json"
    )
    assert response.status_code == 400
    client.force_login(personas["alice_owner"])
    assert (
        client.post("/api/v1/review-rounds/", {"plan": submitted_plan.pk}, content_type="application/json").status_code
        == 403
    )
    assert not ReviewRound.objects.exists()
    client.force_login(personas["bureau"])
    response = client.post(
        "/api/v1/review-rounds/", {"plan": submitted_plan.pk, "panel_size": 3}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["seed"] is not None


def test_scoring_through_the_api(client, scoring):
    review_round, seats = scoring
    section = review_round.scheme.sections.first()
    client.force_login(seats[1].expert)
    url = "/api/v1/panel-seats/{}/actions/score/".format(seats[1].pk)
    bad = client.post(
        url, {"scores": [{"section": section.pk, "score": "11"}], "submit": False}, content_type="application/json"
    )
    assert bad.status_code == 400 and not ExpertScore.objects.exists()
    good = client.post(url, {"scores": [{"section": section.pk, "score": "7.5"}]}, content_type="application/json")
    assert good.status_code == 200 and good.json()[0]["score"] == "7.50"
    other = "/api/v1/panel-seats/{}/actions/score/".format(seats[0].pk)
    assert client.post(other, {"scores": []}, content_type="application/json").status_code == 404
