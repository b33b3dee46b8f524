from typing import Any

from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    """``?limit=&offset=``; 50 by default, never more than 500 a page (a limit of 10⁹ gives 500)."""

    default_limit = 50
    max_limit = 500

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
