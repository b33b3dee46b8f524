import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.documents.models import IssuedDocument
from greenbuild.inspections import services
from greenbuild.inspections.models import Finding, RectificationOrder
from greenbuild.inspections.selectors import inspection_stats
from greenbuild.inspections.tests.conftest import png
from greenbuild.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_order_issued_as_numbered_document(world, personas):
    order = world["order"]
    assert order.number.startswith("常住建绿整改")
    document = IssuedDocument.objects.get(number=order.number)
    assert document.project_id == world["project"].pk
    assert world["finding"].__class__.objects.get(pk=world["finding"].pk).status == "rectifying"


def test_life_cycle_answer_verify_reopen_close(world, personas, django_capture_on_commit_callbacks):
    alice, dan = personas["alice_owner"], personas["dan_district"]
    order = world["order"]
    # no evidence: the answer is refused
    with pytest.raises(DomainError):
        services.transition_order(actor=alice, order_id=order.pk, action="answer", comment="已覆盖")
    services.add_order_evidence(actor=alice, order_id=order.pk, uploaded_file=png("cover.png"))
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_order(actor=alice, order_id=order.pk, action="answer", comment="已覆盖")
    order.refresh_from_db()
    assert order.status == "answered" and order.answered_by == alice
    assert Notification.objects.filter(recipient=dan, event__verb="inspections.order_answered").exists()
    # the owner cannot verify their own answer
    with pytest.raises(ActionForbidden):
        services.transition_order(actor=alice, order_id=order.pk, action="verify")
    # reopened with a new deadline, answered again, verified
    new = world["today"] + dt.timedelta(days=3)
    services.transition_order(actor=dan, order_id=order.pk, action="reopen", comment="仍有裸土", deadline=new)
    order.refresh_from_db()
    assert order.status == "issued" and order.deadline == new
    services.transition_order(actor=alice, order_id=order.pk, action="answer", comment="全部覆盖")
    services.transition_order(actor=dan, order_id=order.pk, action="verify")
    order.refresh_from_db()
    assert order.status == "closed" and order.closed_by == dan
    assert Finding.objects.get(pk=world["finding"].pk).status == "closed"
    assert [t.to_status for t in order.transitions.all()] == ["answered", "issued", "answered", "closed"]
    # a closed order may be reopened
    services.transition_order(actor=dan, order_id=order.pk, action="reopen", comment="复查发现问题")
    assert Finding.objects.get(pk=world["finding"].pk).status == "rectifying"


def test_closing_without_evidence_refused_on_every_path(world, personas, client):
    order = world["order"]
    # the service (and the API/page, which call it): no way from issued to closed
    with pytest.raises(DomainError):
        services.transition_order(actor=personas["dan_district"], order_id=order.pk, action="verify")
    # a forced answered state without evidence still does not close
    RectificationOrder.objects.filter(pk=order.pk).update(status="answered", answer="x")
    with pytest.raises(DomainError):
        services.transition_order(actor=personas["dan_district"], order_id=order.pk, action="verify")
    # the model (admin, shell): a closed order without evidence is not saved
    order.refresh_from_db()
    order.status = "closed"
    with pytest.raises(ValidationError):
        order.save()
    assert RectificationOrder.objects.get(pk=order.pk).status == "answered"


def test_deadline_in_the_past_refused(world, personas):
    finding = services.raise_finding(
        project=world["project"], actor=personas["dan_district"], summary="扬尘", severity="minor", source="other"
    )
    with pytest.raises(DomainError) as error:
        services.issue_order(
            actor=personas["dan_district"],
            finding_id=finding.pk,
            deadline=world["today"] - dt.timedelta(days=1),
            instructions="洒水",
        )
    assert error.value.field == "deadline"
    assert not RectificationOrder.objects.filter(finding=finding).exists()


def test_photo_not_an_image_or_too_large_refused(world, personas, settings):
    dan, finding = personas["dan_district"], world["finding"]
    with pytest.raises(DomainError):
        services.add_finding_photo(
            actor=dan, finding_id=finding.pk, uploaded_file=SimpleUploadedFile("x.png", b"not an image at all")
        )
    settings.ATTACHMENT_POLICIES = {"photo": {"max_bytes": 100}}
    with pytest.raises(DomainError):
        services.add_finding_photo(actor=dan, finding_id=finding.pk, uploaded_file=png(size=(200, 200)))
    assert not finding.photos.exists()
    settings.ATTACHMENT_POLICIES = {}
    photo = services.add_finding_photo(actor=dan, finding_id=finding.pk, uploaded_file=png())
    services.make_thumbnail(photo_id=photo.pk)
    photo.refresh_from_db()
    assert photo.thumbnail.name.endswith(".jpg")


def test_inspection_outside_inspector_scope_refused(world, personas):
    project = world["project"]  # in dan's district (天宁), not wu's (武进)
    with pytest.raises(DomainError) as error:
        services.schedule_inspection(
            project=project, inspector=personas["wu_district"], due_on=world["today"], actor=personas["bureau"]
        )
    assert error.value.field == "inspector"
    with pytest.raises(ActionForbidden):
        services.schedule_inspection(
            project=project, inspector=personas["wu_district"], due_on=world["today"], actor=personas["wu_district"]
        )
    with pytest.raises(ActionForbidden):
        services.raise_finding(
            project=project, actor=personas["wu_district"], summary="x", severity="minor", source="other"
        )


def test_overdue_escalation_with_frozen_time(world, personas, django_capture_on_commit_callbacks):
    order = world["order"]
    deadline = order.deadline
    with (
        time_machine.travel(dt.datetime.combine(deadline, dt.time(12)), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.escalate_overdue() == 0
    with time_machine.travel(dt.datetime.combine(deadline + dt.timedelta(days=1), dt.time(12)), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert services.escalate_overdue() == 1
            assert services.escalate_overdue() == 0  # once per deadline
        for name in ("dan_district", "bureau"):
            assert Notification.objects.filter(
                recipient=personas[name], event__verb="inspections.order_overdue"
            ).exists()
        assert not Notification.objects.filter(
            recipient=personas["wu_district"], event__verb="inspections.order_overdue"
        ).exists()
        from greenbuild.inspections.events import overdue_orders

        assert [i.url for i in overdue_orders(personas["dan_district"])]
        assert not list(overdue_orders(personas["wu_district"]))
        stats = inspection_stats()
        assert stats["total"]["overdue_orders"] == 1
        assert stats["districts"][world["project"].district_id]["overdue_orders"] == 1


def test_stats_counts(world, personas):
    dan = personas["dan_district"]
    services.raise_finding(project=world["project"], actor=dan, summary="噪声", severity="minor", source="complaint")
    stats = inspection_stats(projects=[world["project"]])
    total = stats["total"]
    assert total["findings"] == 2 and total["by_severity"]["major"] == 1 and total["by_source"]["complaint"] == 1
    assert total["open_orders"] == 1 and total["overdue_orders"] == 0
    assert total["inspections"] == 0  # not submitted yet
    inspection = world["inspection"]
    for item in inspection.checklist.all():
        services.record_checks(actor=dan, inspection_id=inspection.pk, results={item.pk: ("pass", "")})
    services.transition_inspection(actor=dan, inspection_id=inspection.pk, action="submit")
    assert inspection_stats()["total"]["inspections"] == 1
