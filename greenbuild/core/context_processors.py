from typing import Any

from django.http import HttpRequest

from greenbuild.accounts.roles import role_labels


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the navigation bar needs: the user's roles and unread notifications."""
    user = request.user
    unread = 0
    if user.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True).count()
    return {"nav_roles": role_labels(user), "nav_unread": unread}
