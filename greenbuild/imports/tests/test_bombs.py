"""SEC-06: a workbook that expands far beyond its size ("zip bomb") is refused before any parser
reads it, in seconds and in bounded memory, with a field message in the user's language; a
workbook within the archive limits is parsed by a separate process under a memory cap.
SEC-18: the error report holds the rows as uploaded plus a problems column, and imports again."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from greenbuild.accounts.models import Organisation
from greenbuild.attachments.models import Attachment
from greenbuild.core.credit_code import make_credit_code
from greenbuild.imports.base import ImportRefused, open_rows
from greenbuild.imports.models import ImportBatch, ImportStatus
from greenbuild.imports.safety import ArchiveLimits, check_workbook_archive
from greenbuild.imports.tests.conftest import workbook

MB = 1024 * 1024
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="{}/officeDocument" Target="xl/workbook.xml"/></Relationships>'.format(REL)
    ),
    "xl/workbook.xml": (
        '<workbook {} xmlns:r="{}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'.format(
            NS, REL
        )
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="{0}/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="{0}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>".format(REL)
    ),
    # A1 "单位名称", B1 the big string, A2 "甲", B2 the big string again.
    "xl/worksheets/sheet1.xml": (
        "<worksheet {}><sheetData>"
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>1</v></c></row>'
        "</sheetData></worksheet>".format(NS)
    ),
}


def shared_strings_bomb(megabytes: int) -> bytes:
    """A real .xlsx (openpyxl reads it) whose sharedStrings.xml holds ``megabytes`` MB of "A",
    written a chunk at a time so the test itself stays small: about 1 KB per MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/sharedStrings.xml", "w") as part:
            part.write("<sst {}><si><t>单位名称</t></si><si><t>".format(NS).encode())
            chunk = b"A" * MB
            for _ in range(megabytes):
                part.write(chunk)
            part.write("</t></si><si><t>甲</t></si></sst>".encode())
    return out.getvalue()


def declaring(data: bytes, member: str, declared_size: int) -> bytes:
    """``data`` with ``member``'s uncompressed size rewritten (local header and central directory)."""
    patched = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    struct.pack_into("<I", patched, info.header_offset + 22, declared_size)
    central = patched.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", patched, central + 28)[0]
        if patched[central + 46 : central + 46 + name_length] == member.encode():
            struct.pack_into("<I", patched, central + 24, declared_size)
            break
        central = patched.find(b"PK\x01\x02", central + 4)
    return bytes(patched)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    data = shared_strings_bomb(200)
    assert len(data) < 1 * MB  # 200 MB of shared strings in well under 1 MB
    return data


@pytest.fixture
def bureau_client(client, bureau, immediate):
    client.force_login(bureau)
    return client


def post(client, data, filename="单位.xlsx", name="organisations"):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("imports:import-form", args=[name]), {"workbook": SimpleUploadedFile(filename, data)}
        )


def test_the_archive_check_refuses_a_200_mb_bomb_in_well_under_a_second_and_a_few_mb(bomb):
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ImportRefused) as refused:
            check_workbook_archive(bomb)
        elapsed = time.perf_counter() - started
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 1.0
    assert peak < 4 * MB
    assert "压缩炸弹" in refused.value.message or "MB" in refused.value.message


@pytest.mark.parametrize("language,expected", [("zh-hans", "压缩炸弹"), ("en", "zip bomb")])
def test_a_bomb_uploaded_on_the_page_is_refused_on_its_field_in_seconds_with_nothing_stored(
    bureau_client, bomb, language, expected
):
    bureau_client.get(reverse("imports:import-form", args=["organisations"]))  # URLs, templates: warm
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with translation.override(language):
            response = post(bureau_client, bomb)
        elapsed = time.perf_counter() - started
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    errors = response.context["form"].errors["workbook"]
    assert any(expected in e for e in errors), errors
    # The refusal itself takes milliseconds (test above); the bound leaves room for a loaded CI
    # machine and tracemalloc's overhead on the whole request.
    assert elapsed < 10.0, elapsed
    assert peak < 32 * MB, peak  # the 200 MB are never held; the whole request stays small
    assert not ImportBatch.objects.exists() and not Attachment.objects.exists()


def test_each_archive_limit_refuses_on_its_own():
    normal = workbook(["单位名称"], [["甲"]])
    check_workbook_archive(normal)  # a real workbook passes the defaults
    members = len(zipfile.ZipFile(io.BytesIO(normal)).infolist())
    generous = ArchiveLimits(max_members=1000, max_member_bytes=10**9, max_total_bytes=10**9, max_ratio=10**6)
    with pytest.raises(ImportRefused, match="组成部分"):
        check_workbook_archive(normal, ArchiveLimits(**{**generous.__dict__, "max_members": members - 1}))
    big = shared_strings_bomb(3)
    with pytest.raises(ImportRefused, match="部分内容"):
        check_workbook_archive(big, ArchiveLimits(**{**generous.__dict__, "max_member_bytes": 2 * MB}))
    with pytest.raises(ImportRefused, match="超过 2.0 MB"):
        check_workbook_archive(big, ArchiveLimits(**{**generous.__dict__, "max_total_bytes": 2 * MB}))
    with pytest.raises(ImportRefused, match="压缩比"):
        check_workbook_archive(big, ArchiveLimits(**{**generous.__dict__, "max_ratio": 100}))
    check_workbook_archive(big, generous)


def test_sizes_the_archive_declares_are_not_trusted():
    """A member that declares 1 KB but holds 3 MB passes the declared-size check, and is refused
    when it is actually read (its expansion stops at the declared size and fails the CRC)."""
    liar = declaring(shared_strings_bomb(3), "xl/sharedStrings.xml", 1024)
    assert zipfile.ZipFile(io.BytesIO(liar)).getinfo("xl/sharedStrings.xml").file_size == 1024
    with pytest.raises(ImportRefused, match="无法将该文件读取为 Excel 工作簿"):
        check_workbook_archive(liar)


def test_a_workbook_within_the_archive_limits_is_parsed_under_the_memory_cap(bureau_client, settings):
    """48 MB of shared strings pass generous archive limits, but the reader process may use only
    96 MB (a normal workbook needs about 30): it ends, and the import is refused with a message;
    the job worker that started it stays small."""
    settings.IMPORT_MAX_COMPRESSION_RATIO = 10**6
    settings.IMPORT_PARSE_MEMORY_BYTES = 96 * MB
    data = shared_strings_bomb(48)
    check_workbook_archive(data)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        response = post(bureau_client, data)
        elapsed = time.perf_counter() - started
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.INVALID
    [(row, _column, message)] = batch.errors
    assert row == 0 and "内存" in message
    assert elapsed < 20 and peak < 64 * MB
    # With room enough the same file is read, and refused for its 48 MB cell instead.
    settings.IMPORT_PARSE_MEMORY_BYTES = 0  # no cap
    with pytest.raises(ImportRefused, match="32767"):
        headers, rows, _total = open_rows(data)
        list(rows)


def test_the_error_report_holds_the_rows_as_uploaded_and_imports_again_once_fixed(bureau_client):
    headers = ["单位名称", "统一社会信用代码", "单位类型"]
    good = make_credit_code("91320411000000071")
    rows = [["甲公司", good, "施工单位"], ["乙公司", "not-a-code", "-施工单位"], ["丙公司", "", "设计单位"]]
    post(bureau_client, workbook(headers, rows))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.INVALID and not Organisation.objects.filter(name="甲公司").exists()
    report = load_workbook(io.BytesIO(bureau_client.get(reverse("imports:batch-errors", args=[batch.pk])).content))
    assert [ws.title for ws in report.worksheets] == ["上传的行", "错误"]
    sheet = [[c.value for c in r] for r in report.worksheets[0].iter_rows()]
    assert sheet[0] == ["本行问题", *headers]
    assert sheet[1] == [None, *rows[0]]
    assert sheet[2][1:] == ["乙公司", "not-a-code", "'-施工单位"]  # escaped, as every export
    assert "统一社会信用代码：" in sheet[2][0] and "单位类型：" in sheet[2][0] and "；" in sheet[2][0]
    assert sheet[3][1:3] == ["丙公司", None] and "统一社会信用代码：" in sheet[3][0]
    listing = [[c.value for c in r] for r in report.worksheets[1].iter_rows()]
    assert listing[0] == ["行", "列", "问题"] and {r[0] for r in listing[1:]} == {3, 4}

    # Fixed in place and uploaded again as it is: the problems column is ignored.
    sheet[2][2:] = [make_credit_code("91320411000000072"), "施工单位"]
    sheet[3][2] = make_credit_code("91320411000000073")
    post(bureau_client, workbook(sheet[0], [r for r in sheet[1:]]))
    again = ImportBatch.objects.latest("pk")
    assert again.status == ImportStatus.DONE, again.errors
    assert set(Organisation.objects.filter(name__in=["甲公司", "乙公司", "丙公司"]).values_list("name", flat=True)) == {
        "甲公司",
        "乙公司",
        "丙公司",
    }


def test_the_error_report_of_a_workbook_refused_as_a_whole_does_not_read_it_again(bureau_client):
    """A workbook refused as a whole (unreadable, over a limit, the reader out of memory or time, or
    headers that match no column) has no rows to report: its error report is the list of problems
    alone, and the download does not start another reader process (a workbook that cost the job
    worker a minute must not cost a web worker a minute per click)."""
    import resource

    post(bureau_client, workbook(["单位名称", "不认识的列"], [["甲公司", "x"]]))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.INVALID and batch.errors[0][0] == 0

    def children_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    before = children_cpu()
    response = bureau_client.get(reverse("imports:batch-errors", args=[batch.pk]))
    assert children_cpu() == before  # no reader process ran
    report = load_workbook(io.BytesIO(response.content))
    assert [ws.title for ws in report.worksheets] == ["错误"]
