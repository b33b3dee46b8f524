"""Form helpers for file inputs: the browser checks sizes before sending (upload-limits.js), so a
too-large file is named on its row instead of the whole page being refused with a 413."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from greenbuild.attachments.choices import AttachmentKind
from greenbuild.attachments.limits import FORM_OVERHEAD_BYTES
from greenbuild.attachments.policy import get_policy


def file_input_attrs(kind: str, *, files: int = 1) -> dict[str, Any]:
    """``accept`` and the size limits (with their messages) for an ``<input type="file">`` of ``kind``;
    ``files`` is how many the view accepts at once (its ``@accepts_uploads(..., files=)``)."""
    policy = get_policy(kind)
    body = policy.max_bytes * files
    return {
        "accept": policy.accept,
        "data-max-bytes": policy.max_bytes,
        "data-max-body": body + FORM_OVERHEAD_BYTES,
        "data-too-large": _("“{name}” is {size}; {kind} files are limited to {limit}.").format(
            name="{name}", size="{size}", kind=AttachmentKind(kind).label, limit=filesizeformat(policy.max_bytes)
        ),
        "data-body-too-large": _(
            "The chosen files come to {size}; one save accepts at most {limit}: save in several steps."
        ).format(size="{size}", limit=filesizeformat(body)),
    }


#: ``capture`` values: the camera facing away from the user (a site photo) or towards them
CAPTURE_ENVIRONMENT = "environment"
CAPTURE_USER = "user"


class PhotoInput(forms.FileInput):
    """The file input of a photo taken on site (issue 19 item 2): on a phone it opens the camera.

    ``accept="image/*"`` lets the phone offer its camera and photo library (iOS hands over HEIC
    photos as JPEG for it); ``capture="environment"`` asks for the rear camera straight away.
    The size limits of the photo kind travel with it (``upload-limits.js`` checks them before
    sending); the photo policy still decides by content what is stored (JPEG, PNG). ``capture=None``
    keeps the choice between camera and library on phones that would otherwise skip the library;
    ``multiple=True`` takes several photos in one save (declare ``files=`` on the view's
    ``@accepts_uploads("photo", files=…)`` to match).
    """

    allow_multiple_selected = False

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        *,
        capture: str | None = CAPTURE_ENVIRONMENT,
        multiple: bool = False,
        files: int = 1,
    ) -> None:
        self.allow_multiple_selected = multiple
        self.capture = capture
        self.files = files
        super().__init__({"class": "form-control", **(attrs or {})})

    def build_attrs(self, base_attrs: dict[str, Any], extra_attrs: dict[str, Any] | None = None) -> dict[str, Any]:
        # At render time, so the limit messages are in the language of the request.
        photo: dict[str, Any] = {**file_input_attrs(AttachmentKind.PHOTO, files=self.files), "accept": "image/*"}
        if self.capture:
            photo["capture"] = self.capture
        if self.allow_multiple_selected:
            photo["multiple"] = True
        return {**photo, **base_attrs, **(extra_attrs or {})}


def photo_field(*, label: Any = None, required: bool = True, **widget_options: Any) -> forms.FileField:
    """A form field for a site photo with :class:`PhotoInput` (the apps to come use this one)."""
    if widget_options.get("multiple"):
        return MultiplePhotoField(
            label=label or gettext_lazy("Photo"), required=required, widget=PhotoInput(**widget_options)
        )
    return forms.FileField(label=label or gettext_lazy("Photo"), required=required, widget=PhotoInput(**widget_options))


class MultiplePhotoField(forms.FileField):
    """Several photos from one input: ``cleaned_data`` is a list of files."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []
