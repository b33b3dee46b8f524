"""Break-it pass on incentives: the public enterprise page counts only what it shows."""

import re

import pytest
from django.urls import reverse

from greenbuild.incentives import services
from greenbuild.incentives.tests.conftest import conclude, make_pilot
from greenbuild.projects.choices import ProjectStatus
from greenbuild.projects.models import Project

pytestmark = pytest.mark.django_db


def _total(page: str) -> float:
    match = re.search(r'id="bonus-total">[^<0-9]*([0-9.]+)', page)
    assert match, page
    return float(match.group(1))


def test_the_public_total_counts_only_the_bonuses_of_published_pilots(
    client, awarded, pilot, personas, orgs, designer_org, rule
):
    second = make_pilot(personas, orgs, designer_org, name="后来撤回的试点")
    conclude(second, personas)
    services.award_bonuses(actor=personas["bureau"], project_id=second.pk)
    Project.objects.filter(pk=second.pk).update(status=ProjectStatus.WITHDRAWN)  # no longer published
    contractor = orgs["contractor"]
    page = client.get(reverse("incentives:enterprise-public", args=[contractor.pk])).content.decode()
    assert "后来撤回的试点" not in page
    assert _total(page) == 3  # the listed pilot's bonus only, not the withdrawn pilot's
    client.force_login(personas["bureau"])
    page = client.get(reverse("incentives:enterprise", args=[contractor.pk])).content.decode()
    assert _total(page) == 6  # the internal page: every bonus in force


def test_a_session_keeps_the_audiences_its_attendees_belong_to(client, personas):
    import datetime as dt

    from greenbuild.core.errors import DomainError
    from greenbuild.incentives.models import TrainingSession

    bureau = personas["bureau"]
    session = services.create_session(
        actor=bureau,
        data={
            "topic": "导则宣贯",
            "date": dt.date(2021, 9, 15),
            "place": "会议室",
            "audiences": ["design", "construction"],
        },
    )
    services.record_attendance(
        actor=bureau,
        session_id=session.pk,
        data={"person_name": "王磊", "organisation_name": "中建八局三公司", "audience": "construction"},
    )
    with pytest.raises(DomainError):
        services.update_session(actor=bureau, session_id=session.pk, data={"audiences": ["design"]})
    assert TrainingSession.objects.get(pk=session.pk).audiences == ["design", "construction"]
    client.force_login(bureau)
    response = client.post(
        reverse("incentives:session-edit", args=[session.pk]),
        {"topic": "导则宣贯", "date": "2021-09-15", "place": "会议室", "audiences": ["design"]},
    )
    assert response.status_code == 200  # the refused form, with its input, at its own address
    assert TrainingSession.objects.get(pk=session.pk).audiences == ["design", "construction"]
    services.update_session(actor=bureau, session_id=session.pk, data={"audiences": ["construction"]})  # design: nobody
    assert TrainingSession.objects.get(pk=session.pk).audiences == ["construction"]
