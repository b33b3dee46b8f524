"""The review round through its services: the state machine, the draw, blindness, bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from greenbuild.audit.models import AuditEvent
from greenbuild.core.errors import ActionForbidden, DomainError, TransitionNotAllowed
from greenbuild.core.workflow import apply_move
from greenbuild.plans import services as plan_services
from greenbuild.plans.choices import PlanStatus
from greenbuild.reviews import services
from greenbuild.reviews.choices import RoundStatus, SeatResponse
from greenbuild.reviews.models import ExpertProfile, ExpertScore, PanelSeat, ReviewRound, RoundTransition
from greenbuild.reviews.permissions import SCORE_GATE, can
from greenbuild.reviews.tests.conftest import full_scores
from greenbuild.reviews.workflow import ROUND_WORKFLOW
from greenbuild.testing.factories import OrganisationFactory, person

pytestmark = pytest.mark.django_db

S = RoundStatus
EXPECTED_ALLOWED = {
    S.PANEL: {S.SCORING},
    S.SCORING: {S.CLARIFICATION, S.CONCLUDED},
    S.CLARIFICATION: {S.SCORING},
    S.CONCLUDED: set(),
}


def test_the_declared_moves_are_exactly_the_expected_ones():
    assert {k: set(v) for k, v in ROUND_WORKFLOW.allowed().items()} == EXPECTED_ALLOWED


# --- the draw ----------------------------------------------------------------------------------


def test_drawing_a_panel_seats_experts_records_the_seed_and_puts_the_plan_in_review(drawn, submitted_plan):
    review_round, seats = drawn
    assert review_round.seed == 20211101 and review_round.status == S.PANEL
    # the leader is appointed by the bureau or elected by the panel: never the first drawn (REV-13)
    assert [s.order for s in seats] == [1, 2, 3] and [s.is_leader for s in seats] == [False, False, False]
    assert len(review_round.pool_ids) == 7
    submitted_plan.refresh_from_db()
    assert submitted_plan.status == PlanStatus.IN_REVIEW
    assert review_round.plan_version_id == submitted_plan.current_version_id


def test_the_draw_is_reproduced_from_its_seed(personas, pool, submitted_plan, drawn):
    review_round, seats = drawn
    from greenbuild.reviews import draw

    replay = draw.draw_panel(
        services.expert_candidates(),
        size=3,
        seed=review_round.seed,
        conflicted_organisation_ids=services.conflicted_organisations(submitted_plan.project),
    )
    assert replay == [s.expert_id for s in seats]


@pytest.fixture
def project_with_contractor(personas, orgs):
    from greenbuild.projects import services as project_services
    from greenbuild.projects.choices import ParticipantRole
    from greenbuild.testing.factories import make_project, move_to

    project = make_project(personas["alice_owner"], name="回避测试")
    project_services.add_participant(
        actor=personas["alice_owner"],
        project_id=project.pk,
        organisation=orgs["contractor"],
        role=ParticipantRole.CONTRACTOR,
    )
    return move_to(
        project,
        "candidate",
        owner=personas["alice_owner"],
        district_official=personas["dan_district"],
        bureau=personas["bureau"],
    )


def conflicted_experts(orgs):
    """Three experts with a conflict: employed by the owner, employed by the contractor, a member of it."""
    made = []
    for name, employer in (("conflict_owner", orgs["owner"]), ("conflict_contractor", orgs["contractor"])):
        user = person(name, services.Role.EXPERT, orgs["experts"])
        ExpertProfile.objects.create(user=user, specialties=["bim"], employer=employer)
        made.append(user)
    member = person("conflict_member", services.Role.EXPERT, orgs["contractor"])
    ExpertProfile.objects.create(user=member, specialties=["bim"], employer=None)
    return made + [member]


def test_experts_employed_by_the_owner_or_a_participant_are_never_drawn(personas, orgs, pool, project_with_contractor):
    from greenbuild.reviews.tests.conftest import submit_plan_of

    conflicted = {u.pk for u in conflicted_experts(orgs)}
    plan = submit_plan_of(project_with_contractor, personas["alice_owner"])
    review_round = services.draw_panel(actor=personas["bureau"], plan_id=plan.pk, panel_size=7, seed=1)
    assert not conflicted & set(review_round.seats.values_list("expert_id", flat=True))
    assert set(review_round.excluded_ids) == conflicted
    for seed in range(25):  # whatever the seed
        assert not conflicted & set(
            services.drawing.draw_panel(
                services.expert_candidates(),
                size=7,
                seed=seed,
                conflicted_organisation_ids=services.conflicted_organisations(project_with_contractor),
            )
        )


def test_too_few_eligible_experts_is_a_clear_error_and_nothing_is_written(
    personas, orgs, pool, project_with_contractor
):
    from greenbuild.reviews.tests.conftest import submit_plan_of

    conflicted_experts(orgs)
    plan = submit_plan_of(project_with_contractor, personas["alice_owner"])
    with translation.override("zh-hans"), pytest.raises(DomainError) as error:
        services.draw_panel(actor=personas["bureau"], plan_id=plan.pk, panel_size=9)
    assert error.value.field == "panel_size"
    assert "7" in str(error.value.message) and "9" in str(error.value.message) and "专家" in str(error.value.message)
    assert not ReviewRound.objects.exists()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


@pytest.mark.parametrize("size", [4, 2, 6])
def test_an_even_panel_size_is_refused_with_nothing_written(personas, pool, submitted_plan, size):
    with translation.override("en"), pytest.raises(DomainError) as error:
        services.draw_panel(actor=personas["bureau"], plan_id=submitted_plan.pk, panel_size=size)
    assert error.value.field == "panel_size"
    assert not ReviewRound.objects.exists() and not PanelSeat.objects.exists()


def test_a_required_specialty_is_drawn(personas, pool, submitted_plan):
    review_round = services.draw_panel(
        actor=personas["bureau"], plan_id=submitted_plan.pk, panel_size=3, required_specialties=["hvac", "bim"], seed=9
    )
    specialties = set()
    for seat in review_round.seats.select_related("expert__expert_profile"):
        specialties |= set(seat.expert.expert_profile.specialties)
    assert {"hvac", "bim"} <= specialties


def test_only_the_bureau_draws_and_only_for_a_submitted_plan(personas, pool, submitted_plan, drawn):
    with pytest.raises(ActionForbidden):
        services.draw_panel(actor=personas["alice_owner"], plan_id=submitted_plan.pk, panel_size=3)
    with pytest.raises(DomainError):  # already in review
        services.draw_panel(actor=personas["bureau"], plan_id=submitted_plan.pk, panel_size=3)
    assert ReviewRound.objects.count() == 1


# --- seats -------------------------------------------------------------------------------------


def test_when_every_expert_accepts_the_round_opens_for_scoring(scoring):
    review_round, seats = scoring
    assert review_round.status == S.SCORING
    assert RoundTransition.objects.get(round=review_round).to_status == S.SCORING


def test_accepting_with_a_declared_conflict_is_refused(drawn):
    review_round, seats = drawn
    with translation.override("zh-hans"), pytest.raises(DomainError) as error:
        services.respond_to_seat(
            actor=seats[0].expert, seat_id=seats[0].pk, accept=True, conflict=True, note="曾参与设计"
        )
    assert error.value.field == "conflict"
    seats[0].refresh_from_db()
    assert seats[0].response == SeatResponse.PENDING and not seats[0].conflict_declared


def test_a_decline_draws_the_next_expert_of_the_seed_stream(drawn):
    review_round, seats = drawn
    leader = seats[0]
    services.respond_to_seat(actor=leader.expert, seat_id=leader.pk, accept=False, conflict=True, note="与业主有合作")
    leader.refresh_from_db()
    assert leader.response == SeatResponse.DECLINED and leader.conflict_declared and not leader.is_leader
    replacement = leader.replaced_by
    assert replacement is not None and not replacement.is_leader and replacement.order == 4
    stream = [
        c.id
        for c in services.drawing.seed_stream(
            services.drawing.eligible(services.expert_candidates(), set()), review_round.seed
        )
    ]
    assert replacement.expert_id == stream[3]
    assert not can(leader.expert, "view", ReviewRound.objects.get(pk=review_round.pk))


def test_an_expert_answers_only_their_own_seat_and_only_once(drawn):
    review_round, seats = drawn
    with pytest.raises(ActionForbidden):
        services.respond_to_seat(actor=seats[1].expert, seat_id=seats[0].pk, accept=True)
    services.respond_to_seat(actor=seats[0].expert, seat_id=seats[0].pk, accept=True)
    with pytest.raises(DomainError):
        services.respond_to_seat(actor=seats[0].expert, seat_id=seats[0].pk, accept=False)


def test_the_bureau_draws_a_replacement_when_none_was_left(personas, orgs, submitted_plan):
    experts = []
    for index in range(3):
        user = person("only{}".format(index), services.Role.EXPERT, orgs["experts"])
        ExpertProfile.objects.create(user=user, specialties=["bim"])
        experts.append(user)
    review_round = services.draw_panel(actor=personas["bureau"], plan_id=submitted_plan.pk, panel_size=3, seed=3)
    seat = review_round.seats.first()
    services.respond_to_seat(actor=seat.expert, seat_id=seat.pk, accept=False)
    seat.refresh_from_db()
    assert seat.replaced_by is None
    with translation.override("en"), pytest.raises(DomainError, match="No further expert"):
        services.draw_replacement(actor=personas["bureau"], round_id=review_round.pk)
    newcomer = person("newcomer", services.Role.EXPERT, orgs["experts"])
    ExpertProfile.objects.create(user=newcomer, specialties=["bim"])
    with pytest.raises(ActionForbidden):
        services.draw_replacement(actor=experts[1], round_id=review_round.pk)
    replacement = services.draw_replacement(actor=personas["bureau"], round_id=review_round.pk)
    assert replacement.expert == newcomer


# --- scores and blindness ----------------------------------------------------------------------


def test_a_score_outside_a_criterions_range_is_refused_and_nothing_saved(scoring):
    review_round, seats = scoring
    section = review_round.scheme.sections.first()
    data = full_scores(review_round)
    data["score_{}".format(section.pk)] = "10.5"
    with translation.override("zh-hans"), pytest.raises(DomainError) as error:
        services.save_scores(actor=seats[0].expert, seat_id=seats[0].pk, data=data, submit=True)
    assert error.value.field == "score_{}".format(section.pk)
    assert "0" in str(error.value.message) and "10" in str(error.value.message)
    assert not ExpertScore.objects.exists()
    seats[0].refresh_from_db()
    assert seats[0].submitted_at is None


@pytest.mark.parametrize("bad", ["abc", "-1", "NaN", "7.123", "Infinity"])
def test_malformed_scores_are_refused(scoring, bad):
    review_round, seats = scoring
    data = full_scores(review_round)
    data["score_{}".format(review_round.scheme.sections.last().pk)] = bad
    with pytest.raises(DomainError):
        services.save_scores(actor=seats[0].expert, seat_id=seats[0].pk, data=data)
    assert not ExpertScore.objects.exists()


def test_submitting_needs_every_section_and_a_submission_is_final(scoring):
    review_round, seats = scoring
    data = full_scores(review_round)
    data.pop("score_{}".format(review_round.scheme.sections.first().pk))
    services.save_scores(actor=seats[0].expert, seat_id=seats[0].pk, data=data)  # a draft may be partial
    with pytest.raises(DomainError):
        services.save_scores(actor=seats[0].expert, seat_id=seats[0].pk, data=data, submit=True)
    services.save_scores(actor=seats[0].expert, seat_id=seats[0].pk, data=full_scores(review_round), submit=True)
    with pytest.raises(DomainError):
        services.save_scores(actor=seats[0].expert, seat_id=seats[0].pk, data=full_scores(review_round, "1"))
    assert set(ExpertScore.objects.values_list("score", flat=True)) == {Decimal("8")}


def test_no_expert_reads_another_experts_score_before_submitting_their_own(scoring):
    review_round, seats = scoring
    first, second = seats[0].expert, seats[1].expert
    services.save_scores(actor=first, seat_id=seats[0].pk, data=full_scores(review_round, "9"), submit=True)
    services.save_scores(actor=second, seat_id=seats[1].pk, data=full_scores(review_round, "5"))  # a draft
    review_round.refresh_from_db()
    # the second expert has not submitted: they read only their own draft
    visible = SCORE_GATE.for_user(second)
    assert set(visible.values_list("seat__expert_id", flat=True)) == {second.pk}
    assert not can(second, "view_scores", review_round)
    # the first one submitted: they read submitted scores, never the other's draft
    assert set(SCORE_GATE.for_user(first).values_list("seat__expert_id", flat=True)) == {first.pk}
    services.save_scores(actor=second, seat_id=seats[1].pk, data=full_scores(review_round, "5"), submit=True)
    assert set(SCORE_GATE.for_user(second).values_list("seat__expert_id", flat=True)) == {first.pk, second.pk}
    fresh = ReviewRound.objects.get(pk=review_round.pk)
    assert can(second, "view_scores", fresh)


def test_the_owner_never_reads_individual_scores(personas, all_submitted):
    review_round, seats = all_submitted
    owner = personas["alice_owner"]
    assert can(owner, "view", review_round) and not can(owner, "view_scores", review_round)
    assert not SCORE_GATE.for_user(owner).exists()


def test_revealing_scores_is_audited(personas, all_submitted):
    review_round, seats = all_submitted
    services.reveal_scores(actor=personas["bureau"], review_round=review_round)
    event = AuditEvent.objects.filter(kind="blind_data_revealed").get()
    assert event.actor == personas["bureau"]
    with pytest.raises(ActionForbidden):
        services.reveal_scores(actor=personas["alice_owner"], review_round=review_round)


def test_the_consolidated_score_of_the_round(all_submitted):
    review_round, seats = all_submitted
    # every section scored 6, 7, 8 of 10 → totals 60, 70, 80; three experts: the mean 70
    assert sorted(services.expert_totals(review_round).values()) == [
        Decimal("60.00"),
        Decimal("70.00"),
        Decimal("80.00"),
    ]
    assert services.consolidated_score(review_round) == Decimal("70.00")


# --- clarification -----------------------------------------------------------------------------


def test_a_clarification_goes_to_the_owner_and_the_answer_comes_back_as_a_new_version(personas, scoring):
    review_round, seats = scoring
    leader = seats[0].expert
    services.save_scores(actor=seats[1].expert, seat_id=seats[1].pk, data=full_scores(review_round), submit=True)
    services.request_clarification(actor=leader, round_id=review_round.pk, question="请补充装配率计算书")
    review_round.refresh_from_db()
    plan = review_round.plan
    plan.refresh_from_db()
    assert review_round.status == S.CLARIFICATION and plan.status == PlanStatus.CLARIFICATION
    assert review_round.clarification_question == "请补充装配率计算书"
    with pytest.raises(DomainError):  # no scoring meanwhile
        services.save_scores(actor=seats[2].expert, seat_id=seats[2].pk, data=full_scores(review_round))
    old_version = review_round.plan_version_id
    plan_services.answer_clarification(actor=personas["alice_owner"], plan_id=plan.pk, answer="已补充计算书")
    review_round.refresh_from_db()
    plan.refresh_from_db()
    assert review_round.status == S.SCORING and plan.status == PlanStatus.IN_REVIEW
    assert review_round.plan_version_id == plan.current_version_id != old_version
    assert review_round.plan_version.number == 2
    # submitted scores are reopened for the new version
    assert not PanelSeat.objects.filter(round=review_round, submitted_at__isnull=False).exists()


def test_only_the_leader_or_the_bureau_asks_for_clarification(personas, scoring):
    review_round, seats = scoring
    for actor in (seats[1].expert, personas["alice_owner"]):
        with pytest.raises(ActionForbidden):
            services.request_clarification(actor=actor, round_id=review_round.pk, question="?")
    with pytest.raises(DomainError):  # the question is required
        services.request_clarification(actor=personas["bureau"], round_id=review_round.pk, question=" ")
    review_round.refresh_from_db()
    assert review_round.status == S.SCORING


# --- the conclusion ----------------------------------------------------------------------------


def test_a_conclusion_before_every_expert_scored_is_refused(scoring):
    review_round, seats = scoring
    services.save_scores(actor=seats[0].expert, seat_id=seats[0].pk, data=full_scores(review_round), submit=True)
    with translation.override("zh-hans"), pytest.raises(DomainError) as error:
        services.conclude_round(actor=seats[0].expert, round_id=review_round.pk, conclusion="passed", reasons="同意")
    assert "2" in str(error.value.message)
    review_round.refresh_from_db()
    assert review_round.status == S.SCORING and not review_round.conclusion
    assert review_round.plan.status == PlanStatus.IN_REVIEW


def test_the_leader_concludes_and_the_plan_follows(personas, all_submitted):
    review_round, seats = all_submitted
    for actor in (seats[1].expert, personas["alice_owner"], personas["bureau"]):
        with pytest.raises(ActionForbidden):
            services.conclude_round(actor=actor, round_id=review_round.pk, conclusion="passed", reasons="同意")
    with pytest.raises(DomainError):
        services.conclude_round(actor=seats[0].expert, round_id=review_round.pk, conclusion="maybe", reasons="同意")
    with pytest.raises(DomainError):
        services.conclude_round(actor=seats[0].expert, round_id=review_round.pk, conclusion="passed", reasons="")
    with pytest.raises(DomainError):  # 修改后通过 lists its revision requirements and sets a deadline
        services.conclude_round(
            actor=seats[0].expert, round_id=review_round.pk, conclusion="passed_with_revisions", reasons="按意见修改"
        )
    services.conclude_round(
        actor=seats[0].expert,
        round_id=review_round.pk,
        conclusion="passed_with_revisions",
        reasons="按意见修改后通过",
        requirements=["补充装配率计算书"],
        revision_deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    review_round.refresh_from_db()
    assert review_round.status == S.CONCLUDED and review_round.conclusion == "passed_with_revisions"
    assert review_round.consolidated_score == Decimal("70.00") and review_round.concluded_by == seats[0].expert
    assert review_round.plan.status == PlanStatus.PASSED_WITH_REVISIONS
    assert review_round.history.first().history_user == seats[0].expert
    with pytest.raises(TransitionNotAllowed):
        services.conclude_round(actor=seats[0].expert, round_id=review_round.pk, conclusion="failed", reasons="x")


@pytest.mark.parametrize("outcome", ["passed", "revise", "failed"])
def test_every_outcome_moves_the_plan(all_submitted, outcome):
    review_round, seats = all_submitted
    review_round.rules = {**review_round.rules, "bands": []}  # every conclusion allowed (no score band)
    review_round.save(update_fields=["rules"])
    services.conclude_round(actor=seats[0].expert, round_id=review_round.pk, conclusion=outcome, reasons="理由")
    review_round.plan.refresh_from_db()
    assert review_round.plan.status == outcome


@pytest.mark.parametrize(
    ("status_fixture", "move", "allowed"),
    [
        ("drawn", "open_scoring", False),  # not every expert accepted (a guard)
        ("drawn", "request_clarification", False),
        ("drawn", "resume", False),
        ("drawn", "conclude", False),
        ("scoring", "open_scoring", False),
        ("scoring", "resume", False),
        ("all_submitted", "conclude", True),
        ("all_submitted", "request_clarification", True),
    ],
)
def test_moves_from_each_state(request, personas, status_fixture, move, allowed):
    review_round, seats = request.getfixturevalue(status_fixture)
    actor = seats[0].expert if move != "resume" else personas["bureau"]
    if move == "conclude":
        if not allowed:
            with pytest.raises((TransitionNotAllowed, DomainError, ActionForbidden)):
                services.conclude_round(actor=actor, round_id=review_round.pk, conclusion="revise", reasons="r")
            return
        services.conclude_round(actor=actor, round_id=review_round.pk, conclusion="revise", reasons="r")
        return
    if not allowed:
        with pytest.raises((TransitionNotAllowed, DomainError, ActionForbidden)):
            apply_move(workflow=ROUND_WORKFLOW, actor=actor, obj_or_pk=review_round.pk, action=move, comment="c")
        return
    services.request_clarification(actor=actor, round_id=review_round.pk, question="c")


def test_nothing_moves_a_concluded_round(personas, all_submitted):
    review_round, seats = all_submitted
    services.conclude_round(actor=seats[0].expert, round_id=review_round.pk, conclusion="revise", reasons="不符合")
    for move in ROUND_WORKFLOW.table:
        with pytest.raises((TransitionNotAllowed, ActionForbidden, DomainError)):
            apply_move(
                workflow=ROUND_WORKFLOW, actor=personas["bureau"], obj_or_pk=review_round.pk, action=move, comment="c"
            )


def test_the_expert_profile_is_the_bureaus_to_write(personas, orgs):
    expert = personas["eve_expert"]
    with pytest.raises(ActionForbidden):
        services.save_expert_profile(actor=expert, user_id=expert.pk, data={"title": "x"})
    with pytest.raises(DomainError):
        services.save_expert_profile(actor=personas["bureau"], user_id=personas["alice_owner"].pk, data={"title": "x"})
    with pytest.raises(DomainError):
        services.save_expert_profile(actor=personas["bureau"], user_id=expert.pk, data={"specialties": ["magic"]})
    profile = services.save_expert_profile(
        actor=personas["bureau"],
        user_id=expert.pk,
        data={"specialties": ["bim"], "title": "高工", "employer": orgs["evaluator"]},
    )
    assert profile.history.first().history_user == personas["bureau"]
    assert ExpertProfile.objects.count() == 1
    assert OrganisationFactory  # the factory is the way to add employers in other tests
