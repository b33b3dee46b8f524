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
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from greenbuild.attachments.downloads import content_disposition
from greenbuild.attachments.limits import accepts_uploads
from greenbuild.conference import selectors, services
from greenbuild.conference.choices import MEETING_STATUS_COLOURS, ActionItemStatus
from greenbuild.conference.forms import (
    ActionItemForm,
    AddendumForm,
    AttendanceForm,
    BoardFilterForm,
    DecisionForm,
    MeetingForm,
    MemberForm,
    MoveForm,
    NoticeForm,
    UploadForm,
)
from greenbuild.conference.models import ActionItem, ConferenceMember, Meeting
from greenbuild.conference.permissions import can, is_assignee, is_conference_member
from greenbuild.conference.workflow import ACTION_ITEM_WORKFLOW, MEETING_WORKFLOW
from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.forms import apply_service_error, keep_refused_form, take_refused_form
from greenbuild.core.permissions import CHANGE, get_child_or_404, get_object_for_user
from greenbuild.lists.sorting import Column, ListSort


def _member_or_404(user: Any) -> None:
    if not is_conference_member(user):
        raise Http404("No such page.")


def _manager_or_403(user: Any) -> None:
    _member_or_404(user)
    if not can(user, CHANGE, None):
        raise ActionForbidden()


#: The meetings' sortable columns.
MEETING_SORT = ListSort(
    Column("number", gettext_lazy("Number"), ("number",)),
    Column("title", gettext_lazy("Title"), ("title",)),
    Column("date", gettext_lazy("Date"), ("date",)),
    Column("place", gettext_lazy("Place"), ("place",)),
    Column("status", gettext_lazy("Status"), ("status",)),
    Column("decisions", gettext_lazy("Decisions"), ("decision_count",)),
    Column("open", gettext_lazy("Open action items"), ("open_count",)),
)


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    _member_or_404(request.user)
    meetings = Meeting.objects.for_user(request.user).annotate(
        decision_count=Count("decisions", distinct=True),
        open_count=Count("action_items", filter=Q(action_items__status=ActionItemStatus.OPEN), distinct=True),
    )
    sort = MEETING_SORT.apply(request, meetings)  # sortable columns (lists.sorting, the field policy)
    meetings = sort.queryset
    for meeting in meetings:
        meeting.colour = MEETING_STATUS_COLOURS.get(meeting.status, "secondary")
    return render(
        request,
        "conference/meeting_list.html",
        {"meetings": meetings, "may_manage": can(request.user, CHANGE, None), "sort": sort},
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


def _kept(request: HttpRequest, meeting: Meeting, name: str) -> str:
    return "meeting-{}-{}".format(meeting.pk, name)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting; a refused form of it comes back here, at this address, with its input
    (post/redirect/get), so a reload or a language switch never meets a 405."""
    meeting = _meeting(request, pk)
    may_manage = can(request.user, CHANGE, meeting)
    may_write = may_manage and not meeting.locked
    items = list(
        meeting.action_items.select_related(
            "decision", "district", "department", "organisation", "person", "closed_by"
        ).order_by("due", "pk")
    )
    decisions = list(meeting.decisions.all())
    attendance = {row.member_id: row for row in meeting.attendance.select_related("member")}
    seats = list(  # a seat retired since keeps its recorded attendance (the published record)
        ConferenceMember.objects.filter(Q(active=True) | Q(pk__in=list(attendance)))
        .select_related("person", "organisation", "district", "department")
        .order_by("sort_order", "pk")
    )
    kept = {name: _kept(request, meeting, name) for name in ("decision", "item", "notice", "attendance", "addendum")}
    context: dict[str, Any] = {
        "meeting": meeting,
        "colour": MEETING_STATUS_COLOURS.get(meeting.status, "secondary"),
        "decisions": decisions,
        "items": items,
        "attachments": meeting.attachments.current(),
        "moves": MEETING_WORKFLOW.available_moves(meeting, request.user),
        "may_manage": may_manage,
        "may_write": may_write,
        "attendance": [(seat, attendance.get(seat.pk)) for seat in seats],
        "addenda": list(meeting.addenda.select_related("issued_by")),
        "transitions": meeting.transitions.select_related("actor"),
    }
    if may_manage:
        context["decision_form"] = take_refused_form(request, kept["decision"], DecisionForm) or DecisionForm()
        context["item_form"] = take_refused_form(
            request, kept["item"], ActionItemForm, meeting=meeting
        ) or ActionItemForm(meeting=meeting)
        context["notice_form"] = take_refused_form(request, kept["notice"], NoticeForm) or NoticeForm(
            initial={"text": meeting.notice}
        )
        active = [seat for seat in seats if seat.active]
        context["attendance_form"] = take_refused_form(
            request, kept["attendance"], AttendanceForm, seats=active, current=attendance
        ) or AttendanceForm(seats=active, current=attendance)
        context["addendum_form"] = take_refused_form(request, kept["addendum"], AddendumForm) or AddendumForm()
    return render(request, "conference/meeting_detail.html", context)


def _refused(request: HttpRequest, meeting: Meeting, name: str, form: Any, anchor: str) -> HttpResponse:
    keep_refused_form(request, _kept(request, meeting, name), form)
    return redirect("{}#{}".format(reverse("conference:meeting-detail", args=[meeting.pk]), anchor))


def _meeting_form_post(
    request: HttpRequest, meeting: Meeting, form: Any, write: Any, done: str, name: str, anchor: str
) -> HttpResponse:
    """One meeting form's post: ``write(cleaned_data)`` calls the service; success says ``done``,
    a refusal keeps the input and goes back to the form's place on the meeting page."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, done)
            return redirect("conference:meeting-detail", pk=meeting.pk)
    return _refused(request, meeting, name, form, anchor)


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
    return _meeting_form_post(
        request,
        meeting,
        form,
        lambda data: services.add_decision(actor=request.user, meeting_id=meeting.pk, text=data["text"]),
        _("The decision was recorded."),
        "decision",
        "decisions",
    )


@login_required
@require_POST
def action_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    """UI-06: a refused item keeps every input and shows each message on its field."""
    meeting = _meeting(request, pk, CHANGE)
    form = ActionItemForm(request.POST, meeting=meeting)
    return _meeting_form_post(
        request,
        meeting,
        form,
        lambda data: services.add_action_item(actor=request.user, meeting_id=meeting.pk, data=data),
        _("The action item was assigned."),
        "item",
        "action-item-form",
    )


@login_required
@require_POST
def notice_issue(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, CHANGE)
    form = NoticeForm(request.POST)
    return _meeting_form_post(
        request,
        meeting,
        form,
        lambda data: services.issue_notice(actor=request.user, meeting_id=meeting.pk, text=data["text"]),
        _("The meeting notice was issued to the members."),
        "notice",
        "notice",
    )


@login_required
@require_POST
def attendance_record(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, CHANGE)
    seats = list(ConferenceMember.objects.filter(active=True))
    form = AttendanceForm(request.POST, seats=seats)
    return _meeting_form_post(
        request,
        meeting,
        form,
        lambda data: services.record_attendance(actor=request.user, meeting_id=meeting.pk, rows=form.rows()),
        _("The attendance was recorded."),
        "attendance",
        "attendance",
    )


@login_required
@require_POST
def addendum_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, CHANGE)
    form = AddendumForm(request.POST)
    return _meeting_form_post(
        request,
        meeting,
        form,
        lambda data: services.issue_addendum(actor=request.user, meeting_id=meeting.pk, text=data["text"]),
        _("The addendum to the minutes was issued."),
        "addendum",
        "addenda",
    )


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
    return _serve(get_child_or_404(meeting, meeting.attachments.current(), attachment_pk))


def _serve(attachment: Any) -> FileResponse:
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
    """Members, and the item's assignee (who may sit on no seat: an owner, a named person)."""
    return get_object_for_user(ActionItem, request.user, pk, action)


@login_required
def action_item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    moves = ACTION_ITEM_WORKFLOW.available_moves(item, request.user)
    forms = [
        (move, take_refused_form(request, "item-{}-{}".format(item.pk, move.action), MoveForm) or MoveForm())
        for move in moves
    ]
    return render(
        request,
        "conference/action_item_detail.html",
        {
            "item": item,
            "moves": forms,
            "member": is_conference_member(request.user),
            "evidence": item.evidence.all(),
            "may_add_evidence": item.status == ActionItemStatus.OPEN and is_assignee(request.user, item),
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
    if not form.is_valid():  # a refused note changes nothing (rule 2)
        keep_refused_form(request, "item-{}-{}".format(item.pk, action), form)
        return redirect("conference:action-item-detail", pk=item.pk)
    comment = form.cleaned_data["comment"]
    try:
        services.transition_action_item(actor=request.user, item_id=item.pk, action=action, comment=comment)
    except DomainError as error:
        form.add_error("comment" if error.field == "comment" else None, str(error.message))
        keep_refused_form(request, "item-{}-{}".format(item.pk, action), form)
    else:
        messages.success(request, _("Done: {action}.").format(action=ACTION_ITEM_WORKFLOW.table[action].label))
    return redirect("conference:action-item-detail", pk=item.pk)


@login_required
@require_POST
@accepts_uploads("evidence")
def action_item_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            services.add_item_evidence(actor=request.user, item_id=item.pk, uploaded_file=form.cleaned_data["file"])
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The evidence was filed."))
    return redirect("conference:action-item-detail", pk=item.pk)


@login_required
def action_item_evidence_file(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """An item's evidence, for whoever may see the item (members and the assignee)."""
    item = _item(request, pk)
    return _serve(get_child_or_404(item, item.evidence.all(), attachment_pk))


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    _member_or_404(request.user)
    may_manage = can(request.user, CHANGE, None)
    members = ConferenceMember.objects.for_user(request.user)
    if not may_manage or request.GET.get("all") != "1":
        members = members.filter(active=True)
    members = members.select_related("person", "organisation", "district", "department")
    return render(
        request,
        "conference/member_list.html",
        {"members": members, "may_manage": may_manage, "show_all": request.GET.get("all") == "1"},
    )


@login_required
def member_edit(request: HttpRequest, pk: Any = None) -> HttpResponse:
    """Add a seat, or change or retire one (the office), at one address for GET and POST."""
    _manager_or_403(request.user)
    member = get_object_for_user(ConferenceMember, request.user, pk, CHANGE) if pk is not None else None
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data.get(name) for name in form.fields}
        try:
            services.save_member(actor=request.user, data=data, member_id=member.pk if member else None)
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The seat was saved."))
            return redirect("conference:member-list")
    return render(
        request,
        "conference/member_form.html",
        {"form": form, "member": member},
        status=400 if request.method == "POST" else 200,
    )
