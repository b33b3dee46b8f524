"""Pages of the joint conference: meetings, a meeting, the action-items board, members.

Everything is fetched through the conference gate (``permissions.py``): a non-member gets 404 on
every page, a member 403 on every write; writes go through ``services.py``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbuild.attachments.downloads import content_disposition
from greenbuild.attachments.limits import accepts_uploads
from greenbuild.conference import selectors, services
from greenbuild.conference.choices import MEETING_STATUS_COLOURS, ActionItemStatus
from greenbuild.conference.forms import ActionItemForm, BoardFilterForm, DecisionForm, MeetingForm, MoveForm, UploadForm
from greenbuild.conference.models import ActionItem, ConferenceMember, Meeting
from greenbuild.conference.permissions import can, is_conference_member
from greenbuild.conference.workflow import ACTION_ITEM_WORKFLOW, MEETING_WORKFLOW
from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.forms import apply_service_error
from greenbuild.core.permissions import CHANGE, get_child_or_404, get_object_for_user


def _member_or_404(user: Any) -> None:
    if not is_conference_member(user):
        raise Http404("No such page.")


def _manager_or_403(user: Any) -> None:
    _member_or_404(user)
    if not can(user, CHANGE, None):
        raise ActionForbidden()


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    _member_or_404(request.user)
    meetings = Meeting.objects.for_user(request.user).annotate(
        decision_count=Count("decisions", distinct=True),
        open_count=Count("action_items", filter=Q(action_items__status=ActionItemStatus.OPEN), distinct=True),
    )
    for meeting in meetings:
        meeting.colour = MEETING_STATUS_COLOURS.get(meeting.status, "secondary")
    return render(
        request,
        "conference/meeting_list.html",
        {"meetings": meetings, "may_manage": can(request.user, CHANGE, None)},
    )


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    _manager_or_403(request.user)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(actor=request.user, data=form.cleaned_data)
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The meeting was created."))
            return redirect("conference:meeting-detail", pk=meeting.pk)
    return render(request, "conference/meeting_form.html", {"form": form, "meeting": None})


def _meeting(request: HttpRequest, pk: Any, action: str = "view") -> Meeting:
    _member_or_404(request.user)
    return get_object_for_user(Meeting.objects.select_related("created_by"), request.user, pk, action)


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, CHANGE)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(actor=request.user, meeting_id=meeting.pk, data=form.cleaned_data)
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect("conference:meeting-detail", pk=meeting.pk)
    return render(request, "conference/meeting_form.html", {"form": form, "meeting": meeting})


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    may_manage = can(request.user, CHANGE, meeting)
    items = list(
        meeting.action_items.select_related("decision", "district", "department", "closed_by").order_by("due", "pk")
    )
    decisions = list(meeting.decisions.all())
    return render(
        request,
        "conference/meeting_detail.html",
        {
            "meeting": meeting,
            "colour": MEETING_STATUS_COLOURS.get(meeting.status, "secondary"),
            "decisions": decisions,
            "items": items,
            "attachments": meeting.attachments.current(),
            "moves": MEETING_WORKFLOW.available_moves(meeting, request.user),
            "may_manage": may_manage,
            "decision_form": DecisionForm() if may_manage else None,
            "item_form": ActionItemForm(meeting=meeting) if may_manage else None,
            "transitions": meeting.transitions.select_related("actor"),
        },
    )


@login_required
@require_POST
def meeting_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in MEETING_WORKFLOW.table:
        raise Http404
    meeting = _meeting(request, pk, action)
    try:
        services.transition_meeting(actor=request.user, meeting_id=meeting.pk, action=action)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Done: {action}.").format(action=MEETING_WORKFLOW.table[action].label))
    return redirect("conference:meeting-detail", pk=meeting.pk)


@login_required
@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, CHANGE)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the decision."))
    else:
        try:
            services.add_decision(actor=request.user, meeting_id=meeting.pk, text=form.cleaned_data["text"])
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The decision was recorded."))
    return redirect("conference:meeting-detail", pk=meeting.pk)


@login_required
@require_POST
def action_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, CHANGE)
    form = ActionItemForm(request.POST, meeting=meeting)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, "{}{}".format("{}: ".format(label) if label else "", " ".join(errors)))
    else:
        try:
            services.add_action_item(actor=request.user, meeting_id=meeting.pk, data=form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The action item was assigned."))
    return redirect("conference:meeting-detail", pk=meeting.pk)


@login_required
@require_POST
@accepts_uploads("evidence")
def meeting_upload(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, CHANGE)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            services.attach_meeting_file(
                actor=request.user, meeting_id=meeting.pk, uploaded_file=form.cleaned_data["file"]
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The file was added to the meeting."))
    return redirect("conference:meeting-detail", pk=meeting.pk)


@login_required
def meeting_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """A meeting's file for every member (the attachments gate alone lets only the bureau read
    programme-level files); served like ``attachments:download``."""
    meeting = _meeting(request, pk)
    attachment = get_child_or_404(meeting, meeting.attachments.current(), attachment_pk)
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition(
        attachment.original_name, default_stem="attachment-{}".format(attachment.pk)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@login_required
def action_board(request: HttpRequest) -> HttpResponse:
    _member_or_404(request.user)
    form = BoardFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    items = list(selectors.action_board(request.user, data))
    return render(request, "conference/action_board.html", {"form": form, "items": items})


def _item(request: HttpRequest, pk: Any, action: str = "view") -> ActionItem:
    _member_or_404(request.user)
    return get_object_for_user(ActionItem, request.user, pk, action)


@login_required
def action_item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    return render(
        request,
        "conference/action_item_detail.html",
        {
            "item": item,
            "moves": ACTION_ITEM_WORKFLOW.available_moves(item, request.user),
            "transitions": item.transitions.select_related("actor"),
        },
    )


@login_required
@require_POST
def action_item_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTION_ITEM_WORKFLOW.table:
        raise Http404
    item = _item(request, pk, action)
    form = MoveForm(request.POST)
    comment = form.cleaned_data.get("comment", "") if form.is_valid() else ""
    try:
        services.transition_action_item(actor=request.user, item_id=item.pk, action=action, comment=comment)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Done: {action}.").format(action=ACTION_ITEM_WORKFLOW.table[action].label))
    return redirect("conference:action-item-detail", pk=item.pk)


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    _member_or_404(request.user)
    members = ConferenceMember.objects.for_user(request.user).filter(active=True)
    members = members.select_related("person", "organisation", "district", "department")
    return render(request, "conference/member_list.html", {"members": members})
