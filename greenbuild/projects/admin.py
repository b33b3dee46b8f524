from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from greenbuild.projects.models import Building, Project, ProjectParticipant, ProjectTransition


class BuildingInline(admin.TabularInline):
    model = Building
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class TransitionInline(admin.TabularInline):
    model = ProjectTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "at", "comment"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    """Read-only: applications change through the services (forms lock under review, the
    workflow moves status), never here."""

    list_display = ["name", "district", "category", "status", "owner"]
    list_filter = ["status", "district", "category"]
    search_fields = ["name", "approval_code"]
    inlines = [BuildingInline, TransitionInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


admin.site.register(ProjectParticipant)
