"""Saving and deleting a user's filters (every write here; the history records who did it)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.history import set_history_user
from greenbuild.lists.models import SavedFilter
from greenbuild.lists.registry import LISTS, clean_query

#: how many filters one user keeps per list
LIMIT = 30


@transaction.atomic
def save_filter(*, actor: Any, list_name: str, label: str, query: str) -> SavedFilter:
    """Save ``query`` under ``label`` for ``actor``; the same label again replaces its query."""
    if not getattr(actor, "is_authenticated", False):
        raise ActionForbidden()
    if list_name not in LISTS:
        raise DomainError(_("This list has no saved filters."))
    label = (label or "").strip()
    if not label:
        raise DomainError(_("Give the filter a name."), field="label")
    query = clean_query(query)
    # The user's row is the lock that serialises their saves: two new labels saved at once cannot
    # both pass the count below and end with LIMIT + 1 filters (a reviewer's find).
    get_user_model().objects.select_for_update().only("pk").get(pk=actor.pk)
    saved = SavedFilter.objects.select_for_update().filter(user=actor, list_name=list_name, label=label).first()
    if saved is None:
        if SavedFilter.objects.filter(user=actor, list_name=list_name).count() >= LIMIT:
            raise DomainError(
                _("You already keep {n} filters for this list: delete one first.").format(n=LIMIT), field="label"
            )
        saved = SavedFilter(user=actor, list_name=list_name, label=label)
    saved.query = query
    saved.full_clean(validate_constraints=False)
    set_history_user(saved, actor)
    try:
        with transaction.atomic():  # a doubled submission racing this one saved the label first
            saved.save()
    except IntegrityError:
        saved = SavedFilter.objects.select_for_update().get(user=actor, list_name=list_name, label=label)
        saved.query = query
        set_history_user(saved, actor)
        saved.save(update_fields=["query"])
    return saved


@transaction.atomic
def delete_filter(*, actor: Any, filter_id: int) -> None:
    """Delete one of ``actor``'s saved filters (another user's is refused; a second delete finds nothing)."""
    saved = SavedFilter.objects.select_for_update().filter(pk=filter_id).first()
    if saved is None:
        return
    if saved.user_id != getattr(actor, "pk", None):
        raise ActionForbidden()
    set_history_user(saved, actor)
    saved.delete()
