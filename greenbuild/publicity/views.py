"""Pages of publicity. Public (no sign-in, phone-first): the notices with their objection form,
the pilots with their message form and published answers. Inside (the bureau, the district, the
owner): notices, objections and messages to answer. Views are thin: gate, form, service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbuild.attachments.downloads import content_disposition
from greenbuild.attachments.limits import accepts_uploads
from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.forms import apply_service_error, keep_refused_form, take_refused_form
from greenbuild.core.permissions import CHANGE, VIEW, get_object_for_user
from greenbuild.publicity import antiabuse, permissions, selectors, services
from greenbuild.publicity.choices import MessageStatus, ObjectionStatus
from greenbuild.publicity.forms import AnswerForm, MessageForm, MoveForm, NoticeForm, ObjectionForm
from greenbuild.publicity.models import Objection, PublicMessage, PublicNotice
from greenbuild.publicity.workflow import NOTICE_WORKFLOW

# --- public pages --------------------------------------------------------------------------------


def public_index(request: HttpRequest) -> HttpResponse:
    notices = list(selectors.public_notices()[:50])
    return render(
        request,
        "publicity/public_index.html",
        {"notices": notices, "pilots": selectors.public_pilots()[:200]},
    )


def _public_post(request: HttpRequest, form: Any, scope: str, save: Any) -> tuple[bool, int]:
    """Check a public form (rate, honeypot, token, fields) and save it: (saved, status)."""
    if antiabuse.throttled(request):
        form.is_valid()
        form.add_error(None, str(antiabuse.THROTTLED))
        return False, 429
    if not form.is_valid():
        return False, 400
    if antiabuse.honeypot_filled(request.POST) or antiabuse.token_problem(form.cleaned_data.get("token", ""), scope):
        form.add_error(None, str(antiabuse.REFUSED))
        return False, 400
    try:
        save(form.cleaned_data)
    except (DomainError, ValidationError) as error:
        apply_service_error(form, error)
        return False, 400
    antiabuse.count_submission(request)
    return True, 200


def _fresh(form: Any, scope: str) -> Any:
    """The form shown again (kept input) with a new token."""
    data = form.data.copy()
    data["token"] = antiabuse.issue_token(scope)
    data[antiabuse.HONEYPOT] = ""
    form.data = data  # the errors stay those of the post
    return form


def public_notice(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.public_notice(pk)
    if notice is None:
        raise Http404
    scope = "notice:{}".format(notice.pk)
    form: Any = ObjectionForm(initial={"token": antiabuse.issue_token(scope)})
    status = 200
    if request.method == "POST":
        posted = ObjectionForm(request.POST)
        saved, status = _public_post(
            request,
            posted,
            scope,
            lambda data: services.file_objection(
                notice_id=notice.pk,
                text=data["text"],
                contact_name=data.get("contact_name", ""),
                contact_phone=data.get("contact_phone", ""),
            ),
        )
        if saved:
            messages.success(request, _("Your objection was received. The bureau answers it before the decision."))
            return redirect("publicity:public-notice", pk=notice.pk)
        form = _fresh(posted, scope)
    return render(
        request,
        "publicity/public_notice.html",
        {"notice": notice, "objections": selectors.public_objections(notice), "form": form, "open": notice.running},
        status=status,
    )


@accepts_uploads("photo")
def public_pilot(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.public_pilot(pk)
    if project is None:
        raise Http404
    scope = "pilot:{}".format(project.pk)
    form: Any = MessageForm(initial={"token": antiabuse.issue_token(scope)})
    status = 200
    if request.method == "POST":
        posted = MessageForm(request.POST, request.FILES)
        saved, status = _public_post(
            request,
            posted,
            scope,
            lambda data: services.leave_message(
                project_id=project.pk,
                category=data["category"],
                text=data["text"],
                photo=data.get("photo"),
                contact_name=data.get("contact_name", ""),
                contact_phone=data.get("contact_phone", ""),
            ),
        )
        if saved:
            messages.success(request, _("Your message was received. The answer will be published on this page."))
            return redirect("publicity:public-pilot", pk=project.pk)
        form = _fresh(posted, scope)
    return render(
        request,
        "publicity/public_pilot.html",
        {"project": project, "answered": _labelled(selectors.public_messages(project)), "form": form},
        status=status,
    )


def _labelled(rows: Any) -> list[dict[str, Any]]:
    from greenbuild.publicity.choices import MessageCategory

    return [{**row, "category_label": MessageCategory(row["category"]).label} for row in rows]


# --- inside ----------------------------------------------------------------------------------


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "publicity/manage.html",
        {
            "notices": selectors.notices_for(request.user)[:200],
            "messages_list": selectors.messages_for(request.user)[:200],
            "bureau": permissions.can(request.user, CHANGE, None),
        },
    )


@login_required
def notice_create(request: HttpRequest, project_pk: int) -> HttpResponse:
    from greenbuild.projects.models import Project

    project = get_object_for_user(Project, request.user, project_pk, VIEW)
    if not permissions.can(request.user, CHANGE, None):
        raise ActionForbidden()
    form = NoticeForm(
        request.POST or None, initial={"title": _("Public notice: {project}").format(project=project.name)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.create_notice(actor=request.user, project=project, data=form.cleaned_data)
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The notice was saved as a draft: publish it to start its period."))
            return redirect("publicity:notice-detail", pk=notice.pk)
    return render(request, "publicity/notice_form.html", {"form": form, "project": project})


def _kept_key(kind: str, pk: int) -> str:
    return "publicity-{}-{}".format(kind, pk)


@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_for_user(PublicNotice.objects.select_related("project"), request.user, pk, VIEW)
    may_answer = permissions.can(request.user, permissions.ANSWER, notice)
    objections = list(notice.objections.order_by("submitted_at", "pk"))
    rows = []
    for objection in objections:
        form = None
        if may_answer and objection.status == ObjectionStatus.OPEN:
            form = take_refused_form(request, _kept_key("objection", objection.pk), AnswerForm) or AnswerForm(
                auto_id="id_obj{}_%s".format(objection.pk)
            )
        rows.append((objection, form))
    moves = [
        (
            move,
            take_refused_form(request, _kept_key("notice-" + move.action, notice.pk), MoveForm)
            or MoveForm(auto_id="id_" + move.action + "_%s"),
        )
        for move in NOTICE_WORKFLOW.available_moves(notice, request.user)
    ]
    return render(
        request,
        "publicity/notice_detail.html",
        {
            "notice": notice,
            "rows": rows,
            "moves": moves,
            "contact": permissions.can(request.user, permissions.CONTACT, notice),
            "transitions": notice.transitions.select_related("actor"),
        },
    )


@login_required
@require_POST
def notice_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in NOTICE_WORKFLOW.table:
        raise Http404
    notice = get_object_for_user(PublicNotice, request.user, pk, CHANGE)
    form = MoveForm(request.POST)
    form.is_valid()
    try:
        services.transition_notice(
            actor=request.user, notice_id=notice.pk, action=action, comment=form.cleaned_data.get("comment", "")
        )
    except DomainError as error:
        apply_service_error(form, error)
        keep_refused_form(request, _kept_key("notice-" + action, notice.pk), form)
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Done: {action}.").format(action=NOTICE_WORKFLOW.table[action].label))
    return redirect("publicity:notice-detail", pk=notice.pk)


@login_required
@require_POST
def objection_answer(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_object_for_user(Objection, request.user, pk, permissions.ANSWER)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_objection(
                actor=request.user,
                objection_id=objection.pk,
                answer=form.cleaned_data["answer"],
                public_text=form.cleaned_data.get("public_text", ""),
            )
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The objection is answered; the answer is published with the notice."))
            return redirect("publicity:notice-detail", pk=objection.notice_id)
    keep_refused_form(request, _kept_key("objection", objection.pk), form)
    messages.error(request, _("The answer was not saved: see the form."))
    return redirect(
        reverse("publicity:notice-detail", args=[objection.notice_id]) + "#objection-{}".format(objection.pk)
    )


@login_required
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_for_user(PublicMessage.objects.select_related("project", "photo"), request.user, pk, VIEW)
    form = None
    if message.status == MessageStatus.RECEIVED and permissions.can(request.user, permissions.ANSWER, message):
        rewording = services.may_reword(request.user, message)
        form = take_refused_form(
            request, _kept_key("message", message.pk), AnswerForm, rewording=rewording
        ) or AnswerForm(rewording=rewording)
    return render(
        request,
        "publicity/message_detail.html",
        {
            "message": message,
            "form": form,
            "contact": permissions.can(request.user, permissions.CONTACT, message),
            "transitions": message.transitions.select_related("actor"),
        },
    )


@login_required
@require_POST
def message_answer(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_for_user(PublicMessage, request.user, pk, permissions.ANSWER)
    form = AnswerForm(request.POST, rewording=services.may_reword(request.user, message))
    if form.is_valid():
        try:
            services.answer_message(
                actor=request.user,
                message_id=message.pk,
                answer=form.cleaned_data["answer"],
                public_text=form.cleaned_data.get("public_text", ""),
            )
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The message is answered; the answer is published on the pilot's public page."))
            return redirect("publicity:message-detail", pk=message.pk)
    keep_refused_form(request, _kept_key("message", message.pk), form)
    messages.error(request, _("The answer was not saved: see the form."))
    return redirect("publicity:message-detail", pk=message.pk)


@login_required
def message_photo(request: HttpRequest, pk: int) -> FileResponse:
    """The sender's photo, for those the message is routed to (never public: it may show people)."""
    message = get_object_for_user(PublicMessage.objects.select_related("photo"), request.user, pk, VIEW)
    attachment = message.photo
    if attachment is None or not attachment.file:
        raise Http404
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition(
        attachment.original_name, default_stem="photo-{}".format(attachment.pk)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
