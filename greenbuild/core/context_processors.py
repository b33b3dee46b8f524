from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the navigation bar needs: the user's roles and unread notifications.

    Imports inside: core is the layer every app builds on and imports none of them at module level
    (``core/tests/test_import_cycles.py``)."""
    from greenbuild.accounts.roles import role_labels

    user = request.user
    unread = 0
    if user.is_authenticated:
        from greenbuild.notifications.services import unread_count

        # A page that counted them already (the notifications page) hands its count over
        # (``request.gb_nav_unread``, set in the same request); else one count through the gate:
        # nothing about projects the user no longer sees.
        kept = getattr(request, "gb_nav_unread", None)
        unread = kept if isinstance(kept, int) else unread_count(user)
    return {"nav_roles": role_labels(user), "nav_unread": unread}
