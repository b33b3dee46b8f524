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


# --- hazards: a file that is something else besides its type (SEC-15) ----------------------------

MACRO = "macro"
HTML = "html"
ZIP = "zip"
PDF = "pdf"
#: the extensions of macro-enabled Office files (refused whatever their content)
MACRO_EXTENSIONS = frozenset({".docm", ".dotm", ".xlsm", ".xltm", ".xlam", ".xlsb", ".pptm", ".potm", ".ppam"})
#: what a browser would run as a page: looked for at the start and the end of a binary file,
#: where a polyglot puts its second format
HTML_MARKER = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|script|iframe|svg|object|embed|meta\s+http-equiv)[\s>/]", re.IGNORECASE
)
MACRO_PART = re.compile(r"(?:^|/)(?:vbaProject\.bin|vbaData\.xml)$|^(?:word|xl|ppt)/activeX/", re.IGNORECASE)
#: a content type that declares macros, whatever the part's name: a macro-enabled main part, a VBA
#: project or its data, an Excel 4.0 macro sheet, an ActiveX control
MACRO_CONTENT_TYPE = re.compile(rb"macroenabled|vbaproject|vbadata|macrosheet|activex", re.IGNORECASE)
CONTENT_TYPES_MAX_BYTES = 1024 * 1024
TAIL_BYTES = 8192


def _zip_names(fileobj: IO[bytes]) -> list[str] | None:
    """The member names when ``fileobj`` opens as a ZIP archive (central directory at its end)."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        fileobj.seek(0)


def _has_macros(fileobj: IO[bytes]) -> bool:
    try:
        with zipfile.ZipFile(fileobj) as archive:
            if any(MACRO_PART.search(name) for name in archive.namelist()):
                return True
            # every member named so (a reader may take any of them, and the name's case varies)
            declarations = [i for i in archive.infolist() if i.filename.lower() == "[content_types].xml"]
            for info in declarations:
                if info.file_size > CONTENT_TYPES_MAX_BYTES:
                    return True  # no honest package declares its parts in a megabyte
                if MACRO_CONTENT_TYPE.search(archive.read(info)):
                    return True
            return False
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError, RuntimeError, NotImplementedError):
        return False
    finally:
        fileobj.seek(0)


def hazard(fileobj: IO[bytes], file_type: str) -> str | None:
    """What makes a file of ``file_type`` (already detected) unsafe to keep, or None.

    * ``"macro"``: a Word or Excel document carrying macros or ActiveX (``vbaProject.bin``, a
      macro-enabled content type);
    * ``"html"``, ``"zip"``, ``"pdf"``: a polyglot, a PDF or image that is also a web page, a ZIP
      archive or a PDF (an Office document that also opens as a PDF).

    Text types are served as text and are not checked here.
    """
    fileobj.seek(0)
    head = fileobj.read(HEAD_BYTES)
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(max(0, size - TAIL_BYTES))
    tail = fileobj.read(TAIL_BYTES)
    fileobj.seek(0)
    if file_type in ("xlsx", "docx"):
        if _has_macros(fileobj):
            return MACRO
        return PDF if b"%PDF-" in head[:1024] else None
    if file_type not in ("pdf", "png", "jpeg", "dwg"):
        return None
    if HTML_MARKER.search(head) or HTML_MARKER.search(tail):
        return HTML
    if file_type != "pdf" and b"%PDF-" in head[:1024]:
        return PDF
    if _zip_names(fileobj) is not None:
        return ZIP
    return None
