"""Admin: read-only views of supervision's records (every write goes through the pages and
services: a draw's record never changes; plans and evaluations move through their workflows)."""

from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from greenbuild.core.admin import NoRevertHistoryMixin
from greenbuild.supervision.models import Draw, Evaluation, InspectionPlan, InspectorPoolMember


class ReadOnlyAdmin(NoRevertHistoryMixin, SimpleHistoryAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(InspectionPlan)
class InspectionPlanAdmin(ReadOnlyAdmin):
    list_display = ("project", "step_type", "interval_days", "next_due", "status")
    list_filter = ("status",)


@admin.register(InspectorPoolMember)
class InspectorPoolMemberAdmin(ReadOnlyAdmin):
    list_display = ("user", "district", "active")
    list_filter = ("active",)


@admin.register(Draw)
class DrawAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "district", "seed", "drawn_at", "status")
    list_filter = ("status", "kind")


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ("project", "step_type", "evaluator", "due_on", "status")
    list_filter = ("status",)
