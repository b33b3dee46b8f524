from __future__ import annotations

from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from greenbuild.plans.models import GreenPlan, PlanVersion


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Plans change through their services only (the owner's pages, the reviews app)."""

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(GreenPlan)
class GreenPlanAdmin(ReadOnlyAdmin):
    list_display = ["project", "status", "current_version", "updated_at"]
    list_filter = ["status"]


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin):
    list_display = ["plan", "number", "reason", "submitted_by", "submitted_at"]
