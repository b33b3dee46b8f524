from django.contrib import admin

from greenbuild.jobs.models import DailyRun, Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin[Job]):
    list_display = ["pk", "kind", "status", "actor", "project", "progress", "created_at", "finished_at", "attempts"]
    list_filter = ["status", "kind"]
    search_fields = ["kind", "actor__username", "project__name"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(DailyRun)
class DailyRunAdmin(admin.ModelAdmin[DailyRun]):
    list_display = ["name", "last_run_on", "last_started_at", "last_finished_at"]
    readonly_fields = ["name", "last_run_on", "last_started_at", "last_finished_at", "last_error"]
