"""Deprecating an endpoint (docs/api.md, "Versions and deprecation").

``@deprecated(since=…, sunset=…)`` on a view class or on one of its handlers (an ``@action`` or
``get``/``post``…) makes every answer of it carry

* ``Deprecation: @<unix seconds>`` (RFC 9745: the moment it was deprecated),
* ``Sunset: <HTTP-date>`` (RFC 8594: when it will stop answering), if a sunset is given,
* ``Link: <…>; rel="deprecation"`` (RFC 9745 §3: where the replacement is told; by default the
  API's documentation, ``{SITE_URL}/api/v1/docs/``, which shows the operation deprecated),

errors included, and the schema (``api.schema``) marks the operation ``deprecated: true`` and says
the dates in its description. Every deprecation is also a line in ``docs/api-changelog.md``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.conf import settings
from django.utils.http import http_date

T = TypeVar("T")

#: where a deprecation is explained unless the decorator names a page
DOCS_PATH = "/api/v1/docs/"


@dataclass(frozen=True)
class Deprecation:
    since: datetime
    sunset: datetime | None = None
    link: str | None = None

    def __post_init__(self) -> None:
        for moment in (self.since, self.sunset):
            if moment is not None and moment.tzinfo is None:
                raise ValueError("A deprecation's dates need a time zone.")
        if self.sunset is not None and self.sunset < self.since:  # RFC 9745 §5
            raise ValueError("A deprecation's sunset cannot come before the deprecation.")

    @property
    def link_url(self) -> str:
        if self.link:
            return self.link
        return str(settings.SITE_URL).rstrip("/") + DOCS_PATH

    def headers(self) -> dict[str, str]:
        values = {"Deprecation": "@{}".format(int(self.since.timestamp()))}
        if self.sunset is not None:
            values["Sunset"] = http_date(self.sunset.timestamp())
        values["Link"] = '<{}>; rel="deprecation"'.format(self.link_url)
        return values

    def apply(self, response: Any) -> Any:
        if response.has_header("Deprecation"):  # once, however many layers apply it
            return response
        for name, value in self.headers().items():
            if name == "Link" and response.get("Link"):
                value = "{}, {}".format(response["Link"], value)
            response[name] = value
        return response

    def describe(self) -> str:
        """The sentence the schema adds to the operation's description."""
        zh = "已弃用（自 {}）".format(self.since.date().isoformat())
        en = "Deprecated since {}".format(self.since.date().isoformat())
        if self.sunset is not None:
            zh += "，将于 {} 停止服务".format(self.sunset.date().isoformat())
            en += "; it stops answering on {}".format(self.sunset.date().isoformat())
        return "{}。 · {}.".format(zh, en)


def deprecated(*, since: datetime, sunset: datetime | None = None, link: str | None = None) -> Callable[[T], T]:
    """Mark a view class, or one handler of it, deprecated (headers on every answer, schema flag)."""
    info = Deprecation(since=since, sunset=sunset, link=link)

    def decorate(target: Any) -> Any:
        if isinstance(target, type):
            original = getattr(target, "finalize_response")  # noqa: B009

            def finalize_response(self: Any, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
                return info.apply(original(self, request, response, *args, **kwargs))

            setattr(target, "finalize_response", finalize_response)  # noqa: B010
            setattr(target, "gb_deprecation", info)  # noqa: B010
            return target

        @functools.wraps(target)
        def handler(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                response = target(self, *args, **kwargs)
            except Exception as exc:  # the one error shape, as DRF's dispatch would make it
                response = self.handle_exception(exc)
            return info.apply(response)

        handler.gb_deprecation = info  # type: ignore[attr-defined]
        return handler

    return decorate


class DeprecationMixin:
    """On the API's base views (``api.base``): a deprecated handler's headers also on the answers
    made before it runs (401, 403, 404, 412, 429 …); and on an answer to a request that named a
    deprecated query parameter (``api.filters.AliasedFilterSetMixin``)."""

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        found = deprecation_of(self, request.method) or getattr(request, "gb_deprecated_parameters", None)
        return found.apply(response) if found is not None else response


def deprecation_of(view: Any, method: str) -> Deprecation | None:
    """The deprecation of the handler ``view`` runs for ``method`` (or of the whole view)."""
    name = getattr(view, "action", None) or method.lower()
    handler = getattr(view, name, None)
    found = getattr(handler, "gb_deprecation", None) or getattr(type(view), "gb_deprecation", None)
    return found if isinstance(found, Deprecation) else None
