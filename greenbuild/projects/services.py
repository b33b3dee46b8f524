"""Every write to a project and every workflow move (style.md §5).

Each service takes a keyword-only ``actor``, runs in one transaction, locks the row it changes,
checks permission and state through the projects gate, validates the whole record, records who
changed what (django-simple-history) and schedules notifications on commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from greenbuild.accounts.choices import OrganisationKind, Role
from greenbuild.accounts.models import Organisation, User
from greenbuild.accounts.roles import organisation_ids
from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.history import apply_changes, set_history_user
from greenbuild.core.workflow import apply_move
from greenbuild.programmes.models import Programme
from greenbuild.projects.choices import ParticipantRole, ProjectStatus, WithdrawalStatus
from greenbuild.projects.models import (
    Building,
    Project,
    ProjectParticipant,
    ProjectTransition,
    WithdrawalRequest,
    WithdrawalTransition,
)
from greenbuild.projects.permissions import can, is_owner_applicant
from greenbuild.projects.workflow import APPLICATION_WORKFLOW, WITHDRAWAL_WORKFLOW


def _locked_project(actor: User, project_id: int, action: str) -> Project:
    """Lock the project row and check ``actor`` may still ``action`` it (state may have moved)."""
    project = Project.objects.select_for_update().get(pk=project_id)
    if not can(actor, "view", project):
        raise ActionForbidden()
    if not can(actor, action, project):
        if action == "change" and not project.is_editable:
            raise DomainError(_("The application is locked while it is under review."))
        raise ActionForbidden()
    return project


def _save(obj: Any, actor: User, *, check_constraints: bool = False) -> None:
    """Validate the whole record, then save it with ``actor`` as the author of the history row."""
    # Unique names are checked in clean() with a field-level message; the constraint backs it up.
    obj.full_clean(validate_constraints=check_constraints)
    obj._history_user = actor
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        # A concurrent write won the race for a unique constraint; report it like the clean() check.
        field = "name" if hasattr(obj, "name") else NON_FIELD_ERRORS
        raise ValidationError(
            {field: _("This name is already taken.") if field == "name" else _("This record already exists.")}
        ) from None


@transaction.atomic
def create_project(
    *, actor: User, programme: Programme, data: dict[str, Any], owner: Organisation | None = None
) -> Project:
    """An owner applicant files a new application (a draft) for their organisation."""
    owner_orgs = organisation_ids(actor, Role.OWNER_APPLICANT)
    if owner is None:
        if not owner_orgs:
            raise ActionForbidden()
        owner = Organisation.objects.get(pk=min(owner_orgs))
    elif owner.pk not in owner_orgs:
        raise ActionForbidden()
    project = Project(programme=programme, owner=owner, created_by=actor, status=ProjectStatus.DRAFT, **data)
    _save(project, actor)
    return project


@transaction.atomic
def update_project(*, actor: User, project_id: int, data: dict[str, Any]) -> Project:
    """Change the application form; refused while it is under review."""
    project = _locked_project(actor, project_id, "change")
    if apply_changes(project, data):  # a form posted back unchanged writes nothing
        _save(project, actor)
    return project


@transaction.atomic
def save_building(*, actor: User, project_id: int, data: dict[str, Any], building_id: int | None = None) -> Building:
    """Add a single building to a project, or change one."""
    project = _locked_project(actor, project_id, "change")
    building = Building(project=project) if building_id is None else project.buildings.get(pk=building_id)
    if apply_changes(building, data) or building_id is None:  # unchanged: nothing written
        _save(building, actor)
    return building


@transaction.atomic
def delete_building(*, actor: User, project_id: int, building_id: int) -> None:
    project = _locked_project(actor, project_id, "change")
    building = project.buildings.get(pk=building_id)
    set_history_user(building, actor)
    building.delete()


@transaction.atomic
def add_participant(*, actor: User, project_id: int, organisation: Organisation, role: str) -> ProjectParticipant:
    """The owner names an organisation working on the project; never a third-party evaluator."""
    project = _locked_project(actor, project_id, "change")
    if role == ParticipantRole.EVALUATOR:
        raise DomainError(_("The bureau assigns the third-party evaluator."), field="role")
    if project.participants.filter(organisation=organisation, role=role).exists():
        raise DomainError(_("This organisation already takes part in this role."), field="organisation")
    participant = ProjectParticipant(project=project, organisation=organisation, role=role)
    _save(participant, actor, check_constraints=True)
    return participant


@transaction.atomic
def remove_participant(*, actor: User, project_id: int, participant_id: int) -> None:
    project = _locked_project(actor, project_id, "change")
    participant = project.participants.get(pk=participant_id)
    if participant.role == ParticipantRole.EVALUATOR:
        raise DomainError(_("The bureau assigns the third-party evaluator."))
    set_history_user(participant, actor)
    participant.delete()


#: A withdrawn or rejected application needs no evaluator.
CLOSED_STATUSES = frozenset({ProjectStatus.WITHDRAWN, ProjectStatus.REJECTED})


@transaction.atomic
def assign_evaluator(*, actor: User, project_id: int, organisation: Organisation) -> ProjectParticipant:
    """The bureau assigns a third-party evaluator organisation to a project (issue 10 item 3)."""
    project = _locked_project(actor, project_id, "assign_evaluator")
    if project.status in CLOSED_STATUSES:
        raise DomainError(
            _("An application that is “{status}” gets no evaluator.").format(status=ProjectStatus(project.status).label)
        )
    if organisation.kind != OrganisationKind.EVALUATOR:
        raise DomainError(_("Choose a third-party evaluation organisation."), field="organisation")
    if project.participants.filter(organisation=organisation, role=ParticipantRole.EVALUATOR).exists():
        raise DomainError(_("This organisation already evaluates this project."), field="organisation")
    participant = ProjectParticipant(project=project, organisation=organisation, role=ParticipantRole.EVALUATOR)
    _save(participant, actor, check_constraints=True)
    return participant


@transaction.atomic
def remove_evaluator(*, actor: User, project_id: int, participant_id: int) -> None:
    """The bureau removes an evaluator; the participant history keeps who was assigned and when."""
    project = _locked_project(actor, project_id, "assign_evaluator")
    participant = project.participants.get(pk=participant_id, role=ParticipantRole.EVALUATOR)
    set_history_user(participant, actor)
    participant.delete()


#: At most this many projects in one batch (a page of the list holds 50).
BATCH_LIMIT = 200


@dataclass
class BatchRow:
    """One project's outcome in a batch: ``assigned``, ``unchanged`` (it had that evaluator
    already: a doubled or stale submission changes nothing twice) or ``refused`` (with the reason)."""

    project_id: int
    name: str
    outcome: str
    reason: str = ""


class BatchRefused(DomainError):
    """The batch changed nothing: at least one project was refused (``rows`` says which and why)."""

    def __init__(self, message: Any, rows: list[BatchRow]) -> None:
        super().__init__(message)
        self.rows = rows


@transaction.atomic
def assign_evaluator_batch(*, actor: User, project_ids: list[int], organisation: Organisation) -> list[BatchRow]:
    """The bureau assigns one third-party evaluator to several projects at once, all or nothing.

    Every project is locked and checked by the gate and by :func:`assign_evaluator`'s rules; when
    one is refused (not visible, not the actor's to assign, withdrawn or rejected) nothing changes
    and :class:`BatchRefused` reports each row. A project that already has this evaluator is left
    unchanged, so submitting the same batch twice assigns nothing the second time. Each assignment
    is the single-project service's, recorded in the participants' history under ``actor``.
    """
    ids = sorted(set(project_ids))
    if not ids:
        raise DomainError(_("Select at least one project."))
    if len(ids) > BATCH_LIMIT:
        raise DomainError(_("Select at most {n} projects at once.").format(n=BATCH_LIMIT))
    if organisation.kind != OrganisationKind.EVALUATOR:
        raise DomainError(_("Choose a third-party evaluation organisation."), field="organisation")
    projects = {p.pk: p for p in Project.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    assigned = set(
        ProjectParticipant.objects.filter(
            project_id__in=ids, organisation=organisation, role=ParticipantRole.EVALUATOR
        ).values_list("project_id", flat=True)
    )
    rows: list[BatchRow] = []
    for pk in ids:
        project = projects.get(pk)
        if project is None or not can(actor, "view", project):
            # the same words whether it does not exist or is not visible (nothing revealed)
            rows.append(BatchRow(pk, "#{}".format(pk), "refused", _("Not found, or not visible to you.")))
        elif not can(actor, "assign_evaluator", project):
            rows.append(BatchRow(pk, project.name, "refused", _("You may not assign its evaluator.")))
        elif project.status in CLOSED_STATUSES:
            status = ProjectStatus(project.status).label
            reason = _("An application that is “{status}” gets no evaluator.").format(status=status)
            rows.append(BatchRow(pk, project.name, "refused", reason))
        elif pk in assigned:
            rows.append(BatchRow(pk, project.name, "unchanged", _("Already evaluated by this organisation.")))
        else:
            rows.append(BatchRow(pk, project.name, "assigned"))
    if any(row.outcome == "refused" for row in rows):
        raise BatchRefused(_("Nothing was changed: some of the selected projects were refused."), rows)
    for row in rows:
        if row.outcome == "assigned":
            assign_evaluator(actor=actor, project_id=row.project_id, organisation=organisation)
    return rows


@transaction.atomic
def transition_project(*, actor: User, project_id: int, action: str, comment: str = "") -> ProjectTransition:
    """Make one move of the application workflow (see ``workflow.MOVES``).

    Refuses, with a message in the user's language, a move by the wrong role, from the wrong
    state (including a second submit that lost a race to the first), without a required comment,
    or a submission that the self-check finds incomplete. The engine (``core.workflow``) locks
    the row, writes the transition and notifies on commit (``notify_project_transition``).
    """
    transition: ProjectTransition = apply_move(
        workflow=APPLICATION_WORKFLOW, actor=actor, obj_or_pk=project_id, action=action, comment=comment
    )
    return transition


@transaction.atomic
def request_withdrawal(*, actor: User, project_id: int, reason: str) -> WithdrawalRequest:
    """The owner asks the bureau to withdraw a confirmed pilot, giving reasons (issue 10 item 23)."""
    project = Project.objects.select_for_update().get(pk=project_id)
    if not can(actor, "view", project):
        raise ActionForbidden()
    if not can(actor, "request_withdrawal", project):
        pending = project.withdrawal_requests.filter(status=WithdrawalStatus.PENDING)
        if is_owner_applicant(actor, project) and pending.exists():
            raise DomainError(_("A withdrawal request is already awaiting the bureau's decision."))
        raise ActionForbidden()
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Please give the reasons for the withdrawal."), field="reason")
    request = WithdrawalRequest(project=project, requested_by=actor, reason=reason)
    _save(request, actor, check_constraints=True)
    return request


@transaction.atomic
def decide_withdrawal(*, actor: User, request_id: int, action: str, comment: str = "") -> WithdrawalTransition:
    """The bureau approves (the pilot is withdrawn) or refuses (comment required) a withdrawal request."""
    transition: WithdrawalTransition = apply_move(
        workflow=WITHDRAWAL_WORKFLOW, actor=actor, obj_or_pk=request_id, action=action, comment=comment
    )
    return transition
