"""Issue 17 item 9: the three separated administrators (三员, GB/T 22239-2019 level 3).

The system administrator keeps the configuration, the security administrator accounts, locks and
tokens, the audit administrator reads and exports the audit log and nothing else; none reviews
their own actions. With ``GREENBUILD_SEPARATE_DUTIES`` on, the bureau administrator (and the
superuser flag) loses these duties to the three roles.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from greenbuild.accounts.choices import Role
from greenbuild.accounts.duties import AUDIT, SECURITY, SYSTEM, duties_of, has_duty
from greenbuild.accounts.models import User
from greenbuild.audit.choices import EventKind
from greenbuild.audit.models import AuditEvent
from greenbuild.audit.services import record_event
from greenbuild.testing.factories import UserFactory


def test_the_three_roles_read_in_chinese():
    with translation.override("zh-hans"):
        labels = [str(Role.SYSTEM_ADMIN.label), str(Role.SECURITY_ADMIN.label), str(Role.AUDIT_ADMIN.label)]
    assert labels == ["系统管理员", "安全管理员", "审计管理员"]


def test_each_administrator_holds_exactly_their_duty(duty_admins):
    assert duties_of(duty_admins["sys_admin"]) == [SYSTEM]
    assert duties_of(duty_admins["sec_admin"]) == [SECURITY]
    assert duties_of(duty_admins["audit_admin"]) == [AUDIT]


def test_the_bureau_holds_every_duty_until_duties_are_separated(settings, bureau):
    settings.GREENBUILD_SEPARATE_DUTIES = False
    assert duties_of(bureau) == [SYSTEM, SECURITY, AUDIT]
    settings.GREENBUILD_SEPARATE_DUTIES = True
    assert duties_of(bureau) == []


def test_a_superuser_flag_grants_no_duty_once_separated(settings, bureau):
    User.objects.filter(pk=bureau.pk).update(is_staff=True, is_superuser=True)
    superuser = User.objects.get(pk=bureau.pk)
    settings.GREENBUILD_SEPARATE_DUTIES = True
    assert not any(has_duty(superuser, d) for d in (SYSTEM, SECURITY, AUDIT))
    assert not superuser.has_perm("accounts.change_user")
    assert not superuser.has_module_perms("audit")


# (persona, url) -> status, duties separated
ADMIN_PAGES = {
    "/admin/programmes/programme/": {"sys_admin": 200, "sec_admin": 403, "audit_admin": 403, "bureau": 403},
    "/admin/accounts/user/": {"sys_admin": 403, "sec_admin": 200, "audit_admin": 403, "bureau": 403},
    "/admin/otp_totp/totpdevice/": {"sys_admin": 403, "sec_admin": 200, "audit_admin": 403, "bureau": 403},
    # the security administrator reads the audit administrators' entries (reviewing them)
    "/admin/audit/auditevent/": {"sys_admin": 403, "sec_admin": 200, "audit_admin": 200, "bureau": 403},
}


@pytest.mark.parametrize("url", list(ADMIN_PAGES))
def test_the_admin_shows_each_administrator_their_duty_only(client, settings, duty_admins, bureau, url):
    settings.GREENBUILD_SEPARATE_DUTIES = True
    User.objects.filter(pk=bureau.pk).update(is_staff=True, is_superuser=True)
    people = {**duty_admins, "bureau": User.objects.get(pk=bureau.pk)}
    got = {}
    for name, user in people.items():
        client.force_login(user)
        got[name] = client.get(url).status_code
    assert got == ADMIN_PAGES[url]


def test_the_bureau_superuser_keeps_the_admin_when_duties_are_not_separated(client, settings, bureau):
    settings.GREENBUILD_SEPARATE_DUTIES = False
    User.objects.filter(pk=bureau.pk).update(is_staff=True, is_superuser=True)
    client.force_login(User.objects.get(pk=bureau.pk))
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/programmes/programme/").status_code == 200


def test_the_audit_administrator_cannot_add_or_change_audit_rows(client, audit_admin, alice_owner):
    event = record_event(EventKind.LOGIN, actor=alice_owner)
    client.force_login(audit_admin)
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert client.post("/admin/audit/auditevent/{}/delete/".format(event.pk), {"post": "yes"}).status_code == 403


SITE_PAGES = ("audit", "audit-export", "locked", "unlock")


def _site_cells(locked):
    return {
        "audit": ("get", reverse("audit:list")),
        "audit-export": ("get", reverse("audit:export")),
        "locked": ("get", reverse("accounts:locked")),
        "unlock": ("post", reverse("accounts:unlock", args=[locked.pk])),
    }


@pytest.mark.parametrize(
    ("separated", "expected"),
    [
        (
            True,
            {
                "sys_admin": [403, 403, 403, 403],
                "sec_admin": [200, 200, 200, 302],
                "audit_admin": [200, 200, 403, 403],
                "bureau": [403, 403, 403, 403],
            },
        ),
        (
            False,
            {
                "sys_admin": [403, 403, 403, 403],
                "sec_admin": [200, 200, 200, 302],
                "audit_admin": [200, 200, 403, 403],
                "bureau": [200, 200, 200, 302],
            },
        ),
    ],
)
def test_security_pages_follow_the_duties(client, settings, duty_admins, bureau, separated, expected):
    from greenbuild.testing.matrix import undone

    settings.GREENBUILD_SEPARATE_DUTIES = separated
    locked = UserFactory(username="locked_one")
    User.objects.filter(pk=locked.pk).update(locked_until=timezone.now() + datetime.timedelta(minutes=10))
    got = {}
    for name, user in {**duty_admins, "bureau": bureau}.items():
        client.force_login(user)
        got[name] = []
        for method, url in _site_cells(locked).values():
            with undone():
                response = client.get(url) if method == "get" else client.post(url, {})
            got[name].append(response.status_code)
    assert got == expected


def test_nobody_reviews_their_own_actions(client, duty_admins, alice_owner):
    auditor, security = duty_admins["audit_admin"], duty_admins["sec_admin"]
    record_event(EventKind.LOGIN, actor=alice_owner, remote_addr="10.1.1.1")
    record_event(EventKind.EXPORT, actor=auditor, remote_addr="10.2.2.2", export="audit_log")
    record_event(EventKind.UNLOCK, actor=security, remote_addr="10.3.3.3", target=alice_owner)

    client.force_login(auditor)
    text = client.get(reverse("audit:list")).content.decode()
    assert "10.1.1.1" in text and "10.3.3.3" in text and "10.2.2.2" not in text

    # the security administrator reviews the audit administrator, and only them
    client.force_login(security)
    text = client.get(reverse("audit:list")).content.decode()
    assert "10.2.2.2" in text and "10.1.1.1" not in text and "10.3.3.3" not in text


def test_the_export_takes_the_filters_and_the_gate(client, duty_admins, alice_owner):
    from io import BytesIO

    from openpyxl import load_workbook

    auditor = duty_admins["audit_admin"]
    record_event(EventKind.LOGIN, actor=alice_owner, remote_addr="10.1.1.1")
    record_event(EventKind.LOGIN_FAILED, username="ghost", remote_addr="10.1.1.2")
    record_event(EventKind.LOGIN, actor=auditor, remote_addr="10.2.2.2")
    client.force_login(auditor)
    with translation.override("zh-hans"):
        response = client.get(reverse("audit:export"), {"kind": EventKind.LOGIN})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["时间", "事件", "用户", "网络地址"]
    assert [r[3] for r in rows[1:]] == ["10.1.1.1"]  # filtered, and never the reader's own
    exported = AuditEvent.objects.filter(kind=EventKind.EXPORT, actor=auditor).get()
    assert exported.details["export"] == "audit_log" and exported.details["rows"] == 1
    assert exported.remote_addr == "127.0.0.1"


def test_a_large_export_runs_as_a_job_for_the_reader_only(client, monkeypatch, duty_admins, alice_owner):
    from greenbuild.audit import exports
    from greenbuild.jobs.models import Job
    from greenbuild.jobs.services import run_job

    monkeypatch.setattr(exports, "INLINE_ROWS", 2)
    for i in range(3):
        record_event(EventKind.LOGIN, actor=alice_owner, remote_addr="10.9.9.{}".format(i))
    auditor = duty_admins["audit_admin"]
    client.force_login(auditor)
    page = client.get(reverse("audit:list")).content.decode()
    assert reverse("audit:export-start") in page
    response = client.get(reverse("audit:export"))
    assert response.status_code == 302  # too large for the request: offered as a job
    response = client.post(reverse("audit:export-start") + "?kind=login", REMOTE_ADDR="10.7.7.7")
    job = Job.objects.get(actor=auditor)
    assert response.status_code == 302 and job.remote_addr == "10.7.7.7"
    job = run_job(job.pk)
    assert job is not None and job.result is not None and job.status == "succeeded"
    exported = AuditEvent.objects.get(kind=EventKind.EXPORT, actor=auditor)
    assert exported.remote_addr == "10.7.7.7" and exported.details["rows"] == 3


def test_filters_are_links_that_open_in_a_new_tab(client, duty_admins, alice_owner):
    record_event(EventKind.LOGIN, actor=alice_owner, remote_addr="10.1.1.1")
    client.force_login(duty_admins["audit_admin"])
    text = client.get(reverse("audit:list")).content.decode()
    assert 'href="?kind=login"' in text  # the event cell filters on its kind
    assert 'href="?user=alice"' in text and 'href="?address=10.1.1.1"' in text
    assert 'type="checkbox" name="kind"' in text and 'name="kind" id="id_kind" multiple' not in text
    assert 'href="?kind=workflow_move&amp;kind=sign_off' in text  # a group of events, one link


def test_the_user_import_grants_no_administrator_duty():
    from greenbuild.imports.organisations import IMPORTABLE_ROLES

    assert not {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN} & set(IMPORTABLE_ROLES)
    assert Role.OWNER_APPLICANT in IMPORTABLE_ROLES


def test_other_peoples_tokens_are_the_security_administrators(settings, bureau, sec_admin, alice_owner):
    from greenbuild.api.services import create_token, revoke_token
    from greenbuild.core.errors import ActionForbidden

    settings.GREENBUILD_SEPARATE_DUTIES = True
    with pytest.raises(ActionForbidden):
        create_token(actor=bureau, user=alice_owner, name="代建")
    token, _raw = create_token(actor=sec_admin, user=alice_owner, name="代建")
    assert revoke_token(actor=sec_admin, token_id=token.pk).revoked_at is not None
