"""The bureau's batch actions on the project list (issue 19 item 5): select several projects and
assign a third-party evaluator to all of them (``services.assign_evaluator_batch``, all or
nothing) or export the selected (``reports.views.project_selection_xlsx``).

The outcome of a batch (a row per project) is kept in the session for one showing of the list
(post/redirect/get): a reload never submits the batch again, and a submission made twice changes
nothing the second time.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from greenbuild.accounts.choices import OrganisationKind
from greenbuild.accounts.models import Organisation
from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.forms import BootstrapFormMixin
from greenbuild.core.permissions import parse_id
from greenbuild.lists.registry import clean_query
from greenbuild.projects import services
from greenbuild.projects.selectors import may_act_in_batch

#: the session key of the last batch's outcome, shown once on the list
BATCH_REPORT = "projects.batch_report"


class BatchAssignForm(BootstrapFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Third-party evaluator"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.EVALUATOR).order_by("name"),
        empty_label=gettext_lazy("Choose an evaluator…"),
    )


def selected_ids(request: HttpRequest) -> tuple[list[int], list[str]]:
    """The ticked projects' ids, and the values that are not ids at all."""
    ids, bad = [], []
    for value in request.POST.getlist("project"):
        number = parse_id(value)
        if number is None:
            bad.append(value[:20])
        else:
            ids.append(number)
    return sorted(set(ids)), bad


def list_address(request: HttpRequest) -> str:
    """The list as it was (its filters and sort), from the form's ``next`` query string."""
    query = clean_query(request.POST.get("next", ""))
    url = reverse("projects:project-list")
    return "{}?{}".format(url, query) if query else url


def batch_context(request: HttpRequest) -> dict[str, Any]:
    """What the list shows the bureau for batch actions (no query per row: one for the evaluators)."""
    if not may_act_in_batch(request.user):
        return {"can_batch": False}
    report = request.session.pop(BATCH_REPORT, None) if hasattr(request, "session") else None
    if not isinstance(report, dict):
        report = None
    return {
        "can_batch": True,
        "batch_form": BatchAssignForm(),
        "batch_report": report,
        "batch_selected": {str(pk) for pk in (report or {}).get("selected", [])},
    }


def _keep_report(request: HttpRequest, ids: list[int], rows: list[Any], refused: bool) -> None:
    request.session[BATCH_REPORT] = {
        "selected": ids if refused else [],
        "refused": refused,
        "rows": [{k: str(v) for k, v in asdict(row).items()} for row in rows],
    }


@login_required
@require_POST
def project_batch_assign(request: HttpRequest) -> HttpResponse:
    """Assign one evaluator to every selected project, or to none (each row says why)."""
    if not may_act_in_batch(request.user):
        raise ActionForbidden()
    ids, bad = selected_ids(request)
    back = list_address(request)
    form = BatchAssignForm(request.POST)
    if bad:
        messages.error(request, _("Nothing was changed: the selection is not valid."))
        return redirect(back)
    if not form.is_valid():
        messages.error(request, _("Nothing was changed: choose a third-party evaluator."))
        _keep_report(request, ids, [], refused=True)
        return redirect(back)
    try:
        rows = services.assign_evaluator_batch(
            actor=request.user, project_ids=ids, organisation=form.cleaned_data["organisation"]
        )
    except services.BatchRefused as error:
        messages.error(request, str(error.message))
        _keep_report(request, ids, error.rows, refused=True)
    except DomainError as error:
        messages.error(request, str(error.message))
        _keep_report(request, ids, [], refused=True)
    else:
        done = sum(1 for row in rows if row.outcome == "assigned")
        unchanged = len(rows) - done
        organisation = form.cleaned_data["organisation"]
        messages.success(
            request,
            _("{org} assigned to {done} projects; {unchanged} already had it.").format(
                org=organisation.name, done=done, unchanged=unchanged
            ),
        )
        _keep_report(request, ids, rows, refused=False)
    return redirect(back)
