"""Each kind's policy: types checked by content, size limits, and a clear message for each refusal."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from greenbuild.attachments.choices import AttachmentKind
from greenbuild.attachments.models import Attachment
from greenbuild.attachments.policy import MB, get_policy
from greenbuild.attachments.services import check_file, store_attachment
from greenbuild.attachments.tests.conftest import (
    CSV_GBK,
    CSV_UTF8,
    DOCX,
    DWG,
    EXE,
    IFC,
    JPEG,
    OLE,
    PDF,
    PNG,
    XLSX,
    plain_zip,
    upload,
)


@pytest.mark.parametrize(
    ("kind", "name", "content", "file_type", "content_type"),
    [
        ("evidence", "施工组织设计.pdf", PDF, "pdf", "application/pdf"),
        ("photo", "现场.png", PNG, "png", "image/png"),
        ("photo", "现场.JPG", JPEG, "jpeg", "image/jpeg"),
        ("import", "单位.xlsx", XLSX, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            "evidence",
            "说明.docx",
            DOCX,
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("plan", "总平面.dwg", DWG, "dwg", "image/vnd.dwg"),
        ("model", "1#楼.ifc", IFC, "ifc", "application/x-step"),
        ("import", "单位.csv", CSV_UTF8, "csv", "text/csv"),
        ("import", "单位-GBK.csv", CSV_GBK, "csv", "text/csv"),
    ],
)
def test_each_kind_accepts_its_types_recognised_by_content(kind, name, content, file_type, content_type):
    checked = check_file(kind, upload(name, content, "application/octet-stream"))
    assert (checked.file_type, checked.content_type, checked.size) == (file_type, content_type, len(content))


@pytest.mark.parametrize(
    ("kind", "name", "content", "zh", "en"),
    [
        ("evidence", "报告.pdf", EXE, "“报告.pdf”的内容与扩展名不符（应为 PDF 文档）。", "(expected: PDF document)"),
        ("photo", "现场.jpg", PNG, "“现场.jpg”的内容与扩展名不符（应为 JPEG 图片）。", "(expected: JPEG image)"),
        ("import", "单位.xlsx", plain_zip(), "应为 Excel 工作簿", "(expected: Excel workbook)"),
        ("import", "单位.xlsx", DOCX, "与扩展名不符", "does not match its extension"),
        ("model", "1#楼.ifc", PDF, "应为 IFC 模型", "(expected: IFC model)"),
        ("import", "单位.csv", PNG, "应为 CSV 表格", "(expected: CSV table)"),
    ],
)
def test_a_disguised_file_is_refused_in_the_users_language(kind, name, content, zh, en):
    for language, expected in (("zh-hans", zh), ("en", en)):
        with translation.override(language), pytest.raises(ValidationError) as refused:
            check_file(kind, upload(name, content, "application/pdf"))
        assert refused.value.code == "disguised"
        assert expected in refused.value.messages[0]


def test_an_unknown_type_an_empty_file_and_an_encrypted_workbook_are_refused_with_chinese_messages():
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as unknown:
            check_file("evidence", upload("setup.exe", EXE))
        assert unknown.value.code == "unknown_type"
        assert unknown.value.messages[0].startswith("“setup.exe”不是可接受的文件类型：证明材料文件可以是 .pdf、.png")
        with pytest.raises(ValidationError) as photo_pdf:
            check_file("photo", upload("现场.pdf", PDF))
        assert photo_pdf.value.code == "unknown_type" and ".jpg、.jpeg、.png" in photo_pdf.value.messages[0]
        with pytest.raises(ValidationError) as empty:
            check_file("evidence", upload("空.pdf", b""))
        assert (empty.value.code, empty.value.messages) == ("empty", ["“空.pdf”是空文件。"])
        with pytest.raises(ValidationError) as encrypted:
            check_file("import", upload("加密.xlsx", OLE))
        assert encrypted.value.code == "encrypted" and "密码" in encrypted.value.messages[0]


def test_size_limits_are_per_kind_an_ifc_model_may_be_far_larger_than_a_photo():
    assert get_policy("model").max_bytes == 500 * MB
    assert get_policy("photo").max_bytes == get_policy("evidence").max_bytes == 20 * MB
    big_jpeg = JPEG + b"\x00" * (20 * MB)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        check_file("photo", upload("大图.jpg", big_jpeg))
    assert refused.value.code == "too_large"
    assert refused.value.messages == ["“大图.jpg”大小为 20.0\xa0MB，照片文件最大 20.0\xa0MB。"]
    big_ifc = IFC + b"/* geometry */\n" * (21 * MB // 16)
    assert check_file("model", upload("1#楼.ifc", big_ifc)).size == len(big_ifc)


def test_the_policy_table_is_overridden_by_settings(settings):
    settings.ATTACHMENT_POLICIES = {"photo": {"types": ["jpeg"], "max_bytes": 1024}}
    with pytest.raises(ValidationError) as png:
        check_file("photo", upload("现场.png", PNG))
    assert png.value.code == "unknown_type"
    with pytest.raises(ValidationError) as large:
        check_file("photo", upload("现场.jpg", JPEG + b"\x00" * 2048))
    assert large.value.code == "too_large"
    assert check_file("evidence", upload("现场.png", PNG)).file_type == "png"  # other kinds unchanged


def test_a_refused_file_writes_nothing(alice_owner, pilot, settings):
    with pytest.raises(ValidationError):
        store_attachment(
            actor=alice_owner, project=pilot, kind=AttachmentKind.EVIDENCE, uploaded_file=upload("a.pdf", EXE)
        )
    assert not Attachment.objects.exists()
    assert not [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]
