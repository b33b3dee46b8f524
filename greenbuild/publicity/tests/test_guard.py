"""The guard: a candidate is not confirmed while its public notice runs or an objection is
unanswered — through the service, the project page, the API and the admin alike."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from greenbuild.api import services as api_services
from greenbuild.core.errors import DomainError
from greenbuild.projects import hooks
from greenbuild.projects import services as project_services
from greenbuild.projects.choices import ProjectStatus as S
from greenbuild.projects.models import Project
from greenbuild.publicity import services
from greenbuild.publicity.models import PublicNotice

pytestmark = pytest.mark.django_db


def _end(notice):
    """The period is over (the notice was published long ago)."""
    today = timezone.localdate()
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=today - dt.timedelta(days=20), ends_on=today - dt.timedelta(days=10)
    )


def _confirm(project, bureau):
    return project_services.transition_project(actor=bureau, project_id=project.pk, action="confirm", comment="确认")


def bearer(user):
    return "Bearer " + api_services.create_token(actor=user, user=user, name="公示", scope="write")[1]


def test_a_running_notice_blocks_the_confirmation_through_the_service(running_notice, personas):
    project = running_notice.project
    with pytest.raises(DomainError) as excinfo:
        _confirm(project, personas["bureau"])
    assert running_notice.ends_on.isoformat() in str(excinfo.value.message)
    project.refresh_from_db()
    assert project.status == S.CANDIDATE
    assert not hooks.confirmable(Project.objects.filter(pk=project.pk)).exists()
    _end(running_notice)
    assert hooks.confirmable(Project.objects.filter(pk=project.pk)).exists()
    transition = _confirm(project, personas["bureau"])
    assert transition.context["public_notice_id"] == running_notice.pk


def test_an_unanswered_objection_blocks_after_the_period(running_notice, personas):
    objection = services.file_objection(notice_id=running_notice.pk, text="有异议")
    _end(running_notice)
    project = running_notice.project
    assert services.notice_blockers(project)
    assert not hooks.confirmable(Project.objects.filter(pk=project.pk)).exists()
    with pytest.raises(DomainError):
        _confirm(project, personas["bureau"])
    services.answer_objection(actor=personas["bureau"], objection_id=objection.pk, answer="已核实")
    assert services.notice_blockers(project) == []
    _confirm(project, personas["bureau"])
    project.refresh_from_db()
    assert project.status == S.CONFIRMED


def test_a_withdrawn_notice_keeps_its_unanswered_objection_blocking(running_notice, personas):
    services.file_objection(notice_id=running_notice.pk, text="有异议")
    services.transition_notice(actor=personas["bureau"], notice_id=running_notice.pk, action="withdraw", comment="重发")
    with pytest.raises(DomainError):
        _confirm(running_notice.project, personas["bureau"])


def test_the_project_page_refuses_the_confirmation(client, running_notice, personas):
    project = running_notice.project
    client.force_login(personas["bureau"])
    response = client.post(reverse("projects:project-transition", args=[project.pk, "confirm"]), {"comment": "确认"})
    assert response.status_code in (302, 200)
    project.refresh_from_db()
    assert project.status == S.CANDIDATE
    page = client.get(reverse("projects:project-detail", args=[project.pk]))
    assert "publicity-panel" in page.content.decode()


def test_the_api_refuses_the_confirmation(running_notice, personas):
    project = running_notice.project
    response = Client().post(
        "/api/v1/projects/{}/actions/confirm/".format(project.pk),
        json.dumps({"comment": "确认"}),
        "application/json",
        HTTP_AUTHORIZATION=bearer(personas["bureau"]),
    )
    assert response.status_code == 400
    project.refresh_from_db()
    assert project.status == S.CANDIDATE


def test_the_admin_cannot_confirm(client, running_notice, personas, orgs):
    from greenbuild.testing.factories import UserFactory

    admin_user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    project = running_notice.project
    url = reverse("admin:projects_project_change", args=[project.pk])
    client.post(url, {"status": S.CONFIRMED, "name": project.name})
    project.refresh_from_db()
    assert project.status == S.CANDIDATE


def test_notice_blockers_for_a_completion(pilot, personas):
    assert services.notice_blockers(pilot) == []
    assert services.notice_blockers(pilot, required=True)
    notice = services.create_notice(
        actor=personas["bureau"], project=pilot, data={"kind": "completion", "title": "验收前公示", "body": "结果"}
    )
    services.transition_notice(actor=personas["bureau"], notice_id=notice.pk, action="publish")
    assert services.notice_blockers(pilot)
    _end(notice)
    assert services.notice_blockers(pilot) == []
    assert services.notice_blockers(pilot, required=True) == []


def test_a_notice_needs_the_project_in_the_right_state(pilot, ready_candidate, personas):
    wrong = services.create_notice(
        actor=personas["bureau"], project=pilot, data={"kind": "candidate", "title": "错", "body": "错"}
    )
    with pytest.raises(DomainError):
        services.transition_notice(actor=personas["bureau"], notice_id=wrong.pk, action="publish")
    with pytest.raises(DomainError):
        services.create_notice(
            actor=personas["bureau"], project=pilot, data={"kind": "candidate", "title": "再", "body": "再"}
        )
