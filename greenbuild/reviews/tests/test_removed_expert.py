"""SEC-10 (issue 17 item 3): an expert removed from the pool (the expert membership removed, or
the account deactivated) loses the panel at once — the seat counts only together with the role,
on the pages, in the API and in the services."""

from __future__ import annotations

import json

import pytest

from greenbuild.accounts.choices import Role
from greenbuild.core.errors import ActionForbidden
from greenbuild.reviews import permissions, services
from greenbuild.reviews.events import expert_inbox
from greenbuild.reviews.models import ExpertScore, PanelSeat, ReviewRound
from greenbuild.reviews.tests.conftest import full_scores

pytestmark = pytest.mark.django_db


def _remove_from_pool(expert, how):
    if how == "membership":
        expert.memberships.filter(role=Role.EXPERT).delete()
    else:
        expert.is_active = False
        expert.save(update_fields=["is_active"])
    expert.refresh_from_db()
    expert.__dict__.pop("_gb_memberships", None)


@pytest.mark.parametrize("how", ["membership", "deactivated"])
def test_an_expert_removed_from_the_pool_loses_the_panel_in_the_gates_and_services(personas, scoring, how):
    review_round, seats = scoring
    gone, stays = seats[1].expert, seats[2].expert
    services.save_scores(actor=gone, seat_id=seats[1].pk, data=full_scores(review_round, "7"), submit=False)
    services.save_scores(actor=stays, seat_id=seats[2].pk, data=full_scores(review_round, "8"), submit=True)
    _remove_from_pool(gone, how)
    fresh = ReviewRound.objects.get(pk=review_round.pk)

    assert not permissions.in_pool(gone)
    assert not permissions.can(gone, "view", fresh)
    assert not permissions.can(gone, "view_scores", fresh)
    assert not permissions.ROUND_GATE.for_user(gone).exists()
    assert not permissions.SEAT_GATE.for_user(gone).exists()
    assert not permissions.SCORE_GATE.for_user(gone).exists()
    assert not permissions.reads_plan(gone, fresh.plan)
    assert not permissions.reads_project(gone, fresh.plan.project)
    assert list(expert_inbox(gone)) == []
    with pytest.raises(ActionForbidden):
        services.save_scores(actor=gone, seat_id=seats[1].pk, data=full_scores(review_round, "9"), submit=False)
    # the others keep their seats
    assert permissions.can(stays, "view_scores", fresh)
    assert permissions.SCORE_GATE.for_user(stays).filter(seat=seats[2]).exists()


def test_a_removed_expert_is_refused_on_the_pages_and_in_the_api(client, personas, scoring):
    review_round, seats = scoring
    gone = seats[1].expert
    client.force_login(gone)
    assert client.get("/reviews/{}/".format(review_round.pk)).status_code == 200
    assert client.get("/api/v1/review-rounds/{}/".format(review_round.pk)).status_code == 200
    _remove_from_pool(gone, "membership")

    assert client.get("/reviews/{}/".format(review_round.pk)).status_code == 404
    assert client.get("/reviews/seats/{}/score/".format(seats[1].pk)).status_code == 404
    response = client.post("/reviews/seats/{}/score/".format(seats[1].pk), full_scores(review_round, "9"))
    assert response.status_code == 404
    assert client.get("/api/v1/review-rounds/{}/".format(review_round.pk)).status_code == 404
    assert client.get("/api/v1/panel-seats/").json()["count"] == 0
    assert client.get("/api/v1/expert-scores/").json()["count"] == 0
    body = {"scores": {}, "submit": False}
    response = client.post(
        "/api/v1/panel-seats/{}/actions/score/".format(seats[1].pk),
        data=json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not ExpertScore.objects.filter(seat=seats[1]).exists()
    # no to-do is left for the removed expert
    assert list(expert_inbox(gone)) == []
    assert PanelSeat.objects.filter(pk=seats[1].pk, expert=gone).exists()  # the seat itself is kept (history)


def test_available_false_keeps_the_seat(personas, scoring):
    """``available`` only keeps an expert out of new draws: a seated expert goes on."""
    review_round, seats = scoring
    expert = seats[1].expert
    expert.expert_profile.available = False
    expert.expert_profile.save()
    assert permissions.can(expert, "view", ReviewRound.objects.get(pk=review_round.pk))


def test_a_removed_expert_gets_no_to_do_to_elect_the_leader_nor_a_vote(personas, pool, submitted_plan, scheme):
    """Found breaking SEC-10: the "elect the panel leader" to-do read the seats without the pool
    check, so a removed expert kept a to-do linking to a round they may no longer open."""
    from greenbuild.notifications.services import inbox_for
    from greenbuild.reviews.choices import LeaderSelection

    scheme.leader_selection = LeaderSelection.ELECTED
    scheme.save()
    review_round = services.draw_panel(actor=personas["bureau"], plan_id=submitted_plan.pk, panel_size=3, seed=9)
    seats = list(review_round.seats.order_by("order"))
    for seat in seats:
        services.respond_to_seat(actor=seat.expert, seat_id=seat.pk, accept=True)
    gone = seats[0].expert
    assert "reviews.to_elect_leader" in {i.kind for i in inbox_for(gone)}
    _remove_from_pool(gone, "membership")
    assert "reviews.to_elect_leader" not in {i.kind for i in inbox_for(gone)}
    with pytest.raises(ActionForbidden):
        services.vote_for_leader(actor=gone, round_id=review_round.pk, seat_id=seats[1].pk)
