"""Issue 17 item 9 (三员): the users import writes accounts, so it is the security duty's once
duties are separated; the error workbook (names, phones, e-mail addresses as uploaded) is an
export of personal data and leaves an audit entry."""

from __future__ import annotations

import pytest
from django.urls import reverse

from greenbuild.audit.choices import EventKind
from greenbuild.audit.models import AuditEvent
from greenbuild.imports.models import ImportBatch, ImportStatus
from greenbuild.imports.tests.conftest import workbook
from greenbuild.imports.tests.test_imports import USER_HEADERS, upload

BAD_USER_ROWS = [["zhao.liu", "赵六", "not-an-email", "辖市区主管人员", "无此单位", "", "13800000000"]]


def _users_upload(client):
    return upload(
        client,
        "users",
        workbook(USER_HEADERS, BAD_USER_ROWS),
        filename="用户.xlsx",
        initial_password="Chu-shi-Mi-ma-2026",
    )


@pytest.mark.usefixtures("immediate")
def test_the_users_import_is_the_security_duty_once_separated(client, settings, bureau, sec_admin, orgs):
    settings.GREENBUILD_SEPARATE_DUTIES = True
    client.force_login(bureau)
    assert client.get(reverse("imports:import-form", args=["users"])).status_code == 403
    assert _users_upload(client).status_code == 403
    assert not ImportBatch.objects.exists()
    assert client.get(reverse("imports:import-form", args=["organisations"])).status_code == 200

    client.force_login(sec_admin)
    assert client.get(reverse("imports:import-form", args=["organisations"])).status_code == 403
    assert _users_upload(client).status_code == 302
    batch = ImportBatch.objects.get()
    assert reverse("imports:import-form", args=["users"]) in client.get(reverse("imports:index")).content.decode()
    # the bureau no longer reads the users' batch (its rows are accounts)
    client.force_login(bureau)
    assert client.get(reverse("imports:batch-detail", args=[batch.pk])).status_code == 404
    assert reverse("imports:import-form", args=["users"]) not in client.get(reverse("imports:index")).content.decode()


@pytest.mark.usefixtures("immediate")
def test_the_bureau_keeps_the_users_import_until_duties_are_separated(client, settings, bureau, orgs):
    settings.GREENBUILD_SEPARATE_DUTIES = False
    client.force_login(bureau)
    assert _users_upload(client).status_code == 302


@pytest.mark.usefixtures("immediate")
def test_the_error_workbook_is_an_audited_export(client, settings, bureau, orgs):
    settings.GREENBUILD_SEPARATE_DUTIES = False
    client.force_login(bureau)
    _users_upload(client)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.INVALID
    response = client.get(reverse("imports:batch-errors", args=[batch.pk]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(kind=EventKind.EXPORT)
    assert event.actor == bureau and event.details["export"] == "import_errors"
    assert event.details["importer"] == "users" and event.details["rows"] == 1
