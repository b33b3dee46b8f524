from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from greenbuild.conference.models import ConferenceMember
from greenbuild.core.admin import NoRevertHistoryMixin


@admin.register(ConferenceMember)
class ConferenceMemberAdmin(NoRevertHistoryMixin, SimpleHistoryAdmin):
    """Seats are reference data the bureau keeps; meetings and action items go through the pages."""

    list_display = ("__str__", "role", "district", "department", "title", "active")
    list_filter = ("role", "active")
