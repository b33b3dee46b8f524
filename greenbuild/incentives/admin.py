from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from greenbuild.core.admin import NoRevertHistoryMixin
from greenbuild.incentives.models import BonusRecord, BonusRule, EscrowEligibility, TrainingSession


class ReadOnlyAdmin(NoRevertHistoryMixin, SimpleHistoryAdmin):
    """Read-only: every write goes through the pages and their services (rules are versioned,
    records revoked with a reason, never deleted)."""

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(BonusRule)
class BonusRuleAdmin(ReadOnlyAdmin):
    list_display = ("version", "title", "effective_from", "excellent_score")


@admin.register(BonusRecord)
class BonusRecordAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "project", "role", "level", "points", "status", "created_at")
    list_filter = ("status", "role", "level")


@admin.register(EscrowEligibility)
class EscrowEligibilityAdmin(ReadOnlyAdmin):
    list_display = ("project", "status", "decided_at", "released_at")
    list_filter = ("status",)


@admin.register(TrainingSession)
class TrainingSessionAdmin(ReadOnlyAdmin):
    list_display = ("topic", "date", "place")
