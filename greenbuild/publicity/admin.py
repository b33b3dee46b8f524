"""Publicity in the admin: the holiday table is data the bureau keeps here; notices, objections and
messages are read-only (they change through the services: publish, answer …), and the public's
contact details are not shown here at all."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from greenbuild.core.admin import NoRevertHistoryMixin, ReadOnlyHistoryAdmin
from greenbuild.publicity.models import Holiday, Objection, PublicMessage, PublicNotice


@admin.register(Holiday)
class HolidayAdmin(NoRevertHistoryMixin, SimpleHistoryAdmin):
    list_display = ("date", "name", "is_working_day")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"


@admin.register(PublicNotice)
class PublicNoticeAdmin(ReadOnlyHistoryAdmin):
    list_display = ("title", "project", "kind", "status", "starts_on", "ends_on")
    list_filter = ("kind", "status")


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyHistoryAdmin):
    list_display = ("notice", "status", "submitted_at", "answered_at")
    list_filter = ("status",)
    exclude = ("contact_name", "contact_phone")


@admin.register(PublicMessage)
class PublicMessageAdmin(ReadOnlyHistoryAdmin):
    list_display = ("project", "category", "status", "received_at", "due_on", "escalated_at")
    list_filter = ("status", "category")
    exclude = ("contact_name", "contact_phone")
