"""Every write to a project and every workflow move (style.md §5).

Each service takes a keyword-only ``actor``, runs in one transaction, locks the row it changes,
checks permission and state through the projects gate, validates the whole record, records who
changed what (django-simple-history) and schedules notifications on commit.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenbuild.accounts.choices import Role
from greenbuild.accounts.models import Organisation, User
from greenbuild.accounts.roles import organisation_ids
from greenbuild.core.errors import ActionForbidden, DomainError, TransitionNotAllowed
from greenbuild.notifications.services import notify_project_transition
from greenbuild.programmes.models import Programme
from greenbuild.projects.checks import submission_gaps
from greenbuild.projects.choices import ProjectStatus
from greenbuild.projects.models import Building, Project, ProjectParticipant, ProjectTransition
from greenbuild.projects.permissions import can
from greenbuild.projects.workflow import MOVES


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
    for name, value in data.items():
        setattr(project, name, value)
    _save(project, actor)
    return project


@transaction.atomic
def save_building(*, actor: User, project_id: int, data: dict[str, Any], building_id: int | None = None) -> Building:
    """Add a single building to a project, or change one."""
    project = _locked_project(actor, project_id, "change")
    building = Building(project=project) if building_id is None else project.buildings.get(pk=building_id)
    for name, value in data.items():
        setattr(building, name, value)
    _save(building, actor)
    return building


@transaction.atomic
def delete_building(*, actor: User, project_id: int, building_id: int) -> None:
    project = _locked_project(actor, project_id, "change")
    building = project.buildings.get(pk=building_id)
    building._history_user = actor
    building.delete()


@transaction.atomic
def add_participant(*, actor: User, project_id: int, organisation: Organisation, role: str) -> ProjectParticipant:
    project = _locked_project(actor, project_id, "change")
    if project.participants.filter(organisation=organisation, role=role).exists():
        raise DomainError(_("This organisation already takes part in this role."), field="organisation")
    participant = ProjectParticipant(project=project, organisation=organisation, role=role)
    _save(participant, actor, check_constraints=True)
    return participant


@transaction.atomic
def remove_participant(*, actor: User, project_id: int, participant_id: int) -> None:
    project = _locked_project(actor, project_id, "change")
    participant = project.participants.get(pk=participant_id)
    participant._history_user = actor
    participant.delete()


@transaction.atomic
def transition_project(*, actor: User, project_id: int, action: str, comment: str = "") -> ProjectTransition:
    """Make one move of the application workflow (see ``workflow.MOVES``).

    Refuses, with a message in the user's language, a move by the wrong role, from the wrong
    state (including a second submit that lost a race to the first), without a required comment,
    or a submission that the self-check finds incomplete.
    """
    move = MOVES.get(action)
    if move is None:
        raise DomainError(_("Unknown action."))
    project = _locked_project(actor, project_id, move.action)
    if project.status not in move.sources:
        raise TransitionNotAllowed(
            _("“{action}” is not possible: the application is now “{status}”.").format(
                action=move.label, status=ProjectStatus(project.status).label
            )
        )
    comment = comment.strip()
    if move.comment_required and not comment:
        raise DomainError(_("Please give a reason in the comment."), field="comment")
    if action == "submit":
        gaps = submission_gaps(project)
        if gaps:
            raise DomainError(_("The application is incomplete: {gaps}").format(gaps="；".join(gaps)))
    from_status = project.status
    project.status = move.target
    fields = ["status", "updated_at"]
    if action == "submit" and project.submitted_at is None:
        project.submitted_at = timezone.now()
        fields.append("submitted_at")
    project._history_user = actor
    project.save(update_fields=fields)
    transition = ProjectTransition.objects.create(
        project=project, from_status=from_status, to_status=move.target, actor=actor, comment=comment
    )
    transaction.on_commit(lambda: notify_project_transition(transition.pk))
    return transition
