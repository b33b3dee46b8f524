from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from greenbuild.audit import permissions
from greenbuild.audit.choices import EventKind
from greenbuild.audit.models import AuditEvent


class KindFilter(admin.SimpleListFilter):
    title = _("event")
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return EventKind.choices

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the audit log is append-only; its readers are those of ``audit.permissions``."""

    list_display = ["at", "kind_label", "username", "remote_addr", "target_repr"]
    list_filter = [KindFilter]
    search_fields = ["username", "remote_addr", "target_repr"]
    date_hierarchy = "at"

    def get_queryset(self, request: HttpRequest) -> Any:
        # the reader's gate: never their own entries; the security administrator the auditors' only
        return permissions.events_for_user(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.can(request.user, "view_audit")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can(request.user, "view_audit")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
