"""The public pages and the open API: no sign-in, nothing unpublished, no personal data; the
anti-abuse measures (signed token with a minimum fill time, honeypot, rate limit) and bad input."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from greenbuild.publicity import antiabuse, services
from greenbuild.publicity.choices import MessageStatus
from greenbuild.publicity.models import Objection, PublicMessage

from .conftest import old_token, png

pytestmark = pytest.mark.django_db

SECRET_NAME = "张三丰"
SECRET_PHONE = "13812345678"


def _post_message(client, project, **overrides):
    data = {
        "category": "dust",
        "text": "渣土车带泥上路",
        "contact_name": SECRET_NAME,
        "contact_phone": SECRET_PHONE,
        "token": old_token("pilot:{}".format(project.pk)),
        "website": "",
        **overrides,
    }
    return client.post(reverse("publicity:public-pilot", args=[project.pk]), data)


def _post_objection(client, notice, **overrides):
    data = {
        "text": "对该项目有异议",
        "contact_name": SECRET_NAME,
        "contact_phone": SECRET_PHONE,
        "token": old_token("notice:{}".format(notice.pk)),
        "website": "",
        **overrides,
    }
    return client.post(reverse("publicity:public-notice", args=[notice.pk]), data)


def test_anyone_files_an_objection_and_it_is_published_only_once_answered(running_notice, personas):
    client = Client()
    assert client.get(reverse("publicity:public-index")).status_code == 200
    response = _post_objection(client, running_notice, text="对该项目有异议，联系 " + SECRET_PHONE)
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.contact_name == SECRET_NAME
    page = client.get(reverse("publicity:public-notice", args=[running_notice.pk])).content.decode()
    assert "对该项目有异议" not in page and SECRET_NAME not in page and SECRET_PHONE not in page
    services.answer_objection(
        actor=personas["bureau"], objection_id=objection.pk, answer="已核实处理", public_text="对该项目有异议"
    )
    page = client.get(reverse("publicity:public-notice", args=[running_notice.pk])).content.decode()
    assert "对该项目有异议" in page and "已核实处理" in page
    assert SECRET_NAME not in page and SECRET_PHONE not in page
    api = client.get("/api/v1/open/public-notices/{}/".format(running_notice.pk)).content.decode()
    assert "已核实处理" in api and SECRET_NAME not in api and SECRET_PHONE not in api


def test_a_draft_notice_is_not_public(ready_candidate, personas):
    draft = services.create_notice(
        actor=personas["bureau"],
        project=ready_candidate,
        data={"kind": "candidate", "title": "草稿公示", "body": "草稿"},
    )
    client = Client()
    assert client.get(reverse("publicity:public-notice", args=[draft.pk])).status_code == 404
    assert "草稿公示" not in client.get(reverse("publicity:public-index")).content.decode()
    assert client.get("/api/v1/open/public-notices/{}/".format(draft.pk)).status_code == 404
    assert "草稿公示" not in client.get("/api/v1/open/public-notices/").content.decode()


def test_a_message_with_a_photo_is_routed_and_its_answer_published(pilot, personas, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_message(client, pilot, photo=png())
    assert response.status_code == 302, response.content.decode()[:2000]
    message = PublicMessage.objects.get()
    assert message.photo is not None and message.photo.uploaded_by is None
    assert message.due_on > message.received_at.date()
    # routed: the district and the owner have it in their inbox and notifications
    from greenbuild.notifications.models import Notification

    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"alice", "dan"} <= recipients and "wu" not in recipients
    page = client.get(reverse("publicity:public-pilot", args=[pilot.pk])).content.decode()
    assert "渣土车带泥上路" not in page  # not answered yet
    services.answer_message(actor=personas["dan_district"], message_id=message.pk, answer="已责令清洗车辆")
    page = client.get(reverse("publicity:public-pilot", args=[pilot.pk])).content.decode()
    assert "渣土车带泥上路" in page and "已责令清洗车辆" in page
    assert SECRET_NAME not in page and SECRET_PHONE not in page and "photo" not in page.split("message-form")[0]
    api = client.get("/api/v1/open/public-messages/").content.decode()
    assert "已责令清洗车辆" in api and SECRET_NAME not in api and SECRET_PHONE not in api
    # the photo is not public
    assert client.get(reverse("publicity:message-photo", args=[message.pk])).status_code == 302  # to sign in
    dan = Client()
    dan.force_login(personas["dan_district"])
    assert dan.get(reverse("publicity:message-photo", args=[message.pk])).status_code == 200


def test_messages_are_taken_about_confirmed_pilots_only(ready_candidate):
    assert Client().get(reverse("publicity:public-pilot", args=[ready_candidate.pk])).status_code == 404


@pytest.mark.parametrize(
    "overrides, problem",
    [
        ({"text": "   "}, "text"),
        ({"category": "fireworks"}, "category"),
        ({"photo": SimpleUploadedFile("dust.png", b"%PDF-1.4 not an image", content_type="image/png")}, "photo"),
        ({"photo": SimpleUploadedFile("dust.exe", b"MZ\x90\x00", content_type="application/octet-stream")}, "photo"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(pilot, overrides, problem):
    client = Client()
    response = _post_message(client, pilot, **overrides)
    assert response.status_code == 400
    assert response.context["form"].errors.get(problem)
    assert response.context["form"]["contact_name"].value() == SECRET_NAME  # the input is kept
    assert not PublicMessage.objects.exists()
    from greenbuild.attachments.models import Attachment

    assert not Attachment.objects.exists()


def test_a_too_large_photo_is_refused(pilot, settings):
    settings.PUBLICITY = {"photo_max_bytes": 100}
    response = _post_message(Client(), pilot, photo=png(size=(200, 200)))
    assert response.status_code == 400 and response.context["form"].errors.get("photo")
    assert not PublicMessage.objects.exists()


@pytest.mark.parametrize(
    "token",
    [
        "forged",
        "now",  # sent faster than a person fills the form
        "other-form",
        "stale",
    ],
)
def test_the_signed_token_refuses_robots(pilot, token):
    scope = "pilot:{}".format(pilot.pk)
    value = {
        "forged": "abc:def",
        "now": antiabuse.issue_token(scope),
        "other-form": old_token("pilot:999999"),
        "stale": antiabuse.issue_token(scope, now=time.time() - 3 * 3600),
    }[token]
    response = _post_message(Client(), pilot, token=value)
    assert response.status_code == 400
    assert str(antiabuse.REFUSED) in " ".join(response.context["form"].non_field_errors())
    assert not PublicMessage.objects.exists()


def test_a_token_is_used_once_and_the_honeypot_refuses(pilot):
    client = Client()
    token = old_token("pilot:{}".format(pilot.pk))
    assert _post_message(client, pilot, token=token).status_code == 302
    assert _post_message(client, pilot, token=token).status_code == 400
    assert _post_message(client, pilot, website="http://spam.example").status_code == 400
    assert PublicMessage.objects.count() == 1


def test_the_rate_limit_per_address(pilot, running_notice, settings):
    settings.PUBLICITY = {"submissions_per_window": 2}
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert _post_message(client, pilot).status_code == 302
    assert _post_objection(client, running_notice).status_code == 302
    refused = _post_message(client, pilot)
    assert refused.status_code == 429
    assert PublicMessage.objects.count() == 1 and Objection.objects.count() == 1
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert _post_message(other, pilot).status_code == 302


def test_objections_only_while_the_notice_runs(running_notice):
    from datetime import timedelta

    from django.utils import timezone

    from greenbuild.publicity.models import PublicNotice

    today = timezone.localdate()
    PublicNotice.objects.filter(pk=running_notice.pk).update(
        starts_on=today - timedelta(days=20), ends_on=today - timedelta(days=10)
    )
    client = Client()
    page = client.get(reverse("publicity:public-notice", args=[running_notice.pk])).content.decode()
    assert 'name="text"' not in page
    assert _post_objection(client, running_notice).status_code == 400
    assert not Objection.objects.exists()


def test_overdue_messages_escalate_to_the_bureau_once(pilot, personas, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from greenbuild.notifications.models import Notification

    message = services.leave_message(project_id=pilot.pk, category="noise", text="夜间噪声")
    assert services.escalate_overdue_messages() == 0
    later = message.due_on + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.escalate_overdue_messages(today=later) == 1
    assert services.escalate_overdue_messages(today=later) == 0
    message.refresh_from_db()
    assert message.escalated_at is not None and message.status == MessageStatus.RECEIVED
    from greenbuild.publicity.events import messages_to_answer

    assert [item.url for item in messages_to_answer(personas["bureau"])] == [
        reverse("publicity:message-detail", args=[message.pk])
    ]
    assert Notification.objects.filter(recipient=personas["bureau"], event__verb="publicity.message_escalated").exists()


def test_the_daily_entry_is_registered():
    from greenbuild.jobs.registry import daily_entries

    assert "publicity.escalate_overdue_messages" in daily_entries()
