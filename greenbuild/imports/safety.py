"""Limits an uploaded workbook must pass before any parser reads it (SEC-06).

An .xlsx file is a zip archive. A small one can expand to gigabytes ("zip bomb"): 1 MB of
deflated XML may hold 1 GB of repeated characters, which openpyxl would read into memory. So
before a workbook reaches a parser, :func:`check_workbook_archive` opens it as a zip and refuses
it when it has too many members, when a member or the whole archive expands beyond the limits, or
when a large member compresses better than any real spreadsheet does. The sizes the archive
declares are checked first (free), then every member is actually decompressed, a chunk at a time
and with the count capped, so a file that lies about its sizes is refused too. Nothing is kept in
memory but one chunk; the time is bounded by the uncompressed limit (about 0.1 s per 100 MB).

The limits are settings (docs/jobs-reports-imports.md), with these defaults:

* ``IMPORT_MAX_MEMBERS`` = 200 files in the archive (Excel writes about a dozen);
* ``IMPORT_MAX_MEMBER_BYTES`` = 64 MB uncompressed for any one member;
* ``IMPORT_MAX_UNCOMPRESSED_BYTES`` = 128 MB uncompressed in all;
* ``IMPORT_MAX_COMPRESSION_RATIO`` = 100 for members above 1 MB (real sheets: 5 to 25).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from greenbuild.imports.base import ImportRefused

MB = 1024 * 1024
CHUNK_BYTES = 256 * 1024
#: Members smaller than this are not held to the ratio (a tiny file cannot do harm).
RATIO_FLOOR_BYTES = 1 * MB


@dataclass(frozen=True)
class ArchiveLimits:
    max_members: int
    max_member_bytes: int
    max_total_bytes: int
    max_ratio: int

    @classmethod
    def from_settings(cls) -> ArchiveLimits:
        return cls(
            max_members=int(getattr(settings, "IMPORT_MAX_MEMBERS", 200)),
            max_member_bytes=int(getattr(settings, "IMPORT_MAX_MEMBER_BYTES", 64 * MB)),
            max_total_bytes=int(getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", 128 * MB)),
            max_ratio=int(getattr(settings, "IMPORT_MAX_COMPRESSION_RATIO", 100)),
        )


def _megabytes(size: int) -> str:
    return "{:,.0f}".format(size / MB) if size >= 10 * MB else "{:.1f}".format(size / MB)


def _too_large(limits: ArchiveLimits) -> ImportRefused:
    return ImportRefused(
        _(
            "The workbook expands to more than {limit} MB when opened, more than an import may hold. "
            "Split it into smaller files, or remove pictures and unused sheets."
        ).format(limit=_megabytes(limits.max_total_bytes))
    )


def _member_too_large(limits: ArchiveLimits) -> ImportRefused:
    return ImportRefused(
        _(
            "A part of the workbook expands to more than {limit} MB when opened, more than an import may hold. "
            "Split it into smaller files."
        ).format(limit=_megabytes(limits.max_member_bytes))
    )


def _suspicious(limits: ArchiveLimits) -> ImportRefused:
    return ImportRefused(
        _(
            "The workbook is compressed more than {ratio} times, which no real spreadsheet is: it is refused as "
            "a possible “zip bomb”. Save the data again from Excel or WPS as a new .xlsx."
        ).format(ratio=limits.max_ratio)
    )


def _unreadable() -> ImportRefused:
    return ImportRefused(_("The file could not be read as an Excel workbook (.xlsx)."))


def check_workbook_archive(data: bytes, limits: ArchiveLimits | None = None) -> None:
    """Raise ``ImportRefused`` (a message in the active language) unless ``data`` is a zip archive
    within ``limits``. Memory: one chunk; time: proportional to the (capped) uncompressed size."""
    limits = limits or ArchiveLimits.from_settings()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _unreadable() from exc
    with archive:
        members = archive.infolist()
        if len(members) > limits.max_members:
            raise ImportRefused(
                _("The workbook holds {count} parts, more than the {limit} an import may have.").format(
                    count=len(members), limit=limits.max_members
                )
            )
        # 1. What the archive declares (free to check).
        declared_total = 0
        for member in members:
            if member.file_size > RATIO_FLOOR_BYTES and member.file_size > limits.max_ratio * max(
                1, member.compress_size
            ):
                raise _suspicious(limits)
            if member.file_size > limits.max_member_bytes:
                raise _member_too_large(limits)
            declared_total += member.file_size
            if declared_total > limits.max_total_bytes:
                raise _too_large(limits)
        # 2. What the members really expand to: decompressed a chunk at a time, the count capped,
        #    so declared sizes that lie do not matter (zipfile also checks each member's CRC).
        total = 0
        for member in members:
            if member.is_dir():
                continue
            size = 0
            try:
                with archive.open(member) as handle:
                    while chunk := handle.read(CHUNK_BYTES):
                        size += len(chunk)
                        total += len(chunk)
                        if size > RATIO_FLOOR_BYTES and size > limits.max_ratio * max(1, member.compress_size):
                            raise _suspicious(limits)
                        if size > limits.max_member_bytes:
                            raise _member_too_large(limits)
                        if total > limits.max_total_bytes:
                            raise _too_large(limits)
            except ImportRefused:
                raise
            except Exception as exc:  # damaged (CRC, zlib.error), encrypted, or an unknown compression method
                raise _unreadable() from exc
