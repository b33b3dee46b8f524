from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` in a template (a project's name by its id), or the empty string."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""
