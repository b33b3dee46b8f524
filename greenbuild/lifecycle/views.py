"""The lifecycle pages: a step (items, documents, sign-off), a department's waiting steps, a
baseline change request (ask, decide). Thin: fetch through the gate, call a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbuild.accounts.roles import is_bureau_admin
from greenbuild.attachments.limits import accepts_uploads
from greenbuild.core.errors import DomainError
from greenbuild.core.forms import apply_service_error
from greenbuild.core.permissions import get_child_or_404, get_object_for_user
from greenbuild.lifecycle import selectors, services
from greenbuild.lifecycle.forms import ChangeRequestForm, DecideForm, DocumentForm, ItemForm, SignForm
from greenbuild.lifecycle.models import ProjectStep
from greenbuild.lifecycle.permissions import REQUEST_GATE, can_request_change, can_see_department, can_step
from greenbuild.lifecycle.workflow import CHANGE_REQUEST_WORKFLOW, USER_MOVES, available_moves
from greenbuild.projects.permissions import get_project_for_user
from greenbuild.reference.models import Department


def _step(user: Any, pk: Any, action: str = "view") -> ProjectStep:
    return get_object_for_user(
        ProjectStep.objects.select_related("project", "type", "type__department", "signed_by"), user, pk, action
    )


def _step_page(
    request: HttpRequest,
    step: ProjectStep,
    *,
    item_errors: dict[int, Any] | None = None,
    sign_error: str = "",
    status: int = 200,
) -> HttpResponse:
    may_write = can_step(request.user, "write", step)
    items = list(step.items.select_related("guideline_item", "written_by").order_by("guideline_item__sort_order", "pk"))
    forms = (
        {
            item.pk: (item_errors or {}).get(item.pk)
            or ItemForm(initial={"status": item.status, "note": item.note}, prefix="item{}".format(item.pk))
            for item in items
        }
        if may_write
        else {}
    )
    context = {
        "step": step,
        "project": step.project,
        "items": [(item, forms.get(item.pk)) for item in items],
        "documents": step.documents.all(),
        "moves": available_moves(step, request.user),
        "transitions": step.transitions.select_related("actor").order_by("at", "pk"),
        "may_write": may_write and step.status == "open",
        "sign_error": sign_error,
        "document_form": DocumentForm(),
        "waiting_days": selectors.waiting_days(step) if step.status == "open" else None,
    }
    return render(request, "lifecycle/step_detail.html", context, status=status)


@login_required
def step_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _step_page(request, _step(request.user, pk))


@login_required
@require_POST
def item_write(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    step = _step(request.user, pk, "write")
    item = get_child_or_404(step, "items", item_pk)
    form = ItemForm(request.POST, prefix="item{}".format(item.pk))
    if form.is_valid():
        try:
            services.write_item(
                actor=request.user, item_id=item.pk, status=form.cleaned_data["status"], note=form.cleaned_data["note"]
            )
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The item was saved."))
            return redirect("lifecycle:step-detail", pk=step.pk)
    return _step_page(request, step, item_errors={item.pk: form}, status=400)


@login_required
@require_POST
def step_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in USER_MOVES:
        raise Http404("No such move.")
    step = _step(request.user, pk, action)
    form = SignForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    try:
        if action == "reopen":
            services.reopen_step(actor=request.user, step_id=step.pk, comment=comment)
        else:
            services.sign_step(actor=request.user, step_id=step.pk, action=action, comment=comment)
    except DomainError as error:
        return _step_page(request, step, sign_error=str(error.message), status=400)
    messages.success(request, _("The step was signed off.") if action != "reopen" else _("The step is open again."))
    return redirect("lifecycle:step-detail", pk=step.pk)


@login_required
@require_POST
@accepts_uploads("report")
def step_document(request: HttpRequest, pk: int) -> HttpResponse:
    step = _step(request.user, pk, "write")
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            services.add_step_document(actor=request.user, step_id=step.pk, uploaded_file=form.cleaned_data["file"])
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The document was added to the step."))
    return redirect("lifecycle:step-detail", pk=step.pk)


@login_required
def department_page(request: HttpRequest, code: str) -> HttpResponse:
    department = Department.objects.filter(code=code, active=True).first()
    if department is None:
        raise Http404("No such department.")
    if not can_see_department(request.user, department):
        raise PermissionDenied
    steps = selectors.waiting_steps(department)
    rows = [(step, selectors.waiting_days(step)) for step in steps]
    return render(
        request,
        "lifecycle/department.html",
        {
            "department": department,
            "rows": rows,
            "departments": Department.objects.filter(active=True) if is_bureau_admin(request.user) else None,
        },
    )


@login_required
def request_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk, "view_internal")
    if not can_request_change(request.user, project):
        raise PermissionDenied
    baseline = selectors.current_baseline(project)
    buildings = list(project.buildings.order_by("pk"))
    form = ChangeRequestForm(
        request.POST or None, buildings=buildings, initial_targets=baseline.targets if baseline else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.request_baseline_change(
                actor=request.user, project_id=project.pk, reasons=form.cleaned_data["reasons"], targets=form.targets()
            )
        except DomainError as error:
            field = error.field
            if field == "assembly_rate_pct_by_building":
                field = None
            apply_service_error(form, DomainError(error.message, field=field))
        else:
            messages.success(request, _("The change request was sent to the bureau."))
            return redirect("projects:project-detail", pk=project.pk)
    return render(
        request,
        "lifecycle/request_form.html",
        {"project": project, "baseline": baseline, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_object_for_user(REQUEST_GATE, request.user, pk)
    return _request_page(request, change)


def _request_page(request: HttpRequest, change: Any, form: Any = None, status: int = 200) -> HttpResponse:
    moves = CHANGE_REQUEST_WORKFLOW.available_moves(change, request.user)
    return render(
        request,
        "lifecycle/request_detail.html",
        {
            "change": change,
            "project": change.project,
            "rows": _target_rows(change),
            "moves": moves,
            "form": form or DecideForm(),
            "transitions": change.transitions.select_related("actor").order_by("at", "pk"),
        },
        status=status,
    )


def _target_rows(change: Any) -> list[tuple[str, Any, Any]]:
    from greenbuild.lifecycle.templatetags.lifecycle import target_rows

    return target_rows(change.project, change.baseline.targets, change.proposed_targets)


@login_required
@require_POST
def request_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in CHANGE_REQUEST_WORKFLOW.table:
        raise Http404("No such move.")
    change = get_object_for_user(REQUEST_GATE, request.user, pk, action)
    form = DecideForm(request.POST)
    form.is_valid()
    try:
        services.decide_baseline_change(
            actor=request.user, request_id=change.pk, action=action, comment=form.cleaned_data.get("comment", "")
        )
    except DomainError as error:
        apply_service_error(form, error)
        return _request_page(request, change, form, status=400)
    messages.success(request, _("The decision was recorded."))
    return redirect("lifecycle:request-detail", pk=change.pk)
