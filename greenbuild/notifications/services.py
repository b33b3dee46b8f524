"""Writing notifications. Called on commit by the services that change state."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from greenbuild.accounts.choices import Role
from greenbuild.accounts.models import User
from greenbuild.notifications.models import Notification


def notify_project_transition(transition_id: int) -> int:
    """Tell the owner's applicants, the district's officials and the bureau about a move.

    The actor is not notified of their own move. Returns the number of notifications written.
    """
    from greenbuild.projects.models import ProjectTransition

    transition = ProjectTransition.objects.select_related("project", "actor").get(pk=transition_id)
    project = transition.project
    recipients = (
        User.objects.filter(
            Q(memberships__role=Role.OWNER_APPLICANT, memberships__organisation_id=project.owner_id)
            | Q(memberships__role=Role.DISTRICT_OFFICIAL, memberships__district_id=project.district_id)
            | Q(memberships__role=Role.BUREAU_ADMIN),
            is_active=True,
        )
        .exclude(pk=transition.actor_id)
        .distinct()
    )
    message = "{project}：{from_} → {to}（{actor}）".format(
        project=project.name, from_=transition.from_label, to=transition.to_label, actor=transition.actor
    )
    rows = [Notification(recipient=user, project=project, message=message[:300]) for user in recipients]
    Notification.objects.bulk_create(rows)
    return len(rows)


def mark_all_read(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())
