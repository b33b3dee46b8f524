"""Saved filters: save the list's current filters, delete one after a confirmation. Thin views:
the gate fetches, the services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbuild.core.errors import DomainError
from greenbuild.core.forms import apply_service_error, keep_refused_form, take_refused_form
from greenbuild.core.permissions import get_object_for_user
from greenbuild.lists import services
from greenbuild.lists.forms import SaveFilterForm
from greenbuild.lists.models import SavedFilter
from greenbuild.lists.permissions import SAVED_FILTER_GATE
from greenbuild.lists.registry import LISTS, clean_query


def _form_key(list_name: str) -> str:
    return "lists.save.{}".format(list_name)


def list_url(list_name: str, query: str = "") -> str:
    url = reverse(LISTS[list_name])
    return "{}?{}".format(url, query) if query else url


def saved_filters_context(request: HttpRequest, list_name: str, query: str) -> dict[str, Any]:
    """What the list page shows beside its filters: the reader's saved filters (one query) and the
    form that saves the current ones (a refused one comes back with its input and errors)."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return {"saved_filters": None}
    query = clean_query(query)
    form = take_refused_form(request, _form_key(list_name), SaveFilterForm) or SaveFilterForm(
        initial={"list_name": list_name, "query": query}
    )
    saved = list(SAVED_FILTER_GATE.for_user(user).filter(list_name=list_name))
    for item in saved:
        item.url = list_url(list_name, item.query)
        item.current = item.query == query
    return {"saved_filters": saved, "save_filter_form": form, "saved_list_name": list_name}


@login_required
@require_POST
def filter_save(request: HttpRequest) -> HttpResponse:
    form = SaveFilterForm(request.POST)
    list_name = request.POST.get("list_name", "")
    if list_name not in LISTS:
        raise Http404("No such list.")
    query = clean_query(request.POST.get("query", ""))
    if form.is_valid():
        try:
            saved = services.save_filter(
                actor=request.user, list_name=list_name, label=form.cleaned_data["label"], query=query
            )
        except (ValidationError, DomainError) as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Filter “{label}” saved.").format(label=saved.label))
            return redirect(list_url(list_name, saved.query))
    keep_refused_form(request, _form_key(list_name), form)
    return redirect(list_url(list_name, query))


@login_required
def filter_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for the confirmation; POST deletes (the owner's own filter only: 404 for others).
    A POST that finds nothing (a second click, a stale tab) goes back to the list and says so, in
    the same words for a filter that was deleted and one that is another user's."""
    try:
        saved: SavedFilter = get_object_for_user(SAVED_FILTER_GATE, request.user, pk)
    except Http404:
        if request.method != "POST":
            raise
        messages.info(request, _("This saved filter no longer exists."))
        return redirect(list_url("projects"))
    if request.method == "POST":
        services.delete_filter(actor=request.user, filter_id=saved.pk)
        messages.success(request, _("Filter “{label}” deleted.").format(label=saved.label))
        return redirect(list_url(saved.list_name) if saved.list_name in LISTS else "/")
    back = list_url(saved.list_name, saved.query) if saved.list_name in LISTS else "/"
    return render(request, "lists/filter_delete.html", {"saved": saved, "back": back})
