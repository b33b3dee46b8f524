"""The gates' predicate and SQL forms agree at every stage of a round; the inbox shows what waits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from greenbuild.notifications.services import inbox_for
from greenbuild.reviews import services
from greenbuild.reviews.models import ExpertProfile, ExpertScore, PanelSeat, ReviewRound
from greenbuild.reviews.permissions import PROFILE_GATE, ROUND_GATE, SCORE_GATE, SEAT_GATE
from greenbuild.reviews.tests.conftest import full_scores
from greenbuild.testing.gates import gate_disagreements, users_of

pytestmark = pytest.mark.django_db


def check_every_gate(personas, seats):
    users = users_of({**personas, **{"seat{}".format(s.order): s.expert for s in seats}})
    for gate, model in (
        (ROUND_GATE, ReviewRound),
        (SEAT_GATE, PanelSeat),
        (SCORE_GATE, ExpertScore),
        (PROFILE_GATE, ExpertProfile),
    ):
        assert gate_disagreements(gate, users, list(model.objects.all())) == [], gate.label


def test_the_predicates_and_the_sql_agree_at_every_stage(personas, drawn):
    review_round, seats = drawn
    services.respond_to_seat(actor=seats[2].expert, seat_id=seats[2].pk, accept=False)  # a decline and its replacement
    seats = list(PanelSeat.objects.filter(round=review_round).order_by("order"))
    check_every_gate(personas, seats)
    for seat in seats:
        if seat.response == "pending":
            services.respond_to_seat(actor=seat.expert, seat_id=seat.pk, accept=True)
    active = [s for s in PanelSeat.objects.filter(round=review_round).order_by("order") if s.seated]
    services.save_scores(actor=active[0].expert, seat_id=active[0].pk, data=full_scores(review_round, "7"), submit=True)
    services.save_scores(actor=active[1].expert, seat_id=active[1].pk, data=full_scores(review_round, "6"))  # a draft
    check_every_gate(personas, seats)


def test_the_inbox_shows_invitations_scores_and_the_conclusion_with_the_deadline(personas, pool, submitted_plan):
    bureau = personas["bureau"]
    assert "reviews.to_draw" in {i.kind for i in inbox_for(bureau)}
    deadline = timezone.localdate() + dt.timedelta(days=7)
    review_round = services.draw_panel(actor=bureau, plan_id=submitted_plan.pk, panel_size=3, seed=4, deadline=deadline)
    seats = list(review_round.seats.order_by("order"))
    assert "reviews.to_draw" not in {i.kind for i in inbox_for(bureau)}
    invitation = [i for i in inbox_for(seats[1].expert) if i.kind == "reviews.to_answer"]
    assert len(invitation) == 1 and invitation[0].due == deadline
    for seat in seats:
        services.respond_to_seat(actor=seat.expert, seat_id=seat.pk, accept=True)
    assert {i.kind for i in inbox_for(seats[1].expert)} >= {"reviews.to_score"}
    assert "reviews.to_appoint_leader" in {i.kind for i in inbox_for(bureau)}
    services.appoint_leader(actor=bureau, round_id=review_round.pk, seat_id=seats[0].pk)
    assert "reviews.to_appoint_leader" not in {i.kind for i in inbox_for(bureau)}
    for seat in seats:
        services.save_scores(actor=seat.expert, seat_id=seat.pk, data=full_scores(review_round), submit=True)
    assert "reviews.to_conclude" in {i.kind for i in inbox_for(seats[0].expert)}
    assert not {i.kind for i in inbox_for(seats[1].expert)} & {"reviews.to_score", "reviews.to_conclude"}
    assert not [i for i in inbox_for(personas["eve_expert"]) if i.kind.startswith("reviews.")]


def test_the_drawn_experts_are_told_and_read_the_plan(
    personas, pool, submitted_plan, django_capture_on_commit_callbacks
):
    from greenbuild.notifications.models import Notification
    from greenbuild.plans.permissions import can as can_plan

    with django_capture_on_commit_callbacks(execute=True):
        review_round = services.draw_panel(actor=personas["bureau"], plan_id=submitted_plan.pk, panel_size=3, seed=8)
    seats = list(review_round.seats.all())
    for seat in seats:
        assert Notification.objects.filter(recipient=seat.expert, event__verb="reviews.invited").exists()
        assert can_plan(seat.expert, "view", review_round.plan)
    assert not Notification.objects.filter(recipient=personas["eve_expert"], event__verb="reviews.invited").exists()
    assert not can_plan(personas["eve_expert"], "view", review_round.plan)
    with django_capture_on_commit_callbacks(execute=True):
        services.respond_to_seat(actor=seats[0].expert, seat_id=seats[0].pk, accept=False)
    assert Notification.objects.filter(recipient=personas["bureau"], event__verb="reviews.declined").exists()


def test_the_project_page_shows_the_review_to_the_owner_and_the_bureau(client, personas, all_submitted):
    from django.urls import reverse

    review_round, seats = all_submitted
    url = reverse("projects:project-detail", args=[review_round.plan.project_id])
    for name in ("alice_owner", "bureau"):
        client.force_login(personas[name])
        assert 'id="review-panel"' in client.get(url).content.decode()
    client.force_login(personas["dan_district"])
    assert 'id="review-panel"' not in client.get(url).content.decode()
