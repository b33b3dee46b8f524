"""Issue 16 items 3 and 9, tried as an adversary would: what the experts of a round read (and stop
reading), the confidential facts of the project they review, the opinion form through the API and
the page with bad input, the employer limit on replacement draws, and the panel leader."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from greenbuild.accounts.choices import Role
from greenbuild.core.errors import DomainError
from greenbuild.reviews import services
from greenbuild.reviews.choices import RoundEventKind
from greenbuild.reviews.models import ExpertOpinion, ExpertProfile, PanelSeat, RoundEvent
from greenbuild.reviews.tests.conftest import full_opinion, full_scores
from greenbuild.testing.factories import person

pytestmark = pytest.mark.django_db

APPROVAL = "2021-320400-47-01-654321"


def _score_url(seat):
    return "/api/v1/panel-seats/{}/actions/score/".format(seat.pk)


def _api(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def confidential(scoring):
    """The reviewed project holds an investment and an approval code (internal facts)."""
    review_round, seats = scoring
    project = review_round.plan.project
    project.investment_wan_yuan = Decimal("54321.99")
    project.approval_code = APPROVAL
    project.save(update_fields=["investment_wan_yuan", "approval_code"])
    return review_round, seats


# --- confidential facts of the reviewed project --------------------------------------------------


def _export_cells(response):
    import openpyxl

    content = b"".join(response.streaming_content) if response.streaming else response.content
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row if cell.value is not None]


def test_the_project_export_shows_a_seated_expert_no_investment_nor_approval_code(client, confidential):
    review_round, seats = confidential
    client.force_login(seats[1].expert)
    response = client.get(reverse("reports:project-list-xlsx"))
    cells = _export_cells(response)
    assert any(review_round.plan.project.name in cell for cell in cells)  # the row is there
    assert not any(APPROVAL in cell or "54321" in cell for cell in cells)
    client.force_login(review_round.plan.project.owner.memberships.first().user)
    assert any(APPROVAL in cell for cell in _export_cells(client.get(reverse("reports:project-list-xlsx"))))


def test_searching_the_project_list_by_approval_code_finds_nothing_for_a_seated_expert(client, confidential):
    review_round, seats = confidential
    project = review_round.plan.project
    client.force_login(seats[1].expert)
    assert project.name in client.get(reverse("projects:project-list")).content.decode()
    for url in (reverse("projects:project-list"), "/api/v1/projects/"):
        response = client.get(url, {"q": APPROVAL[-6:]})
        assert project.name not in response.content.decode()
    client.force_login(review_round.plan.project.owner.memberships.first().user)
    assert project.name in client.get(reverse("projects:project-list"), {"q": APPROVAL[-6:]}).content.decode()


# --- the opinion form: the API, bad input ---------------------------------------------------------


def test_an_api_draft_of_scores_only_keeps_the_saved_opinion_form(client, scoring):
    review_round, seats = scoring
    seat = seats[1]
    services.save_scores(actor=seat.expert, seat_id=seat.pk, data=full_scores(review_round), submit=False)
    client.force_login(seat.expert)
    section = review_round.scheme.sections.first()
    response = _api(client, _score_url(seat), {"scores": [{"section": section.pk, "score": "7"}]})
    assert response.status_code == 200
    opinion = ExpertOpinion.objects.get(seat=seat)
    assert opinion.opinion == full_opinion()["opinion"] and opinion.recommendation == "passed"
    assert opinion.declaration_signed
    # a field sent is changed, even to empty
    _api(client, _score_url(seat), {"scores": [], "opinion": "", "declaration": False})
    opinion.refresh_from_db()
    assert opinion.opinion == "" and not opinion.declaration_signed and opinion.recommendation == "passed"


def test_nul_characters_and_huge_comments_are_refused_with_a_message_and_nothing_written(client, scoring):
    review_round, seats = scoring
    seat = seats[1]
    client.force_login(seat.expert)
    section = review_round.scheme.sections.first()
    url = reverse("reviews:seat-score", args=[seat.pk])
    for name, value in (
        ("opinion", "好\x00方案"),
        ("revision_requirements", "1. \x00"),
        ("comment_{}".format(section.pk), "意见\x00"),
        ("comment_{}".format(section.pk), "长" * 10001),
    ):
        data = full_scores(review_round)
        data[name] = value
        response = client.post(url, data)
        assert response.status_code == 400, name
        assert not ExpertOpinion.objects.filter(seat=seat).exists() and not seat.scores.exists()
    response = _api(
        client, _score_url(seat), {"scores": [{"section": section.pk, "score": "7", "comment": "长" * 10001}]}
    )
    assert response.status_code == 400 and not seat.scores.exists()


def test_a_second_tab_submitting_again_is_told_so_and_changes_nothing(client, scoring):
    review_round, seats = scoring
    seat = seats[1]
    client.force_login(seat.expert)
    url = reverse("reviews:seat-score", args=[seat.pk])
    first = {**full_scores(review_round, "8"), "submit": "1", "confirmed": "1"}
    assert client.post(url, first).status_code == 302
    second = {**full_scores(review_round, "9"), "submit": "1", "confirmed": "1"}
    response = client.post(url, second, follow=True)
    assert response.status_code == 200
    assert "已经提交" in response.content.decode() or "submitted already" in response.content.decode()
    assert {s.score for s in seat.scores.all()} == {Decimal("8")}


def test_a_clarification_reopens_the_opinion_with_the_scores(personas, scoring):
    review_round, seats = scoring
    seat = seats[1]
    services.save_scores(actor=seat.expert, seat_id=seat.pk, data=full_scores(review_round), submit=True)
    assert ExpertOpinion.objects.get(seat=seat).submitted_at is not None
    services.request_clarification(actor=personas["bureau"], round_id=review_round.pk, question="请补充装配率计算书")
    from greenbuild.plans import services as plan_services

    plan_services.answer_clarification(actor=personas["alice_owner"], plan_id=review_round.plan_id, answer="已补充")
    seat.refresh_from_db()
    assert seat.submitted_at is None
    assert ExpertOpinion.objects.get(seat=seat).submitted_at is None


# --- the employer limit on a replacement draw -----------------------------------------------------


def test_a_replacement_never_seats_a_colleague_of_a_seated_expert_who_left_the_pool(personas, orgs, drawn):
    review_round, seats = drawn
    services.respond_to_seat(actor=seats[0].expert, seat_id=seats[0].pk, accept=True)
    employer = ExpertProfile.objects.get(user=seats[0].expert).employer
    # the seated expert is busy for new panels; colleagues of their employer join the pool
    ExpertProfile.objects.filter(user=seats[0].expert).update(available=False)
    colleagues = []
    for index in range(6):
        colleague = person("colleague{}".format(index), Role.EXPERT, orgs["experts"])
        ExpertProfile.objects.create(user=colleague, specialties=["construction"], employer=employer)
        colleagues.append(colleague)
    keep = [s.expert_id for s in seats] + [c.pk for c in colleagues]
    ExpertProfile.objects.exclude(user_id__in=keep).update(available=False)
    services.respond_to_seat(actor=seats[1].expert, seat_id=seats[1].pk, accept=False)
    seated = PanelSeat.objects.filter(round=review_round).exclude(response="declined").select_related("expert")
    employers = [ExpertProfile.objects.get(user=s.expert).employer_id for s in seated]
    assert len(employers) == len(set(employers))


# --- the panel leader -----------------------------------------------------------------------------


def test_appointing_the_leader_who_already_leads_is_refused_and_logged_once(personas, scoring):
    review_round, seats = scoring  # seats[0] appointed by the fixture
    with pytest.raises(DomainError):
        services.appoint_leader(actor=personas["bureau"], round_id=review_round.pk, seat_id=seats[0].pk)
    kinds = list(RoundEvent.objects.filter(round=review_round, kind=RoundEventKind.LEADER_APPOINTED))
    assert len(kinds) == 1
    services.appoint_leader(actor=personas["bureau"], round_id=review_round.pk, seat_id=seats[1].pk)
    assert list(review_round.seats.filter(is_leader=True)) == [PanelSeat.objects.get(pk=seats[1].pk)]


# --- after the conclusion: the leader verifies the revision ---------------------------------------


def test_the_leader_reads_the_revised_versions_files_to_verify_the_revision(client, personas, all_submitted):
    from greenbuild.plans import services as plan_services
    from greenbuild.reviews.tests.conftest import plan_data

    review_round, seats = all_submitted
    leader, member = seats[0].expert, seats[1].expert
    allowed = services.allowed_conclusions(review_round)
    assert "passed_with_revisions" in allowed
    services.conclude_round(
        actor=leader,
        round_id=review_round.pk,
        conclusion="passed_with_revisions",
        reasons="基本可行",
        requirements=["细化装配率计算书"],
        revision_deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    owner = personas["alice_owner"]
    plan = review_round.plan
    plan_services.save_plan_draft(actor=owner, plan_id=plan.pk, data=plan_data(plan.project))
    revised = plan_services.attach_plan_file(
        actor=owner,
        plan_id=plan.pk,
        uploaded_file=SimpleUploadedFile("修改稿.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    )
    plan_services.submit_revision(actor=owner, plan_id=plan.pk, comment="已修改")
    download = reverse("attachments:download", args=[revised.pk])
    client.force_login(leader)
    assert client.get(download).status_code == 200
    # the experts keep reading the project they reviewed after the conclusion, not the revision
    client.force_login(member)
    assert client.get(reverse("projects:project-detail", args=[plan.project_id])).status_code == 200
    assert client.get(download).status_code == 404


# --- the score bands bind the conclusion -----------------------------------------------------------


def test_the_leader_cannot_record_a_conclusion_outside_the_score_band(client, all_submitted_high):
    review_round, seats = all_submitted_high  # consolidated 90: the band allows only "pass"
    leader = seats[0].expert
    assert services.allowed_conclusions(review_round) == ["passed"]
    with pytest.raises(DomainError):
        services.conclude_round(actor=leader, round_id=review_round.pk, conclusion="failed", reasons="不通过")
    client.force_login(leader)
    response = _api(
        client,
        "/api/v1/review-rounds/{}/actions/conclude/".format(review_round.pk),
        {"conclusion": "failed", "comment": "不通过"},
    )
    assert response.status_code == 400
    review_round.refresh_from_db()
    assert review_round.status == "scoring" and not review_round.conclusion
    services.conclude_round(actor=leader, round_id=review_round.pk, conclusion="passed", reasons="同意通过")
