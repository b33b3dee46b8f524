"""Recognise a file's type from its bytes (magic numbers and structure), whatever its name says.

Pure Python: takes a binary, seekable file object and never trusts the extension or the
browser's Content-Type. Returns one of the ``FileType`` values, ``"encrypted"`` for an
encrypted or legacy Office container, or ``None`` when the content is not recognised.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from typing import IO

HEAD_BYTES = 8192
ENCRYPTED = "encrypted"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: legacy .xls/.doc and encrypted OOXML
DWG_VERSION = re.compile(rb"^AC10[0-3][0-9]")
UTF8_BOM = codecs.BOM_UTF8


def _ooxml_type(fileobj: IO[bytes]) -> str | None:
    """xlsx or docx when the file is a zip holding ``[Content_Types].xml`` and the main part."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    return None


def _is_text(head: bytes) -> bool:
    """UTF-8 (with or without BOM) or GB18030 text without NUL bytes (Excel saves CSV as GBK)."""
    if not head or b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


def detect(fileobj: IO[bytes], *, text_as: str = "text") -> str | None:
    """The type of ``fileobj``'s content. Text is reported as ``text_as`` ("csv" or "text")."""
    fileobj.seek(0)
    head = fileobj.read(HEAD_BYTES)
    fileobj.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return "pdf"
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return "png"
        if head.startswith(b"\xff\xd8\xff"):
            return "jpeg"
        if head.startswith(OLE_MAGIC):
            return ENCRYPTED
        if head.startswith(b"PK\x03\x04"):
            return _ooxml_type(fileobj)
        if DWG_VERSION.match(head):
            return "dwg"
        if head.lstrip(UTF8_BOM).lstrip().startswith(b"ISO-10303-21;"):
            return "ifc"
        if _is_text(head):
            return text_as
        return None
    finally:
        fileobj.seek(0)
