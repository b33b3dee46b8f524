"""Pages of the completion evaluation (bureau, panel, owner). Everything through the gate
(``permissions.py``), every write through ``services.py``; a refused form keeps its input and goes
back to its own address."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbuild.completion import permissions, selectors, services
from greenbuild.completion.choices import STATUS_COLOURS
from greenbuild.completion.forms import CostForm, LessonForm, MoveForm, PanelConclusionForm, PanelForm, SchemeForm
from greenbuild.completion.models import CompletionEvaluation, EvaluationScheme, IncrementalCost
from greenbuild.completion.workflow import EVALUATION_WORKFLOW
from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.forms import apply_service_error, keep_refused_form, take_refused_form
from greenbuild.core.permissions import VIEW, get_object_for_user, parse_id
from greenbuild.projects.permissions import get_project_for_user


def _detail(evaluation: Any) -> str:
    return reverse("completion:evaluation-detail", args=[evaluation.pk])


@login_required
def evaluation_list(request: HttpRequest) -> HttpResponse:
    evaluations = (
        CompletionEvaluation.objects.for_user(request.user)
        .select_related("project", "project__district", "scheme")
        .order_by("-created_at", "-pk")[:500]
    )
    return render(
        request,
        "completion/evaluation_list.html",
        {"evaluations": evaluations, "colours": STATUS_COLOURS, "provisional_label": selectors.PROVISIONAL_LABEL},
    )


def _kept(evaluation: Any, name: str) -> str:
    return "completion-{}-{}".format(evaluation.pk, name)


@login_required
def evaluation_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    evaluation = permissions.get_evaluation_for_user(request.user, pk)
    user = request.user
    moves = [m for m in EVALUATION_WORKFLOW.available_moves(evaluation, user) if m.action != "conclude_panel"]
    move_forms = [
        (move, take_refused_form(request, _kept(evaluation, move.action), MoveForm) or MoveForm()) for move in moves
    ]
    context: dict[str, Any] = {
        "evaluation": evaluation,
        "project": evaluation.project,
        "rows": selectors.outcome_rows(evaluation),
        "colours": STATUS_COLOURS,
        "move_forms": move_forms,
        "transitions": evaluation.transitions.select_related("actor").order_by("at", "pk"),
        "panel": list(evaluation.panel_members.order_by("username")),
        "provisional_label": selectors.PROVISIONAL_LABEL,
        "may_change": permissions.can(user, "change", evaluation) and evaluation.status == "draft",
        "may_conclude": permissions.can(user, "conclude_panel", evaluation) and evaluation.status == "panel",
        "costs": selectors.cost_summary(evaluation.project),
        "lessons": selectors.lessons_of(evaluation.project),
        "documents": _documents(evaluation),
    }
    if context["may_change"]:
        context["panel_form"] = take_refused_form(request, _kept(evaluation, "panel"), PanelForm) or PanelForm(
            initial={"leader": evaluation.panel_leader_id, "members": [p.pk for p in context["panel"]]}
        )
    if context["may_conclude"]:
        context["conclusion_form"] = (
            take_refused_form(request, _kept(evaluation, "conclude"), PanelConclusionForm) or PanelConclusionForm()
        )
    return render(request, "completion/evaluation_detail.html", context)


def _documents(evaluation: Any) -> list[Any]:
    from django.contrib.contenttypes.models import ContentType

    from greenbuild.documents.models import IssuedDocument

    return list(
        IssuedDocument.objects.filter(
            content_type=ContentType.objects.get_for_model(CompletionEvaluation), object_id=evaluation.pk
        ).order_by("pk")
    )


@login_required
@require_POST
def evaluation_start(request: HttpRequest, project_pk: Any) -> HttpResponse:
    project = get_project_for_user(request.user, project_pk, "view_internal")
    if not permissions.is_bureau_admin(request.user):
        raise ActionForbidden()
    try:
        evaluation = services.start_evaluation(actor=request.user, project=project)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("projects:project-detail", pk=project.pk)
    messages.success(request, _("The completion evaluation is started."))
    return redirect(_detail(evaluation))


@login_required
@require_POST
def evaluation_refresh(request: HttpRequest, pk: Any) -> HttpResponse:
    evaluation = permissions.get_evaluation_for_user(request.user, pk, "refresh")
    try:
        services.refresh_values(actor=request.user, evaluation_id=evaluation.pk)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The achieved values are gathered again."))
    return redirect(_detail(evaluation))


@login_required
@require_POST
def evaluation_panel(request: HttpRequest, pk: Any) -> HttpResponse:
    evaluation = permissions.get_evaluation_for_user(request.user, pk, "change")
    form = PanelForm(request.POST)
    if form.is_valid():
        try:
            services.appoint_panel(
                actor=request.user,
                evaluation_id=evaluation.pk,
                leader=form.cleaned_data["leader"],
                members=list(form.cleaned_data["members"]),
            )
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The expert panel is appointed."))
            return redirect(_detail(evaluation))
    keep_refused_form(request, _kept(evaluation, "panel"), form)
    return redirect(_detail(evaluation) + "#panel")


@login_required
@require_POST
def evaluation_conclude(request: HttpRequest, pk: Any) -> HttpResponse:
    evaluation = permissions.get_evaluation_for_user(request.user, pk, "conclude_panel")
    form = PanelConclusionForm(request.POST)
    if form.is_valid():
        try:
            services.conclude_panel(
                actor=request.user,
                evaluation_id=evaluation.pk,
                verdict=form.cleaned_data["verdict"],
                opinion=form.cleaned_data["opinion"],
            )
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The panel's conclusion is recorded."))
            return redirect(_detail(evaluation))
    keep_refused_form(request, _kept(evaluation, "conclude"), form)
    return redirect(_detail(evaluation) + "#conclusion")


@login_required
@require_POST
def evaluation_move(request: HttpRequest, pk: Any, action: str) -> HttpResponse:
    if action not in EVALUATION_WORKFLOW.table or action == "conclude_panel":
        raise Http404("No such move.")
    evaluation = permissions.get_evaluation_for_user(request.user, pk, action)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.move(
                actor=request.user, evaluation_id=evaluation.pk, action=action, comment=form.cleaned_data["comment"]
            )
        except DomainError as error:
            apply_service_error(form, error)
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Done."))
            return redirect(_detail(evaluation))
    keep_refused_form(request, _kept(evaluation, action), form)
    return redirect(_detail(evaluation))


# --- the scheme ---------------------------------------------------------------------------------


@login_required
def scheme_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "completion/scheme_list.html",
        {
            "schemes": EvaluationScheme.objects.select_related("created_by").order_by("-version"),
            "may_create": permissions.can_scheme(request.user, "create", None),
        },
    )


@login_required
def scheme_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    scheme = get_object_for_user(EvaluationScheme.objects.all(), request.user, pk, VIEW)
    return render(
        request,
        "completion/scheme_detail.html",
        {
            "scheme": scheme,
            "titles": scheme.criterion_titles(),
            "may_create": permissions.can_scheme(request.user, "create", None),
            "used_by": scheme.evaluations.count(),
        },
    )


@login_required
def scheme_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_scheme(request.user, "create", None):
        raise ActionForbidden()
    current = services.current_scheme()
    if request.method == "POST":
        form = SchemeForm(request.POST)
        if form.is_valid():
            try:
                scheme = services.new_scheme_version(actor=request.user, data=form.cleaned_data)
            except DomainError as error:
                apply_service_error(form, error)
            else:
                messages.success(
                    request, _("Version {version} of the scheme is in force.").format(version=scheme.version)
                )
                return redirect("completion:scheme-detail", pk=scheme.pk)
    else:
        initial = {}
        if current is not None:
            initial = {
                "name": current.name,
                "rules": current.rules,
                "method": current.method,
                "criteria": json.dumps(current.criteria, ensure_ascii=False, indent=2),
                "pass_score": current.pass_score,
            }
        form = SchemeForm(initial=initial)
    return render(request, "completion/scheme_form.html", {"form": form, "current": current})


# --- the owner's reports ------------------------------------------------------------------------


@login_required
def project_costs(request: HttpRequest, project_pk: Any) -> HttpResponse:
    project = get_project_for_user(request.user, project_pk, "view_internal")
    may_report = permissions.can_report(request.user, project)
    form = CostForm()
    if request.method == "POST":
        if not may_report:
            raise ActionForbidden()
        form = CostForm(request.POST)
        if form.is_valid():
            try:
                services.report_cost(actor=request.user, project_id=project.pk, data=form.cleaned_data)
            except (DomainError, ValidationError) as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("The incremental cost is recorded."))
                return redirect("completion:project-costs", project_pk=project.pk)
    summary = selectors.cost_summary(project)
    rows = [(row, selectors.per_m2(row.amount_yuan, summary.floor_area_m2)) for row in summary.rows]
    return render(
        request,
        "completion/costs.html",
        {"project": project, "summary": summary, "rows": rows, "form": form, "may_report": may_report},
    )


@login_required
@require_POST
def cost_delete(request: HttpRequest, pk: Any) -> HttpResponse:
    number = parse_id(pk)
    cost = IncrementalCost.objects.for_user(request.user, "view_internal").filter(pk=number).first() if number else None
    if cost is None:
        raise Http404("No such cost.")
    if not permissions.can_report(request.user, cost.project):
        raise ActionForbidden()
    try:
        services.remove_cost(actor=request.user, cost_id=cost.pk)
    except (DomainError, ObjectDoesNotExist):
        raise Http404("No such cost.") from None
    messages.success(request, _("The incremental cost is removed."))
    return redirect("completion:project-costs", project_pk=cost.project_id)


@login_required
def project_lessons(request: HttpRequest, project_pk: Any) -> HttpResponse:
    project = get_project_for_user(request.user, project_pk, "view_internal")
    may_report = permissions.can_report(request.user, project)
    form = LessonForm()
    if request.method == "POST":
        if not may_report:
            raise ActionForbidden()
        form = LessonForm(request.POST)
        if form.is_valid():
            try:
                services.file_lesson(actor=request.user, project_id=project.pk, data=form.cleaned_data)
            except (DomainError, ValidationError) as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("The lesson is filed."))
                return redirect("completion:project-lessons", project_pk=project.pk)
    return render(
        request,
        "completion/lessons.html",
        {"project": project, "lessons": selectors.lessons_of(project), "form": form, "may_report": may_report},
    )
