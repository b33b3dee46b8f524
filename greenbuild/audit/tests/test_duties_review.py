"""Issue 17 item 9 (ACC-08), second look: the open ends of the separated duties.

The memberships API follows the security duty; a programme-level file (an import, the audit
export's workbook) is its uploader's alone; the admin's history answers 404 for an id the key
cannot hold.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from greenbuild.accounts.models import User
from greenbuild.api.services import create_token


def _rows(client, user):
    _token, raw = create_token(actor=user, user=user, name="review")
    response = client.get("/api/v1/memberships/", HTTP_AUTHORIZATION="Bearer " + raw)
    assert response.status_code == 200
    return response.json()["count"]


@pytest.mark.parametrize("separated", [True, False])
def test_the_memberships_api_follows_the_security_duty(client, settings, duty_admins, bureau, separated):
    settings.GREENBUILD_SEPARATE_DUTIES = separated
    assert _rows(client, duty_admins["sec_admin"]) > 0
    assert _rows(client, duty_admins["sys_admin"]) == 0
    assert _rows(client, duty_admins["audit_admin"]) == 0
    assert (_rows(client, bureau) > 0) is (not separated)


@pytest.fixture
def _attachments_in_memory(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.mark.usefixtures("_attachments_in_memory")
def test_a_programme_level_file_is_its_uploaders_alone(client, settings, bureau, duty_admins):
    from greenbuild.attachments.models import Attachment
    from greenbuild.attachments.services import store_attachment
    from greenbuild.audit.exports import audit_workbook

    settings.GREENBUILD_SEPARATE_DUTIES = False
    auditor = duty_admins["audit_admin"]
    export = store_attachment(
        actor=auditor, project=None, kind="report", uploaded_file=ContentFile(audit_workbook([]), name="audit.xlsx")
    )
    url = reverse("attachments:download", args=[export.pk])
    client.force_login(bureau)  # holds the audit duty itself here, yet not the auditor's file
    assert client.get(url).status_code == 404
    assert not Attachment.objects.for_user(bureau).filter(pk=export.pk).exists()
    client.force_login(auditor)
    assert client.get(url).status_code == 200
    assert Attachment.objects.for_user(auditor).filter(pk=export.pk).exists()


@pytest.mark.parametrize("path", ["x/history/", "x/history/1/", "1/history/x/"])
def test_the_admin_history_answers_404_for_an_id_the_key_cannot_hold(client, settings, bureau, orgs, path):
    settings.GREENBUILD_SEPARATE_DUTIES = False
    User.objects.filter(pk=bureau.pk).update(is_staff=True, is_superuser=True)
    client.force_login(User.objects.get(pk=bureau.pk))
    path = path.replace("1", str(orgs["owner"].pk))
    assert client.get("/admin/accounts/organisation/{}".format(path)).status_code == 404
    assert client.get("/admin/accounts/organisation/{}/history/".format(orgs["owner"].pk)).status_code == 200


@pytest.mark.parametrize("separated", [True, False])
def test_the_security_administrator_grants_themselves_nothing_in_the_admin(client, settings, sec_admin, separated):
    from greenbuild.accounts.choices import Role

    settings.GREENBUILD_SEPARATE_DUTIES = separated
    client.force_login(sec_admin)
    response = client.get("/admin/accounts/user/{}/change/".format(sec_admin.pk))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert not {"is_superuser", "is_staff", "is_active", "groups", "user_permissions"} & set(form.fields)
    # a forged post (valid for the form as it was) adds no role and no flag
    post = {
        "username": sec_admin.username,
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "user_permissions": ["1"],
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-role": Role.AUDIT_ADMIN,
        "memberships-0-organisation": str(sec_admin.memberships.get().organisation_id),
        "memberships-0-user": str(sec_admin.pk),
    }
    client.post("/admin/accounts/user/{}/change/".format(sec_admin.pk), post)
    sec_admin.refresh_from_db()
    assert not sec_admin.is_superuser and not sec_admin.user_permissions.exists()
    assert list(sec_admin.memberships.values_list("role", flat=True)) == [Role.SECURITY_ADMIN]


def test_the_security_administrator_sets_no_django_permission_on_others(client, settings, sec_admin, alice_owner):
    settings.GREENBUILD_SEPARATE_DUTIES = True
    client.force_login(sec_admin)
    response = client.get("/admin/accounts/user/{}/change/".format(alice_owner.pk))
    form = response.context["adminform"].form
    assert not {"is_superuser", "groups", "user_permissions"} & set(form.fields)
    assert "is_active" in form.fields  # suspending an account stays the security duty's


def test_nobody_lifts_their_own_lockout(client, settings, sec_admin):
    import datetime

    from django.utils import timezone

    settings.GREENBUILD_SEPARATE_DUTIES = True
    client.force_login(sec_admin)
    User.objects.filter(pk=sec_admin.pk).update(locked_until=timezone.now() + datetime.timedelta(minutes=10))
    response = client.post(reverse("accounts:unlock", args=[sec_admin.pk]))
    assert response.status_code in (302, 404)  # signed out by the lock, or no such locked account
    assert User.objects.get(pk=sec_admin.pk).locked_until is not None


@pytest.mark.parametrize("separated", [True, False])
def test_nobody_issues_a_token_for_another_administrator(settings, duty_admins, bureau, alice_owner, separated):
    from greenbuild.core.errors import ActionForbidden

    settings.GREENBUILD_SEPARATE_DUTIES = separated
    security = duty_admins["sec_admin"]
    for administrator in (bureau, duty_admins["audit_admin"], duty_admins["sys_admin"]):
        with pytest.raises(ActionForbidden):
            create_token(actor=security, user=administrator, name="代建", scope="write")
    assert create_token(actor=security, user=alice_owner, name="代建")[0].user == alice_owner
    assert create_token(actor=bureau, user=bureau, name="自用")[0].user == bureau


def test_a_second_factor_device_is_never_added_or_edited_for_someone_else(client, settings, sec_admin, bureau):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.GREENBUILD_SEPARATE_DUTIES = True
    device = TOTPDevice.objects.create(user=bureau, name="authenticator", confirmed=True)
    client.force_login(sec_admin)
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    response = client.post(
        "/admin/otp_totp/totpdevice/add/",
        {
            "user": bureau.pk,
            "name": "mine",
            "key": "00" * 20,
            "step": 30,
            "t0": 0,
            "digits": 6,
            "tolerance": 1,
            "drift": 0,
            "confirmed": "on",
        },
    )
    assert response.status_code == 403 and TOTPDevice.objects.count() == 1
    client.post("/admin/otp_totp/totpdevice/{}/change/".format(device.pk), {"key": "00" * 20, "confirmed": "on"})
    device.refresh_from_db()
    assert device.key != "00" * 20
    # removing (resetting) it stays the security duty's
    assert client.get("/admin/otp_totp/totpdevice/{}/delete/".format(device.pk)).status_code == 200


@pytest.mark.parametrize("separated", [True, False])
def test_the_system_administrator_reads_no_business_record_in_the_admin(
    client, settings, duty_admins, personas, filed_project, orgs, separated
):
    """The system duty is the configuration: a project's or an organisation's confidential fields
    (investment, approval code, credit code) and the workflow records are the bureau's business,
    not the system administrator's, in the admin as everywhere."""
    settings.GREENBUILD_SEPARATE_DUTIES = separated
    bureau = personas["bureau"]
    project = filed_project()
    bureau.is_staff = True
    bureau.save(update_fields=["is_staff"])
    business = [
        "/admin/projects/project/",
        "/admin/projects/project/{}/change/".format(project.pk),
        "/admin/accounts/organisation/{}/change/".format(orgs["owner"].pk),
        "/admin/attachments/attachment/",
    ]
    client.force_login(duty_admins["sys_admin"])
    for url in business:
        assert client.get(url).status_code == 403, url
    assert client.get("/admin/programmes/programme/").status_code == 200  # configuration stays
    client.force_login(bureau)
    for url in business:
        assert client.get(url).status_code == 200, url
