"""Read-only admin: inspections, findings and orders change only through the pages, the API and
the services (an order never closes without evidence on any path; the model's ``save`` refuses it)."""

from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from greenbuild.core.admin import NoRevertHistoryMixin
from greenbuild.inspections.models import Finding, Inspection, RectificationOrder


class ReadOnlyAdmin(NoRevertHistoryMixin, SimpleHistoryAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "inspector", "due_on", "status")
    list_filter = ("status",)


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "project", "severity", "source", "status")
    list_filter = ("severity", "source", "status")


@admin.register(RectificationOrder)
class RectificationOrderAdmin(ReadOnlyAdmin):
    list_display = ("number", "project", "deadline", "status")
    list_filter = ("status",)
