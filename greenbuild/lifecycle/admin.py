from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from greenbuild.core.admin import NoRevertHistoryMixin, ReadOnlyHistoryAdmin
from greenbuild.lifecycle.models import Baseline, BaselineChangeRequest, ProjectStep, StepType


@admin.register(StepType)
class StepTypeAdmin(NoRevertHistoryMixin, SimpleHistoryAdmin):
    list_display = (
        "order",
        "code",
        "name_zh",
        "department",
        "parallel_group",
        "instrument_zh",
        "instrument_required",
        "applies_to",
        "active",
    )
    list_editable = ("active",)
    ordering = ("order",)


class ReadOnlyAdmin(ReadOnlyHistoryAdmin):
    """Written by the services only (the baseline changes through an approved request); its
    history is read, never reverted."""


@admin.register(Baseline)
class BaselineAdmin(ReadOnlyAdmin):
    list_display = ("project", "version", "locked_at", "locked_by")


@admin.register(BaselineChangeRequest)
class BaselineChangeRequestAdmin(ReadOnlyAdmin):
    list_display = ("project", "status", "requested_by", "requested_at", "decided_by")


@admin.register(ProjectStep)
class ProjectStepAdmin(ReadOnlyAdmin):
    list_display = ("project", "type", "status", "opened_at", "signed_by", "signed_at")
    list_filter = ("status", "type")
