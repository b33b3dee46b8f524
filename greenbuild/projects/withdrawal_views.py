"""Withdrawing a confirmed pilot (issue 10 item 23): the owner asks, the bureau decides.

Thin views: fetch through the gates, call a service, redirect to the project with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbuild.core.errors import DomainError
from greenbuild.core.permissions import get_object_for_user
from greenbuild.projects import services
from greenbuild.projects.forms import TransitionForm, WithdrawalRequestForm
from greenbuild.projects.permissions import get_project_for_user
from greenbuild.projects.workflow import WITHDRAWAL_WORKFLOW


@login_required
@require_POST
def withdrawal_request(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk, "view_internal")
    form = WithdrawalRequestForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.request_withdrawal(actor=request.user, project_id=project.pk, reason=reason)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Your withdrawal request was sent to the bureau."))
    return redirect("projects:project-detail", pk=project.pk)


@login_required
@require_POST
def withdrawal_decide(request: HttpRequest, pk: int, request_pk: int, action: str) -> HttpResponse:
    move = WITHDRAWAL_WORKFLOW.table.get(action)
    if move is None:
        raise Http404
    project = get_project_for_user(request.user, pk)
    withdrawal = get_object_for_user(project.withdrawal_requests.all(), request.user, request_pk, action)
    form = TransitionForm(request.POST)
    form.is_valid()
    try:
        services.decide_withdrawal(
            actor=request.user, request_id=withdrawal.pk, action=action, comment=form.cleaned_data.get("comment", "")
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Done: {action}.").format(action=move.label))
    return redirect("projects:project-detail", pk=project.pk)
