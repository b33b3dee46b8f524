"""Writing notifications. Called on commit by the services that change state."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from greenbuild.accounts.choices import Role
from greenbuild.accounts.models import User
from greenbuild.notifications.models import Notification


def notify_project_transition(transition_id: int) -> int:
    """Tell the owner's applicants, the district's officials and the bureau about a move.

    Only people who may see the project's internal pages are told (the projects gate decides),
    and never the actor. Returns the number of notifications written.
    """
    from greenbuild.projects.models import ProjectTransition
    from greenbuild.projects.permissions import can

    transition = ProjectTransition.objects.select_related("project").get(pk=transition_id)
    project = transition.project
    candidates = (
        User.objects.filter(
            Q(memberships__role=Role.OWNER_APPLICANT, memberships__organisation_id=project.owner_id)
            | Q(memberships__role=Role.DISTRICT_OFFICIAL, memberships__district_id=project.district_id)
            | Q(memberships__role=Role.BUREAU_ADMIN),
            is_active=True,
        )
        .exclude(pk=transition.actor_id)
        .distinct()
    )
    rows = [
        Notification(recipient=user, project=project, transition=transition)
        for user in candidates
        if can(user, "view_internal", project)
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)


def mark_all_read(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())
