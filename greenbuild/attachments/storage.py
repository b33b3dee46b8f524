"""The storage every attachment lives in: ``STORAGES["attachments"]``, else the default storage.

Swapping the disk for an S3-compatible store (django-storages) is a matter of settings; the
lazy wrapper reads the alias on first use and again after ``STORAGES`` changes (tests use
``override_settings``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.utils.functional import LazyObject, empty

ALIAS = "attachments"


if TYPE_CHECKING:
    _LazyStorage = LazyObject[Storage]  # generic in the stubs only
else:
    _LazyStorage = LazyObject


class AttachmentStorage(_LazyStorage):
    def _setup(self) -> None:
        self._wrapped = storages[ALIAS if ALIAS in settings.STORAGES else "default"]


attachment_storage = AttachmentStorage()


def get_attachment_storage() -> Storage:
    """Callable form for ``FileField(storage=...)``, so migrations reference it by name."""
    return attachment_storage  # type: ignore[return-value]


def reset_attachment_storage() -> None:
    attachment_storage._wrapped = empty  # type: ignore[assignment]  # the stubs type _wrapped without its "empty" sentinel
