"""Every write of the lifecycle app (style.md §4): the baseline, its change requests, the steps.

* :func:`lock_baseline` — version 1 from the plan that passed review (``plans.signals.plan_passed``,
  and again, idempotently, when the bureau confirms the pilot);
* :func:`request_baseline_change` / :func:`decide_baseline_change` — the only way to a new version
  (targets, measures and documents; one that breaks a pilot requirement is approved only as an
  exception, with reasons: ``lifecycle.workflow``);
* :func:`open_steps` — the steps of a confirmed pilot (with the guideline items of each);
* :func:`write_item`, :func:`add_step_document`, :func:`sign_step` (with the instrument),
  :func:`reopen_step` (the bureau);
* a returned step: :func:`add_step_supplement`, :func:`resubmit_step` (the owner, REV-05);
* the conditions of an approval with conditions: :func:`answer_condition` (the owner),
  :func:`review_condition` (the step's department).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext, pgettext

from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.history import set_history_user
from greenbuild.core.permissions import parse_id
from greenbuild.core.workflow import apply_move
from greenbuild.lifecycle.choices import (
    SIGNED_STATUSES,
    TARGET_KEYS,
    ChangeRequestStatus,
    ConditionStatus,
    ItemStatus,
    StepStatus,
)
from greenbuild.lifecycle.models import (
    Baseline,
    BaselineChangeRequest,
    ProjectStep,
    StepCondition,
    StepItem,
    StepType,
)
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

    Only from the version the review passed (read from the round: ``plans.selectors.passed_plan``;
    for a 修改后通过, the verified revised version, never the one the round concluded on).
    Idempotent: a project that has a baseline keeps it (a later change needs a request)."""
    from greenbuild.plans.selectors import passed_plan

    project = _locked_project(plan_version.plan.project_id)
    existing: Baseline | None = Baseline.objects.filter(project=project).order_by("-version").first()
    if existing is not None:
        return existing
    passed = passed_plan(project)
    if passed is None or passed[1].pk != plan_version.pk:
        raise DomainError(gettext("The baseline is locked only from the plan version that passed expert review."))
    review_round = passed[2]
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
    """For the ``confirm`` move: why the pilot cannot be confirmed yet, and the review it rests on.

    Reads the review round (its conclusion, its concluded state, the version it reviewed), not the
    plan's status: the plan's current version passed a concluded round, or is the verified
    revision of a 修改后通过."""
    from greenbuild.plans.selectors import concluding_round, open_revision, passed_plan, plan_of

    passed = passed_plan(project)
    if passed is None:
        plan = plan_of(project)
        revision = open_revision(plan) if plan is not None else None
        if revision is not None:
            return [gettext("The plan passed with revisions: the revision has not been verified yet.")], {}
        last = concluding_round(plan) if plan is not None else None
        if last is not None and last.conclusion == "failed":
            return [gettext("The green construction plan failed expert review.")], {}
        return [gettext("The green construction plan has not passed expert review yet.")], {}
    plan, version, review_round = passed
    context: dict[str, Any] = {
        "plan_id": plan.pk,
        "plan_status": plan.status,
        "plan_version_id": version.pk,
        "plan_version": version.number,
        "review_round_id": review_round.pk,
        "review_conclusion": review_round.conclusion,
    }
    return [], context


def confirmable_projects(queryset: Any) -> Any:
    """``queryset``'s projects for which :func:`confirmation_basis` finds no reason to refuse, in
    one query (the bureau's 确定为试点 to-do, UI-09): the plan's current version passed a
    concluded round, or is the verified revision of a 修改后通过 (``plans.selectors.review_basis``).
    Kept beside ``confirmation_basis``; a test holds the two to the same answer."""
    from django.db.models import Exists, OuterRef, Q

    from greenbuild.plans.choices import RevisionStatus
    from greenbuild.plans.models import GreenPlan, PlanRevision
    from greenbuild.reviews.models import ReviewRound

    direct = ReviewRound.objects.filter(
        plan_id=OuterRef("pk"),
        status="concluded",
        conclusion="passed",
        plan_version_id=OuterRef("current_version_id"),
    )
    verified = PlanRevision.objects.filter(
        plan_id=OuterRef("pk"),
        status=RevisionStatus.ACCEPTED,
        submitted_version_id=OuterRef("current_version_id"),
        review_round__status="concluded",
        review_round__conclusion="passed_with_revisions",
    )
    passed = GreenPlan.objects.filter(project_id=OuterRef("pk"), current_version__isnull=False).filter(
        Q(Exists(direct)) | Q(Exists(verified))
    )
    return queryset.filter(Exists(passed))


def on_confirm(project: Any, actor: Any) -> None:
    """In the confirming transaction: the baseline is locked (if the signal has not yet) from the
    version the review passed, and the steps of the pilot open."""
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


#: the targets a baseline keeps once set (the carbon target is optional)
KEPT_TARGETS = ("star_level", "waste_t_per_10k_m2", "green_material_pct")


def keep_set_targets(project: Any, baseline: Baseline, proposed: dict[str, Any]) -> None:
    """A change moves a target, never clears one the baseline in force sets: a cleared target
    would read "unknown" rather than "not met" and pass the requirement check unseen (R7, R9–R11).
    The assembly rate of every single building the baseline sets is kept too."""
    current = baseline.targets or {}
    for key in KEPT_TARGETS:
        if current.get(key) not in (None, "") and proposed.get(key) in (None, ""):
            raise DomainError(
                gettext("A change may move this target but not remove it."),
                field="star_level" if key == "star_level" else key,
            )
    rates = current.get("assembly_rate_pct_by_building") or {}
    kept = proposed.get("assembly_rate_pct_by_building") or {}
    buildings = {str(pk): name for pk, name in project.buildings.values_list("pk", "name")}
    missing = [buildings[pk] for pk in rates if pk in buildings and kept.get(pk) in (None, "")]
    if missing:
        raise DomainError(
            gettext("A change may move an assembly rate target but not remove it: {buildings}.").format(
                buildings=pgettext("list separator", ", ").join(missing)
            ),
            field="assembly_rate_pct_by_building",
        )


def clean_measures(project: Any, baseline: Baseline, raw: Any) -> dict[str, str]:
    """Changed measures: guideline item codes of the plan's measures, each with its new text
    (only those that differ from the baseline's)."""
    from greenbuild.guidelines.selectors import measure_items
    from greenbuild.plans.models import GreenPlan

    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        raise DomainError(gettext("The measures must be an object."), field="measures")
    plan = GreenPlan.objects.select_related("guideline").filter(project=project).first()
    items = dict(measure_items(plan.guideline if plan else None).values_list("code", "mandatory"))
    codes = set(items)
    current = baseline.plan_data()["measures"]
    changed: dict[str, str] = {}
    for code, text in raw.items():
        if code not in codes:
            raise DomainError(
                gettext("“{code}” is not a measure of the guideline.").format(code=code), field="measures"
            )
        if not isinstance(text, str):
            raise DomainError(gettext("Write each measure as text."), field="measures")
        text = text.strip()
        if len(text) > MAX_TEXT:
            raise DomainError(gettext("Write at most {limit} characters.").format(limit=MAX_TEXT), field="measures")
        _refuse_nul(text, "measures")
        if text != str(current.get(code) or "").strip():
            if not text and items[code]:  # a mandatory measure is changed, never removed
                raise DomainError(
                    gettext("“{code}” is a mandatory measure: change it, do not remove it.").format(code=code),
                    field="measures",
                )
            changed[code] = text
    return changed


def _refuse_nul(text: str, field: str) -> None:
    """PostgreSQL stores no NUL character (in text or JSON): refused as input, never a 500."""
    if "\x00" in text:
        raise DomainError(gettext("Null characters are not allowed."), field=field)


def _documents(actor: Any, project: Any, attachment_ids: Any) -> list[Any]:
    """Attachments of the project named by id (API): stored, not removed, visible to ``actor``."""
    from greenbuild.attachments.models import Attachment
    from greenbuild.attachments.permissions import can as can_attachment

    if attachment_ids in (None, ""):
        return []
    if not isinstance(attachment_ids, list) or len(attachment_ids) > 20:
        raise DomainError(gettext("Give the documents as a list of at most 20 file ids."), field="documents")
    numbers = [parse_id(value) for value in attachment_ids]
    found = {
        a.pk: a
        for a in Attachment.objects.filter(
            pk__in=[n for n in numbers if n], project=project, pending=False, removed_at__isnull=True
        )
    }
    if any(n not in found or not can_attachment(actor, "view", found[n]) for n in numbers):
        raise DomainError(gettext("A document is not a file of this project."), field="documents")
    if _unsent_draft_files(found):
        raise DomainError(
            gettext("A document is a file of the plan draft not yet sent: send it with the plan, or upload it here."),
            field="documents",
        )
    return list(found.values())


def _unsent_draft_files(found: dict[int, Any]) -> set[int]:
    """The files among ``found`` that sit on a plan's working draft and in no version sent: the
    owner's unsent work, which a change request would show to the bureau and the district."""
    from greenbuild.plans.models import GreenPlan, PlanVersion

    ids = list(found)
    on_draft = set(
        GreenPlan.draft_attachments.through.objects.filter(attachment_id__in=ids).values_list(
            "attachment_id", flat=True
        )
    )
    sent = set(
        PlanVersion.attachments.through.objects.filter(attachment_id__in=ids).values_list("attachment_id", flat=True)
    )
    return on_draft - sent


@transaction.atomic
def request_baseline_change(
    *,
    actor: Any,
    project_id: Any,
    reasons: str,
    targets: Any,
    measures: Any = None,
    files: Any = (),
    documents: Any = None,
) -> BaselineChangeRequest:
    """Ask the bureau to change the baseline in force, with reasons and the proposed targets, the
    measures it replaces and supporting documents (``files`` uploaded, or ``documents``: ids of
    files of the project)."""
    from greenbuild.attachments.choices import AttachmentKind
    from greenbuild.attachments.services import store_attachment
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
    _refuse_nul(reasons, "reasons")
    if BaselineChangeRequest.objects.filter(project=project, status=ChangeRequestStatus.PENDING).exists():
        raise DomainError(gettext("A change request is already waiting for the bureau's decision."))
    proposed = clean_targets(project, targets)
    keep_set_targets(project, baseline, proposed)
    changed_measures = clean_measures(project, baseline, measures)
    linked = _documents(actor, project, documents)
    files = [f for f in (files or ()) if f]
    if (
        proposed == {key: baseline.targets.get(key) for key in TARGET_KEYS}
        and not changed_measures
        and not linked
        and not files
    ):
        raise DomainError(gettext("The proposed targets and measures are the same as the baseline."), field="targets")
    request = BaselineChangeRequest(
        project=project,
        baseline=baseline,
        reasons=reasons,
        proposed_targets=proposed,
        proposed_measures=changed_measures,
        requested_by=actor,
    )
    set_history_user(request, actor)
    request.save()
    stored = [store_attachment(actor=actor, project=project, kind=AttachmentKind.PLAN, uploaded_file=f) for f in files]
    if linked or stored:
        request.documents.add(*linked, *stored)
    return request


def decide_baseline_change(*, actor: Any, request_id: Any, action: str, comment: str = "", signoff: str = "") -> Any:
    """The bureau approves (a new baseline version is locked), approves as an exception (the
    change breaks a pilot requirement: ``comment`` gives the reasons, ``signoff`` names the expert
    review or joint conference that agreed, if any) or refuses (with a comment)."""
    if action not in CHANGE_REQUEST_WORKFLOW.table:
        raise DomainError(gettext("Unknown action."))
    signoff = signoff.strip() if isinstance(signoff, str) else ""
    if isinstance(comment, str) and len(comment) > MAX_TEXT:
        raise DomainError(gettext("Write at most {limit} characters.").format(limit=MAX_TEXT), field="comment")
    if len(signoff) > MAX_TEXT:
        raise DomainError(gettext("Write at most {limit} characters.").format(limit=MAX_TEXT), field="signoff")
    _refuse_nul(signoff, "signoff")
    _refuse_nul(comment if isinstance(comment, str) else "", "comment")
    with transaction.atomic():
        number = parse_id(request_id)
        if action == "approve_exception" and signoff and number:
            # read by the move's effects in this transaction; rolled back with a refused move
            BaselineChangeRequest.objects.filter(pk=number, status=ChangeRequestStatus.PENDING).update(
                signoff_note=signoff
            )
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
    nature = getattr(getattr(project, "investment_nature", None), "code", "") or ""
    for step_type in StepType.objects.filter(active=True).order_by("order"):
        if step_type.pk in have or (step_type.applies_to and step_type.applies_to != nature):
            continue  # e.g. the finance bureau's budget review is for government-invested pilots only
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


def _comment(value: Any, field: str = "comment") -> str:
    """A comment, answer or condition text: text, at most ``MAX_TEXT`` characters, no NUL."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise DomainError(gettext("Write the comment as text."), field=field)
    text: str = value.strip()
    if len(text) > MAX_TEXT:
        raise DomainError(gettext("Write at most {limit} characters.").format(limit=MAX_TEXT), field=field)
    if "\x00" in text:
        raise DomainError(gettext("Null characters are not allowed."), field=field)
    return text


def _pilot_in_force(step: Any) -> None:
    """A withdrawn pilot's steps, items and conditions are written by nobody."""
    from greenbuild.lifecycle.workflow import pilot_in_force

    reasons = pilot_in_force(step, None)
    if reasons:
        raise DomainError(reasons[0])


def _check_signer(actor: Any, step: ProjectStep) -> None:
    """A department user acting on another department's step gets a message that says why."""
    if can_step(actor, "write", step):
        _pilot_in_force(step)
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


def sign_step(
    *,
    actor: Any,
    step_id: Any,
    action: str,
    comment: str = "",
    instrument_file: Any = None,
    instrument_id: Any = None,
) -> Any:
    """Approve, approve with conditions or return a step (its department's reviewer only). The
    signed instrument (``instrument_file``) is filed with the approval; a step whose data asks for
    it is not approved without it. A refusal files nothing. Through the API the instrument is a
    file uploaded to the project before (``instrument_id``)."""
    if action not in SIGN_MOVES:
        raise DomainError(gettext("Choose a sign-off from the list."), field="action")
    comment = _comment(comment)
    with transaction.atomic():
        step = _locked_step(step_id)
        _check_signer(actor, step)
        if action != "return" and (instrument_file is not None or instrument_id not in (None, "")):
            if instrument_file is not None:
                step.instrument = _store_step_file(actor, step, instrument_file, field="instrument")
            else:
                step.instrument = _project_file(actor, step, instrument_id)
            set_history_user(step, actor)
            step.save(update_fields=["instrument", "updated_at"])
        return apply_move(workflow=STEP_WORKFLOW, actor=actor, obj_or_pk=step.pk, action=action, comment=comment)


def _project_file(actor: Any, step: ProjectStep, attachment_id: Any) -> Any:
    """A file of the step's project, uploaded by ``actor`` (the API's way to file an instrument)."""
    from greenbuild.attachments.models import Attachment

    number = parse_id(attachment_id)
    found = (
        Attachment.objects.current().filter(pk=number, project_id=step.project_id, uploaded_by=actor).first()
        if number
        else None
    )
    if found is None:
        raise DomainError(gettext("Choose a file you uploaded to this project."), field="instrument")
    return found


def _store_step_file(actor: Any, step: ProjectStep, uploaded_file: Any, *, field: str) -> Any:
    from django.core.exceptions import ValidationError

    from greenbuild.attachments.choices import AttachmentKind
    from greenbuild.attachments.services import store_attachment

    try:
        return store_attachment(
            actor=actor, project=step.project, kind=AttachmentKind.REPORT, uploaded_file=uploaded_file
        )
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field=field) from None


def reopen_step(*, actor: Any, step_id: Any, comment: str = "") -> Any:
    """The bureau opens a returned step again (the owner resubmits: :func:`resubmit_step`)."""
    comment = _comment(comment)
    return apply_move(workflow=STEP_WORKFLOW, actor=actor, obj_or_pk=step_id, action="reopen", comment=comment)


def resubmit_step(*, actor: Any, step_id: Any, answer: str, files: Any = ()) -> Any:
    """REV-05: the owner answers a returned step (what was supplemented, with documents) and
    hands it in again; the department's wait starts anew, the return stays in the history."""
    answer = _comment(answer)
    with transaction.atomic():
        step = _locked_step(step_id)
        if not can_step(actor, "view", step):
            raise DomainError(gettext("No such step."))
        if not can_step(actor, "resubmit", step):
            raise ActionForbidden()
        _pilot_in_force(step)
        for uploaded_file in files or ():
            step.supplements.add(_store_step_file(actor, step, uploaded_file, field="file"))
        return apply_move(
            workflow=STEP_WORKFLOW, actor=actor, obj_or_pk=step.pk, action="resubmit", comment=answer or ""
        )


@transaction.atomic
def add_step_supplement(*, actor: Any, step_id: Any, uploaded_file: Any) -> Any:
    """The owner files a supplementary document to a returned step, before resubmitting."""
    step = _locked_step(step_id)
    if not can_step(actor, "view", step):
        raise DomainError(gettext("No such step."))
    if not can_step(actor, "supplement", step):
        raise ActionForbidden()
    _pilot_in_force(step)
    if step.status != StepStatus.RETURNED:
        raise DomainError(gettext("Documents are supplemented while the step is returned to the owner."))
    attachment = _store_step_file(actor, step, uploaded_file, field="file")
    step.supplements.add(attachment)
    set_history_user(step, actor)
    step.save(update_fields=["updated_at"])
    return attachment


# --- conditions of an approval with conditions -------------------------------------------------------


def _locked_condition(actor: Any, condition_id: Any, action: str) -> StepCondition:
    number = parse_id(condition_id)
    condition: StepCondition | None = (
        StepCondition.objects.select_for_update(of=("self",))
        .select_related("step", "step__project", "step__type", "step__type__department")
        .filter(pk=number)
        .first()
        if number
        else None
    )
    if condition is None or not can_step(actor, "view", condition.step):
        raise DomainError(gettext("No such condition."))
    if not can_step(actor, action, condition.step):
        raise ActionForbidden()
    _pilot_in_force(condition.step)
    return condition


@transaction.atomic
def answer_condition(*, actor: Any, condition_id: Any, answer: Any) -> StepCondition:
    """The owner says how a condition is met; it waits for the department's confirmation."""
    from django.utils import timezone

    condition = _locked_condition(actor, condition_id, "answer")
    if condition.status != ConditionStatus.OPEN:
        raise DomainError(gettext("This condition is not waiting for an answer."))
    answer = answer.strip() if isinstance(answer, str) else ""
    if not answer:
        raise DomainError(gettext("Say how the condition is met."), field="answer")
    if len(answer) > MAX_TEXT:
        raise DomainError(gettext("Write at most {limit} characters.").format(limit=MAX_TEXT), field="answer")
    condition.answer = answer
    condition.answered_by = actor
    condition.answered_at = timezone.now()
    condition.status = ConditionStatus.ANSWERED
    set_history_user(condition, actor)
    condition.save()
    return condition


@transaction.atomic
def review_condition(*, actor: Any, condition_id: Any, accept: bool, note: Any = "") -> StepCondition:
    """The step's department confirms a condition is met, or sends it back with a note."""
    from django.utils import timezone

    condition = _locked_condition(actor, condition_id, "confirm")
    if condition.status != ConditionStatus.ANSWERED:
        raise DomainError(gettext("This condition has no answer to confirm."))
    note = note.strip() if isinstance(note, str) else ""
    if not accept and not note:
        raise DomainError(gettext("Say why the condition is not met yet."), field="note")
    if len(note) > MAX_TEXT:
        raise DomainError(gettext("Write at most {limit} characters.").format(limit=MAX_TEXT), field="note")
    condition.review_note = note
    if accept:
        condition.status = ConditionStatus.CONFIRMED
        condition.confirmed_by = actor
        condition.confirmed_at = timezone.now()
    else:
        condition.status = ConditionStatus.OPEN
    set_history_user(condition, actor)
    condition.save()
    return condition
