"""How the API picks the format of its answer (issue 18 item 3; ``REST_FRAMEWORK`` setting
``DEFAULT_CONTENT_NEGOTIATION_CLASS``).

* An ``Accept`` header the endpoint cannot meet (``text/html``, ``application/xml``) is
  disregarded and the answer is the endpoint's first format (JSON), as RFC 9110 section 12.5.1
  allows: DRF answered 406, an error no operation documents.
* ``?format=`` naming a format a list does not have is a 400 naming ``format`` (DRF: a 404, which
  no list documents); on a single object it stays a 404.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotAcceptable, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.settings import api_settings


class ApiContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            renderer = renderers[0]
            return renderer, renderer.media_type
        except Http404:
            context = getattr(request, "parser_context", None) or {}
            if format_suffix or not _is_list(context.get("view"), context.get("kwargs")):
                raise
            param = api_settings.URL_FORMAT_OVERRIDE
            formats = ", ".join(sorted({renderer.format for renderer in renderers}))
            message = _("Unknown format. This list answers in: {formats}.").format(formats=formats)
            raise ValidationError({param: [message]}) from None


def _is_list(view: Any, kwargs: Any) -> bool:
    """A viewset's list, or a generic view in pages without path parameters (the inbox)."""
    action = getattr(view, "action", None)
    if action is not None:
        return action == "list"
    return not kwargs and getattr(view, "pagination_class", None) is not None and hasattr(view, "paginator")
