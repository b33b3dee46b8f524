"""Every write of the lifecycle app (style.md §4): the baseline, its change requests, the steps.

* :func:`lock_baseline` — version 1 from the plan that passed review (``plans.signals.plan_passed``,
  and again, idempotently, when the bureau confirms the pilot);
* :func:`request_baseline_change` / :func:`decide_baseline_change` — the only way to a new version;
* :func:`open_steps` — the steps of a confirmed pilot (with the guideline items of each);
* :func:`write_item`, :func:`add_step_document`, :func:`sign_step`, :func:`reopen_step`.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.history import set_history_user
from greenbuild.core.permissions import parse_id
from greenbuild.core.workflow import apply_move
from greenbuild.lifecycle.choices import SIGNED_STATUSES, TARGET_KEYS, ChangeRequestStatus, ItemStatus, StepStatus
from greenbuild.lifecycle.models import Baseline, BaselineChangeRequest, ProjectStep, StepItem, StepType
from greenbuild.lifecycle.permissions import can_request_change, can_step, department_ids
from greenbuild.lifecycle.workflow import CHANGE_REQUEST_WORKFLOW, SIGN_MOVES, STEP_WORKFLOW

MAX_TEXT = 5000


def _locked_project(project_id: Any) -> Any:
    from greenbuild.projects.models import Project

    number = parse_id(project_id)
    project = Project.objects.select_for_update().filter(pk=number).first() if number else None
    if project is None:
        raise DomainError(gettext("No such project."))
    return project


# --- the baseline ---------------------------------------------------------------------------


def targets_of(plan_version: Any) -> dict[str, Any]:
    raw = (plan_version.data or {}).get("targets") or {}
    return {key: raw.get(key) for key in TARGET_KEYS}


@transaction.atomic
def lock_baseline(*, actor: Any, plan_version: Any, review_round: Any = None) -> Baseline:
    """Lock the targets of the plan version that passed review as the project's baseline (v1).

    Idempotent: a project that has a baseline keeps it (a later change needs a request)."""
    project = _locked_project(plan_version.plan.project_id)
    existing: Baseline | None = Baseline.objects.filter(project=project).order_by("-version").first()
    if existing is not None:
        return existing
    baseline = Baseline(
        project=project,
        version=1,
        targets=targets_of(plan_version),
        source_plan_version=plan_version,
        review_round=review_round if getattr(review_round, "pk", None) else None,
        locked_by=actor,
    )
    set_history_user(baseline, actor)
    baseline.save()
    return baseline


def confirmation_basis(project: Any) -> tuple[list[str], dict[str, Any]]:
    """For the ``confirm`` move: why the pilot cannot be confirmed yet, and the review it rests on."""
    from greenbuild.plans.selectors import passed_plan

    passed = passed_plan(project)
    if passed is None:
        return [gettext("The green construction plan has not passed expert review yet.")], {}
    plan, version, review_round = passed
    context: dict[str, Any] = {
        "plan_id": plan.pk,
        "plan_status": plan.status,
        "plan_version_id": version.pk,
        "plan_version": version.number,
    }
    if review_round is not None:
        context["review_round_id"] = review_round.pk
    return [], context


def on_confirm(project: Any, actor: Any) -> None:
    """In the confirming transaction: the baseline is locked (if the signal has not yet) and the
    steps of the pilot open."""
    from greenbuild.plans.selectors import passed_plan

    passed = passed_plan(project)
    if passed is not None:
        lock_baseline(actor=actor, plan_version=passed[1], review_round=passed[2])
    open_steps(actor=actor, project=project)


def clean_targets(project: Any, raw: Any) -> dict[str, Any]:
    """Proposed targets checked as the plan's are (``plans.services.clean_plan_data``)."""
    from greenbuild.plans.models import GreenPlan
    from greenbuild.plans.services import clean_plan_data

    if not isinstance(raw, dict):
        raise DomainError(gettext("The targets must be an object."), field="targets")
    plan = GreenPlan.objects.select_related("project", "guideline").filter(project=project).first()
    if plan is None:
        raise DomainError(gettext("The project has no green construction plan."), field="targets")
    try:
        cleaned = clean_plan_data(plan, {"targets": raw})["targets"]
    except DomainError as error:
        field = error.field or "targets"
        raise DomainError(error.message, field=field.removeprefix("targets.")) from None
    return {key: cleaned.get(key) for key in TARGET_KEYS}


@transaction.atomic
def request_baseline_change(*, actor: Any, project_id: Any, reasons: str, targets: Any) -> BaselineChangeRequest:
    """Ask the bureau to change the baseline in force, with reasons and the proposed targets."""
    from greenbuild.lifecycle.selectors import current_baseline

    project = _locked_project(project_id)
    if not can_request_change(actor, project):
        raise ActionForbidden()
    baseline = current_baseline(project)
    if baseline is None:
        raise DomainError(gettext("The project has no baseline yet: it is locked when the plan passes review."))
    reasons = (reasons or "").strip() if isinstance(reasons, str) else ""
    if not reasons:
        raise DomainError(gettext("Give the reasons for the change."), field="reasons")
    if len(reasons) > MAX_TEXT:
        raise DomainError(gettext("Write at most {limit} characters.").format(limit=MAX_TEXT), field="reasons")
    if BaselineChangeRequest.objects.filter(project=project, status=ChangeRequestStatus.PENDING).exists():
        raise DomainError(gettext("A change request is already waiting for the bureau's decision."))
    proposed = clean_targets(project, targets)
    if proposed == {key: baseline.targets.get(key) for key in TARGET_KEYS}:
        raise DomainError(gettext("The proposed targets are the same as the baseline."), field="targets")
    request = BaselineChangeRequest(
        project=project, baseline=baseline, reasons=reasons, proposed_targets=proposed, requested_by=actor
    )
    set_history_user(request, actor)
    request.save()
    return request


def decide_baseline_change(*, actor: Any, request_id: Any, action: str, comment: str = "") -> Any:
    """The bureau approves (a new baseline version is locked) or refuses (with a comment)."""
    if action not in CHANGE_REQUEST_WORKFLOW.table:
        raise DomainError(gettext("Unknown action."))
    return apply_move(
        workflow=CHANGE_REQUEST_WORKFLOW, actor=actor, obj_or_pk=request_id, action=action, comment=comment
    )


# --- the steps -------------------------------------------------------------------------------


@transaction.atomic
def open_steps(*, actor: Any, project: Any) -> list[ProjectStep]:
    """Create the steps of a confirmed pilot (pending, with their guideline items) and open the
    first parallel group. Idempotent."""
    from greenbuild.guidelines.selectors import current_guideline, items_for_step

    if not StepType.objects.exists():  # e.g. after a browser test's flush
        from greenbuild.lifecycle.data import load_step_types

        load_step_types()
    guideline = current_guideline()
    have = set(ProjectStep.objects.filter(project=project).values_list("type_id", flat=True))
    for step_type in StepType.objects.filter(active=True).order_by("order"):
        if step_type.pk in have:
            continue
        step = ProjectStep(project=project, type=step_type)
        set_history_user(step, actor)
        step.save()
        items = items_for_step(step_type.code, guideline) if guideline else []
        StepItem.objects.bulk_create([StepItem(step=step, guideline_item=item) for item in items])
    open_due_steps(project, actor)
    return list(ProjectStep.objects.filter(project=project).order_by("type__order"))


def open_due_steps(project: Any, actor: Any, signed: set[int] | frozenset[int] = frozenset()) -> None:
    """Open the pending steps of the first parallel group not yet signed (``signed``: steps just
    signed in this transaction, whose new status is not saved yet)."""
    steps = list(ProjectStep.objects.filter(project=project).select_related("type").order_by("type__order"))
    groups: dict[int, list[ProjectStep]] = {}
    for step in steps:
        groups.setdefault(step.type.parallel_group, []).append(step)
    for group in sorted(groups):
        members = groups[group]
        if all(s.status in SIGNED_STATUSES or s.pk in signed for s in members):
            continue
        for step in members:
            if step.status == StepStatus.PENDING:
                apply_move(workflow=STEP_WORKFLOW, actor=actor, obj_or_pk=step.pk, action="open")
        return


def _locked_step(step_id: Any) -> ProjectStep:
    number = parse_id(step_id)
    step: ProjectStep | None = (
        ProjectStep.objects.select_for_update()
        .select_related("project", "type", "type__department")
        .filter(pk=number)
        .first()
        if number
        else None
    )
    if step is None:
        raise DomainError(gettext("No such step."))
    return step


def _check_signer(actor: Any, step: ProjectStep) -> None:
    """A department user acting on another department's step gets a message that says why."""
    if can_step(actor, "write", step):
        return
    if can_step(actor, "view", step) and department_ids(actor):
        raise ActionForbidden(
            gettext("Only a reviewer of {department} may act on this step.").format(
                department=step.type.department.name
            )
        )
    raise ActionForbidden()


@transaction.atomic
def write_item(*, actor: Any, item_id: Any, status: Any, note: Any = "") -> StepItem:
    """The department records how a guideline item is written into the step's instrument."""
    number = parse_id(item_id)
    item: StepItem | None = (
        StepItem.objects.select_for_update(of=("self",)).select_related("guideline_item").filter(pk=number).first()
    )
    if item is None:
        raise DomainError(gettext("No such item."))
    step = _locked_step(item.step_id)
    _check_signer(actor, step)
    if step.status != StepStatus.OPEN:
        raise DomainError(
            gettext("Items are written while the step is open (it is now “{status}”).").format(status=step.status_label)
        )
    if status not in ItemStatus.values:
        raise DomainError(gettext("Choose a status from the list."), field="status")
    note = note.strip() if isinstance(note, str) else ""
    if len(note) > MAX_TEXT:
        raise DomainError(gettext("Write at most {limit} characters.").format(limit=MAX_TEXT), field="note")
    if status == ItemStatus.NOT_APPLICABLE and item.guideline_item.mandatory:
        raise DomainError(gettext("A mandatory item cannot be marked not applicable."), field="status")
    if status != ItemStatus.OPEN and not note:
        raise DomainError(
            gettext("Say how the item is written into the instrument (or why it does not apply)."), field="note"
        )
    from django.utils import timezone

    item.status = status
    item.note = note
    item.written_by = actor if status != ItemStatus.OPEN else None
    item.written_at = timezone.now() if status != ItemStatus.OPEN else None
    set_history_user(item, actor)
    item.save()
    set_history_user(step, actor)
    step.save(update_fields=["updated_at"])
    return item


@transaction.atomic
def add_step_document(*, actor: Any, step_id: Any, uploaded_file: Any) -> Any:
    """A document of the step (its instrument, e.g. the 规划条件), stored as a report."""
    from greenbuild.attachments.choices import AttachmentKind
    from greenbuild.attachments.services import store_attachment

    step = _locked_step(step_id)
    _check_signer(actor, step)
    attachment = store_attachment(
        actor=actor, project=step.project, kind=AttachmentKind.REPORT, uploaded_file=uploaded_file
    )
    step.documents.add(attachment)
    set_history_user(step, actor)
    step.save(update_fields=["updated_at"])
    return attachment


def sign_step(*, actor: Any, step_id: Any, action: str, comment: str = "") -> Any:
    """Approve, approve with conditions or return a step (its department's reviewer only)."""
    if action not in SIGN_MOVES:
        raise DomainError(gettext("Choose a sign-off from the list."), field="action")
    with transaction.atomic():
        step = _locked_step(step_id)
        _check_signer(actor, step)
        return apply_move(workflow=STEP_WORKFLOW, actor=actor, obj_or_pk=step.pk, action=action, comment=comment)


def reopen_step(*, actor: Any, step_id: Any, comment: str = "") -> Any:
    """A returned step is opened again (the owner has revised; or the bureau)."""
    return apply_move(workflow=STEP_WORKFLOW, actor=actor, obj_or_pk=step_id, action="reopen", comment=comment)
