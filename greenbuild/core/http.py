"""Request types for annotations (``mypy --strict`` with django-stubs).

``HtmxRequest``: a request that went through django-htmx's middleware (``request.htmx``).
``AuthenticatedRequest``: a request of a view behind ``@login_required``, whose ``user`` is a
real ``User`` (never ``AnonymousUser``). Both are annotations only: Django still passes its own
``HttpRequest``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from greenbuild.accounts.models import User


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedRequest(HtmxRequest):
    user: User
