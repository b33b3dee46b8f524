"""Templates ask the field policy (``core.fields``) rather than deciding what a reader sees::

{% load fields %}
{% field_access project as shown %}
{% if shown.approval_code %}…{{ project.approval_code }}…{% endif %}
"""

from __future__ import annotations

from typing import Any

from django import template

from greenbuild.core.fields import FieldAccess
from greenbuild.core.fields import field_access as access_for

register = template.Library()


@register.simple_tag(takes_context=True)
def field_access(context: template.Context, obj: Any) -> FieldAccess:
    """What the request's user may see of ``obj`` (``shown.<field>`` is True or False)."""
    request = context.get("request")
    return access_for(getattr(request, "user", None), obj)
