from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from greenbuild.accounts import services
from greenbuild.accounts.forms import AdminLoginForm
from greenbuild.accounts.models import Membership, Organisation, User
from greenbuild.audit.signals import current_request
from greenbuild.core.admin import NoRevertHistoryMixin

# The admin sign-in gets the same lockout message as the site's.
admin.site.login_form = AdminLoginForm
# "Delete selected" writes one bulk log entry without signals; per-object deletion is audited.
admin.site.disable_action("delete_selected")


def _own(request: Any, obj: Any) -> bool:
    return obj is not None and getattr(obj, "pk", None) == request.user.pk


class MembershipInline(admin.TabularInline):
    """Roles are given and taken by the security duty, never on one's own account: nobody grants
    themselves a role (三员; docs/security.md)."""

    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return not _own(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return not _own(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return not _own(request, obj) and super().has_delete_permission(request, obj)


class AuditedPasswordChangeForm(AdminPasswordChangeForm):
    """An administrator setting a password makes the user choose their own at next sign-in."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=False)
        services.set_password_by_admin(user, None, actor=_request_user(), request=current_request())
        return user


def _request_user() -> Any:
    request = current_request()
    return getattr(request, "user", None)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    change_password_form = AuditedPasswordChangeForm
    list_display = ["username", "display_name", "email", "is_staff", "is_active", "locked_until"]
    readonly_fields = ["failed_login_count", "last_failed_login_at", "locked_until"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("GreenBuild", {"fields": ["display_name", "phone"]}),
        (
            _("Sign-in security"),
            {"fields": ["must_change_password", "failed_login_count", "last_failed_login_at", "locked_until"]},
        ),
    )

    #: Django's own permission fields: only an unrestricted superuser sets them (the platform's
    #: rights come from roles), and nobody sets them or their activity on their own account.
    PRIVILEGE_FIELDS = ("is_superuser", "groups", "user_permissions")
    OWN_FIELDS = ("is_active", "is_staff", *PRIVILEGE_FIELDS)

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        from greenbuild.accounts.duties import restricted_superuser

        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser or restricted_superuser(request.user):
            fields += [f for f in self.PRIVILEGE_FIELDS if f not in fields]
        if _own(request, obj):
            fields += [f for f in self.OWN_FIELDS if f not in fields]
        return fields

    def save_model(self, request: Any, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change and obj.has_usable_password():
            services.set_password_by_admin(obj, None, actor=request.user, request=request)


@admin.register(Organisation)
class OrganisationAdmin(NoRevertHistoryMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "credit_code", "district"]
    list_filter = ["kind", "district"]
    search_fields = ["name", "credit_code"]
