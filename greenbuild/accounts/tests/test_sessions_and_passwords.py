"""Issue 17 item 8: the forced change answers polls without a loop (ACC-01), polls are not
activity (ACC-05), a form posted after the idle timeout comes back (ACC-02), password history
and expiry (ACC-04), Chinese validator messages (ACC-03), attempts left (ACC-06)."""

import datetime
import json
import re
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from greenbuild.accounts import services
from greenbuild.accounts.middleware import KEPT_INPUT_KEY, LAST_SEEN_KEY
from greenbuild.accounts.models import PasswordHistory, User
from greenbuild.testing.factories import UserFactory

PASSWORD = "pw-test-123"
BADGE = "/notifications/inbox/badge/"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def forced(bureau):
    user = UserFactory(username="imported1")
    services.set_password_by_admin(user, "Chushi-Mima-1", actor=bureau)
    return user


def test_the_badge_of_the_forced_change_page_is_answered_without_a_redirect(client, forced):
    client.force_login(forced)
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200
    current = "http://testserver" + reverse("accounts:password_change")
    response = client.get(BADGE, headers={**HTMX, "HX-Current-URL": current})
    assert response.status_code == 204 and "HX-Redirect" not in response
    # marked passive by its header too, whatever page it is on
    response = client.get(BADGE, headers={**HTMX, "X-GreenBuild-Passive": "1", "HX-Current-URL": "http://testserver/"})
    assert response.status_code == 204 and "HX-Redirect" not in response
    # no message queued by the polls: the page shows the notice once
    assert client.get(reverse("accounts:password_change")).content.decode().count("请先设置新密码") <= 1


def test_a_forced_user_is_sent_to_the_change_page_once_and_polls_do_not_loop(client, forced):
    client.force_login(forced)
    response = client.get(reverse("projects:project-list"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
    # an htmx action from a page opened before is redirected to the change page, never to itself
    response = client.get(
        reverse("projects:project-list"), headers={**HTMX, "HX-Current-URL": "http://testserver/projects/"}
    )
    assert response.status_code == 204 and response["HX-Redirect"] == reverse("accounts:password_change")
    response = client.get(
        reverse("jobs:job-detail", args=[1]), headers={**HTMX, "HX-Current-URL": "http://testserver/"}
    )
    assert response.status_code == 204 and "HX-Redirect" not in response


def test_the_keep_alive_and_status_urls_answer_a_forced_user(client, forced):
    client.force_login(forced)
    assert client.post(reverse("accounts:keep-alive")).json()["signed_in"] is True
    assert client.get(reverse("accounts:session-status")).json()["signed_in"] is True


def set_last_seen(client, seconds_ago):
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - seconds_ago
    session.save()


def test_polls_do_not_keep_an_idle_session_alive(client, alice_owner, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    client.force_login(alice_owner)
    set_last_seen(client, 20 * 60)
    before = client.session[LAST_SEEN_KEY]
    client.get(BADGE, headers=HTMX)
    client.get(reverse("jobs:job-detail", args=[1]), headers=HTMX)
    client.get(reverse("imports:batch-detail", args=[1]), headers=HTMX)
    client.get(reverse("accounts:session-status"))
    client.get(reverse("dashboards:overview"), headers={"X-GreenBuild-Passive": "1"})
    assert client.session[LAST_SEEN_KEY] == before
    client.get(reverse("projects:project-list"))  # the user's own request is activity
    assert client.session[LAST_SEEN_KEY] >= int(time.time()) - 5


def test_a_poll_after_the_timeout_ends_the_session(client, alice_owner, settings):
    client.force_login(alice_owner)
    set_last_seen(client, settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 + 5)
    response = client.get(
        reverse("jobs:job-detail", args=[1]), headers={**HTMX, "HX-Current-URL": "http://testserver/jobs/1/"}
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("accounts:login") + "?next=%2Fjobs%2F1%2F"
    assert "_auth_user_id" not in client.session


def test_the_session_status_tells_the_time_left_and_keep_alive_moves_it(client, alice_owner, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    client.force_login(alice_owner)
    set_last_seen(client, 25 * 60)
    left = client.get(reverse("accounts:session-status")).json()["seconds_left"]
    assert 4 * 60 <= left <= 5 * 60
    assert client.post(reverse("accounts:keep-alive")).json()["seconds_left"] >= 30 * 60 - 5
    assert client.get(reverse("accounts:session-status")).json()["seconds_left"] >= 30 * 60 - 5


def test_pages_carry_the_idle_warning_and_its_script(client, alice_owner, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    settings.SESSION_IDLE_WARNING_SECONDS = 120
    client.force_login(alice_owner)
    text = client.get(reverse("projects:project-list")).content.decode()
    assert 'data-idle-warn="120"' in text and "/static/greenbuild/idle.js" in text
    assert 'id="idle-warning"' in text and "继续（保持登录）" in text
    assert int(re.search(r'data-idle-left="(\d+)"', text).group(1)) >= 30 * 60 - 5


def test_the_idle_message_has_singular_and_plural_in_english(client, alice_owner, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 1
    client.force_login(alice_owner)
    set_last_seen(client, 65)
    response = client.get("/en/projects/")
    text = client.get(response["Location"]).content.decode()
    assert "after 1 minute without activity" in text


def test_a_form_posted_after_the_timeout_comes_back_filled_in(alice_owner, olivia_other_owner, settings):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice_owner)
    page = client.get(reverse("projects:project-create"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    set_last_seen(client, settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 + 5)
    response = client.post(
        reverse("projects:project-create"),
        {"csrfmiddlewaretoken": token, "name": "长表单里的项目", "address": "天宁区某路 1 号"},
        headers={"Referer": "http://testserver" + reverse("projects:project-create")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=%2Fprojects%2Fnew%2F"
    login_page = client.get(response["Location"]).content.decode()
    assert "您填写的内容已保留" in login_page and 'name="next" value="/projects/new/"' in login_page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
    signed_in = client.post(
        reverse("accounts:login"),
        {"csrfmiddlewaretoken": token, "username": "alice", "password": PASSWORD, "next": "/projects/new/"},
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == "/projects/new/"
    text = client.get("/projects/new/").content.decode()
    kept = json.loads(re.search(r'<script id="gb-kept-input" type="application/json">(.*?)</script>', text).group(1))
    assert kept["action"] == "/projects/new/"
    assert kept["fields"]["name"] == ["长表单里的项目"] and "csrfmiddlewaretoken" not in kept["fields"]
    assert "gb-kept-input" not in client.get("/projects/new/").content.decode()  # once


def test_kept_input_is_never_shown_to_another_account(alice_owner, olivia_other_owner, settings):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice_owner)
    page = client.get(reverse("projects:project-create"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    set_last_seen(client, settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 + 5)
    client.post(reverse("projects:project-create"), {"csrfmiddlewaretoken": token, "name": "alice 的草稿"})
    assert KEPT_INPUT_KEY in client.session
    client.force_login(olivia_other_owner)
    assert "alice 的草稿" not in client.get("/projects/new/").content.decode()


def test_a_forged_post_after_the_timeout_keeps_nothing(alice_owner, settings):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice_owner)
    client.get(reverse("projects:project-create"))
    set_last_seen(client, settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 + 5)
    client.post(reverse("projects:project-create"), {"csrfmiddlewaretoken": "x" * 64, "name": "注入"})
    assert KEPT_INPUT_KEY not in client.session


def change(client, old, new):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_the_administrator_set_password_is_not_accepted_as_the_new_one(client, forced):
    client.force_login(forced)
    response = change(client, "Chushi-Mima-1", "Chushi-Mima-1")
    assert response.status_code == 200
    assert "请设置未使用过的密码" in response.content.decode()
    forced.refresh_from_db()
    assert forced.must_change_password


def test_none_of_the_last_five_passwords_may_come_back(client, alice_owner):
    client.force_login(alice_owner)
    passwords = [PASSWORD] + ["Ziji-Mima-{}a".format(n) for n in range(1, 7)]
    for old, new in zip(passwords, passwords[1:], strict=False):
        response = change(client, old, new)
        assert response.status_code == 302 and response["Location"] == reverse("dashboards:overview"), new
        assert "_auth_user_id" in client.session  # still signed in after the change
    current = passwords[-1]
    for earlier in passwords[-6:]:  # the current one and the five before it
        assert change(client, current, earlier).status_code == 200, earlier
    assert change(client, current, passwords[0]).status_code == 302  # the seventh-last is allowed again
    stored = list(PasswordHistory.objects.filter(user=alice_owner).values_list("password", flat=True))
    assert len(stored) == 6 and not any(PASSWORD in value or "Ziji" in value for value in stored)


def test_an_expired_password_forces_the_change_page(client, alice_owner, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(pk=alice_owner.pk).update(password_changed_at=timezone.now() - datetime.timedelta(days=91))
    client.force_login(alice_owner)
    response = client.get(reverse("projects:project-list"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
    assert "已使用超过 90 天" in client.get(reverse("accounts:password_change")).content.decode()
    assert change(client, PASSWORD, "Xin-De-Mima-9").status_code == 302
    assert client.get(reverse("projects:project-list")).status_code == 200


def test_passwords_do_not_expire_by_default(client, alice_owner):
    User.objects.filter(pk=alice_owner.pk).update(password_changed_at=timezone.now() - datetime.timedelta(days=3650))
    client.force_login(alice_owner)
    assert client.get(reverse("projects:project-list")).status_code == 200


def test_the_password_length_message_is_django_own_chinese_translation(db):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        validate_password("aB1!", User(username="zhangwei"))
    assert "密码长度太短。密码必须包含至少 8 个字符。" in refused.value.messages
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        validate_password("aB1!", User(username="zhangwei"))
    assert "This password is too short. It must contain at least 8 characters." in refused.value.messages


def test_the_sign_in_page_tells_the_attempts_left(client, alice_owner, settings):
    settings.LOGIN_LOCKOUT_THRESHOLD = 5
    text = client.post(reverse("accounts:login"), {"username": "alice", "password": "wrong"}).content.decode()
    assert "还可尝试 4 次" in text
    for _ in range(3):
        text = client.post(reverse("accounts:login"), {"username": "alice", "password": "wrong"}).content.decode()
    assert "还可尝试 1 次" in text
    text = client.post(reverse("accounts:login"), {"username": "alice", "password": "wrong"}).content.decode()
    assert "已被锁定" in text  # the try that locks says so at once


def test_an_unknown_name_counts_down_alike(client, db):
    text = client.post(reverse("accounts:login"), {"username": "nobody", "password": "wrong"}).content.decode()
    assert "还可尝试 4 次" in text
    with translation.override("en"):
        url = reverse("accounts:login")
    text = client.post(url, {"username": "nobody", "password": "wrong"}).content.decode()
    assert "3 attempts left before the account is locked." in text
