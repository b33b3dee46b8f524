"""The one gate of the imports app: imports are the bureau's."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from greenbuild.accounts.roles import is_bureau_admin
from greenbuild.core import typed_rules as rules
from greenbuild.core.errors import ActionForbidden
from greenbuild.core.permissions import parse_id


@rules.predicate
def is_bureau(user: Any, obj: Any = None) -> bool:
    return is_bureau_admin(user)


rules.add_perm("imports.run_import", is_bureau)
rules.add_perm("imports.view_import", is_bureau)


def can(user: Any, action: str, obj: Any = None) -> bool:
    return rules.has_perm("imports.{}_import".format(action), user, obj)


def require(user: Any, action: str = "run") -> None:
    """403 for a signed-in user without the right (the pages say nothing about single imports)."""
    if not can(user, action):
        raise ActionForbidden()


def get_batch_for_user(user: Any, pk: Any) -> Any:
    from greenbuild.imports.models import ImportBatch

    if not can(user, "view"):
        raise ActionForbidden()
    number = parse_id(pk)
    batch = ImportBatch.objects.select_related("source", "job", "actor").filter(pk=number).first() if number else None
    if batch is None:
        raise Http404("No such import.")
    return batch
