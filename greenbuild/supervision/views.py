"""Pages of supervision: inspection plans, the inspector pool, random draws (and their public
pages, without login), third-party evaluations.

Everything is fetched through the supervision gate (``permissions.py``); writes go through
``services.py``; a refused form keeps its input and comes back at its own address.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.forms import apply_service_error, keep_refused_form, take_refused_form
from greenbuild.core.permissions import CHANGE, get_object_for_user
from greenbuild.supervision import selectors, services
from greenbuild.supervision.choices import (
    DRAW_STATUS_COLOURS,
    EVALUATION_STATUS_COLOURS,
    PLAN_STATUS_COLOURS,
    EvaluationStatus,
)
from greenbuild.supervision.forms import (
    DrawForm,
    EvaluationForm,
    MoveForm,
    PlanForm,
    PoolMemberForm,
    RecommendationFormSet,
    ReportForm,
    ScoreFormSet,
)
from greenbuild.supervision.models import Draw, Evaluation, InspectionPlan, InspectorPoolMember
from greenbuild.supervision.permissions import can, is_supervisor
from greenbuild.supervision.workflow import DRAW_WORKFLOW, EVALUATION_WORKFLOW, PLAN_WORKFLOW


def _supervisor_or_404(user: Any) -> None:
    if not is_supervisor(user):
        raise Http404("No such page.")


def _service(form: Any, write: Any) -> Any:
    """Call ``write()``; a refusal is shown on the form (None returned)."""
    try:
        return write()
    except (DomainError, ValidationError) as error:
        apply_service_error(form, error)
        return None


# --- inspection plans -------------------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = list(
        InspectionPlan.objects.for_user(request.user)
        .select_related("project", "project__district", "step_type")
        .prefetch_related("inspectors")
    )
    for plan in plans:
        plan.colour = PLAN_STATUS_COLOURS.get(plan.status, "secondary")
    return render(
        request,
        "supervision/plan_list.html",
        {"plans": plans, "may_plan": is_supervisor(request.user), "tab": "plans"},
    )


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    _supervisor_or_404(request.user)
    form = PlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = _service(
            form,
            lambda: services.create_plan(
                actor=request.user,
                project=data["project"],
                step_type=data["step_type"],
                interval_days=data["interval_days"],
                inspectors=list(data["inspectors"]),
                next_due=data["next_due"],
                ends_on=data["ends_on"],
                notes=data["notes"],
            ),
        )
        if plan is not None:
            messages.success(request, _("The inspection plan was saved."))
            return redirect("supervision:plan-detail", pk=plan.pk)
    return render(request, "supervision/plan_form.html", {"form": form, "plan": None})


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_for_user(InspectionPlan, request.user, pk, CHANGE)
    initial = {
        "interval_days": plan.interval_days,
        "inspectors": list(plan.inspectors.all()),
        "next_due": plan.next_due,
        "ends_on": plan.ends_on,
        "notes": plan.notes,
    }
    form = PlanForm(request.POST or None, user=request.user, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = _service(
            form,
            lambda: services.update_plan(
                actor=request.user,
                plan_id=plan.pk,
                interval_days=data["interval_days"],
                inspectors=list(data["inspectors"]),
                next_due=data["next_due"],
                ends_on=data["ends_on"],
                notes=data["notes"],
            ),
        )
        if saved is not None:
            messages.success(request, _("The inspection plan was saved."))
            return redirect("supervision:plan-detail", pk=plan.pk)
    return render(request, "supervision/plan_form.html", {"form": form, "plan": plan})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_for_user(InspectionPlan, request.user, pk)
    return render(
        request,
        "supervision/plan_detail.html",
        {
            "plan": plan,
            "colour": PLAN_STATUS_COLOURS.get(plan.status, "secondary"),
            "inspectors": plan.inspectors.all(),
            "may_change": can(request.user, CHANGE, plan) and plan.status != "ended",
            "moves": PLAN_WORKFLOW.available_moves(plan, request.user),
            "move_form": MoveForm(),
            "transitions": plan.transitions.select_related("actor"),
            "inspections": _plan_inspections(plan),
        },
    )


def _plan_inspections(plan: InspectionPlan) -> list[Any]:
    related = getattr(plan, "inspections", None)
    return list(related.select_related("inspector").order_by("-pk")[:50]) if related is not None else []


@login_required
@require_POST
def plan_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in PLAN_WORKFLOW.table:
        raise Http404
    plan = get_object_for_user(InspectionPlan, request.user, pk)
    form = MoveForm(request.POST)
    form.is_valid()
    try:
        services.move_plan(
            actor=request.user, plan_id=plan.pk, action=action, comment=form.cleaned_data.get("comment", "")
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Done: {action}.").format(action=PLAN_WORKFLOW.table[action].label))
    return redirect("supervision:plan-detail", pk=plan.pk)


# --- the inspector pool -----------------------------------------------------------------------

POOL_FORM_KEY = "supervision-pool-add"


@login_required
def pool(request: HttpRequest) -> HttpResponse:
    _supervisor_or_404(request.user)
    members = list(InspectorPoolMember.objects.for_user(request.user).select_related("user", "district"))
    for member in members:
        member.may_change = can(request.user, CHANGE, member)
    form = take_refused_form(request, POOL_FORM_KEY, PoolMemberForm) or PoolMemberForm()
    return render(request, "supervision/pool.html", {"members": members, "form": form, "tab": "pool"})


@login_required
@require_POST
def pool_add(request: HttpRequest) -> HttpResponse:
    _supervisor_or_404(request.user)
    form = PoolMemberForm(request.POST)
    if form.is_valid():
        try:
            services.add_pool_member(
                actor=request.user, user=form.cleaned_data["user"], district=form.cleaned_data["district"]
            )
        except ActionForbidden:
            form.add_error("district", _("You add inspectors for your own district."))
        except DomainError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The inspector was added to the pool."))
            return redirect("supervision:pool")
    keep_refused_form(request, POOL_FORM_KEY, form)
    return redirect("supervision:pool")


@login_required
@require_POST
def pool_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    _supervisor_or_404(request.user)
    member = get_object_for_user(InspectorPoolMember, request.user, pk, CHANGE)
    services.set_pool_member_active(actor=request.user, member_id=member.pk, active=not member.active)
    messages.success(request, _("The pool was updated."))
    return redirect("supervision:pool")


# --- draws ------------------------------------------------------------------------------------


@login_required
def draw_list(request: HttpRequest) -> HttpResponse:
    draws = list(Draw.objects.for_user(request.user).select_related("district", "drawn_by"))
    for row in draws:
        row.colour = DRAW_STATUS_COLOURS.get(row.status, "secondary")
    return render(
        request, "supervision/draw_list.html", {"draws": draws, "may_draw": is_supervisor(request.user), "tab": "draws"}
    )


@login_required
def draw_create(request: HttpRequest) -> HttpResponse:
    _supervisor_or_404(request.user)
    form = DrawForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.make_draw(
                actor=request.user,
                title=data["title"],
                kind=data["kind"],
                district=data["district"],
                ratio=data["ratio"],
                inspector_ratio=data["inspector_ratio"],
                due_on=data["due_on"],
                projects=list(data["projects"]),
                inspectors=list(data["inspectors"]),
            )
        except (DomainError, ValidationError) as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The draw was made and its inspections scheduled."))
            return redirect("supervision:draw-detail", pk=record.pk)
    return render(request, "supervision/draw_form.html", {"form": form})


def _draw_context(record: Draw) -> dict[str, Any]:
    projects = selectors.project_names([*record.project_population, *record.project_selected])
    inspectors = selectors.inspector_names([*record.inspector_population, *record.inspector_selected])
    return {
        "draw": record,
        "colour": DRAW_STATUS_COLOURS.get(record.status, "secondary"),
        "sides": selectors.draw_sides(record),
        "pairs": [(projects.get(p, p), inspectors.get(i, i), p, i) for p, i in record.pairs()],
        "project_names": projects,
        "inspector_names": inspectors,
    }


@login_required
def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_for_user(Draw, request.user, pk)
    context = _draw_context(record)
    context["moves"] = DRAW_WORKFLOW.available_moves(record, request.user)
    context["transitions"] = record.transitions.select_related("actor")
    return render(request, "supervision/draw_detail.html", context)


@login_required
@require_POST
def draw_publish(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_for_user(Draw, request.user, pk)
    try:
        services.publish_draw(actor=request.user, draw_id=record.pk)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The draw is published."))
    return redirect("supervision:draw-detail", pk=record.pk)


def public_draw_list(request: HttpRequest) -> HttpResponse:
    """双随机、一公开: every published draw, for anyone (no login)."""
    context = {"draws": selectors.public_draws(), "unpublished": selectors.unpublished_draws()}
    return render(request, "supervision/public_draw_list.html", context)


def public_draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One published draw's record, the CLI command that reproduces it and the recomputation."""
    record = selectors.public_draws().filter(pk=pk).first() if 0 < pk < 2**63 else None
    if record is None:
        raise Http404("No such draw.")
    return render(request, "supervision/public_draw_detail.html", _draw_context(record))


# --- third-party evaluations --------------------------------------------------------------------


@login_required
def evaluation_list(request: HttpRequest) -> HttpResponse:
    from greenbuild.accounts.roles import is_bureau_admin

    evaluations = list(Evaluation.objects.for_user(request.user).select_related("project", "step_type", "evaluator"))
    for row in evaluations:
        row.colour = EVALUATION_STATUS_COLOURS.get(row.status, "secondary")
    return render(
        request,
        "supervision/evaluation_list.html",
        {"evaluations": evaluations, "may_assign": is_bureau_admin(request.user), "tab": "evaluations"},
    )


@login_required
def evaluation_create(request: HttpRequest) -> HttpResponse:
    from greenbuild.accounts.roles import is_bureau_admin

    if not is_bureau_admin(request.user):
        raise Http404("No such page.")
    form = EvaluationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        evaluation = _service(form, lambda: services.assign_evaluation(actor=request.user, **data))
        if evaluation is not None:
            messages.success(request, _("The evaluation was assigned; the evaluator is told."))
            return redirect("supervision:evaluation-detail", pk=evaluation.pk)
    return render(request, "supervision/evaluation_form.html", {"form": form})


def _report_forms(evaluation: Evaluation, data: Any = None) -> tuple[Any, Any, Any]:
    scores = [{"aspect": s.aspect, "score": s.score, "comment": s.comment} for s in evaluation.scores.all()]
    recs = [
        {"text": r.text, "demands_action": r.demands_action, "severity": r.severity, "clause": r.clause}
        for r in evaluation.recommendations.all()
    ]
    return (
        ReportForm(data, initial={"summary": evaluation.summary}),
        ScoreFormSet(data, prefix="scores", initial=scores or None),
        RecommendationFormSet(data, prefix="recs", initial=recs or None),
    )


@login_required
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_object_for_user(Evaluation, request.user, pk)
    may_file = can(request.user, "file", evaluation) and evaluation.status in (
        EvaluationStatus.ASSIGNED,
        EvaluationStatus.RETURNED,
    )
    context: dict[str, Any] = {
        "evaluation": evaluation,
        "colour": EVALUATION_STATUS_COLOURS.get(evaluation.status, "secondary"),
        "scores": evaluation.scores.all(),
        "recommendations": evaluation.recommendations.all(),
        "moves": [m for m in EVALUATION_WORKFLOW.available_moves(evaluation, request.user) if m.action != "file"],
        "move_form": MoveForm(),
        "transitions": evaluation.transitions.select_related("actor"),
        "may_file": may_file,
    }
    if may_file:
        context["report_form"], context["score_formset"], context["rec_formset"] = _report_forms(evaluation)
    return render(request, "supervision/evaluation_detail.html", context)


@login_required
def evaluation_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluator's report form: summary, scores per aspect, recommendations."""
    evaluation = get_object_for_user(Evaluation, request.user, pk, "file")
    if evaluation.status not in (EvaluationStatus.ASSIGNED, EvaluationStatus.RETURNED):
        messages.error(request, _("This report has been filed already."))
        return redirect("supervision:evaluation-detail", pk=evaluation.pk)
    report, scores, recs = _report_forms(evaluation, request.POST if request.method == "POST" else None)
    if request.method == "POST" and report.is_valid() and scores.is_valid() and recs.is_valid():
        score_rows = [f.cleaned_data for f in scores.forms if f.cleaned_data.get("aspect")]
        rec_rows = [f.cleaned_data for f in recs.forms if f.cleaned_data.get("text")]
        filed = _service(
            report,
            lambda: services.file_evaluation_report(
                actor=request.user,
                evaluation_id=evaluation.pk,
                summary=report.cleaned_data["summary"],
                scores=score_rows,
                recommendations=rec_rows,
            ),
        )
        if filed is not None:
            messages.success(request, _("The report was filed; the bureau is told."))
            return redirect("supervision:evaluation-detail", pk=evaluation.pk)
    return render(
        request,
        "supervision/evaluation_file.html",
        {"evaluation": evaluation, "report_form": report, "score_formset": scores, "rec_formset": recs},
    )


@login_required
@require_POST
def evaluation_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("accept", "return"):
        raise Http404
    evaluation = get_object_for_user(Evaluation, request.user, pk)
    form = MoveForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    try:
        if action == "accept":
            services.accept_evaluation(actor=request.user, evaluation_id=evaluation.pk, comment=comment)
        else:
            services.return_evaluation(actor=request.user, evaluation_id=evaluation.pk, comment=comment)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Done: {action}.").format(action=EVALUATION_WORKFLOW.table[action].label))
    return redirect("supervision:evaluation-detail", pk=evaluation.pk)
