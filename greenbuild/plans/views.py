"""The plan pages: the plan of a project, its form, its versions, the diff of two versions.

Thin views: fetch through the gates, call a service, redirect with a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from greenbuild.attachments.limits import accepts_uploads
from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.permissions import get_child_or_404, parse_id
from greenbuild.plans import selfcheck, services
from greenbuild.plans.data import diff
from greenbuild.plans.forms import AnswerForm, PlanForm, SubmitForm, UploadForm
from greenbuild.plans.models import GreenPlan
from greenbuild.plans.permissions import PLAN_GATE, can, can_start_plan
from greenbuild.plans.selectors import diff_labels
from greenbuild.plans.workflow import PLAN_WORKFLOW, available_moves


def plan_for_user(user: Any, project_pk: Any, action: str = "view") -> GreenPlan:
    """The plan of project ``project_pk``: 404 when ``user`` may not read it, 403 when they read it
    but may not ``action`` it."""
    number = parse_id(project_pk)
    plan = (
        PLAN_GATE.for_user(user)
        .select_related("project", "guideline", "current_version")
        .filter(project_id=number)
        .first()
        if number
        else None
    )
    if plan is None:
        raise Http404("No such plan.")
    if action != "view" and not can(user, action, plan):
        raise ActionForbidden()
    return plan


def _project_for_owner(user: Any, project_pk: Any) -> Any:
    from greenbuild.projects.permissions import get_project_for_user

    return get_project_for_user(user, project_pk, "view_internal")


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    number = parse_id(pk)
    plan = PLAN_GATE.for_user(request.user).filter(project_id=number).first() if number else None
    if plan is None:
        project = _project_for_owner(request.user, pk)
        if GreenPlan.objects.filter(project=project).exists():
            raise Http404("No such plan.")  # an unsubmitted plan of someone else's project
        return render(
            request, "plans/plan_start.html", {"project": project, "can_start": can_start_plan(request.user, project)}
        )
    plan = plan_for_user(request.user, pk)
    project = plan.project
    versions = list(plan.versions.select_related("submitted_by").order_by("-number"))
    current = plan.current_version
    owner_view = can(request.user, "change", plan)
    check = selfcheck.plan_self_check(project, plan.draft, plan.guideline) if owner_view else None
    moves = [m for m in available_moves(plan, request.user) if m.action in ("submit", "answer_clarification")]
    shown = current if current is not None and not owner_view else None
    return render(
        request,
        "plans/plan_detail.html",
        {
            "project": project,
            "plan": plan,
            "versions": versions,
            "current": current,
            "owner_view": owner_view,
            "check": check,
            "moves": moves,
            "shown": _present(plan, shown.data if shown else plan.draft, shown),
            "transitions": _timeline(plan),
            "attachments": (shown.attachments.all() if shown else plan.draft_attachments.all()),
            "upload_form": UploadForm() if can(request.user, "attach", plan) else None,
        },
    )


def _timeline(plan: GreenPlan) -> list[Any]:
    from greenbuild.plans.choices import PlanStatus

    rows = list(plan.transitions.select_related("actor").order_by("-at", "-pk"))
    for row in rows:
        row.from_label = PlanStatus(row.from_status).label
        row.to_label = PlanStatus(row.to_status).label
    return rows


def _present(plan: GreenPlan, data: dict[str, Any], version: Any) -> dict[str, Any]:
    """The plan data laid out for reading: targets, measures by part, technologies."""
    from greenbuild.guidelines.models import GuidelinePart
    from greenbuild.guidelines.selectors import measure_items, technology_items
    from greenbuild.plans.choices import BimStage
    from greenbuild.plans.data import normalised
    from greenbuild.projects.choices import StarLevel
    from greenbuild.reference.models import OrganisationMode

    data = normalised(data)
    guideline = version.guideline if version is not None else plan.guideline
    targets = data["targets"]
    rates = targets["assembly_rate_pct_by_building"] or {}
    buildings = [(b.name, rates.get(str(b.pk))) for b in plan.project.buildings.order_by("pk")]
    parts = []
    items = list(measure_items(guideline))
    for value, label in GuidelinePart.choices:
        rows = [(item, data["measures"].get(item.code, "")) for item in items if item.part == value]
        if rows:
            parts.append((label, rows))
    star = targets["star_level"]
    mode = (
        OrganisationMode.objects.filter(code=data["organisation_mode"]).first() if data["organisation_mode"] else None
    )
    chosen = set(data["technologies"])
    return {
        "star_level": StarLevel(star).label if star in StarLevel.values else "",
        "buildings": buildings,
        "waste": targets["waste_t_per_10k_m2"],
        "green_material": targets["green_material_pct"],
        "carbon": targets["carbon_kgco2e_per_m2"],
        "parts": parts,
        "technologies": [t for t in technology_items(guideline) if t.code in chosen],
        "bim_stages": pgettext("list separator", ", ").join(
            str(BimStage(s).label) for s in data["bim_plan"].get("stages") or [] if s in BimStage.values
        ),
        "bim_text": data["bim_plan"].get("text", ""),
        "smart_site": data["smart_site_plan"].get("smart_site", ""),
        "equipment": data["smart_site_plan"].get("equipment", ""),
        "organisation_mode": mode,
        "guideline": guideline,
    }


@login_required
@require_POST
def plan_start(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_for_owner(request.user, pk)
    try:
        services.start_plan(actor=request.user, project=project)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("plans:plan-detail", pk=project.pk)
    return redirect("plans:plan-edit", pk=project.pk)


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for_user(request.user, pk, "change")
    form = PlanForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_plan_draft(actor=request.user, plan_id=plan.pk, data=form.to_data())
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The plan was saved."))
            return redirect("plans:plan-detail", pk=plan.project_id)
    return render(request, "plans/plan_form.html", {"plan": plan, "project": plan.project, "form": form})


@login_required
@require_POST
def plan_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("submit", "answer_clarification"):
        raise Http404
    plan = plan_for_user(request.user, pk)
    move = PLAN_WORKFLOW.table[action]
    form = (AnswerForm if action == "answer_clarification" else SubmitForm)(request.POST)
    comment = form.cleaned_data.get("comment", "") if form.is_valid() else request.POST.get("comment", "")[:5000]
    try:
        if action == "submit":
            services.submit_plan(actor=request.user, plan_id=plan.pk, comment=comment)
        else:
            services.answer_clarification(actor=request.user, plan_id=plan.pk, answer=comment)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Done: {action}.").format(action=move.label))
    return redirect("plans:plan-detail", pk=plan.project_id)


@login_required
@require_POST
@accepts_uploads("plan")
def plan_upload(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for_user(request.user, pk, "attach")
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            services.attach_plan_file(actor=request.user, plan_id=plan.pk, uploaded_file=form.cleaned_data["file"])
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The file was added to the plan."))
    return redirect("plans:plan-detail", pk=plan.project_id)


@login_required
@require_POST
def plan_file_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    plan = plan_for_user(request.user, pk, "attach")
    attachment = get_child_or_404(plan, "draft_attachments", attachment_pk)
    try:
        services.remove_plan_file(actor=request.user, plan_id=plan.pk, attachment_id=attachment.pk)
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("plans:plan-detail", pk=plan.project_id)


@login_required
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    plan = plan_for_user(request.user, pk)
    version = plan.versions.select_related("submitted_by", "guideline").filter(number=parse_id(number)).first()
    if version is None:
        raise Http404("No such version.")
    return render(
        request,
        "plans/version_detail.html",
        {
            "plan": plan,
            "project": plan.project,
            "version": version,
            "shown": _present(plan, version.data, version),
            "rows": selfcheck.rows_from_json(version.self_check),
            "attachments": version.attachments.all(),
            "numbers": list(plan.versions.values_list("number", flat=True)),
        },
    )


def _show_value(key: str, value: Any) -> str:
    from greenbuild.plans.choices import BimStage
    from greenbuild.projects.choices import StarLevel

    if value in (None, "", []):
        return ""
    if key == "targets.star_level" and value in StarLevel.values:
        return str(StarLevel(value).label)
    if key == "bim_plan.stages":
        return pgettext("list separator", ", ").join(
            str(BimStage(s).label) if s in BimStage.values else str(s) for s in value
        )
    if isinstance(value, list):
        return pgettext("list separator", ", ").join(str(v) for v in value)
    return str(value)


def _shown_change(change: Any) -> dict[str, Any]:
    return {
        "key": change.key,
        "label": change.label,
        "kind": change.kind,
        "before_text": _show_value(change.key, change.before),
        "after_text": _show_value(change.key, change.after),
    }


@login_required
def version_diff(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for_user(request.user, pk)
    numbers = list(plan.versions.order_by("number").values_list("number", flat=True))
    if len(numbers) < 2:
        raise Http404("Nothing to compare.")
    a = parse_id(request.GET.get("a")) or numbers[-2]
    b = parse_id(request.GET.get("b")) or numbers[-1]
    versions = {v.number: v for v in plan.versions.filter(number__in=[a, b])}
    if a not in versions or b not in versions:
        raise Http404("No such version.")
    changes = [_shown_change(c) for c in diff(versions[a], versions[b], diff_labels(plan))]
    return render(
        request,
        "plans/version_diff.html",
        {
            "plan": plan,
            "project": plan.project,
            "a": versions[a],
            "b": versions[b],
            "changes": changes,
            "numbers": numbers,
        },
    )
