"""The lifecycle pages: a step (items, documents, sign-off), a department's waiting steps, a
baseline change request (ask, decide). Thin: fetch through the gate, call a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from greenbuild.accounts.roles import is_bureau_admin
from greenbuild.attachments.limits import accepts_uploads
from greenbuild.core.errors import DomainError
from greenbuild.core.forms import apply_service_error, keep_refused_form, take_refused_form
from greenbuild.core.permissions import get_child_or_404, get_object_for_user
from greenbuild.lifecycle import selectors, services
from greenbuild.lifecycle.forms import ChangeRequestForm, ConditionForm, DecideForm, DocumentForm, ItemForm, SignForm
from greenbuild.lifecycle.models import ProjectStep
from greenbuild.lifecycle.permissions import REQUEST_GATE, can_request_change, can_see_department, can_step
from greenbuild.lifecycle.workflow import CHANGE_REQUEST_WORKFLOW, USER_MOVES, available_moves
from greenbuild.projects.choices import ProjectStatus
from greenbuild.projects.permissions import get_project_for_user
from greenbuild.reference.models import Department


def _step(user: Any, pk: Any, action: str = "view") -> ProjectStep:
    return get_object_for_user(
        ProjectStep.objects.select_related("project", "type", "type__department", "signed_by"), user, pk, action
    )


def _kept_key(step: ProjectStep, name: str) -> str:
    return "step-{}-{}".format(step.pk, name)


def _step_page(request: HttpRequest, step: ProjectStep, *, status: int = 200) -> HttpResponse:
    """The step; a refused form of it (an item, a sign-off, a resubmission, a condition) comes
    back here, at this address, with what was typed (UI-07: post/redirect/get, no 405 on reload
    or language switch)."""
    may_write = can_step(request.user, "write", step)
    items = list(step.items.select_related("guideline_item", "written_by").order_by("guideline_item__sort_order", "pk"))
    forms = (
        {
            item.pk: take_refused_form(
                request, _kept_key(step, "item{}".format(item.pk)), ItemForm, prefix="item{}".format(item.pk)
            )
            or ItemForm(initial={"status": item.status, "note": item.note}, prefix="item{}".format(item.pk))
            for item in items
        }
        if may_write
        else {}
    )
    moves = [
        (move, take_refused_form(request, _kept_key(step, move.action), SignForm) or SignForm())
        for move in available_moves(step, request.user)
    ]
    in_force = step.project.status == ProjectStatus.CONFIRMED  # a withdrawn pilot's step offers no form
    may_write = may_write and in_force
    may_answer = in_force and can_step(request.user, "answer", step)
    may_confirm = in_force and can_step(request.user, "confirm", step)
    conditions = [
        (
            row,
            take_refused_form(request, _kept_key(step, "condition{}".format(row.pk)), ConditionForm) or ConditionForm(),
        )
        for row in step.condition_rows.select_related("answered_by", "confirmed_by").order_by("number")
    ]
    context = {
        "step": step,
        "project": step.project,
        "items": [(item, forms.get(item.pk)) for item in items],
        "documents": step.documents.all(),
        "supplements": step.supplements.all(),
        "moves": moves,
        "transitions": step.transitions.select_related("actor").order_by("at", "pk"),
        "may_write": may_write and step.status == "open",
        "may_supplement": in_force and step.status == "returned" and can_step(request.user, "supplement", step),
        "conditions": conditions,
        "may_answer": may_answer,
        "may_confirm": may_confirm,
        "document_form": DocumentForm(),
        "waiting_days": selectors.waiting_days(step) if step.status == "open" else None,
        "returned_since": selectors.waiting_days_since(step.signed_at) if step.status == "returned" else None,
    }
    return render(request, "lifecycle/step_detail.html", context, status=status)


@login_required
def step_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _step_page(request, _step(request.user, pk))


def _back_to_step(step: ProjectStep, anchor: str = "") -> HttpResponse:
    url = reverse("lifecycle:step-detail", args=[step.pk])
    return redirect(url + ("#" + anchor if anchor else ""))


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
            return _back_to_step(step)
    keep_refused_form(request, _kept_key(step, "item{}".format(item.pk)), form)
    return _back_to_step(step, "item-{}".format(item.pk))


_MOVE_DONE = {
    "approve": gettext_lazy("The step was approved."),
    "approve_with_conditions": gettext_lazy("The step was approved with conditions."),
    "return": gettext_lazy("The step was returned to the owner."),
    "resubmit": gettext_lazy("The step was resubmitted to the department."),
    "reopen": gettext_lazy("The step is open again."),
}


@login_required
@require_POST
@accepts_uploads("report", files=5)
def step_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in USER_MOVES:
        raise Http404("No such move.")
    step = _step(request.user, pk, action)
    form = SignForm(request.POST)
    if not form.is_valid():  # a refused comment signs nothing (rule 2)
        keep_refused_form(request, _kept_key(step, action), form)
        return _back_to_step(step, "step-actions")
    comment = form.cleaned_data["comment"]
    try:
        if action == "reopen":
            services.reopen_step(actor=request.user, step_id=step.pk, comment=comment)
        elif action == "resubmit":
            services.resubmit_step(
                actor=request.user, step_id=step.pk, answer=comment, files=request.FILES.getlist("files")[:5]
            )
        else:
            services.sign_step(
                actor=request.user,
                step_id=step.pk,
                action=action,
                comment=comment,
                instrument_file=request.FILES.get("instrument"),
            )
    except DomainError as error:
        form.add_error("comment" if error.field == "comment" else None, str(error.message))
        keep_refused_form(request, _kept_key(step, action), form)
        return _back_to_step(step, "step-actions")
    messages.success(request, str(_MOVE_DONE[action]))
    return _back_to_step(step)


@login_required
@require_POST
@accepts_uploads("report")
def step_document(request: HttpRequest, pk: int) -> HttpResponse:
    step = _step(request.user, pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            if can_step(request.user, "write", step):
                services.add_step_document(actor=request.user, step_id=step.pk, uploaded_file=form.cleaned_data["file"])
            else:  # the owner supplements a returned step (the service checks who and when)
                services.add_step_supplement(
                    actor=request.user, step_id=step.pk, uploaded_file=form.cleaned_data["file"]
                )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The document was added to the step."))
    return _back_to_step(step, "step-documents")


@login_required
@require_POST
def condition_move(request: HttpRequest, pk: int, condition_pk: int, action: str) -> HttpResponse:
    """Answer a condition (the owner) or confirm it / send it back (the step's department)."""
    if action not in ("answer", "confirm", "send_back"):
        raise Http404("No such move.")
    step = _step(request.user, pk)
    condition = get_child_or_404(step, "condition_rows", condition_pk)
    form = ConditionForm(request.POST)
    if not form.is_valid():  # a refused answer or note changes nothing (rule 2)
        keep_refused_form(request, _kept_key(step, "condition{}".format(condition.pk)), form)
        return _back_to_step(step, "conditions")
    text = form.cleaned_data["text"]
    try:
        if action == "answer":
            services.answer_condition(actor=request.user, condition_id=condition.pk, answer=text)
        else:
            services.review_condition(
                actor=request.user, condition_id=condition.pk, accept=action == "confirm", note=text
            )
    except DomainError as error:
        form.add_error("text" if error.field in ("answer", "note") else None, str(error.message))
        keep_refused_form(request, _kept_key(step, "condition{}".format(condition.pk)), form)
    else:
        messages.success(request, _("The condition was updated."))
    return _back_to_step(step, "conditions")


@login_required
def lifecycle_overview(request: HttpRequest) -> HttpResponse:
    """REV-11: the bureau's one view of every pilot's steps and baseline change requests, with
    waiting times; filters: open, overdue, department."""
    if not is_bureau_admin(request.user):
        raise PermissionDenied
    show = request.GET.get("show") or "open"
    if show not in ("open", "overdue", "returned", "conditions", "all"):
        show = "open"
    code = request.GET.get("department") or ""
    # a code with NUL is no department (and PostgreSQL refuses NUL in a text parameter: SEC-07)
    department = Department.objects.filter(code=code, active=True).first() if "\x00" not in code else None
    rows = selectors.step_overview(request.user, show=show, department=department)
    return render(
        request,
        "lifecycle/overview.html",
        {
            "rows": rows,
            "show": show,
            "department": department,
            "departments": Department.objects.filter(active=True),
            "requests": selectors.pending_change_requests(request.user),
            "overdue_days": selectors.step_overdue_days(),
        },
    )


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


def _measure_items(project: Any) -> list[Any]:
    from greenbuild.guidelines.selectors import measure_items
    from greenbuild.plans.models import GreenPlan

    plan = GreenPlan.objects.select_related("guideline").filter(project=project).first()
    return list(measure_items(plan.guideline if plan else None))


@login_required
@accepts_uploads("plan")
def request_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk, "view_internal")
    if not can_request_change(request.user, project):
        raise PermissionDenied
    baseline = selectors.current_baseline(project)
    buildings = list(project.buildings.order_by("pk")) if project.category.is_building else []
    form = ChangeRequestForm(
        request.POST or None,
        request.FILES or None,
        buildings=buildings,
        initial_targets=baseline.targets if baseline else None,
        measure_items=_measure_items(project),
        initial_measures=baseline.plan_data()["measures"] if baseline else None,
    )
    if request.method == "POST" and form.is_valid():
        document = form.cleaned_data.get("document")
        try:
            change = services.request_baseline_change(
                actor=request.user,
                project_id=project.pk,
                reasons=form.cleaned_data["reasons"],
                targets=form.targets(),
                measures=form.measures(),
                files=[document] if document else [],
            )
        except (DomainError, ValidationError) as error:
            if isinstance(error, ValidationError):
                form.add_error("document", error)
            else:
                field = error.field
                if field in ("assembly_rate_pct_by_building", "measures"):
                    field = None
                apply_service_error(form, DomainError(error.message, field=field))
        else:
            messages.success(request, _("The change request was sent to the bureau."))
            return redirect("lifecycle:request-detail", pk=change.pk)
    return render(
        request,
        "lifecycle/request_form.html",
        {"project": project, "baseline": baseline, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The request with its effect on R7–R14; the bureau decides here (a refused decision is
    shown again at this address with what was typed)."""
    if request.method == "POST":
        return request_decide(request, pk, str(request.POST.get("action", "")))
    change = get_object_for_user(REQUEST_GATE, request.user, pk)
    return _request_page(request, change)


def _request_page(
    request: HttpRequest, change: Any, form: Any = None, status: int = 200, action: str = ""
) -> HttpResponse:
    effect = selectors.change_effect(change)
    moves = CHANGE_REQUEST_WORKFLOW.available_moves(change, request.user)
    if change.status == "pending":
        # offer the approval the effect allows: plain, or as an exception with reasons
        exception = bool(effect.failing_after)
        moves = [m for m in moves if m.action != ("approve" if exception else "approve_exception")]
    return render(
        request,
        "lifecycle/request_detail.html",
        {
            "change": change,
            "project": change.project,
            "rows": _target_rows(change),
            "measure_rows": _measure_rows(change),
            "effect": effect,
            "moves": moves,
            "form": form or DecideForm(),
            "failed_action": action,
            "documents": change.documents.all(),
            "transitions": change.transitions.select_related("actor").order_by("at", "pk"),
        },
        status=status,
    )


def _target_rows(change: Any) -> list[tuple[str, Any, Any]]:
    from greenbuild.lifecycle.templatetags.lifecycle import target_rows

    return target_rows(change.project, change.baseline.targets, change.proposed_targets)


def _measure_rows(change: Any) -> list[tuple[str, Any, Any]]:
    current = change.baseline.plan_data()["measures"]
    return [(code, current.get(code) or "—", text or "—") for code, text in (change.proposed_measures or {}).items()]


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
            actor=request.user,
            request_id=change.pk,
            action=action,
            comment=form.cleaned_data.get("comment", ""),
            signoff=form.cleaned_data.get("signoff", ""),
        )
    except DomainError as error:
        apply_service_error(form, error)
        return _request_page(request, change, form, status=400, action=action)
    messages.success(request, pgettext("baseline change", "The decision was recorded."))  # UI-17
    return redirect("lifecycle:request-detail", pk=change.pk)
