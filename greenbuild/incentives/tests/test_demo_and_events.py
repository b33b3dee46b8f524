"""The demo step, the notifications, the bureau's to-do and the project panel."""

import pytest
from django.urls import reverse

from greenbuild.incentives.demo import seed_incentives
from greenbuild.incentives.models import BonusRecord, EscrowEligibility, TrainingAttendance, TrainingSession
from greenbuild.incentives.tests.conftest import conclude

pytestmark = pytest.mark.django_db


def test_the_demo_step_records_bonuses_a_release_and_a_training_session_once(pilot, personas, orgs, designer_org):
    conclude(pilot, personas)
    assert seed_incentives(personas["bureau"]) == 3
    assert EscrowEligibility.objects.get(project=pilot).status == "released"
    session = TrainingSession.objects.get()
    assert set(session.audiences) == {"development", "design", "production", "construction", "supervision", "testing"}
    assert TrainingAttendance.objects.filter(session=session).count() >= 3
    counts = (BonusRecord.objects.count(), TrainingAttendance.objects.count(), TrainingSession.objects.count())
    assert seed_incentives(personas["bureau"]) == 3  # idempotent
    assert (BonusRecord.objects.count(), TrainingAttendance.objects.count(), TrainingSession.objects.count()) == counts


def test_the_enterprise_hears_of_its_bonus_and_can_open_it(
    pilot, personas, rule, django_capture_on_commit_callbacks, client
):
    from greenbuild.incentives import services
    from greenbuild.notifications.models import Notification

    conclude(pilot, personas)
    with django_capture_on_commit_callbacks(execute=True):
        services.award_bonuses(actor=personas["bureau"], project_id=pilot.pk)
    carl = personas["carl_contractor"]
    notes = Notification.objects.filter(recipient=carl)
    assert notes.count() == 1
    assert not Notification.objects.filter(recipient=personas["olivia_other_owner"]).exists()
    client.force_login(carl)
    assert (
        client.get(
            reverse("incentives:enterprise", args=[personas["carl_contractor"].memberships.first().organisation_id])
        ).status_code
        == 200
    )
    record = BonusRecord.objects.get(role="contractor")
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_bonus(actor=personas["bureau"], record_id=record.pk, reason="质量问题")
    assert Notification.objects.filter(recipient=carl).count() == 2


def test_the_bureau_s_to_do_offers_an_eligible_release_until_it_is_recorded(pilot, personas):
    from greenbuild.incentives import services
    from greenbuild.incentives.events import releases_to_record

    conclude(pilot, personas)
    eligibility = services.assess_escrow(actor=personas["bureau"], project_id=pilot.pk)
    assert [item.title for item in releases_to_record(personas["bureau"])] == [pilot.name]
    assert list(releases_to_record(personas["alice_owner"])) == []
    services.release_escrow(actor=personas["bureau"], eligibility_id=eligibility.pk, note="银行通知")
    assert list(releases_to_record(personas["bureau"])) == []


def test_the_project_page_shows_the_panel_to_those_who_may_see_the_records(client, pilot, personas, rule):
    from greenbuild.incentives import services

    conclude(pilot, personas)
    services.award_bonuses(actor=personas["bureau"], project_id=pilot.pk)
    url = reverse("projects:project-detail", args=[pilot.pk])
    client.force_login(personas["carl_contractor"])
    page = client.get(url).content.decode()
    assert 'id="incentives-panel"' in page and "中建八局三公司" in page and "常州天宁置业有限公司 ·" not in page
    client.force_login(personas["olivia_other_owner"])
    assert 'id="incentives-panel"' not in client.get(url).content.decode()
