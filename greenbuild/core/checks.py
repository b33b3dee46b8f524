"""System checks that keep the admin from becoming a back door (issue 17 item 5, SEC-05).

``greenbuild check`` (and so ``runserver``, ``migrate`` and the test suite's check test) fails when
an admin class registered on the site

* offers django-simple-history's revert (a ``SimpleHistoryAdmin`` without
  ``NoRevertHistoryMixin``): a revert writes an old version back with no transition and no guard;
* could add, change or delete a row of a workflow-backed model (``service_only_models()``), itself
  or through an inline, or offers a bulk action that deletes one.

The permissions are asked as a superuser would ask them, since the bureau administrator is one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.core import checks
from django.http import HttpRequest


class _Superuser:
    """Stands for the most powerful staff user: Django's own permissions allow it everything."""

    pk = id = None
    is_active = is_staff = is_superuser = is_authenticated = True
    is_anonymous = False

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return True

    def has_perms(self, perm_list: Iterable[str], obj: Any = None) -> bool:
        return True

    def has_module_perms(self, app_label: str) -> bool:
        return True


def superuser_request() -> Any:
    request = HttpRequest()
    request.method, request.path = "GET", "/admin/"
    request.user = _Superuser()  # type: ignore[assignment]
    return request


def _writes(model_admin: Any, request: Any, *, inline: bool) -> list[str]:
    """Which of add, change and delete ``model_admin`` would allow ``request``."""
    allowed = []
    add = model_admin.has_add_permission(request, None) if inline else model_admin.has_add_permission(request)
    if add:
        allowed.append("add")
    if model_admin.has_change_permission(request, None):
        allowed.append("change")
    if model_admin.has_delete_permission(request, None) and (not inline or model_admin.can_delete):
        allowed.append("delete")
    return allowed


def admin_write_problems(site: admin.AdminSite | None = None) -> list[checks.CheckMessage]:
    """The admin classes on ``site`` that could revert a history or write a workflow row."""
    from greenbuild.core.admin import NoRevertHistoryMixin, service_only_models

    site = site or admin.site
    protected = service_only_models()
    request = superuser_request()
    problems: list[checks.CheckMessage] = []
    for model, model_admin in site._registry.items():
        label = model._meta.label
        if hasattr(model_admin, "history_form_view") and not isinstance(model_admin, NoRevertHistoryMixin):
            problems.append(
                checks.Error(
                    "{}: the admin of {} can revert a historical version.".format(type(model_admin).__name__, label),
                    hint="Put greenbuild.core.admin.NoRevertHistoryMixin first among its bases "
                    "(or use ReadOnlyHistoryAdmin).",
                    obj=type(model_admin),
                    id="greenbuild.E001",
                )
            )
        if model in protected:
            allowed = _writes(model_admin, request, inline=False)
            if "delete_selected" in model_admin.get_actions(request):
                allowed.append("delete_selected")
            if allowed:
                problems.append(
                    checks.Error(
                        "{}: {} is written by its workflow and services only, but the admin allows {}.".format(
                            type(model_admin).__name__, label, ", ".join(allowed)
                        ),
                        hint="Use ReadOnlyAdminMixin / ReadOnlyHistoryAdmin (greenbuild.core.admin).",
                        obj=type(model_admin),
                        id="greenbuild.E002",
                    )
                )
        for inline_class in model_admin.inlines:
            inline = inline_class(model, site)
            if inline.model not in protected:
                continue
            allowed = _writes(inline, request, inline=True)
            if allowed:
                problems.append(
                    checks.Error(
                        "{}: {} is written by its workflow and services only, but this inline allows {}.".format(
                            inline_class.__name__, inline.model._meta.label, ", ".join(allowed)
                        ),
                        hint="Use ReadOnlyAdminMixin and can_delete = False.",
                        obj=inline_class,
                        id="greenbuild.E003",
                    )
                )
    return problems


def check_admin_cannot_rewrite(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return admin_write_problems(admin.site)
