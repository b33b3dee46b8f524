"""What the navigation bar reads of the signed-in user beyond the context processor, and the
idle-timeout script's settings and kept input (docs/security.md, "Idle session timeout")."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import json_script
from django.utils.translation import gettext as _

from greenbuild.accounts import security
from greenbuild.accounts.choices import Role
from greenbuild.accounts.middleware import KEPT_INPUT_KEY, seconds_left

register = template.Library()


@register.filter
def reviewed_departments(user: Any) -> list[Any]:
    """The departments whose lifecycle steps ``user`` signs (from the memberships already loaded)."""
    if not getattr(user, "is_authenticated", False):
        return []
    seen: dict[int, Any] = {}
    for membership in user.memberships_cached():
        if membership.role == Role.DEPARTMENT_REVIEWER and membership.department_id:
            seen.setdefault(membership.department_id, membership.department)
    return list(seen.values())


@register.simple_tag(takes_context=True)
def idle_seconds_left(context: Any) -> int:
    """Seconds until the idle timeout of this page's session (for idle.js)."""
    request = context.get("request")
    return seconds_left(request) if request is not None and hasattr(request, "session") else 0


@register.simple_tag
def idle_warning_seconds() -> int:
    return security.idle_warning_seconds()


@register.simple_tag(takes_context=True)
def kept_input(context: Any) -> str:
    """The input of a form posted after the idle timeout (kept by the middleware), as a JSON
    script for idle.js to put back: only on that form's page, only for the same user, once."""
    request = context.get("request")
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if session is None or not getattr(user, "is_authenticated", False) or KEPT_INPUT_KEY not in session:
        return ""
    kept = session.get(KEPT_INPUT_KEY)
    if not isinstance(kept, dict) or kept.get("user") != user.pk:
        session.pop(KEPT_INPUT_KEY, None)  # another account signed in: the input is not theirs
        return ""
    if kept.get("page") != request.path:
        return ""
    session.pop(KEPT_INPUT_KEY, None)
    data = {
        "action": kept.get("action"),
        "fields": kept.get("fields", {}),
        "notice": _("Your input from before you were signed out is back in the form. Check it and save again."),
    }
    return json_script(data, "gb-kept-input")
