"""What each kind of file may be: allowed types (checked by content) and a size limit.

The table is data: ``settings.ATTACHMENT_POLICIES`` overrides any part of it per kind, e.g.
``{"model": {"max_bytes": 800 * 1024 * 1024}}`` or ``{"photo": {"types": ["jpeg"]}}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings

from greenbuild.attachments.choices import FILE_TYPES, AttachmentKind, FileType

MB = 1024 * 1024

DEFAULT_POLICIES: dict[str, dict[str, Any]] = {
    AttachmentKind.EVIDENCE: {"types": ["pdf", "png", "jpeg", "docx", "xlsx", "dwg", "ifc"], "max_bytes": 20 * MB},
    AttachmentKind.PLAN: {"types": ["pdf", "docx", "xlsx", "dwg"], "max_bytes": 50 * MB},
    AttachmentKind.PHOTO: {"types": ["jpeg", "png"], "max_bytes": 20 * MB},
    AttachmentKind.CERTIFICATE: {"types": ["pdf", "jpeg", "png"], "max_bytes": 20 * MB},
    AttachmentKind.REPORT: {"types": ["pdf", "xlsx", "csv"], "max_bytes": 100 * MB},
    AttachmentKind.MODEL: {"types": ["ifc"], "max_bytes": 500 * MB},
    AttachmentKind.IMPORT: {"types": ["xlsx", "csv"], "max_bytes": 20 * MB},
}


@dataclass(frozen=True)
class KindPolicy:
    kind: str
    types: tuple[str, ...]
    max_bytes: int

    def type_for_extension(self, name: str) -> str | None:
        """The allowed file type whose extensions include ``name``'s, if any."""
        suffix = PurePath(name).suffix.lower()
        for file_type in self.types:
            if suffix in FILE_TYPES[file_type][0]:
                return file_type
        return None

    @property
    def extensions(self) -> list[str]:
        return [ext for file_type in self.types for ext in FILE_TYPES[file_type][0]]

    @property
    def accept(self) -> str:
        """The value of an ``<input type="file" accept=…>`` for this kind."""
        return ",".join(self.extensions)


def get_policy(kind: str) -> KindPolicy:
    """The policy of ``kind``, with the settings' overrides applied (read on every call)."""
    if kind not in DEFAULT_POLICIES:
        raise ValueError("unknown attachment kind {!r}".format(kind))
    merged = {**DEFAULT_POLICIES[kind], **getattr(settings, "ATTACHMENT_POLICIES", {}).get(kind, {})}
    types = tuple(FileType(t).value for t in merged["types"])
    return KindPolicy(kind=str(kind), types=types, max_bytes=int(merged["max_bytes"]))
