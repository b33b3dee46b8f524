"""The filters of a reader's notifications, shared by the notifications page, its "mark all read"
and the API (``/api/v1/notifications/``): unread only, one kind of event, one project."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from greenbuild.api.filters import IntegerIdFilter
from greenbuild.notifications.models import Notification
from greenbuild.notifications.registry import kinds


def _kind_choices() -> list[tuple[str, str]]:
    return kinds()


class NotificationFilterSet(filters.FilterSet):
    unread = filters.BooleanFilter(
        method="filter_unread",
        label=_("Unread only"),
        help_text="只看未读（true）或只看已读（false） · true: unread only; false: read only",
    )
    kind = filters.ChoiceFilter(
        choices=_kind_choices,
        method="filter_kind",
        label=_("Kind"),
        help_text="事件类别（事件类型代码中第一个点之前的部分，如 reviews） · kind of event: the part of "
        "the event's verb before the first dot, e.g. reviews",
    )
    project = IntegerIdFilter(
        field_name="project",
        label=_("Project"),
        help_text="项目编号 · the project's id",
    )

    class Meta:
        model = Notification
        fields = ["unread", "kind", "project"]

    def filter_unread(self, queryset: QuerySet[Notification], name: str, value: Any) -> QuerySet[Notification]:
        if value is None:
            return queryset
        return queryset.filter(read_at__isnull=bool(value))

    def filter_kind(self, queryset: QuerySet[Notification], name: str, value: str) -> QuerySet[Notification]:
        if not value:
            return queryset
        return queryset.filter(kind_q(value))


def kind_q(kind: str, prefix: str = "event__verb") -> Q:
    """Notifications (or, with ``prefix="verb"``, events) of ``kind``."""
    return Q(**{prefix + "__startswith": kind + "."})
