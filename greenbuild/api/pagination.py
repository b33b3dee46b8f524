"""Every list of the API pages in one shape (issue 18, API-14)::

    {"count": 123, "next": "…?limit=50&offset=50", "previous": null, "results": [...]}

``?limit=`` (1–500; 50 by default; a larger limit gives 500) and ``?offset=`` (0 or more). A
limit or offset that is not such a whole number is a 400 naming it, in the API's error shape.
"""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    """``?limit=&offset=``; 50 by default, never more than 500 a page (a limit of 10⁹ gives 500)."""

    default_limit = 50
    max_limit = 500

    def get_limit(self, request: Any) -> int:
        raw = request.query_params.get(self.limit_query_param)
        if raw is None:
            return self.default_limit
        limit = _whole_number(raw)
        if limit is None or limit < 1:
            message = _("Enter a whole number of at least 1 (at most {max} are returned).").format(max=self.max_limit)
            raise ValidationError({self.limit_query_param: [message]})
        return min(limit, self.max_limit)

    def get_offset(self, request: Any) -> int:
        raw = request.query_params.get(self.offset_query_param)
        if raw is None:
            return 0
        offset = _whole_number(raw)
        if offset is None or offset < 0:
            raise ValidationError({self.offset_query_param: [_("Enter a whole number of at least 0.")]})
        return offset

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["description"] = (
                    "每页条数（1–{m}，默认 {d}） · results per page (1–{m}, {d} by default)".format(
                        m=self.max_limit, d=self.default_limit
                    )
                )
                parameter["schema"] = {"type": "integer", "minimum": 1}
            elif parameter["name"] == self.offset_query_param:
                parameter["description"] = "从第几条开始（0 起） · the index of the first result (from 0)"
                parameter["schema"] = {"type": "integer", "minimum": 0}
        return parameters

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        described = super().get_paginated_response_schema(schema)
        texts = {
            "count": "总数 · how many in all",
            "next": "下一页地址 · the next page",
            "previous": "上一页地址 · the previous page",
            "results": "本页结果 · this page's results",
        }
        for name, text in texts.items():
            described["properties"][name]["description"] = text
        return described


def _whole_number(raw: str) -> int | None:
    """``raw`` as a whole number written in ASCII digits (a sign allowed), else None."""
    text = raw.strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not digits or not digits.isascii() or not digits.isdigit() or len(digits) > 30:
        return None
    return int(text)
