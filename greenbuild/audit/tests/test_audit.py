"""Issue 11 item 6 / issue 10 item 8: the security audit log."""

import datetime
import re

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from greenbuild.accounts.choices import Role
from greenbuild.accounts.models import Membership, User
from greenbuild.audit.choices import EventKind
from greenbuild.audit.models import AuditEvent
from greenbuild.audit.services import prune_audit_events, record_event


def test_record_event_keeps_who_where_what(rf, alice_owner, orgs):
    request = rf.get("/", REMOTE_ADDR="10.1.2.3")
    request.user = alice_owner
    event = record_event(
        EventKind.EXPORT, request=request, target=orgs["bureau"], rows=3, day=datetime.date(2026, 1, 2)
    )
    event.refresh_from_db()
    assert event.actor == alice_owner and event.username == "alice" and event.remote_addr == "10.1.2.3"
    assert event.target_repr == str(orgs["bureau"]) and event.target_id == str(orgs["bureau"].pk)
    assert event.details == {"rows": 3, "day": "2026-01-02"}


def test_events_are_append_only(alice_owner):
    event = record_event(EventKind.LOGIN, actor=alice_owner)
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()


def test_a_deleted_user_keeps_their_events(alice_owner):
    record_event(EventKind.LOGIN, actor=alice_owner)
    Membership.objects.filter(user=alice_owner).delete()
    alice_owner.delete()
    event = AuditEvent.objects.get(kind=EventKind.LOGIN)
    assert event.actor is None and event.username == "alice"


def test_admin_changes_are_audited(client, bureau, orgs):
    User.objects.filter(pk=bureau.pk).update(is_staff=True, is_superuser=True)
    client.force_login(User.objects.get(pk=bureau.pk))
    org = orgs["bureau"]
    url = "/admin/accounts/organisation/{}/change/".format(org.pk)
    data = {"name": "常州市住房和城乡建设局", "kind": org.kind, "credit_code": org.credit_code, "contact_phone": ""}
    response = client.post(url, data, REMOTE_ADDR="10.4.4.4")
    assert response.status_code == 302
    event = AuditEvent.objects.get(kind=EventKind.ADMIN_ACTION)
    assert event.actor.pk == bureau.pk and event.remote_addr == "10.4.4.4"
    assert event.details["action"] == "change" and event.target_id == str(org.pk)
    assert event.target_type == ContentType.objects.get_for_model(org)
    from greenbuild.audit.describe import describe

    with translation.override("en"):
        assert "Changed" in describe(event)
    with translation.override("zh-hans"):
        assert "修改" in describe(event) and "Changed" not in describe(event)


def test_log_entries_written_outside_a_request_are_audited(bureau, orgs):
    LogEntry.objects.log_actions(bureau.pk, [orgs["bureau"]], CHANGE, "x")
    assert AuditEvent.objects.filter(kind=EventKind.ADMIN_ACTION, actor=bureau).count() == 1


def test_the_bulk_delete_action_is_disabled():
    from django.contrib import admin

    assert "delete_selected" not in dict(admin.site.actions)


def test_membership_changes_are_audited_wherever_they_happen(bureau, orgs, alice_owner):
    AuditEvent.objects.all().delete()
    membership = Membership(user=alice_owner, organisation=orgs["bureau"], role=Role.BUREAU_ADMIN)
    membership._audit_actor = bureau
    membership.save()
    membership.role = Role.EXPERT
    membership.save()
    membership.delete()
    events = list(AuditEvent.objects.filter(kind=EventKind.MEMBERSHIP_CHANGED).order_by("pk"))
    assert [e.details["action"] for e in events] == ["add", "change", "delete"]
    assert events[0].actor == bureau and events[0].target_id == str(alice_owner.pk)
    assert events[1].details["before"]["role"] == Role.BUREAU_ADMIN


def test_privilege_changes_are_audited(alice_owner):
    alice_owner.is_staff = True
    alice_owner.save()
    event = AuditEvent.objects.get(kind=EventKind.PERMISSION_CHANGED)
    assert event.details["changed"] == {"is_staff": [False, True]}


@pytest.mark.parametrize("who", ["alice_owner", "dan_district", "dept_reviewer", "eve_expert", "ted_evaluator"])
def test_only_the_bureau_reads_the_audit_log(client, personas, who):
    client.force_login(personas[who])
    assert client.get(reverse("audit:list")).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(reverse("audit:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_django_admin_does_not_show_it_to_others(client, alice_owner):
    User.objects.filter(pk=alice_owner.pk).update(is_staff=True)
    client.force_login(User.objects.get(pk=alice_owner.pk))
    assert client.get("/admin/audit/auditevent/").status_code == 403


def test_the_admin_is_read_only_for_the_bureau(client, bureau):
    User.objects.filter(pk=bureau.pk).update(is_staff=True, is_superuser=True)
    client.force_login(User.objects.get(pk=bureau.pk))
    event = record_event(EventKind.LOGIN, actor=bureau)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert client.post("/admin/audit/auditevent/{}/delete/".format(event.pk), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def make_events(bureau, alice, n):
    for i in range(n):
        record_event(EventKind.LOGIN_FAILED, username="ghost{}".format(i), remote_addr="10.0.{}.1".format(i % 3))
    record_event(EventKind.LOGIN, actor=alice, remote_addr="10.8.8.8")
    record_event(EventKind.UNLOCK, actor=bureau, target=alice)


def test_the_bureau_filters_the_log(client, bureau, alice_owner):
    make_events(bureau, alice_owner, 5)
    client.force_login(bureau)
    url = reverse("audit:list")
    text = client.get(url, {"kind": EventKind.LOGIN}).content.decode()
    assert "10.8.8.8" in text and "ghost1" not in text
    text = client.get(url, {"user": "ghost"}).content.decode()
    assert "ghost1" in text and "10.8.8.8" not in text
    text = client.get(url, {"address": "10.0.2."}).content.decode()
    assert "ghost2" in text and "ghost1" not in text
    today = timezone.localdate()
    text = client.get(url, {"date_from": today + datetime.timedelta(days=1)}).content.decode()
    assert "ghost1" not in text
    text = client.get(url, {"date_from": today, "date_to": today}).content.decode()
    assert "ghost1" in text


def test_absurd_filter_values_give_a_message_not_an_error(client, bureau):
    client.force_login(bureau)
    response = client.get(reverse("audit:list"), {"date_from": "2026-99-99", "kind": "nonsense", "page": "999999"})
    assert response.status_code == 200


def test_the_page_speaks_the_readers_language(client, bureau, alice_owner):
    make_events(bureau, alice_owner, 1)
    client.force_login(bureau)
    with translation.override("zh-hans"):
        zh = client.get(reverse("audit:list")).content.decode()
    with translation.override("en"):
        en = client.get(reverse("audit:list")).content.decode()
    visible_zh = re.sub(r"<[^>]+>", " ", zh)  # option values are codes; the reader sees labels
    assert "安全审计日志" in zh and "登录失败" in zh and "login_failed" not in visible_zh
    assert "Security audit log" in en and "Sign-in failed" in en and "登录" not in re.sub(r"<[^>]+>", " ", en)


def test_the_page_has_a_constant_query_count(client, bureau, alice_owner, django_assert_max_num_queries):
    client.force_login(bureau)
    make_events(bureau, alice_owner, 3)
    client.get(reverse("audit:list"))
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("audit:list"))
    make_events(bureau, alice_owner, 60)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("audit:list"))
    assert response.context["page"].paginator.num_pages == 2


def test_retention_refuses_less_than_180_days(settings, db):
    settings.AUDIT_RETENTION_DAYS = 90
    with pytest.raises(ImproperlyConfigured):
        prune_audit_events()


def test_prune_deletes_only_older_rows(settings, alice_owner):
    settings.AUDIT_RETENTION_DAYS = 180
    old = record_event(EventKind.LOGIN, actor=alice_owner)
    kept = record_event(EventKind.LOGIN, actor=alice_owner)
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=181))
    AuditEvent.objects.filter(pk=kept.pk).update(at=timezone.now() - datetime.timedelta(days=179))
    call_command("prune_audit", verbosity=0)
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=kept.pk).exists()
    assert AuditEvent.objects.filter(kind=EventKind.AUDIT_PRUNED, details__deleted=1).exists()


def test_the_retention_setting_is_checked_at_startup(settings):
    from greenbuild.audit.checks import check_retention

    settings.AUDIT_RETENTION_DAYS = 30
    assert [e.id for e in check_retention(None)] == ["greenbuild.audit.E001"]
    settings.AUDIT_RETENTION_DAYS = 365
    assert check_retention(None) == []


def test_a_membership_added_in_the_admin_is_audited_with_its_administrator(client, bureau, orgs, alice_owner):
    User.objects.filter(pk=bureau.pk).update(is_staff=True, is_superuser=True)
    client.force_login(User.objects.get(pk=bureau.pk))
    existing = Membership.objects.get(user=alice_owner)
    data = {
        "username": "alice",
        "display_name": "alice",
        "is_active": "on",
        "must_change_password": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "1",
        "memberships-0-id": str(existing.pk),
        "memberships-0-user": str(alice_owner.pk),
        "memberships-0-organisation": str(existing.organisation_id),
        "memberships-0-role": existing.role,
        "memberships-1-user": str(alice_owner.pk),
        "memberships-1-organisation": str(orgs["bureau"].pk),
        "memberships-1-role": Role.EXPERT,
    }
    AuditEvent.objects.all().delete()
    response = client.post("/admin/accounts/user/{}/change/".format(alice_owner.pk), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(kind=EventKind.MEMBERSHIP_CHANGED)
    assert event.actor.pk == bureau.pk and event.details["action"] == "add"
    assert event.details["membership"]["role"] == Role.EXPERT
    assert AuditEvent.objects.filter(kind=EventKind.ADMIN_ACTION, target_id=str(alice_owner.pk)).exists()


def test_backup_and_restore_events_read_in_both_languages(bureau):
    from greenbuild.audit.describe import describe

    event = record_event(
        EventKind.RESTORE,
        archive="/srv/b.tar.gz",
        rows=10,
        files=2,
        operator="root",
        backup_created_at="2026-12-01T10:00:00+00:00",
    )
    with translation.override("zh-hans"):
        zh = describe(event)
    with translation.override("en"):
        en = describe(event)
    assert "备份文件 /srv/b.tar.gz" in zh and "10 行数据" in zh and "2026-12-01 18:00" in zh
    assert "archive /srv/b.tar.gz" in en and "backup of 2026-12-01 18:00" in en and "备份" not in en
