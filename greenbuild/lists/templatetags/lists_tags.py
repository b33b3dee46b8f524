"""``{% sort_th sort.headers.name %}``: a table header that sorts its list (a link, ``aria-sort``)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("lists/partials/sort_th.html")
def sort_th(header: Any, css: str = "") -> dict[str, Any]:
    return {"header": header, "css": css}
