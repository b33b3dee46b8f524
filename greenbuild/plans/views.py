"""The plan pages: the plan of a project, its form, its versions, the diff of two versions.

Thin views: fetch through the gates, call a service, redirect with a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from greenbuild.attachments.limits import accepts_uploads
from greenbuild.core.errors import ActionForbidden, DomainError, TransitionNotAllowed
from greenbuild.core.forms import apply_service_error, keep_refused_form, take_refused_form
from greenbuild.core.permissions import get_child_or_404, parse_id
from greenbuild.plans import selfcheck, services
from greenbuild.plans.data import diff
from greenbuild.plans.forms import AnswerForm, PlanForm, SubmitForm, UploadForm, VerifyForm
from greenbuild.plans.models import GreenPlan
from greenbuild.plans.permissions import PLAN_GATE, can, can_start_plan, sees_draft_files, verified_last_revision
from greenbuild.plans.selectors import diff_labels
from greenbuild.plans.workflow import PLAN_WORKFLOW, available_moves, selfcheck_gaps


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
    moves = [
        m
        for m in available_moves(plan, request.user)
        if m.action in ("submit", "answer_clarification", "submit_revision")
    ]
    kept = {m.action: take_refused_form(request, _move_key(plan, m.action), SubmitForm) for m in moves}
    move_rows = [(m, (kept[m.action].data.get("comment", "") if kept[m.action] is not None else "")) for m in moves]
    shown = current if current is not None and not owner_view else None
    revision = plan.revisions.select_related("submitted_version", "reviewed_version", "verified_by").first()
    verify_form = None
    if revision is not None and can(request.user, "verify_revision", plan):
        verify_form = take_refused_form(
            request, _verify_key(plan), VerifyForm, requirements=revision.requirements
        ) or VerifyForm(requirements=revision.requirements)
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
            "gaps": selfcheck_gaps(check) if check is not None and not check.ok else [],
            "moves": move_rows,
            "shown": _present(plan, shown.data if shown else plan.draft, shown),
            "transitions": _timeline(plan),
            # the draft's files are the owner's alone until sent (SEC-03): another reader of an
            # unsent plan (the bureau) sees none
            "attachments": (
                shown.attachments.all()
                if shown
                else plan.draft_attachments.all()
                if sees_draft_files(request.user, plan)
                else []
            ),
            "upload_form": UploadForm() if can(request.user, "attach", plan) else None,
            "status_text": status_text(plan, revision),
            "revision": revision,
            "verify_form": verify_form,
        },
    )


def status_text(plan: GreenPlan, revision: Any) -> str:
    """One line that says where the plan stands, following its state (never "under review" for a
    plan that is not)."""
    from greenbuild.plans.choices import PlanStatus as S

    number = plan.current_version.number if plan.current_version is not None else None
    if number is None:
        return _("Not yet submitted.")
    texts = {
        S.DRAFT: _("Version {number} is the last submitted version."),
        S.SUBMITTED: _("Version {number} submitted: waiting for the bureau to draw the expert panel."),
        S.IN_REVIEW: _("Version {number} under review."),
        S.CLARIFICATION: _("Version {number} under review: the experts asked for a clarification."),
        S.PASSED: _("Passed with version {number}."),
        S.PASSED_WITH_REVISIONS: _("Version {number} passed with revisions: the revision is due by {deadline}."),
        S.REVISION_SUBMITTED: _("Revised version {number} submitted: waiting for verification."),
        S.REVISE: _("Version {number}: revise and resubmit for a new review."),
        S.FAILED: _("Version {number} failed the expert review."),
    }
    deadline = revision.deadline.isoformat() if revision is not None else "—"
    return texts[S(plan.status)].format(number=number, deadline=deadline)


def _move_key(plan: GreenPlan, action: str) -> str:
    return "plan-{}-{}".format(plan.pk, action)


def _verify_key(plan: GreenPlan) -> str:
    return "plan-{}-verify".format(plan.pk)


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
    """The owner's moves; a refused one comes back on the plan page with its comment kept and, for
    a self-check refusal, the short list of what to fix."""
    if action not in ("submit", "answer_clarification", "submit_revision"):
        raise Http404
    plan = plan_for_user(request.user, pk)
    move = PLAN_WORKFLOW.table[action]
    form = (AnswerForm if action == "answer_clarification" else SubmitForm)(request.POST)
    if form.has_error("comment") and not form.has_error("comment", "required"):
        # a comment no field may hold (NUL characters, too long): its field error, nothing sent (SEC-07)
        keep_refused_form(request, _move_key(plan, action), form)
        return redirect(reverse("plans:plan-detail", args=[plan.project_id]) + "#actions")
    comment = form.cleaned_data.get("comment", "") if form.is_valid() else request.POST.get("comment", "")[:5000]
    try:
        if action == "submit":
            services.submit_plan(actor=request.user, plan_id=plan.pk, comment=comment)
        elif action == "submit_revision":
            services.submit_revision(actor=request.user, plan_id=plan.pk, comment=comment)
        else:
            services.answer_clarification(actor=request.user, plan_id=plan.pk, answer=comment)
    except DomainError as error:
        check = selfcheck.plan_self_check(plan.project, plan.draft, plan.guideline)
        if not check.ok and not isinstance(error, TransitionNotAllowed) and error.field is None:
            messages.error(
                request,
                _(
                    "Not submitted: the plan does not pass its self-check. Fix the points listed under “{title}”."
                ).format(title=_("Self-check before submission (R7–R14)")),
            )
        else:
            messages.error(request, str(error.message))
        bound = SubmitForm({"comment": comment})
        bound.is_valid()
        keep_refused_form(request, _move_key(plan, action), bound)
        return redirect(reverse("plans:plan-detail", args=[plan.project_id]) + "#actions")
    messages.success(request, _("Done: {action}.").format(action=move.label))
    return redirect("plans:plan-detail", pk=plan.project_id)


@login_required
@require_POST
def plan_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """复核 of a 修改后通过 revision by its verifier; a refused verdict keeps its input. The verifier's
    doubled or stale post (the revision already verified) changes nothing and says so."""
    plan = plan_for_user(request.user, pk)
    if not can(request.user, "verify_revision", plan):
        if not verified_last_revision(request.user, plan):
            raise ActionForbidden()
        messages.info(
            request,
            _("No revision is waiting for verification: the plan is now “{status}”.").format(status=plan.status_label),
        )
        return redirect("plans:plan-detail", pk=plan.project_id)
    revision = plan.revisions.filter(status="submitted").first()
    if revision is None:
        raise Http404("No revision to verify.")
    form = VerifyForm(request.POST, requirements=revision.requirements)
    if form.is_valid():
        try:
            services.verify_revision(
                actor=request.user,
                plan_id=plan.pk,
                accept=form.cleaned_data["verdict"] == "accept",
                checks=form.checks(),
                comment=form.cleaned_data["comment"],
            )
        except DomainError as error:
            apply_service_error(form, error)
        else:
            accepted = form.cleaned_data["verdict"] == "accept"
            messages.success(
                request,
                _("The revision was accepted: the plan passed.")
                if accepted
                else _("The revision was refused and goes back to the owner."),
            )
            return redirect("plans:plan-detail", pk=plan.project_id)
    keep_refused_form(request, _verify_key(plan), form)
    messages.error(request, _("The verification was not recorded: see the form below."))
    return redirect(reverse("plans:plan-detail", args=[plan.project_id]) + "#verify")


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
    files_a = {f.pk: f for f in versions[a].attachments.all()}
    files_b = {f.pk: f for f in versions[b].attachments.all()}
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
            "files_added": [f for pk, f in files_b.items() if pk not in files_a],
            "files_removed": [f for pk, f in files_a.items() if pk not in files_b],
            "files_kept": [f for pk, f in files_b.items() if pk in files_a],
            "behind": _behind(plan, versions[a], versions[b]),
        },
    )


def _behind(plan: GreenPlan, a: Any, b: Any) -> list[dict[str, Any]]:
    """What led to each version after ``a`` up to ``b``: the experts' clarification question and
    the owner's answer, or the revision requirements and the owner's note."""
    from greenbuild.plans.choices import PlanStatus, VersionReason

    low, high = sorted((a.number, b.number))
    later = list(plan.versions.filter(number__gt=low, number__lte=high).order_by("number"))
    questions = list(
        plan.transitions.filter(to_status=PlanStatus.CLARIFICATION).order_by("at", "pk").values_list("at", "comment")
    )
    revisions = list(plan.revisions.all())
    rows: list[dict[str, Any]] = []
    for version in later:
        if version.reason == VersionReason.CLARIFICATION:
            asked = [comment for at, comment in questions if at <= version.submitted_at]
            rows.append({"version": version, "question": asked[-1] if asked else "", "answer": version.note})
        elif version.reason == VersionReason.REVISION:
            revision = next((r for r in revisions if r.created_at <= version.submitted_at), None)
            rows.append(
                {
                    "version": version,
                    "requirements": revision.requirements if revision is not None else [],
                    "answer": version.note,
                }
            )
    return rows
