"""The registry in the admin: read-only (issue 10 item 1).

Applications change through the services (forms lock under review, the workflow moves status,
the bureau assigns evaluators on the project page), never here; history versions cannot be
reverted either (``ReadOnlyHistoryAdmin``).
"""

from django.contrib import admin

from greenbuild.core.admin import ReadOnlyAdminMixin, ReadOnlyHistoryAdmin
from greenbuild.projects.models import (
    Building,
    Project,
    ProjectParticipant,
    ProjectTransition,
    WithdrawalRequest,
    WithdrawalTransition,
)


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return self.fields  # every column, including non-editable ones such as ``at``


class BuildingInline(ReadOnlyInline):
    model = Building
    fields = ["name", "floor_area_m2", "storeys", "height_m", "structure_material", "structure_system"]


class ParticipantInline(ReadOnlyInline):
    model = ProjectParticipant
    fields = ["organisation", "role"]


class TransitionInline(ReadOnlyInline):
    model = ProjectTransition
    fields = ["from_status", "to_status", "actor", "at", "comment"]  # every TransitionLog column


@admin.register(Project)
class ProjectAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "district", "category", "status", "owner"]
    list_filter = ["status", "district", "category"]
    search_fields = ["name", "approval_code"]
    inlines = [BuildingInline, ParticipantInline, TransitionInline]


@admin.register(ProjectParticipant)
class ProjectParticipantAdmin(ReadOnlyHistoryAdmin):
    list_display = ["project", "organisation", "role"]
    list_filter = ["role"]
    search_fields = ["project__name", "organisation__name"]


class WithdrawalTransitionInline(TransitionInline):
    model = WithdrawalTransition


@admin.register(WithdrawalRequest)
class WithdrawalRequestAdmin(ReadOnlyHistoryAdmin):
    """Requests to withdraw a confirmed pilot: decided on the project page, shown here read-only."""

    list_display = ["project", "status", "requested_by", "requested_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["project__name"]
    inlines = [WithdrawalTransitionInline]
