"""Issue 10 item 7: lockout, address throttling, the unlock path, and their audit records."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from greenbuild.accounts.models import User
from greenbuild.audit.choices import EventKind
from greenbuild.audit.models import AuditEvent

PASSWORD = "pw-test-123"


def login(client, username, password, *, lang="zh-hans", addr="10.0.0.1"):
    with translation.override(lang):
        url = reverse("accounts:login")
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=addr)


def signed_in(client):
    return "_auth_user_id" in client.session


def test_twenty_wrong_passwords_then_the_right_one_is_refused(client, alice_owner):
    for _ in range(20):
        login(client, "alice", "wrong-password")
    response = login(client, "alice", PASSWORD)
    assert response.status_code == 200
    assert not signed_in(client)
    text = response.content.decode()
    assert "该账户因连续多次登录失败已被锁定" in text
    assert "住建局" in text
    alice_owner.refresh_from_db()
    assert alice_owner.is_locked()


def test_the_locked_message_is_english_under_en(client, alice_owner):
    for _ in range(5):
        login(client, "alice", "wrong-password", lang="en")
    text = login(client, "alice", PASSWORD, lang="en").content.decode()
    assert "This account is locked after repeated failed sign-ins" in text
    assert "锁定" not in text


def test_five_failures_lock_four_do_not(client, alice_owner, settings):
    for _ in range(4):
        login(client, "alice", "wrong-password")
    login(client, "alice", PASSWORD)
    assert signed_in(client)
    alice_owner.refresh_from_db()
    assert alice_owner.failed_login_count == 0  # a success resets the count
    client.logout()
    for _ in range(settings.LOGIN_LOCKOUT_THRESHOLD):
        login(client, "alice", "wrong-password")
    login(client, "alice", PASSWORD)
    assert not signed_in(client)


def test_failures_outside_the_window_do_not_add_up(client, alice_owner):
    for _ in range(4):
        login(client, "alice", "wrong-password")
    User.objects.filter(pk=alice_owner.pk).update(last_failed_login_at=timezone.now() - datetime.timedelta(hours=1))
    login(client, "alice", "wrong-password")
    login(client, "alice", PASSWORD)
    assert signed_in(client)


def test_the_lock_ends_after_its_period(client, alice_owner):
    for _ in range(5):
        login(client, "alice", "wrong-password")
    User.objects.filter(pk=alice_owner.pk).update(locked_until=timezone.now() - datetime.timedelta(seconds=1))
    login(client, "alice", PASSWORD)
    assert signed_in(client)


def test_an_address_is_throttled_across_accounts(client, alice_owner, olivia_other_owner, settings):
    for i in range(settings.LOGIN_ADDRESS_THRESHOLD):
        login(client, "nobody{}".format(i), "wrong-password", addr="10.9.9.9")
    response = login(client, "olivia", PASSWORD, addr="10.9.9.9")
    assert not signed_in(client)
    assert "登录失败次数过多" in response.content.decode()
    login(client, "olivia", PASSWORD, addr="10.9.9.10")  # another address is unaffected
    assert signed_in(client)
    assert AuditEvent.objects.filter(kind=EventKind.ADDRESS_THROTTLED, remote_addr="10.9.9.9").count() == 1


def test_the_admin_sign_in_is_locked_too(client, bureau):
    User.objects.filter(pk=bureau.pk).update(is_staff=True)
    for _ in range(5):
        client.post("/admin/login/", {"username": "bureau", "password": "wrong"}, REMOTE_ADDR="10.0.0.2")
    response = client.post("/admin/login/", {"username": "bureau", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2")
    assert not signed_in(client)
    assert "锁定" in response.content.decode()


def test_sign_ins_failures_and_lockouts_are_audited(client, alice_owner):
    login(client, "alice", PASSWORD)
    client.post(reverse("accounts:logout"))
    for _ in range(5):
        login(client, "alice", "wrong-password")
    login(client, "alice", PASSWORD)
    kinds = list(AuditEvent.objects.filter(username="alice").order_by("pk").values_list("kind", flat=True))
    assert kinds[:2] == [EventKind.LOGIN, EventKind.LOGOUT]
    assert kinds.count(EventKind.LOGIN_FAILED) == 6
    assert kinds.count(EventKind.LOCKOUT) == 1
    last = AuditEvent.objects.filter(username="alice").order_by("pk").last()
    assert last.details["reason"] == "locked"
    assert last.remote_addr == "10.0.0.1"


def test_an_unknown_username_is_audited_by_name(client, db):
    login(client, "ghost", "whatever")
    event = AuditEvent.objects.get(kind=EventKind.LOGIN_FAILED)
    assert event.username == "ghost" and event.actor is None


@pytest.fixture
def locked_alice(client, alice_owner):
    for _ in range(5):
        login(client, "alice", "wrong-password")
    alice_owner.refresh_from_db()
    assert alice_owner.is_locked()
    return alice_owner


def test_the_bureau_unlocks_an_account(client, locked_alice, bureau):
    client.force_login(bureau)
    page = client.get(reverse("accounts:locked"))
    assert page.status_code == 200 and "alice" in page.content.decode()
    response = client.post(reverse("accounts:unlock", args=[locked_alice.pk]))
    assert response.status_code == 302
    locked_alice.refresh_from_db()
    assert not locked_alice.is_locked() and locked_alice.failed_login_count == 0
    event = AuditEvent.objects.get(kind=EventKind.UNLOCK)
    assert event.actor == bureau and event.target_id == str(locked_alice.pk)
    client.logout()
    login(client, "alice", PASSWORD)
    assert signed_in(client)


def test_the_bureau_lifts_an_address_throttle(client, bureau, settings, db):
    for i in range(settings.LOGIN_ADDRESS_THRESHOLD):
        login(client, "n{}".format(i), "x", addr="10.7.7.7")
    client.force_login(bureau)
    assert "10.7.7.7" in client.get(reverse("accounts:locked")).content.decode()
    client.post(reverse("accounts:unlock-address"), {"address": "10.7.7.7"})
    client.logout()
    login(client, "bureau", PASSWORD, addr="10.7.7.7")
    assert signed_in(client)
    assert AuditEvent.objects.filter(kind=EventKind.UNLOCK, details__address="10.7.7.7").exists()


@pytest.mark.parametrize("who", ["olivia_other_owner", "dan_district", "dept_reviewer", "eve_expert"])
def test_only_the_bureau_may_unlock(client, personas, locked_alice, who):
    client.force_login(personas[who])
    assert client.get(reverse("accounts:locked")).status_code == 403
    assert client.post(reverse("accounts:unlock", args=[locked_alice.pk])).status_code == 403
    locked_alice.refresh_from_db()
    assert locked_alice.is_locked()


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(reverse("accounts:locked"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_locked_list_has_a_constant_query_count(client, bureau, django_assert_max_num_queries, db):
    client.force_login(bureau)
    client.get(reverse("accounts:locked"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("accounts:locked"))
    for i in range(6):
        user = User.objects.create_user("locked{}".format(i), password="x")
        User.objects.filter(pk=user.pk).update(locked_until=timezone.now() + datetime.timedelta(minutes=5))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("accounts:locked"))
    assert all("locked{}".format(i) in response.content.decode() for i in range(6))


def test_a_bad_address_gives_a_message_and_changes_nothing(client, bureau):
    client.force_login(bureau)
    response = client.post(reverse("accounts:unlock-address"), {"address": "not-an-ip"}, follow=True)
    assert "这不是有效的网络地址" in response.content.decode()
    assert not AuditEvent.objects.filter(kind=EventKind.UNLOCK).exists()


def test_an_ipv4_mapped_address_is_throttled_with_its_ipv4(client, alice_owner, olivia_other_owner, settings):
    """ACC-07: ``::ffff:10.9.9.9`` no longer escapes the throttle of 10.9.9.9."""
    settings.LOGIN_ADDRESS_THRESHOLD = 4
    for n in range(2):
        login(client, "alice", "wrong-password", addr="10.9.9.9")
        login(client, "nobody{}".format(n), "wrong-password", addr="::ffff:10.9.9.9")
    login(client, "olivia", PASSWORD, addr="::ffff:10.9.9.9")
    assert not signed_in(client)
    login(client, "olivia", PASSWORD, addr="2001:db8::1")
    assert signed_in(client)


def test_an_ipv6_64_is_throttled_as_one_address(client, olivia_other_owner, settings, bureau):
    settings.LOGIN_ADDRESS_THRESHOLD = 3
    for n in range(3):
        login(client, "nobody", "wrong-password", addr="2001:db8:5:6::{}".format(n + 1))
    login(client, "olivia", PASSWORD, addr="2001:db8:5:6:ffff::9")
    assert not signed_in(client)
    client.force_login(bureau)
    text = client.get(reverse("accounts:locked")).content.decode()
    assert "2001:db8:5:6::/64" in text
    client.post(reverse("accounts:unlock-address"), {"address": "2001:db8:5:6::/64"})
    client.logout()
    login(client, "olivia", PASSWORD, addr="2001:db8:5:6:ffff::9")
    assert signed_in(client)


def test_x_forwarded_for_counts_only_behind_a_trusted_proxy(client, olivia_other_owner, settings):
    settings.LOGIN_ADDRESS_THRESHOLD = 3
    settings.GREENBUILD_TRUSTED_PROXIES = 0
    for n in range(3):  # a client rotating a forged header is still one address
        client.post(
            reverse("accounts:login"),
            {"username": "nobody", "password": "x"},
            REMOTE_ADDR="10.0.0.9",
            HTTP_X_FORWARDED_FOR="7.7.7.{}".format(n),
        )
    login(client, "olivia", PASSWORD, addr="10.0.0.9")
    assert not signed_in(client)
