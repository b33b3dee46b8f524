"""Kinds of stored files and the file types the platform recognises by their content."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AttachmentKind(models.TextChoices):
    EVIDENCE = "evidence", _("Evidence")
    PLAN = "plan", _("Plan")
    PHOTO = "photo", _("Photo")
    CERTIFICATE = "certificate", _("Certificate")
    REPORT = "report", _("Report")
    MODEL = "model", _("BIM model")
    IMPORT = "import", _("Import workbook")


class FileType(models.TextChoices):
    """A type detected from the bytes of the file, never from its name or the browser's word."""

    PDF = "pdf", _("PDF document")
    PNG = "png", _("PNG image")
    JPEG = "jpeg", _("JPEG image")
    XLSX = "xlsx", _("Excel workbook")
    DOCX = "docx", _("Word document")
    DWG = "dwg", _("DWG drawing")
    IFC = "ifc", _("IFC model")
    CSV = "csv", _("CSV table")
    TEXT = "text", _("Text file")


#: file type -> (the extensions it may carry, the Content-Type it is served with)
FILE_TYPES: dict[str, tuple[tuple[str, ...], str]] = {
    FileType.PDF: ((".pdf",), "application/pdf"),
    FileType.PNG: ((".png",), "image/png"),
    FileType.JPEG: ((".jpg", ".jpeg"), "image/jpeg"),
    FileType.XLSX: ((".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    FileType.DOCX: ((".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    FileType.DWG: ((".dwg",), "image/vnd.dwg"),
    FileType.IFC: ((".ifc",), "application/x-step"),
    FileType.CSV: ((".csv",), "text/csv"),
    FileType.TEXT: ((".txt",), "text/plain"),
}
