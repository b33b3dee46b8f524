"""The demo's publicity (issue 20 item 9) and the bureau's notice moves and answers through the API."""

import json

import pytest
from django.test import Client

from greenbuild.api import services as api_services
from greenbuild.publicity.choices import MessageStatus, ObjectionStatus
from greenbuild.publicity.demo import seed_publicity
from greenbuild.publicity.models import Objection, PublicMessage, PublicNotice

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_a_notice_with_an_answered_objection_and_two_messages(ready_candidate, pilot, personas):
    seed_publicity(personas["bureau"])
    seed_publicity(personas["bureau"])  # idempotent
    notice = PublicNotice.objects.get()
    assert notice.running and notice.project == ready_candidate
    objection = Objection.objects.get()
    assert objection.status == ObjectionStatus.ANSWERED and "13800000000" not in objection.public_text
    assert sorted(PublicMessage.objects.values_list("status", flat=True)) == [
        MessageStatus.ANSWERED,
        MessageStatus.RECEIVED,
    ]


def test_the_bureau_drafts_publishes_and_answers_through_the_api(ready_candidate, personas):
    token = api_services.create_token(actor=personas["bureau"], user=personas["bureau"], name="api", scope="write")[1]
    api = Client(HTTP_AUTHORIZATION="Bearer " + token)
    body = {"project": ready_candidate.pk, "kind": "candidate", "title": "公示", "body": "内容", "status": "published"}
    assert api.post("/api/v1/public-notices/", json.dumps(body), "application/json").status_code == 400
    del body["status"]
    created = api.post("/api/v1/public-notices/", json.dumps(body), "application/json")
    assert created.status_code == 201 and created.json()["status"] == "draft"
    pk = created.json()["id"]
    published = api.post("/api/v1/public-notices/{}/actions/publish/".format(pk), "{}", "application/json")
    assert published.status_code == 200 and published.json()["running"] is True
    assert published.json()["working_days"] == 5
    from greenbuild.publicity import services

    objection = services.file_objection(notice_id=pk, text="异议")
    empty = api.post("/api/v1/objections/{}/actions/answer/".format(objection.pk), "{}", "application/json")
    assert empty.status_code == 400
    answered = api.post(
        "/api/v1/objections/{}/actions/answer/".format(objection.pk),
        json.dumps({"answer": "已核实"}),
        "application/json",
    )
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    again = api.post(
        "/api/v1/objections/{}/actions/answer/".format(objection.pk),
        json.dumps({"answer": "再次"}),
        "application/json",
    )
    assert again.status_code == 409
    withdrawn = api.post("/api/v1/public-notices/{}/actions/withdraw/".format(pk), "{}", "application/json")
    assert withdrawn.status_code == 400  # a reason is required
    owner = api_services.create_token(
        actor=personas["alice_owner"], user=personas["alice_owner"], name="api", scope="write"
    )[1]
    refused = Client(HTTP_AUTHORIZATION="Bearer " + owner).post(
        "/api/v1/public-notices/{}/actions/withdraw/".format(pk), json.dumps({"comment": "撤"}), "application/json"
    )
    assert refused.status_code == 403
