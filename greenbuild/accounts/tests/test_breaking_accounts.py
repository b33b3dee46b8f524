"""Breaking issue 17 items 8 and 11 (accounts, throttling): regressions found by review."""

import datetime
import re

import time_machine
from django.urls import reverse
from django.utils import timezone

from greenbuild.accounts import services
from greenbuild.accounts.models import User
from greenbuild.api import services as api_services

PASSWORD = "pw-test-123"


def test_a_forced_user_session_cannot_use_the_api(client, personas, filed_project):
    """The forced change held for GET and POST only: the browser session of a user with an
    administrator-set password could PATCH, PUT and DELETE through the API."""
    project = filed_project("draft", name="强制改密")
    alice = personas["alice_owner"]
    services.set_password_by_admin(alice, "Chushi-Mima-1", actor=personas["bureau"])
    client.force_login(alice)
    url = "/api/v1/projects/{}/".format(project.pk)
    for method in ("patch", "put", "get"):
        response = getattr(client, method)(url, data={"name": "改名了"}, content_type="application/json")
        assert response.status_code == 403, (method, response.status_code)
        assert response.json()["code"] == "password_change_required"
    project.refresh_from_db()
    assert project.name == "强制改密"


def test_the_tokens_of_a_user_whose_password_expired_are_refused(client, alice_owner, settings):
    _token, raw = api_services.create_token(actor=alice_owner, user=alice_owner, name="测试", scope="read")
    auth = {"HTTP_AUTHORIZATION": "Bearer " + raw}
    assert client.get("/api/v1/projects/", **auth).status_code == 200
    settings.PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(pk=alice_owner.pk).update(password_changed_at=timezone.now() - datetime.timedelta(days=91))
    response = client.get("/api/v1/projects/", **auth)
    assert response.status_code == 401 and response.json()["code"] == "password_change_required"


def _fail(client, username):
    return client.post(reverse("accounts:login"), {"username": username, "password": "wrong"}).content.decode()


def test_the_lock_message_of_an_unknown_name_does_not_move_with_each_try(client, alice_owner, settings):
    """ACC-06: a real account's lock ends at a fixed time; a name no account has must not
    answer differently (its "lock" moved on with every further try, telling the two apart)."""
    settings.LOGIN_ADDRESS_THRESHOLD = 1000
    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
    answers = {}
    for name in ("alice", "nobody"):
        with time_machine.travel(start, tick=False):
            for _ in range(5):
                _fail(client, name)
        with time_machine.travel(start + datetime.timedelta(minutes=7), tick=False):
            answers[name] = _fail(client, name)
    found = {name: re.findall(r"\d{4}-\d\d-\d\d \d\d:\d\d", text) for name, text in answers.items()}
    assert found["alice"] and found["alice"] == found["nobody"]
