from django.contrib import admin

from greenbuild.imports.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin[ImportBatch]):
    list_display = ["pk", "importer", "status", "actor", "row_count", "created_count", "created_at"]
    list_filter = ["importer", "status"]
    exclude = ["options"]
    readonly_fields = [
        "importer",
        "actor",
        "source",
        "status",
        "row_count",
        "created_count",
        "errors",
        "job",
        "finished_at",
    ]

    def has_add_permission(self, request: object) -> bool:
        return False
