"""Files of every recognised type, made in memory, and a throw-away storage location per test."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
DWG = b"AC1032" + b"\x00" * 64
IFC = b"ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('ViewDefinition [CoordinationView]'),'2;1');\nENDSEC;\n"
CSV_UTF8 = "名称,统一社会信用代码\n常州天宁置业有限公司,91320400MA1XXXXX0X\n".encode()
CSV_GBK = "名称,统一社会信用代码\n常州天宁置业有限公司,91320400MA1XXXXX0X\n".encode("gbk")
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00 not a document"


def ooxml(main_part: str) -> bytes:
    """A minimal Office Open XML package: ``xl/workbook.xml`` (xlsx) or ``word/document.xml`` (docx)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(main_part, '<?xml version="1.0"?><root/>')
    return buffer.getvalue()


XLSX = ooxml("xl/workbook.xml")
DOCX = ooxml("word/document.xml")


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test stores its files in its own folder (the suite runs in parallel)."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def pilot(filed_project):
    """alice's confirmed pilot: alice (owner) may claim, dan (its district) may look."""
    return filed_project("confirmed", name="附件项目")
