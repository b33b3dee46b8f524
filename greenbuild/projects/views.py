"""Project pages. Thin: parse input, fetch through the gate, call a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.forms import ModelChoiceField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbuild.core.errors import DomainError
from greenbuild.core.fields import annotate_internal, field_access
from greenbuild.core.forms import apply_service_error
from greenbuild.core.permissions import get_child_or_404
from greenbuild.jobs.selectors import project_reports
from greenbuild.lists.views import saved_filters_context
from greenbuild.programmes.selectors import current_programme
from greenbuild.projects import hooks, services
from greenbuild.projects.batch_views import batch_context
from greenbuild.projects.checks import submission_gaps
from greenbuild.projects.choices import ParticipantRole
from greenbuild.projects.filters import ProjectFilterSet, list_filters, sorted_projects
from greenbuild.projects.forms import BuildingForm, EvaluatorForm, ParticipantForm, ProjectForm, TransitionForm
from greenbuild.projects.history import project_changes
from greenbuild.projects.models import Building, Project
from greenbuild.projects.panels import visible_panels
from greenbuild.projects.permissions import can, can_create_project, get_project_for_user
from greenbuild.projects.selectors import may_filter_withdrawals
from greenbuild.projects.workflow import MOVES, available_moves

PAGE_SIZE = 50


def project_list(request: HttpRequest) -> HttpResponse:
    queryset = Project.objects.for_user(request.user, "view").select_related(
        "district", "category", "owner", "programme"
    )
    data = list_filters(request)
    filterset = ProjectFilterSet(data, queryset=queryset, request=request)
    query = data.copy()
    query.pop("page", None)
    # Sorting asks the field policy too (lists.sorting): never by a field the reader does not see.
    rows, sort = sorted_projects(request, filterset.qs, query)
    # the field policy decides what each row shows (projects/fields.py): gb_internal saves a query per row
    rows = annotate_internal(rows, request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filterset": filterset,
        "page": page,
        "sort": sort,
        "can_create": can_create_project(request.user),
        "query": query.urlencode(),
        "may_filter_withdrawals": may_filter_withdrawals(request.user),
        **batch_context(request),
        **saved_filters_context(request, "projects", query.urlencode()),
    }
    template = "projects/partials/project_table.html" if request.htmx else "projects/project_list.html"
    if not request.htmx:  # the filter form's selects (the partial has none)
        _choices_once(filterset.form, "district_id", "category_id", "structure_material_id", "programme")
    if context["can_batch"]:
        _choices_once(context["batch_form"], "organisation")
    return render(request, template, context)


def _choices_once(form: Any, *names: str) -> None:
    """Read the options of the page's ``<select>``s ``names`` in one plain query each. Iterated
    by a template, a model choice field counts its rows first and then reads them through a
    server-side cursor: five round trips on PostgreSQL. Only the options shown change hands:
    validation reads the field's queryset, never these choices."""
    for name in names:
        field = form.fields[name]
        if not isinstance(field, ModelChoiceField):
            continue
        iterator = field.choices  # what the template would iterate: its labels and values
        head = [("", field.empty_label)] if field.empty_label is not None else []
        if getattr(field, "null_label", None) is not None:  # django-filter's "none" option
            head.append((field.null_value, field.null_label))
        # Django's ModelChoiceField reads ``_choices`` when set (its ``_get_choices``); the setter
        # is not used because django-filter's fields wrap what they are given again.
        field._choices = field.widget.choices = head + [iterator.choice(obj) for obj in field.queryset]


#: the session key of a refused move's input, shown again once on the project page
KEPT_MOVE = "projects.refused_move"


def _kept_move(request: HttpRequest, project: Project) -> dict[str, str]:
    kept = request.session.pop(KEPT_MOVE, None) if hasattr(request, "session") else None
    if not isinstance(kept, dict) or kept.get("project") != project.pk:
        return {}
    return {"action": str(kept.get("action", "")), "comment": str(kept.get("comment", ""))}


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk)
    # The buildings once for the page: its table, the R7–R14 checks and the cards all read them.
    prefetch_related_objects(
        [project],
        Prefetch("buildings", queryset=Building.objects.select_related("structure_material", "structure_system")),
    )
    internal = field_access(request.user, project).internal  # the field policy (projects/fields.py)
    moves = available_moves(project, request.user)
    context = {
        "project": project,
        "internal": internal,
        "buildings": project.buildings.all(),
        "can_change": can(request.user, "change", project),
        "can_assign_evaluator": internal and can(request.user, "assign_evaluator", project),
        "moves": moves,
        # 确定为试点 is shown disabled, with the reason, while the guard would refuse it (UI-09).
        "confirm_blockers": hooks.confirmation_blockers(project) if any(m.action == "confirm" for m in moves) else [],
        "kept": _kept_move(request, project),
        "owner_self_check": project.is_editable and any(m.action == "submit" for m in moves),
        "transition_form": TransitionForm(),
        "panels": visible_panels(request, project),
    }
    if internal:
        context.update(
            reports=project_reports(request.user, project),
            participants=project.participants.select_related("organisation"),
            transitions=project.transitions.select_related("actor"),
            changes=project_changes(project),
            # The self-check is the owner's (REG-06): others never read "complete, can be submitted".
            gaps=submission_gaps(project) if context["owner_self_check"] else [],
        )
    return render(request, "projects/project_detail.html", context)


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    if not can_create_project(request.user):
        raise PermissionDenied
    programme = current_programme()
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.create_project(actor=request.user, programme=programme, data=form.cleaned_data)
        except (ValidationError, DomainError) as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The application was saved as a draft."))
            return redirect("projects:project-detail", pk=project.pk)
    return render(request, "projects/project_form.html", {"form": form, "programme": programme})


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk, "change")
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_project(actor=request.user, project_id=project.pk, data=form.cleaned_data)
        except (ValidationError, DomainError) as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("projects:project-detail", pk=project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


@login_required
def building_form(request: HttpRequest, pk: int, building_pk: int | None = None) -> HttpResponse:
    project = get_project_for_user(request.user, pk, "change")
    building = None
    if building_pk is not None:
        building = get_child_or_404(project, "buildings", building_pk)
    form = BuildingForm(request.POST or None, instance=building)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_building(
                actor=request.user, project_id=project.pk, data=form.cleaned_data, building_id=building_pk
            )
        except (ValidationError, DomainError) as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Building saved."))
            return redirect("projects:project-detail", pk=project.pk)
    return render(request, "projects/building_form.html", {"form": form, "project": project, "building": building})


@login_required
@require_POST
def building_delete(request: HttpRequest, pk: int, building_pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk, "change")
    get_child_or_404(project, "buildings", building_pk)
    services.delete_building(actor=request.user, project_id=project.pk, building_id=building_pk)
    messages.success(request, _("Building deleted."))
    return redirect("projects:project-detail", pk=project.pk)


@login_required
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk, "change")
    form = ParticipantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_participant(actor=request.user, project_id=project.pk, **form.cleaned_data)
        except (ValidationError, DomainError) as error:
            apply_service_error(form, error)
        else:
            return redirect("projects:project-detail", pk=project.pk)
    return render(request, "projects/participant_form.html", {"form": form, "project": project})


@login_required
@require_POST
def participant_remove(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk, "change")
    get_child_or_404(project, "participants", participant_pk)
    try:
        services.remove_participant(actor=request.user, project_id=project.pk, participant_id=participant_pk)
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("projects:project-detail", pk=project.pk)


@login_required
def evaluator_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """The bureau assigns a third-party evaluator (issue 10 item 3)."""
    project = get_project_for_user(request.user, pk, "assign_evaluator")
    form = EvaluatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_evaluator(
                actor=request.user, project_id=project.pk, organisation=form.cleaned_data["organisation"]
            )
        except (ValidationError, DomainError) as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The third-party evaluator was assigned."))
            return redirect("projects:project-detail", pk=project.pk)
    return render(request, "projects/evaluator_form.html", {"form": form, "project": project})


@login_required
@require_POST
def evaluator_remove(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk, "assign_evaluator")
    get_child_or_404(project, project.participants.filter(role=ParticipantRole.EVALUATOR), participant_pk)
    services.remove_evaluator(actor=request.user, project_id=project.pk, participant_id=participant_pk)
    messages.success(request, _("The third-party evaluator was removed."))
    return redirect("projects:project-detail", pk=project.pk)


@login_required
@require_POST
def project_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in MOVES:
        raise Http404
    project = get_project_for_user(request.user, pk, action)
    form = TransitionForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    try:
        services.transition_project(actor=request.user, project_id=project.pk, action=action, comment=comment)
    except DomainError as error:
        messages.error(request, str(error.message))
        # Post/redirect/get: the project page shows the refused move's comment again (UI-09).
        request.session[KEPT_MOVE] = {"project": project.pk, "action": action, "comment": comment}
    else:
        messages.success(request, _("Done: {action}.").format(action=MOVES[action].label))
    return redirect("projects:project-detail", pk=project.pk)
