"""SEC-15: files that are two things at once (polyglots) and macro-enabled Office documents are
refused at upload with a message in the user's language; plain files of each type still pass."""

import io
import warnings
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from greenbuild.attachments import sniffing
from greenbuild.attachments.services import check_file
from greenbuild.attachments.tests.conftest import DOCX, JPEG, PDF, PNG, XLSX, plain_zip, upload


def package(parts: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


MACRO_DOCX = package(
    {
        "[Content_Types].xml": '<?xml version="1.0"?><Types/>',
        "word/document.xml": "<root/>",
        "word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro",
    }
)
MACRO_XLSX = package(
    {
        "[Content_Types].xml": '<Types><Override ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>',
        "xl/workbook.xml": "<root/>",
    }
)
PDF_HTML = b"%PDF-1.7\n%<html><body><script>alert(document.domain)</script></body></html>\n" + PDF[9:]
PDF_HTML_AT_END = PDF + b"\n<!DOCTYPE html><html><script>x()</script></html>\n"
PDF_ZIP = PDF + plain_zip()
JPEG_ZIP = JPEG + plain_zip()
PNG_PDF = PNG[:16] + b"%PDF-1.4 " + PNG[16:]
DOCX_PDF = b""  # built below: a docx whose first stored member starts with a PDF header


def _docx_pdf() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("a.pdf", b"%PDF-1.4 hidden")
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<root/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("kind", "name", "content", "found"),
    [
        ("evidence", "方案.pdf", PDF_HTML, sniffing.HTML),
        ("evidence", "方案.pdf", PDF_HTML_AT_END, sniffing.HTML),
        ("evidence", "方案.pdf", PDF_ZIP, sniffing.ZIP),
        ("photo", "现场.jpg", JPEG_ZIP, sniffing.ZIP),
        ("photo", "现场.png", PNG_PDF, sniffing.PDF),
        ("evidence", "计算书.docx", _docx_pdf(), sniffing.PDF),
        ("evidence", "计算书.docx", MACRO_DOCX, sniffing.MACRO),
        ("evidence", "清单.xlsx", MACRO_XLSX, sniffing.MACRO),
    ],
)
def test_polyglots_and_macro_documents_are_refused_with_a_chinese_message(kind, name, content, found):
    assert sniffing.hazard(io.BytesIO(content), sniffing.detect(io.BytesIO(content)) or "") == found
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        check_file(kind, upload(name, content))
    expected = "macro" if found == sniffing.MACRO else "polyglot"
    assert refused.value.code == expected
    message = refused.value.messages[0]
    assert name in message
    assert ("宏" if expected == "macro" else "同时") in message, message


@pytest.mark.parametrize("name", ["计算书.docm", "清单.xlsm", "模板.XLTM"])
def test_macro_enabled_extensions_are_named_as_such(name):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        check_file("evidence", upload(name, MACRO_DOCX))
    assert refused.value.code == "macro" and "macros" in refused.value.messages[0]


@pytest.mark.parametrize(
    ("kind", "name", "content"),
    [
        ("evidence", "a.pdf", PDF),
        ("photo", "a.jpg", JPEG),
        ("photo", "a.png", PNG),
        ("evidence", "a.docx", DOCX),
        ("evidence", "a.xlsx", XLSX),
        # a PDF's own markup is not a web page: dictionaries, XMP metadata
        ("evidence", "b.pdf", PDF + b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'),
    ],
)
def test_plain_files_of_every_type_still_pass(kind, name, content):
    assert check_file(kind, upload(name, content)).size == len(content)


def _package_in_order(parts: list[tuple[str, str | bytes]]) -> bytes:
    """A package written member by member (a name may repeat: zipfile warns and writes it)."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore", UserWarning)
        for name, content in parts:
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        # the macro project under another part name, declared by its content type (Override or Default)
        (
            "计算书.docx",
            [
                (
                    "[Content_Types].xml",
                    '<Types><Override PartName="/word/a.bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
                ),
                ("word/document.xml", "<root/>"),
                ("word/a.bin", b"\xd0\xcf\x11\xe0 macro"),
            ],
        ),
        (
            "计算书.docx",
            [
                (
                    "[Content_Types].xml",
                    '<Types><Default Extension="dat" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
                ),
                ("word/document.xml", "<root/>"),
                ("word/a.dat", b"\xd0\xcf\x11\xe0 macro"),
            ],
        ),
        # an Excel 4.0 macro sheet (XLM)
        (
            "清单.xlsx",
            [
                (
                    "[Content_Types].xml",
                    '<Types><Override PartName="/xl/macrosheets/sheet1.xml" '
                    'ContentType="application/vnd.ms-excel.macrosheet+xml"/></Types>',
                ),
                ("xl/workbook.xml", "<root/>"),
                ("xl/macrosheets/sheet1.xml", "<root/>"),
            ],
        ),
        # two [Content_Types].xml members: a reader may take either
        (
            "计算书.docx",
            [
                (
                    "[Content_Types].xml",
                    '<Types><Override ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
                ),
                ("[Content_Types].xml", "<Types/>"),
                ("word/document.xml", "<root/>"),
            ],
        ),
    ],
)
def test_macros_declared_only_by_their_content_type_are_refused(name, parts):
    content = _package_in_order(parts)
    with pytest.raises(ValidationError) as refused:
        check_file("evidence", upload(name, content))
    assert refused.value.code == "macro"
