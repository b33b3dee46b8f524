"""The one gate of the imports app: imports are the bureau's; the users import (accounts and
their roles) is the security duty's (docs/security.md, 三员: with ``GREENBUILD_SEPARATE_DUTIES``
off the bureau holds it; with it on only the security administrator does)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from greenbuild.accounts.roles import is_bureau_admin
from greenbuild.core import typed_rules as rules
from greenbuild.core.errors import ActionForbidden
from greenbuild.core.permissions import parse_id

#: Importers of the security duty (they write accounts); every other importer is the bureau's.
SECURITY_IMPORTERS = frozenset({"users"})


def may_use(user: Any, importer_name: str) -> bool:
    """Whether ``user`` may run the importer ``importer_name`` and read its batches."""
    from greenbuild.accounts.duties import SECURITY, has_duty

    if importer_name in SECURITY_IMPORTERS:
        return has_duty(user, SECURITY)
    return is_bureau_admin(user)


def importer_names(user: Any) -> list[str]:
    from greenbuild.imports.organisations import IMPORTERS

    return [name for name in IMPORTERS if may_use(user, name)]


@rules.predicate
def may_import(user: Any, obj: Any = None) -> bool:
    """``obj``: an importer name, a batch, or None (any importer at all: the index, the navigation)."""
    if obj is None:
        return bool(importer_names(user))
    return may_use(user, str(getattr(obj, "importer", obj)))


rules.add_perm("imports.run_import", may_import)
rules.add_perm("imports.view_import", may_import)


def can(user: Any, action: str, obj: Any = None) -> bool:
    return rules.has_perm("imports.{}_import".format(action), user, obj)


def require(user: Any, action: str = "run", obj: Any = None) -> None:
    """403 for a signed-in user without the right (the pages say nothing about single imports)."""
    if not can(user, action, obj):
        raise ActionForbidden()


def get_batch_for_user(user: Any, pk: Any) -> Any:
    from greenbuild.imports.models import ImportBatch

    if not can(user, "view"):
        raise ActionForbidden()
    number = parse_id(pk)
    batch = ImportBatch.objects.select_related("source", "job", "actor").filter(pk=number).first() if number else None
    if batch is None or not can(user, "view", batch):
        raise Http404("No such import.")
    return batch
