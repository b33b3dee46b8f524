"""Pages of the periodic bulletins: the bureau's list, a bulletin with its revisions and moves,
and the public pages (published bulletins only, no login).

Everything is fetched through the bulletins gate (``permissions.py``); writes go through
``services.py``. A reader who may not see drafts gets 404 on the internal pages; the public
pages show nothing that is not published.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbuild.bulletins import services
from greenbuild.bulletins.choices import STATUS_COLOURS
from greenbuild.bulletins.forms import BulletinForm, MoveForm
from greenbuild.bulletins.models import Bulletin
from greenbuild.bulletins.permissions import can, reads_drafts
from greenbuild.bulletins.render import present
from greenbuild.bulletins.workflow import BULLETIN_WORKFLOW
from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.forms import apply_service_error, keep_refused_form, take_refused_form
from greenbuild.core.permissions import get_object_for_user
from greenbuild.reports.revisions.views import generating_context, revision_attachment, serve_revision_file


def _reader_or_404(user: Any) -> None:
    if not reads_drafts(user):
        raise Http404("No such page.")


def _bulletin(request: HttpRequest, pk: Any, action: str = "view") -> Bulletin:
    _reader_or_404(request.user)
    bulletin: Bulletin = get_object_for_user(Bulletin, request.user, pk, action)
    return bulletin


@login_required
def bulletin_list(request: HttpRequest) -> HttpResponse:
    _reader_or_404(request.user)
    bulletins = list(Bulletin.objects.for_user(request.user).select_related("programme"))
    for bulletin in bulletins:
        bulletin.colour = STATUS_COLOURS.get(bulletin.status, "secondary")
    return render(
        request,
        "bulletins/bulletin_list.html",
        {"bulletins": bulletins, "may_create": can(request.user, "create", None)},
    )


@login_required
def bulletin_create(request: HttpRequest) -> HttpResponse:
    _reader_or_404(request.user)
    if not can(request.user, "create", None):
        raise ActionForbidden()
    form = BulletinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bulletin = services.create_bulletin(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The bulletin is being generated: its progress shows below."))
            return redirect("bulletins:bulletin-detail", pk=bulletin.pk)
    return render(request, "bulletins/bulletin_form.html", {"form": form})


def _move_forms(request: HttpRequest, bulletin: Bulletin) -> list[tuple[Any, Any]]:
    moves = BULLETIN_WORKFLOW.available_moves(bulletin, request.user)
    return [
        (move, take_refused_form(request, "bulletin-{}-{}".format(bulletin.pk, move.action), MoveForm) or MoveForm())
        for move in moves
    ]


@login_required
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _bulletin(request, pk)
    revisions = list(bulletin.revisions.select_related("job", "requested_by").order_by("-number"))
    shown = bulletin.shown_revision()
    generating, job_context = generating_context(request, revisions)
    return render(
        request,
        "bulletins/bulletin_detail.html",
        {
            "bulletin": bulletin,
            "colour": STATUS_COLOURS.get(bulletin.status, "secondary"),
            "revisions": revisions,
            "shown": shown,
            "c": present(shown.content) if shown else {},
            "generating": generating,
            "may_generate": can(request.user, "generate", bulletin) and bulletin.status == "draft",
            "moves": _move_forms(request, bulletin),
            "transitions": bulletin.transitions.select_related("actor"),
            **job_context,
        },
    )


@login_required
@require_POST
def bulletin_generate(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _bulletin(request, pk, "generate")
    try:
        services.generate_bulletin(actor=request.user, bulletin_id=bulletin.pk)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("A new revision is being generated: its progress shows below."))
    return redirect("bulletins:bulletin-detail", pk=bulletin.pk)


@login_required
@require_POST
def bulletin_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in BULLETIN_WORKFLOW.table:
        raise Http404
    bulletin = _bulletin(request, pk, action)
    form = MoveForm(request.POST)
    if not form.is_valid():
        keep_refused_form(request, "bulletin-{}-{}".format(bulletin.pk, action), form)
        messages.error(request, _("Please correct the comment."))
        return redirect("bulletins:bulletin-detail", pk=bulletin.pk)
    try:
        services.transition_bulletin(
            actor=request.user,
            bulletin_id=bulletin.pk,
            action=action,
            comment=form.cleaned_data["comment"],
            revision=form.cleaned_data.get("revision"),
        )
    except DomainError as error:
        apply_service_error(form, error)
        keep_refused_form(request, "bulletin-{}-{}".format(bulletin.pk, action), form)
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Done: {action}.").format(action=BULLETIN_WORKFLOW.table[action].label))
    return redirect("bulletins:bulletin-detail", pk=bulletin.pk)


@login_required
def revision_file(request: HttpRequest, pk: int, number: int, fmt: str) -> FileResponse:
    """A revision's PDF or workbook, for those who read drafts."""
    bulletin = _bulletin(request, pk)
    revision = bulletin.revisions.filter(number=number).first()
    return serve_revision_file(revision_attachment(revision, fmt), noun="bulletin")


# --- public pages (R26): published bulletins only, no login ---------------------------------------


def _published(pk: Any) -> Bulletin:
    from greenbuild.core.permissions import parse_id

    number = parse_id(pk)
    bulletin = (
        Bulletin.objects.published().select_related("programme", "revision").filter(pk=number).first()
        if number is not None
        else None
    )
    if bulletin is None:
        raise Http404("No such bulletin.")
    return bulletin


def public_list(request: HttpRequest) -> HttpResponse:
    bulletins = Bulletin.objects.published().select_related("programme").order_by("-period_start", "kind", "-pk")
    return render(request, "bulletins/public_list.html", {"bulletins": bulletins})


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _published(pk)
    return render(
        request,
        "bulletins/public_detail.html",
        {"bulletin": bulletin, "c": present(bulletin.revision.content) if bulletin.revision else {}},
    )


def public_file(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    bulletin = _published(pk)
    return serve_revision_file(revision_attachment(bulletin.revision, fmt), noun="bulletin", public=True)
