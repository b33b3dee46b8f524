"""Request-body limits per view, derived from the attachment kinds the view accepts.

Mark a view that takes uploads with ``@accepts_uploads("evidence", files=5)``: its POST may then
carry ``files`` files of the largest kind allowed (plus room for the form fields). Every other
view is held to ``REQUEST_BODY_MAX_BYTES``. ``RequestBodyLimitMiddleware`` refuses a larger
request by its Content-Length, before a byte of the body is read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings

from greenbuild.attachments.policy import MB, get_policy

F = TypeVar("F", bound=Callable[..., Any])

#: room for the form fields and multipart boundaries beside the files
FORM_OVERHEAD_BYTES = 1 * MB
DEFAULT_BODY_MAX_BYTES = 10 * MB


def accepts_uploads(*kinds: str, files: int = 1) -> Callable[[F], F]:
    """Declare which attachment kinds (and how many files at once) a view accepts."""
    for kind in kinds:
        get_policy(kind)  # fail at import on a typo

    def decorate(view: F) -> F:
        view.upload_kinds = tuple(kinds)  # type: ignore[attr-defined]
        view.upload_files = files  # type: ignore[attr-defined]
        return view

    return decorate


def default_body_limit() -> int:
    return int(getattr(settings, "REQUEST_BODY_MAX_BYTES", DEFAULT_BODY_MAX_BYTES))


def body_limit(view: Any) -> int:
    """The largest request body ``view`` accepts, in bytes."""
    kinds = getattr(view, "upload_kinds", None)
    if not kinds:
        return default_body_limit()
    largest = max(get_policy(kind).max_bytes for kind in kinds)
    return max(default_body_limit(), largest * getattr(view, "upload_files", 1) + FORM_OVERHEAD_BYTES)


def upload_limit(view: Any) -> int:
    """The largest single file ``view`` accepts (for the page's size check before sending)."""
    kinds = getattr(view, "upload_kinds", None) or ()
    return max((get_policy(kind).max_bytes for kind in kinds), default=0)
