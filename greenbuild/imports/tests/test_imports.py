"""Imports: every row checked before anything is written, errors by row and column (on the page
and as Excel), one atomic write, a background job for every file, bad files refused."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from greenbuild.accounts.choices import Role
from greenbuild.accounts.models import Organisation, User
from greenbuild.attachments.models import Attachment
from greenbuild.core.credit_code import make_credit_code
from greenbuild.imports.models import ImportBatch, ImportStatus
from greenbuild.imports.tests.conftest import workbook
from greenbuild.jobs.choices import JobStatus

ZH_HEADERS = ["单位名称", "统一社会信用代码", "单位类型", "所属区", "联系电话"]
EN_HEADERS = ["Organisation name", "Unified social credit code", "Organisation kind", "District", "Contact phone"]


def code(n: int) -> str:
    return make_credit_code("91320411{:09d}".format(n))


def org_rows(count: int, start: int = 1):
    return [
        ["导入单位{}".format(i), code(i), "施工单位", "天宁区", "0519-8000{:04d}".format(i)]
        for i in range(start, start + count)
    ]


def upload(client, name, data, filename="单位.xlsx", **extra):
    """Post the form; the import job it queues runs when the request's transaction commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("imports:import-form", args=[name]),
            {"workbook": SimpleUploadedFile(filename, data), **extra},
        )


@pytest.fixture
def bureau_client(client, bureau, immediate):
    client.force_login(bureau)
    return client


def test_1000_clean_rows_are_all_written_by_a_background_job(
    bureau_client, immediate, django_capture_on_commit_callbacks
):
    before = Organisation.objects.count()
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        response = upload(bureau_client, "organisations", workbook(ZH_HEADERS, org_rows(1000)))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        reverse("imports:batch-detail", args=[batch.pk])
    )
    assert batch.job is not None
    batch.job.refresh_from_db()
    assert batch.job.status == JobStatus.SUCCEEDED and batch.job.progress == 100
    assert batch.status == ImportStatus.DONE and batch.created_count == 1000 and batch.row_count == 1000
    assert Organisation.objects.count() == before + 1000
    org = Organisation.objects.get(credit_code=code(537))
    assert (org.name, org.kind, org.district.code) == ("导入单位537", "contractor", "tianning")
    assert org.history.get().history_user.username == "bureau"
    assert len(queries) < 100  # written in bulk, not row by row
    page = bureau_client.get(reverse("imports:batch-detail", args=[batch.pk])).content.decode()
    assert "1000 行已导入" in page or "1000" in page


def test_one_bad_row_among_1000_writes_nothing_and_reports_that_row(
    bureau_client, immediate, django_capture_on_commit_callbacks
):
    rows = org_rows(1000)
    rows[536][1] = rows[536][1][:-1] + ("0" if rows[536][1][-1] != "0" else "1")  # wrong check digit, sheet row 538
    before = Organisation.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        upload(bureau_client, "organisations", workbook(ZH_HEADERS, rows))
    batch = ImportBatch.objects.get()
    assert Organisation.objects.count() == before
    assert batch.status == ImportStatus.INVALID
    assert len(batch.errors) == 1
    row, column, message = batch.errors[0]
    assert (row, column) == (538, "统一社会信用代码")
    assert rows[536][1] in message and "GB 32100" in message

    page = bureau_client.get(reverse("imports:batch-detail", args=[batch.pk])).content.decode()
    assert '<td class="text-nowrap">538</td>' in page and "统一社会信用代码" in page
    # SEC-18: the report holds the rows as uploaded, each with its problems, then the list.
    report = load_workbook(io.BytesIO(bureau_client.get(reverse("imports:batch-errors", args=[batch.pk])).content))
    uploaded, listing = ([[c.value for c in r] for r in ws.iter_rows()] for ws in report.worksheets)
    assert uploaded[0] == ["本行问题", *ZH_HEADERS]
    assert len(uploaded) == 1001
    assert uploaded[537][1:] == rows[536] and uploaded[537][0].startswith("统一社会信用代码：")
    assert rows[536][1] in uploaded[537][0]
    assert uploaded[536] == [None, *rows[535]]
    assert listing[0] == ["行", "列", "问题"]
    assert listing[1][:2] == [538, "统一社会信用代码"]


@pytest.mark.parametrize("headers", [EN_HEADERS, ZH_HEADERS], ids=["english", "chinese"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_headers_in_either_language_are_mapped_and_a_small_file_is_imported_by_its_job(
    bureau_client, headers, language
):
    data = workbook(headers, [["Changzhou Test Co.", code(9001), "Contractor", "tianning", ""]])
    with translation.override(language):
        response = upload(bureau_client, "organisations", data, filename="orgs.xlsx")
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.job is not None and batch.status == ImportStatus.DONE
    assert Organisation.objects.filter(name="Changzhou Test Co.", kind="contractor").exists()


def test_duplicates_in_the_file_and_in_the_platform_are_reported(bureau_client, orgs):
    rows = org_rows(2) + [["导入单位1", code(50), "施工单位", "", ""], ["中建八局三公司", code(51), "施工单位", "", ""]]
    upload(bureau_client, "organisations", workbook(ZH_HEADERS, rows))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.INVALID
    assert [(r, c) for r, c, _m in batch.errors] == [(4, "单位名称"), (5, "单位名称")]
    assert "第 2 行" in batch.errors[0][2] or "2" in batch.errors[0][2]
    assert not Organisation.objects.filter(name="导入单位2").exists()


@pytest.mark.parametrize(
    "filename,content,expected",
    [
        ("单位.xlsx", b"this is not a workbook at all", "扩展名不符"),
        ("单位.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "密码"),
        ("单位.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "扩展名不符"),
        ("单位.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "不是可接受的文件类型"),
        ("单位.csv", "单位名称,统一社会信用代码\n".encode(), ".xlsx"),
    ],
    ids=["not-a-workbook", "password-protected", "disguised-pdf", "pdf", "csv"],
)
def test_a_file_that_is_not_a_usable_workbook_is_refused_with_nothing_written(
    bureau_client, filename, content, expected
):
    response = upload(bureau_client, "organisations", content, filename=filename)
    assert response.status_code == 200
    errors = response.context["form"].errors["workbook"]
    assert any(expected in e for e in errors), errors
    assert not ImportBatch.objects.exists()
    assert not Attachment.objects.exists()


def test_missing_columns_are_named_and_nothing_is_written(bureau_client):
    before = Organisation.objects.count()
    response = upload(bureau_client, "organisations", workbook(["单位名称", "联系电话"], [["甲", ""]]))
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.INVALID
    [(row, column, message)] = batch.errors
    assert row == 0 and "统一社会信用代码" in message and "单位类型" in message
    assert Organisation.objects.count() == before
    page = bureau_client.get(reverse("imports:batch-detail", args=[batch.pk])).content.decode()
    assert "统一社会信用代码" in page


def test_the_template_downloads_with_both_sheets_and_its_headers_import(bureau_client):
    response = bureau_client.get(reverse("imports:template", args=["organisations"]))
    wb = load_workbook(io.BytesIO(response.content))
    headers = [c.value for c in wb.worksheets[0][1]]
    assert headers == ["单位名称 *", "统一社会信用代码 *", "单位类型 *", "辖市区", "联系电话"]
    assert len(wb.worksheets) == 2
    upload(bureau_client, "organisations", workbook(headers, [["模板单位", code(7000), "设计单位", "", ""]]))
    assert Organisation.objects.filter(name="模板单位", kind="designer").exists()


USER_HEADERS = ["用户名", "姓名", "邮箱", "角色", "所属单位", "所属区", "部门"]


def test_users_are_imported_with_the_initial_password_and_must_change_it(bureau_client, orgs):
    rows = [
        ["zhang.san", "张三", "zhangsan@example.com", "建设单位申报人", orgs["owner"].credit_code, "", ""],
        ["li.si", "李四", "", "District official", "天宁区人民政府", "天宁区", ""],
    ]
    response = upload(
        bureau_client,
        "users",
        workbook(USER_HEADERS, rows),
        filename="用户.xlsx",
        initial_password="Chu-shi-Mi-ma-2026",
    )
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.DONE, batch.errors
    assert "password_hash" not in batch.options
    zhang = User.objects.get(username="zhang.san")
    assert zhang.must_change_password and zhang.check_password("Chu-shi-Mi-ma-2026")
    assert zhang.memberships.get().role == Role.OWNER_APPLICANT
    li = User.objects.get(username="li.si")
    assert li.memberships.get().district.code == "tianning"


def test_a_bad_user_row_writes_no_user(bureau_client, orgs, alice_owner):
    rows = [
        ["wang.wu", "王五", "", "建设单位申报人", "常州天宁置业有限公司", "", ""],
        ["alice", "重名", "", "建设单位申报人", "常州天宁置业有限公司", "", ""],
        ["zhao.liu", "赵六", "not-an-email", "辖市区主管人员", "无此单位", "", ""],
    ]
    upload(
        bureau_client,
        "users",
        workbook(USER_HEADERS, rows),
        filename="用户.xlsx",
        initial_password="Chu-shi-Mi-ma-2026",
    )
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.INVALID
    assert {(r, c) for r, c, _m in batch.errors} >= {(3, "用户名"), (4, "电子邮件"), (4, "所属单位")}
    assert not User.objects.filter(username__in=["wang.wu", "zhao.liu"]).exists()


def test_the_initial_password_must_pass_the_password_rules(bureau_client, orgs):
    rows = [["wang.wu", "王五", "", "建设单位申报人", "常州天宁置业有限公司", "", ""]]
    response = upload(
        bureau_client, "users", workbook(USER_HEADERS, rows), filename="用户.xlsx", initial_password="123"
    )
    assert response.status_code == 200 and response.context["form"].errors["initial_password"]
    assert not ImportBatch.objects.exists()


def test_imports_are_for_the_bureau_only(client, alice_owner, bureau):
    client.force_login(alice_owner)
    for url in [reverse("imports:index"), reverse("imports:import-form", args=["organisations"])]:
        assert client.get(url).status_code == 403
    assert upload(client, "organisations", workbook(ZH_HEADERS, org_rows(1))).status_code == 403
    assert not ImportBatch.objects.exists()
    assert 'id="nav-imports"' not in client.get(reverse("projects:project-list")).content.decode()
    client.force_login(bureau)
    assert 'id="nav-imports"' in client.get(reverse("projects:project-list")).content.decode()
    client.logout()
    assert client.get(reverse("imports:index")).status_code == 302


def test_the_import_pages_list_recent_imports_in_a_constant_number_of_queries(bureau_client):
    def count_queries(url):
        with CaptureQueriesContext(connection) as queries:
            assert bureau_client.get(url).status_code == 200
        return len(queries)

    upload(bureau_client, "organisations", workbook(ZH_HEADERS, org_rows(1)))
    urls = [reverse("imports:index"), reverse("imports:import-form", args=["organisations"])]
    one = [count_queries(url) for url in urls]
    for i in range(3):
        upload(bureau_client, "organisations", workbook(ZH_HEADERS, org_rows(1, start=10 + i)))
    assert ImportBatch.objects.count() == 4
    assert [count_queries(url) for url in urls] == one
