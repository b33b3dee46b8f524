"""Pages of the programme summary: the list, a summary with its revisions, recommendations and
moves, its files, and the next guideline edition started from it with its changed items.

Everything is fetched through the summaries gate (``permissions.py``); writes go through
``services.py``. Who may not open the summaries at all gets 404; who may read but not write, 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.forms import apply_service_error, keep_refused_form, take_refused_form
from greenbuild.core.permissions import get_object_for_user, parse_id
from greenbuild.reports.revisions.views import generating_context, revision_attachment, serve_revision_file
from greenbuild.summaries import services
from greenbuild.summaries.choices import STATUS_COLOURS, SummaryStatus
from greenbuild.summaries.forms import EditionForm, ItemChangeForm, MoveForm, RecommendationsForm, SummaryForm
from greenbuild.summaries.models import ProgrammeSummary, SummaryRevision
from greenbuild.summaries.permissions import can, reads_any
from greenbuild.summaries.render import present
from greenbuild.summaries.workflow import SUMMARY_WORKFLOW


def _reader_or_404(user: Any) -> None:
    if not reads_any(user):
        raise Http404("No such page.")


def _summary(request: HttpRequest, pk: Any, action: str = "view") -> ProgrammeSummary:
    _reader_or_404(request.user)
    summary: ProgrammeSummary = get_object_for_user(ProgrammeSummary, request.user, pk, action)
    return summary


@login_required
def summary_list(request: HttpRequest) -> HttpResponse:
    _reader_or_404(request.user)
    summaries = list(ProgrammeSummary.objects.for_user(request.user).select_related("programme"))
    for summary in summaries:
        summary.colour = STATUS_COLOURS.get(summary.status, "secondary")
    return render(
        request,
        "summaries/summary_list.html",
        {"summaries": summaries, "may_create": can(request.user, "create", None)},
    )


@login_required
def summary_create(request: HttpRequest) -> HttpResponse:
    _reader_or_404(request.user)
    if not can(request.user, "create", None):
        raise ActionForbidden()
    form = SummaryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            summary = services.create_summary(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The summary is being generated: its progress shows below."))
            return redirect("summaries:summary-detail", pk=summary.pk)
    return render(request, "summaries/summary_form.html", {"form": form})


def _move_forms(request: HttpRequest, summary: ProgrammeSummary) -> list[tuple[Any, Any]]:
    # only the moves possible now: no "Approve" while a revision is being generated (its guard
    # would refuse it, and the form would send the older revision shown)
    moves = [
        move
        for move in SUMMARY_WORKFLOW.available_moves(summary, request.user)
        if not any(guard(summary, request.user) for guard in move.guards)
    ]
    return [
        (move, take_refused_form(request, "summary-{}-{}".format(summary.pk, move.action), MoveForm) or MoveForm())
        for move in moves
    ]


@login_required
def summary_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from greenbuild.documents.services import current_document

    summary = _summary(request, pk)
    revisions = list(summary.revisions.select_related("job", "requested_by").order_by("-number"))
    shown = summary.shown_revision()
    generating, job_context = generating_context(request, revisions)
    is_draft = summary.status == SummaryStatus.DRAFT
    bureau = can(request.user, "edit", summary)
    return render(
        request,
        "summaries/summary_detail.html",
        {
            "summary": summary,
            "colour": STATUS_COLOURS.get(summary.status, "secondary"),
            "revisions": revisions if bureau else [r for r in revisions if r.pk == summary.revision_id],
            "shown": shown,
            "c": present(shown.content) if shown else {},
            "generating": generating if bureau else None,
            "may_generate": bureau and is_draft,
            "recommendations_form": (
                take_refused_form(request, "summary-{}-recommendations".format(summary.pk), RecommendationsForm)
                or RecommendationsForm(initial={"recommendations": summary.recommendations})
            )
            if bureau and is_draft
            else None,
            "moves": _move_forms(request, summary),
            "transitions": summary.transitions.select_related("actor"),
            "document": current_document(services.SUMMARY_DOCUMENT, summary) if summary.is_issued else None,
            "edition_form": EditionForm() if bureau and summary.is_issued and not summary.next_edition_id else None,
            "may_edit_edition": bureau and summary.next_edition_id is not None,
            **job_context,
        },
    )


@login_required
@require_POST
def summary_generate(request: HttpRequest, pk: int) -> HttpResponse:
    summary = _summary(request, pk, "generate")
    try:
        services.generate_summary(actor=request.user, summary_id=summary.pk)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("A new revision is being generated: its progress shows below."))
    return redirect("summaries:summary-detail", pk=summary.pk)


@login_required
@require_POST
def summary_recommendations(request: HttpRequest, pk: int) -> HttpResponse:
    summary = _summary(request, pk, "edit")
    form = RecommendationsForm(request.POST)
    key = "summary-{}-recommendations".format(summary.pk)
    if form.is_valid():
        try:
            services.edit_recommendations(
                actor=request.user, summary_id=summary.pk, recommendations=form.cleaned_data["recommendations"]
            )
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Recommendations saved: a new revision holding them is being generated."))
            return redirect("summaries:summary-detail", pk=summary.pk)
    keep_refused_form(request, key, form)
    messages.error(request, _("Please correct the recommendations."))
    return redirect("summaries:summary-detail", pk=summary.pk)


@login_required
@require_POST
def summary_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in SUMMARY_WORKFLOW.table:
        raise Http404
    summary = _summary(request, pk, action)
    form = MoveForm(request.POST)
    key = "summary-{}-{}".format(summary.pk, action)
    if not form.is_valid():
        keep_refused_form(request, key, form)
        messages.error(request, _("Please correct the comment."))
        return redirect("summaries:summary-detail", pk=summary.pk)
    try:
        services.transition_summary(
            actor=request.user,
            summary_id=summary.pk,
            action=action,
            comment=form.cleaned_data["comment"],
            revision=form.cleaned_data.get("revision"),
        )
    except DomainError as error:
        apply_service_error(form, error)
        keep_refused_form(request, key, form)
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Done: {action}.").format(action=SUMMARY_WORKFLOW.table[action].label))
    return redirect("summaries:summary-detail", pk=summary.pk)


@login_required
def revision_file(request: HttpRequest, pk: int, number: int, fmt: str) -> FileResponse:
    """A revision's PDF or workbook: every revision for the bureau, the revision of record for
    the other readers of an issued summary."""
    summary = _summary(request, pk)
    revision: SummaryRevision | None = summary.revisions.filter(number=number).first()
    if revision is not None and not can(request.user, "edit", summary) and revision.pk != summary.revision_id:
        revision = None
    return serve_revision_file(revision_attachment(revision, fmt), noun="summary")


# --- the next edition of the technical guideline -------------------------------------------------


@login_required
@require_POST
def edition_start(request: HttpRequest, pk: int) -> HttpResponse:
    summary = _summary(request, pk, "start_edition")
    form = EditionForm(request.POST)
    if form.is_valid():
        try:
            services.start_next_edition(actor=request.user, summary_id=summary.pk, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The next edition is started: change its items below."))
            return redirect("summaries:edition", pk=summary.pk)
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("summaries:summary-detail", pk=summary.pk)


def _edition_context(request: HttpRequest, summary: ProgrammeSummary, refused: dict[int, Any]) -> dict[str, Any]:
    from greenbuild.guidelines.selectors import items_of

    edition = summary.next_edition
    changes = {
        change.item_id: change
        for change in summary.edition_changes.select_related("changed_by").prefetch_related("lessons__project")
    }
    rows = []
    for item in items_of(edition):
        form = refused.get(item.pk) or ItemChangeForm(
            summary=summary,
            prefix="item-{}".format(item.pk),
            initial={
                "text_zh": item.text_zh,
                "text_en": item.text_en,
                "reason": changes[item.pk].reason if item.pk in changes else "",
                "lessons": list(changes[item.pk].lessons.all()) if item.pk in changes else [],
            },
        )
        rows.append({"item": item, "change": changes.get(item.pk), "form": form})
    return {
        "summary": summary,
        "edition": edition,
        "rows": rows,
        "changed": len(changes),
        "may_change": not edition.published,
    }


@login_required
def edition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    summary = _summary(request, pk, "change_item")
    if summary.next_edition_id is None:
        raise Http404("No next edition yet.")
    return render(request, "summaries/edition.html", _edition_context(request, summary, {}))


@login_required
@require_POST
def edition_item_change(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    summary = _summary(request, pk, "change_item")
    number = parse_id(item_id)
    if summary.next_edition_id is None or number is None:
        raise Http404("No such item.")
    if not summary.next_edition.items.filter(pk=number).exists():
        raise Http404("No such item.")
    form = ItemChangeForm(request.POST, summary=summary, prefix="item-{}".format(number))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.change_edition_item(
                actor=request.user,
                summary_id=summary.pk,
                item_id=number,
                text_zh=data["text_zh"],
                text_en=data["text_en"],
                reason=data["reason"],
                lesson_ids=[lesson.pk for lesson in data["lessons"]],
            )
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The item is changed and marked, with the lessons behind it."))
            return redirect("summaries:edition", pk=summary.pk)
    messages.error(request, _("Please correct the change."))
    return render(request, "summaries/edition.html", _edition_context(request, summary, {number: form}), status=400)
