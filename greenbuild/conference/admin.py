from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from greenbuild.conference.models import ConferenceMember


@admin.register(ConferenceMember)
class ConferenceMemberAdmin(SimpleHistoryAdmin):
    """Seats are reference data the bureau keeps; meetings and action items go through the pages."""

    list_display = ("__str__", "role", "district", "department", "title", "active")
    list_filter = ("role", "active")
