"""``{% withdrawal_panel project %}``: the project page's withdrawal section (issue 10 item 23)."""

from __future__ import annotations

from typing import Any

from django import template

from greenbuild.projects.selectors import withdrawal_panel as panel

register = template.Library()


@register.inclusion_tag("projects/partials/withdrawal.html", takes_context=True)
def withdrawal_panel(context: dict[str, Any], project: Any) -> dict[str, Any]:
    request = context["request"]
    return {"project": project, "panel": panel(request.user, project), "csrf_token": context.get("csrf_token")}
