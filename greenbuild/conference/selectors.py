"""What the conference pages read: gated, filtered querysets."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from greenbuild.conference.choices import ActionItemStatus
from greenbuild.conference.models import ActionItem
from greenbuild.core.permissions import parse_id


def action_board(user: Any, data: dict[str, Any]) -> Any:
    """The action items ``user`` may see, filtered as the board's form asked (assignee
    ``district-<id>`` or ``department-<id>``, status, overdue), most urgent first."""
    items = ActionItem.objects.for_user(user).select_related("meeting", "decision", "district", "department")
    kind, _sep, number = (data.get("assignee") or "").partition("-")
    assignee_id = parse_id(number)
    if kind == "district" and assignee_id is not None:
        items = items.filter(district_id=assignee_id)
    elif kind == "department" and assignee_id is not None:
        items = items.filter(department_id=assignee_id)
    if data.get("status"):
        items = items.filter(status=data["status"])
    if data.get("overdue"):
        items = items.filter(status=ActionItemStatus.OPEN, due__lt=timezone.localdate())
    return items.order_by("status", "due", "pk")
