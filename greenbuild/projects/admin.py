from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from greenbuild.projects.models import Building, Project, ProjectParticipant, ProjectTransition


class BuildingInline(admin.TabularInline):
    model = Building
    extra = 0


class TransitionInline(admin.TabularInline):
    model = ProjectTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "at", "comment"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    """Read-mostly: status moves only through the services (the workflow), never here."""

    list_display = ["name", "district", "category", "status", "owner"]
    list_filter = ["status", "district", "category"]
    search_fields = ["name", "approval_code"]
    readonly_fields = ["status"]
    inlines = [BuildingInline, TransitionInline]


admin.site.register(ProjectParticipant)
