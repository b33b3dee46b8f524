"""Issue 16 items 3 and 9: the expert's opinion form (专家评审意见表) and its consolidation, the score
bands and panel rules of the scheme, the exclusions of the draw (REV-13), the round's timeline
(REV-19), the confirmation before the final submit (REV-20), the kept invitation reply (UI-05), and
what seated experts read: their notifications (UI-08), the project's basic facts and the plan
version's files (REV-04), with links between the round, the project and the version (REV-18)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from greenbuild.accounts.choices import OrganisationKind, Role
from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.reviews import draw as drawing
from greenbuild.reviews import services
from greenbuild.reviews.choices import Exclusion, LeaderSelection, RoundEventKind, SeatResponse
from greenbuild.reviews.models import ExpertOpinion, ExpertProfile, PanelSeat, ReviewRound, RoundEvent, ScoreBand
from greenbuild.reviews.tests.conftest import full_opinion, full_scores
from greenbuild.testing.factories import OrganisationFactory, person

pytestmark = pytest.mark.django_db


# --- the draw: one expert per employer, exclusions named, no automatic leader ------------------


def test_the_pure_draw_never_seats_two_experts_of_one_employer_and_names_who_was_skipped():
    candidates = [drawing.Candidate(id=i, employer_id=1 if i <= 4 else i) for i in range(1, 10)]
    for seed in range(50):
        result = drawing.draw_panel_detail(candidates, size=5, seed=seed, max_per_employer=1)
        employers = [next(c.employer_id for c in candidates if c.id == x) for x in result.panel]
        assert len(result.panel) == 5 and employers.count(1) <= 1
        assert all(next(c.employer_id for c in candidates if c.id == x) == 1 for x in result.skipped_for_employer)
    with pytest.raises(drawing.DrawError) as error:
        drawing.draw_panel_detail(candidates[:5], size=3, seed=1, max_per_employer=1)
    assert error.value.code == "employer_limit"


def test_a_replacement_never_brings_a_second_expert_of_an_employer_on_the_panel():
    candidates = [drawing.Candidate(id=i, employer_id=1 if i in (1, 2) else i) for i in range(1, 6)]
    seated = [1, 3]
    for seed in range(30):
        replacement = drawing.draw_replacement(
            candidates, seed=seed, seated=seated, drawn_before=[1, 3, 4], max_per_employer=1
        )
        assert replacement == 5  # 2 shares the employer of 1; 4 was drawn before


@pytest.fixture
def crowded_pool(orgs, pool):
    """The pool plus three more experts of one employer (the first pool expert's)."""
    employer = ExpertProfile.objects.get(user=pool[0]).employer
    extra = []
    for index in range(3):
        user = person("colleague{}".format(index), Role.EXPERT, orgs["experts"])
        ExpertProfile.objects.create(user=user, specialties=["construction"], employer=employer)
        extra.append(user)
    return extra


def test_the_draw_records_every_exclusion_with_its_name_and_reason(personas, orgs, pool, crowded_pool, submitted_plan):
    owner_man = person("owner_expert", Role.EXPERT, orgs["experts"])
    ExpertProfile.objects.create(user=owner_man, specialties=["bim"], employer=orgs["owner"])
    related = person("related_expert", Role.EXPERT, orgs["experts"])
    profile = ExpertProfile.objects.create(user=related, specialties=["bim"], employer=None)
    profile.related_organisations.add(submitted_plan.project.owner)
    review_round = services.draw_panel(actor=personas["bureau"], plan_id=submitted_plan.pk, panel_size=7, seed=3)
    seats = list(review_round.seats.select_related("expert__expert_profile"))
    employers = [s.expert.expert_profile.employer_id for s in seats]
    assert len(employers) == len(set(employers)) == 7  # never two of one employer (REV-13)
    reasons = {row["expert"]: row["reason"] for row in review_round.exclusions}
    assert reasons[owner_man.pk] == Exclusion.ORGANISATION and reasons[related.pk] == Exclusion.DECLARED_RELATION
    skipped = [row for row in review_round.exclusions if row["reason"] == Exclusion.EMPLOYER_LIMIT]
    assert skipped and all(row["name"] for row in review_round.exclusions)
    assert {row["expert"] for row in skipped} <= {p.pk for p in [pool[0], *crowded_pool]}
    assert review_round.rules["max_per_employer"] == 1 and review_round.rules["bands"]


def test_only_the_bureau_reads_the_exclusions_on_the_round_page(client, personas, orgs, scoring):
    review_round, seats = scoring
    review_round.exclusions = [{"expert": 999, "name": "回避的专家", "reason": Exclusion.ORGANISATION}]
    review_round.save(update_fields=["exclusions"])
    url = reverse("reviews:round-detail", args=[review_round.pk])
    client.force_login(personas["bureau"])
    page = client.get(url).content.decode()
    assert 'id="exclusions"' in page and "回避的专家" in page
    for user in (seats[0].expert, personas["alice_owner"]):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert 'id="exclusions"' not in page and "回避的专家" not in page


def test_an_expert_who_declared_a_conflict_is_not_drawn_again_for_the_plan(personas, drawn):
    review_round, seats = drawn
    services.respond_to_seat(actor=seats[0].expert, seat_id=seats[0].pk, accept=False, conflict=True, note="亲属")
    plan = review_round.plan
    _all, pool, reasons = services.screen_candidates(plan)
    assert reasons[seats[0].expert_id] == Exclusion.DECLARED_CONFLICT
    assert seats[0].expert_id not in {c.id for c in pool}


# --- the leader ----------------------------------------------------------------------------------


def test_the_bureau_appoints_the_leader_among_accepted_experts_and_nobody_else_does(personas, drawn):
    review_round, seats = drawn
    assert not any(s.is_leader for s in review_round.seats.all())
    with pytest.raises(DomainError):  # not accepted yet
        services.appoint_leader(actor=personas["bureau"], round_id=review_round.pk, seat_id=seats[1].pk)
    for seat in seats:
        services.respond_to_seat(actor=seat.expert, seat_id=seat.pk, accept=True)
    with pytest.raises(ActionForbidden):
        services.appoint_leader(actor=seats[1].expert, round_id=review_round.pk, seat_id=seats[1].pk)
    with pytest.raises(DomainError):  # appointed scheme: no election
        services.vote_for_leader(actor=seats[1].expert, round_id=review_round.pk, seat_id=seats[1].pk)
    services.appoint_leader(actor=personas["bureau"], round_id=review_round.pk, seat_id=seats[1].pk)
    services.appoint_leader(actor=personas["bureau"], round_id=review_round.pk, seat_id=seats[2].pk)
    assert [s.is_leader for s in review_round.seats.order_by("order")] == [False, False, True]
    assert RoundEvent.objects.filter(round=review_round, kind=RoundEventKind.LEADER_APPOINTED).count() == 2


def test_an_elected_leader_needs_the_votes_of_more_than_half_of_the_panel(personas, pool, submitted_plan, scheme):
    scheme.leader_selection = LeaderSelection.ELECTED
    scheme.save()
    review_round = services.draw_panel(actor=personas["bureau"], plan_id=submitted_plan.pk, panel_size=3, seed=9)
    seats = list(review_round.seats.order_by("order"))
    for seat in seats:
        services.respond_to_seat(actor=seat.expert, seat_id=seat.pk, accept=True)
    with pytest.raises(DomainError):
        services.appoint_leader(actor=personas["bureau"], round_id=review_round.pk, seat_id=seats[0].pk)
    from greenbuild.notifications.services import inbox_for

    assert "reviews.to_elect_leader" in {i.kind for i in inbox_for(seats[0].expert)}
    assert "reviews.to_appoint_leader" not in {i.kind for i in inbox_for(personas["bureau"])}
    services.vote_for_leader(actor=seats[0].expert, round_id=review_round.pk, seat_id=seats[2].pk)
    assert "reviews.to_elect_leader" not in {i.kind for i in inbox_for(seats[0].expert)}
    assert not PanelSeat.objects.filter(round=review_round, is_leader=True).exists()
    services.vote_for_leader(actor=seats[1].expert, round_id=review_round.pk, seat_id=seats[2].pk)
    assert PanelSeat.objects.get(round=review_round, is_leader=True).pk == seats[2].pk
    with pytest.raises(DomainError):
        services.vote_for_leader(actor=seats[2].expert, round_id=review_round.pk, seat_id=seats[0].pk)


# --- the opinion form ----------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["opinion", "recommendation", "revision_requirements", "declaration"])
def test_every_part_of_the_opinion_form_is_required_to_submit_and_nothing_is_written(scoring, missing):
    review_round, seats = scoring
    data = full_scores(review_round)
    data.pop(missing)
    with pytest.raises(DomainError) as error:
        services.save_scores(actor=seats[1].expert, seat_id=seats[1].pk, data=data, submit=True)
    assert error.value.field == missing
    seats[1].refresh_from_db()
    assert seats[1].submitted_at is None and not ExpertOpinion.objects.filter(seat=seats[1]).exists()


def test_a_draft_keeps_the_opinion_and_the_submission_signs_the_declaration(scoring):
    review_round, seats = scoring
    services.save_scores(actor=seats[1].expert, seat_id=seats[1].pk, data={"opinion": "初稿"})
    draft = ExpertOpinion.objects.get(seat=seats[1])
    assert draft.opinion == "初稿" and draft.submitted_at is None and not draft.declaration_signed
    services.save_scores(actor=seats[1].expert, seat_id=seats[1].pk, data=full_scores(review_round), submit=True)
    draft.refresh_from_db()
    assert draft.submitted_at is not None and draft.declaration_signed and draft.declaration_text.startswith("本人承诺")


def test_the_opinions_are_consolidated_for_the_conclusion_and_the_letter(scoring):
    review_round, seats = scoring
    recommendations = ["passed", "passed_with_revisions", "passed_with_revisions"]
    texts = ["1. 补充装配率计算书\n2. 明确BIM交付标准", "（1）补充装配率计算书", "无"]
    for index, seat in enumerate(seats):
        data = {**full_scores(review_round, str(6 + index)), **full_opinion(recommendations[index])}
        data["revision_requirements"] = texts[index]
        services.save_scores(actor=seat.expert, seat_id=seat.pk, data=data, submit=True)
    result = services.consolidate_opinions(review_round)
    assert result.recommendations == {"passed": 1, "passed_with_revisions": 2, "revise": 0, "failed": 0}
    assert result.revision_requirements == ["补充装配率计算书", "明确BIM交付标准"]
    assert [e.total for e in result.experts] == [Decimal("60.00"), Decimal("70.00"), Decimal("80.00")]
    assert result.score == Decimal("70.00")
    assert result.allowed == ["passed_with_revisions", "revise"] == services.allowed_conclusions(review_round)


def test_the_score_bands_are_the_schemes_as_they_were_at_the_draw(all_submitted, scheme):
    review_round, seats = all_submitted  # consolidated 70
    assert services.allowed_conclusions(review_round) == ["passed_with_revisions", "revise"]
    ScoreBand.objects.filter(scheme=scheme, min_score=Decimal(60)).update(allows_failed=True)
    review_round = ReviewRound.objects.get(pk=review_round.pk)
    assert services.allowed_conclusions(review_round) == ["passed_with_revisions", "revise"]  # the draw's version
    assert services.conclusions_for_score(review_round, Decimal("80.00")) == ["passed"]
    assert services.conclusions_for_score(review_round, Decimal("59.99")) == ["failed"]


def test_the_score_page_asks_for_a_confirmation_before_the_final_submit(client, scoring):
    review_round, seats = scoring
    url = reverse("reviews:seat-score", args=[seats[1].pk])
    client.force_login(seats[1].expert)
    data = {**full_scores(review_round), "submit": "1"}
    page = client.post(url, data)
    assert page.status_code == 200 and 'id="confirm-form"' in page.content.decode()
    seats[1].refresh_from_db()
    assert seats[1].submitted_at is None and not ExpertOpinion.objects.filter(seat=seats[1]).exists()
    back = client.post(url, {**data, "edit": "1"}).content.decode()
    assert 'id="score-form"' in back and "方案目标明确" in back  # back to the form, input kept
    response = client.post(url, {**data, "confirmed": "1"})
    assert response.status_code == 302
    seats[1].refresh_from_db()
    assert seats[1].submitted_at is not None and seats[1].opinion.recommendation == "passed"


def test_a_refused_submission_keeps_every_input_of_the_opinion_form(client, scoring):
    review_round, seats = scoring
    client.force_login(seats[1].expert)
    data = {**full_scores(review_round), "submit": "1"}
    data.pop("declaration")
    response = client.post(reverse("reviews:seat-score", args=[seats[1].pk]), data)
    page = response.content.decode()
    assert response.status_code == 400 and 'data-field="declaration"' in page
    assert "方案目标明确" in page and "细化装配率计算书" in page and 'value="passed" selected' in page


# --- the timeline (REV-19) and the invitation reply (UI-05) --------------------------------------


def test_the_timeline_logs_declines_replacements_and_credits_the_scoring_start_to_nobody(client, personas, drawn):
    review_round, seats = drawn
    services.respond_to_seat(actor=seats[0].expert, seat_id=seats[0].pk, accept=False)
    kinds = list(RoundEvent.objects.filter(round=review_round).values_list("kind", flat=True))
    assert kinds == [RoundEventKind.DECLINED, RoundEventKind.REPLACED]
    for seat in review_round.seats.exclude(response=SeatResponse.DECLINED):
        services.respond_to_seat(actor=seat.expert, seat_id=seat.pk, accept=True)
    client.force_login(personas["bureau"])
    timeline = client.get(reverse("reviews:round-detail", args=[review_round.pk])).content.decode()
    timeline = timeline[timeline.index('id="timeline"') :]
    assert "谢绝" in timeline or "Invitation declined" in timeline
    last = PanelSeat.objects.filter(round=review_round, response=SeatResponse.ACCEPTED).order_by("-responded_at")[0]
    start = next(line for line in timeline.split("<li>") if "评分" in line and "接受" in line)
    assert str(last.expert) not in start


def test_a_refused_invitation_reply_comes_back_on_the_round_page_with_every_input(client, drawn):
    review_round, seats = drawn
    client.force_login(seats[0].expert)
    response = client.post(
        reverse("reviews:seat-respond", args=[seats[0].pk]),
        {"decision": "accept", "conflict": "on", "note": "本人曾参与该项目设计，请谢绝邀请。"},
    )
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("reviews:round-detail", args=[review_round.pk])
    )
    page = client.get(response["Location"]).content.decode()
    assert "本人曾参与该项目设计，请谢绝邀请。" in page
    assert 'value="accept"' in page and "checked" in page[page.index('name="conflict"') - 200 :][:400]
    seats[0].refresh_from_db()
    assert seats[0].response == SeatResponse.PENDING


# --- what seated experts read (UI-08, REV-04, REV-18) --------------------------------------------


def test_seated_experts_read_their_rounds_notifications_in_the_page_and_the_api(
    client, personas, pool, submitted_plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review_round = services.draw_panel(
            actor=personas["bureau"], plan_id=submitted_plan.pk, panel_size=3, seed=20211101
        )
    seats = list(review_round.seats.order_by("order"))
    for seat in seats:
        with django_capture_on_commit_callbacks(execute=True):
            services.respond_to_seat(actor=seat.expert, seat_id=seat.pk, accept=True)
    expert = seats[0].expert
    client.force_login(expert)
    rows = client.get("/api/v1/notifications/").json()
    rows = rows.get("results", rows) if isinstance(rows, dict) else rows
    assert len(rows) >= 2  # the invitation and the round's moves
    assert "notifications" in client.get(reverse("notifications:list")).content.decode()
    from greenbuild.notifications.models import Notification

    assert Notification.objects.visible_to(expert).count() == Notification.objects.filter(recipient=expert).count()
    # an expert who is not on the panel reads nothing of it, not even through another recipient's rows
    outsider = next(p for p in pool if p.pk not in {s.expert_id for s in seats})
    assert Notification.objects.visible_to(outsider).count() == 0
    assert Notification.objects.visible_to(personas["eve_expert"]).count() == 0


def test_reading_notifications_costs_the_same_queries_whatever_their_number(
    client, personas, scoring, django_capture_on_commit_callbacks
):
    review_round, seats = scoring
    expert = seats[1].expert
    client.force_login(expert)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/notifications/").status_code == 200
        return len(queries)

    from greenbuild.reviews.events import notify_declined

    with django_capture_on_commit_callbacks(execute=True):
        notify_declined(seats[2].pk, seats[2].expert_id)  # the audience is the bureau: none for the expert
    from greenbuild.notifications.services import emit

    emit(
        "reviews.invited",
        actor=None,
        project=review_round.plan.project,
        target=review_round,
        params={"round": review_round.pk, "project_name": "x", "experts": [expert.pk]},
    )
    few = count()
    for _ in range(5):
        emit(
            "reviews.invited",
            actor=None,
            project=review_round.plan.project,
            target=review_round,
            params={"round": review_round.pk, "project_name": "x", "experts": [expert.pk]},
        )
    assert count() == few


@pytest.fixture
def plan_with_files(personas, filed_project, pool):
    """A submitted plan with a file on its version, and a project file that is not the plan's."""
    from greenbuild.attachments.services import store_attachment
    from greenbuild.plans import services as plan_services
    from greenbuild.reviews.tests.conftest import plan_data

    owner = personas["alice_owner"]
    project = filed_project(
        "candidate",
        name="专家可读项目",
        investment_wan_yuan=Decimal("98765.43"),
        approval_code="2021-320400-47-01-123456",
    )
    plan = plan_services.start_plan(actor=owner, project=project)
    plan_services.save_plan_draft(actor=owner, plan_id=plan.pk, data=plan_data(project))
    plan_services.attach_plan_file(
        actor=owner,
        plan_id=plan.pk,
        uploaded_file=SimpleUploadedFile("策划方案.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    )
    plan_services.submit_plan(actor=owner, plan_id=plan.pk)
    plan.refresh_from_db()
    other = store_attachment(
        actor=owner,
        project=project,
        kind="evidence",
        uploaded_file=SimpleUploadedFile("投资估算.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    )
    version_file = plan.current_version.attachments.get()
    return plan, version_file, other


def test_seated_experts_read_the_projects_basic_facts_and_the_versions_files_and_nothing_else(
    client, personas, pool, plan_with_files
):
    plan, version_file, other = plan_with_files
    project = plan.project
    review_round = services.draw_panel(actor=personas["bureau"], plan_id=plan.pk, panel_size=3, seed=20211101)
    seats = list(review_round.seats.order_by("order"))
    outsider = next(p for p in pool if p.pk not in {s.expert_id for s in seats})
    project_url = reverse("projects:project-detail", args=[project.pk])
    download = reverse("attachments:download", args=[version_file.pk])
    # invited but not accepted yet, an expert of the pool not drawn, an expert without a profile: nothing
    for user in (seats[0].expert, outsider, personas["eve_expert"]):
        client.force_login(user)
        assert client.get(project_url).status_code == 404
        assert client.get(download).status_code == 404
    services.respond_to_seat(actor=seats[0].expert, seat_id=seats[0].pk, accept=True)
    client.force_login(seats[0].expert)
    page = client.get(project_url)
    text = page.content.decode()
    assert page.status_code == 200 and project.name in text and 'id="buildings"' in text
    assert "98765.43" not in text and "2021-320400-47-01-123456" not in text and 'id="participants"' not in text
    assert client.get(download).status_code == 200
    assert client.get(reverse("attachments:download", args=[other.pk])).status_code == 404
    api = client.get("/api/v1/projects/{}/".format(project.pk)).json()
    assert "investment_wan_yuan" not in api and "approval_code" not in api
    # the outsider still sees nothing
    client.force_login(outsider)
    assert client.get(project_url).status_code == 404 and client.get(download).status_code == 404


def test_the_round_links_the_project_and_its_version_and_the_plan_links_back(client, scoring):
    review_round, seats = scoring
    client.force_login(seats[0].expert)
    page = client.get(reverse("reviews:round-detail", args=[review_round.pk])).content.decode()
    project = review_round.plan.project
    assert reverse("projects:project-detail", args=[project.pk]) in page
    assert reverse("plans:version-detail", args=[project.pk, review_round.plan_version.number]) in page
    plan_page = client.get(reverse("plans:plan-detail", args=[project.pk])).content.decode()
    assert reverse("reviews:round-detail", args=[review_round.pk]) in plan_page


def test_the_project_gate_and_the_attachment_gate_agree_for_experts(personas, pool, plan_with_files):
    from greenbuild.attachments.models import Attachment
    from greenbuild.core.permissions import gate_for
    from greenbuild.projects.models import Project
    from greenbuild.testing.gates import gate_disagreements, users_of

    plan, version_file, other = plan_with_files
    review_round = services.draw_panel(actor=personas["bureau"], plan_id=plan.pk, panel_size=3, seed=20211101)
    seats = list(review_round.seats.order_by("order"))
    services.respond_to_seat(actor=seats[0].expert, seat_id=seats[0].pk, accept=True)
    users = users_of({**personas, **{"pool{}".format(i): p for i, p in enumerate(pool)}})
    assert gate_disagreements(gate_for(Project), users, list(Project.objects.all())) == []
    assert gate_disagreements(gate_for(Attachment), users, list(Attachment.objects.all())) == []
    assert OrganisationFactory and OrganisationKind  # imported for other tests of this module


# --- the same through the API ----------------------------------------------------------------------


def _api_scores(review_round, value="8"):
    return [{"section": s.pk, "score": value, "comment": "意见"} for s in review_round.scheme.sections.all()]


def test_the_api_files_the_opinion_with_the_scores_and_keeps_it_blind(client, personas, scoring):
    review_round, seats = scoring
    client.force_login(seats[1].expert)
    url = "/api/v1/panel-seats/{}/actions/score/".format(seats[1].pk)
    refused = client.post(url, {"scores": _api_scores(review_round), "submit": True}, content_type="application/json")
    assert refused.status_code == 400
    seats[1].refresh_from_db()
    assert seats[1].submitted_at is None
    body = {
        "scores": _api_scores(review_round),
        "opinion": "方案可行。",
        "recommendation": "passed",
        "revision_requirements": "无",
        "declaration": True,
        "submit": True,
    }
    assert client.post(url, body, content_type="application/json").status_code == 200
    own = client.get("/api/v1/panel-seats/{}/".format(seats[1].pk)).json()
    assert own["opinion"]["recommendation"] == "passed" and own["opinion"]["declaration_signed"] is True
    client.force_login(seats[2].expert)  # not submitted: reads no other expert's opinion
    rows = client.get("/api/v1/review-rounds/{}/".format(review_round.pk)).json()["seats"]
    assert all(row["opinion"] is None for row in rows)


def test_the_api_chooses_the_leader_as_the_scheme_says(client, personas, drawn):
    review_round, seats = drawn
    for seat in seats:
        services.respond_to_seat(actor=seat.expert, seat_id=seat.pk, accept=True)
    url = "/api/v1/review-rounds/{}/actions/choose_leader/".format(review_round.pk)
    client.force_login(seats[0].expert)
    assert client.post(url, {"seat": seats[0].pk}, content_type="application/json").status_code == 403
    client.force_login(personas["bureau"])
    assert client.post(url, {"seat": seats[1].pk}, content_type="application/json").status_code == 200
    assert PanelSeat.objects.get(is_leader=True, round=review_round).pk == seats[1].pk
