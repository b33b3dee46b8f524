"""Saved filters in the admin: read-only (issue 19 item 5). A saved filter is its owner's alone;
the administrator sees the rows and their history (who saved, who deleted) but changes nothing."""

from django.contrib import admin

from greenbuild.core.admin import ReadOnlyHistoryAdmin
from greenbuild.lists.models import SavedFilter


@admin.register(SavedFilter)
class SavedFilterAdmin(ReadOnlyHistoryAdmin):
    list_display = ["label", "user", "list_name", "created_at"]
    list_filter = ["list_name"]
    search_fields = ["label", "user__username"]
    list_select_related = ["user"]
