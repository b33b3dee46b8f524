"""Issue 16 item 10, review: a refused closure form changes nothing (rule 2); a named assignee
outside the conference reads their item and nothing else; a closure is confirmed once; the
published attendance keeps a seat retired afterwards; the service caps a decision's text."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from greenbuild.conference import services
from greenbuild.conference.choices import ActionItemStatus
from greenbuild.conference.models import ActionItem
from greenbuild.core.errors import DomainError, TransitionNotAllowed

pytestmark = pytest.mark.django_db


def _asked(world, personas):
    item = world["district_item"]
    services.transition_action_item(actor=personas["dan_district"], item_id=item.pk, action="close", comment="已办")
    return item


@pytest.mark.parametrize("comment", ["同意\x00", "长" * 5001])
def test_a_closure_confirmed_with_a_refused_comment_stays_requested_and_keeps_the_input(
    client, personas, world, comment
):
    item = _asked(world, personas)
    client.force_login(personas["bureau"])
    response = client.post(reverse("conference:action-item-move", args=[item.pk, "confirm"]), {"comment": comment})
    assert response.status_code == 302 and response.url == reverse("conference:action-item-detail", args=[item.pk])
    assert ActionItem.objects.get(pk=item.pk).status == ActionItemStatus.REQUESTED
    assert comment.replace("\x00", "")[:20] in client.get(response.url).content.decode()


def test_a_closure_is_confirmed_once(client, personas, world):
    item = _asked(world, personas)
    services.transition_action_item(actor=personas["bureau"], item_id=item.pk, action="confirm")
    with pytest.raises(TransitionNotAllowed):
        services.transition_action_item(actor=personas["bureau"], item_id=item.pk, action="confirm")
    client.force_login(personas["bureau"])
    url = "/api/v1/action-items/{}/actions/confirm/".format(item.pk)
    assert client.post(url, json.dumps({}), content_type="application/json").status_code in (400, 409)
    assert ActionItem.objects.get(pk=item.pk).transitions.filter(to_status="closed").count() == 1


def test_a_named_assignee_outside_the_conference_reads_their_item_and_nothing_else(client, personas, world):
    dave = personas["dave_outsider"]
    mine = services.add_action_item(
        actor=personas["bureau"],
        meeting_id=world["held"].pk,
        data={"title": "提交专家意见", "person": dave, "due": timezone.localdate() + dt.timedelta(days=5)},
    )
    client.force_login(dave)
    assert client.get(reverse("conference:action-item-detail", args=[mine.pk])).status_code == 200
    for url in (
        reverse("conference:action-item-detail", args=[world["district_item"].pk]),
        reverse("conference:meeting-detail", args=[world["held"].pk]),
        reverse("conference:meeting-list"),
        reverse("conference:action-board"),
        reverse("conference:member-list"),
        "/api/v1/meetings/{}/".format(world["held"].pk),
        "/api/v1/action-items/{}/".format(world["district_item"].pk),
    ):
        assert client.get(url).status_code == 404, url
    assert [row["id"] for row in client.get("/api/v1/action-items/").json()["results"]] == [mine.pk]
    for url in ("/api/v1/decisions/", "/api/v1/meetings/", "/api/v1/conference-members/"):
        body = client.get(url)
        assert body.status_code == 404 or body.json()["results"] == [], url


def test_published_attendance_keeps_a_seat_retired_afterwards(client, personas, world):
    held = world["held"]
    seat = services.save_member(
        actor=personas["bureau"], data={"role": "member", "department": world["nrp"], "title": "副局长"}
    )
    services.record_attendance(actor=personas["bureau"], meeting_id=held.pk, rows={seat.pk: ("deputy", "王副局长")})
    services.transition_meeting(actor=personas["bureau"], meeting_id=held.pk, action="publish_minutes")
    services.save_member(actor=personas["bureau"], member_id=seat.pk, data={"active": False})
    client.force_login(personas["bureau"])
    assert "王副局长" in client.get(reverse("conference:meeting-detail", args=[held.pk])).content.decode()


def test_the_service_refuses_an_over_long_decision(personas, world):
    with pytest.raises(DomainError):
        services.add_decision(actor=personas["bureau"], meeting_id=world["held"].pk, text="长" * 5001)


@pytest.mark.parametrize("body", [["同意"], {"note": "材料齐全"}])
def test_a_malformed_or_misnamed_api_body_confirms_nothing(client, personas, world, body):
    item = _asked(world, personas)
    client.force_login(personas["bureau"])
    url = "/api/v1/action-items/{}/actions/confirm/".format(item.pk)
    assert client.post(url, json.dumps(body), content_type="application/json").status_code == 400
    assert ActionItem.objects.get(pk=item.pk).status == ActionItemStatus.REQUESTED
