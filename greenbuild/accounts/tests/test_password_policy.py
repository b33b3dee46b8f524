"""Issue 10 item 8: password complexity, self-service change, forced change, idle timeout."""

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from greenbuild.accounts import services
from greenbuild.accounts.middleware import LAST_SEEN_KEY
from greenbuild.accounts.models import User
from greenbuild.audit.choices import EventKind
from greenbuild.audit.models import AuditEvent
from greenbuild.testing.demo import load_demo
from greenbuild.testing.factories import UserFactory


def messages_for(password, username="zhangwei"):
    user = User(username=username)
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Gr33n-build", True),
        ("Lvse2026jz", True),  # upper, lower, digit
        ("lvse-2026-jz", True),  # lower, digit, symbol
        ("Ab1!", False),  # too short
        ("greenbuilding", False),  # one class
        ("greenbuild2026", False),  # two classes
        ("Zhangwei-2026", False),  # contains the username
        ("Password1!", False),  # common
    ],
)
def test_password_policy(password, ok, db):
    with translation.override("zh-hans"):
        assert (messages_for(password) == []) is ok, messages_for(password)


def test_policy_messages_are_chinese_and_english(db):
    with translation.override("zh-hans"):
        zh = " ".join(messages_for("greenbuild"))
    with translation.override("en"):
        en = " ".join(messages_for("greenbuild"))
    assert "大写字母" in zh and "upper-case" in en
    with translation.override("zh-hans"):
        assert "用户名" in " ".join(messages_for("xZhangwei-1", "zhangwei"))


def test_common_passwords_are_refused(db):
    with translation.override("zh-hans"):
        assert any("常见" in m for m in messages_for("password"))


def change(client, old, new, lang="zh-hans"):
    with translation.override(lang):
        url = reverse("accounts:password_change")
    return client.post(url, {"old_password": old, "new_password1": new, "new_password2": new})


def test_every_user_changes_their_own_password(client, alice_owner):
    client.force_login(alice_owner)
    assert client.get(reverse("accounts:password_change")).status_code == 200
    response = change(client, "pw-test-123", "Lvse-jianzao-9")
    assert response.status_code == 302
    alice_owner.refresh_from_db()
    assert alice_owner.check_password("Lvse-jianzao-9")
    assert "_auth_user_id" in client.session  # still signed in
    assert AuditEvent.objects.filter(kind=EventKind.PASSWORD_CHANGED, actor=alice_owner).count() == 1


def test_a_weak_new_password_is_refused_with_a_field_message(client, alice_owner):
    client.force_login(alice_owner)
    response = change(client, "pw-test-123", "abcdefgh")
    assert response.status_code == 200
    text = response.content.decode()
    assert "invalid-feedback" in text and "大写字母" in text
    alice_owner.refresh_from_db()
    assert alice_owner.check_password("pw-test-123")


def test_the_navbar_links_to_the_password_page(client, alice_owner):
    client.force_login(alice_owner)
    assert reverse("accounts:password_change") in client.get(reverse("dashboards:overview")).content.decode()


def test_an_administrator_set_password_must_be_changed(client, bureau):
    user = UserFactory(username="newcomer")
    services.set_password_by_admin(user, "Initial-Pass-1", actor=bureau)
    assert AuditEvent.objects.filter(kind=EventKind.PASSWORD_RESET_BY_ADMIN, target_id=str(user.pk)).exists()
    client.post(reverse("accounts:login"), {"username": "newcomer", "password": "Initial-Pass-1"})
    response = client.get(reverse("projects:project-list"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
    assert client.get(reverse("accounts:password_change")).status_code == 200
    change(client, "Initial-Pass-1", "Mine-Own-Pass-2")
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get(reverse("projects:project-list")).status_code == 200


def test_admin_user_creation_and_password_set_force_a_change(client, bureau):
    User.objects.filter(pk=bureau.pk).update(is_staff=True, is_superuser=True)
    client.force_login(User.objects.get(pk=bureau.pk))
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "inspector1",
            "usable_password": "true",
            "password1": "Chushi-Mima-88",
            "password2": "Chushi-Mima-88",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = User.objects.get(username="inspector1")
    assert created.must_change_password
    User.objects.filter(pk=created.pk).update(must_change_password=False)
    client.post(
        "/admin/accounts/user/{}/password/".format(created.pk),
        {"password1": "Another-Pass-77", "password2": "Another-Pass-77", "usable_password": "true"},
    )
    created.refresh_from_db()
    assert created.must_change_password and created.check_password("Another-Pass-77")
    assert AuditEvent.objects.filter(kind=EventKind.PASSWORD_RESET_BY_ADMIN, target_id=str(created.pk)).count() == 2
    assert AuditEvent.objects.filter(kind=EventKind.ADMIN_ACTION, target_id=str(created.pk)).exists()


def test_demo_users_are_not_forced(db):

    from greenbuild.projects.demo import DEMO_PASSWORD

    load_demo()
    user = User.objects.get(username="bureau")
    assert user.check_password(DEMO_PASSWORD) and not user.must_change_password


def test_an_idle_session_ends(client, alice_owner, settings):
    client.force_login(alice_owner)
    assert client.get(reverse("projects:project-list")).status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - (settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 + 5)
    session.save()
    response = client.get(reverse("projects:project-list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login") + "?next=")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "未操作" in page
    assert AuditEvent.objects.filter(kind=EventKind.SESSION_EXPIRED, actor=alice_owner).count() == 1


def test_an_active_session_continues(client, alice_owner, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    client.force_login(alice_owner)
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 29 * 60
    session.save()
    assert client.get(reverse("projects:project-list")).status_code == 200
    assert client.session[LAST_SEEN_KEY] >= int(time.time()) - 5  # activity moves the deadline


def test_a_forced_user_can_still_sign_out(client, bureau):
    user = UserFactory(username="newcomer2")
    services.set_password_by_admin(user, "Initial-Pass-1", actor=bureau)
    client.force_login(user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and "_auth_user_id" not in client.session


def test_an_idle_htmx_request_is_redirected_by_header(client, alice_owner, settings):
    client.force_login(alice_owner)
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - (settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 + 5)
    session.save()
    response = client.get(reverse("projects:project-list"), headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"].startswith(reverse("accounts:login"))


def test_a_password_changed_elsewhere_is_audited_too(client, bureau):
    User.objects.filter(pk=bureau.pk).update(is_staff=True)
    client.force_login(User.objects.get(pk=bureau.pk))
    response = client.post(
        "/admin/password_change/",
        {"old_password": "pw-test-123", "new_password1": "Guanli-Mima-77", "new_password2": "Guanli-Mima-77"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(kind=EventKind.PASSWORD_CHANGED)
    assert event.actor.pk == bureau.pk and event.details["via"] == "other"
