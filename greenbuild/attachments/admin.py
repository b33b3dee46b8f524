"""Attachments are read-only in the admin: files come and go through the services only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from greenbuild.attachments.models import Attachment
from greenbuild.attachments.permissions import withheld_from


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin[Attachment]):
    list_display = ["original_name", "kind", "file_type", "size", "project", "uploaded_by", "created_at", "state"]
    list_filter = ["kind", "file_type", "pending"]
    search_fields = ["original_name", "sha256"]
    list_select_related = ["project", "uploaded_by"]
    fields = (
        "original_name",
        "download",
        "kind",
        "file_type",
        "content_type",
        "size",
        "sha256",
        "project",
        "uploaded_by",
        "created_at",
        "pending",
        "replaced_by",
        "removed_at",
    )
    readonly_fields = fields

    @admin.display(description=_("state"))
    def state(self, obj: Attachment) -> Any:
        if obj.removed_at:
            return _("replaced") if obj.replaced_by_id else _("removed")
        return _("pending") if obj.pending else _("kept")

    @admin.display(description=_("download"))
    def download(self, obj: Attachment) -> Any:
        if obj.removed_at or not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("attachments:download", args=[obj.pk]), obj.original_name)

    def get_queryset(self, request: HttpRequest) -> Any:
        """Every file but an unsent plan draft's, which is its owner's alone (SEC-03): no name,
        size or uploader of it here either, for the superuser and the system administrator."""
        return super().get_queryset(request).exclude(withheld_from(request.user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
