"""The publicity panel on the project page: the project's notices (with objections awaiting an
answer) and its public messages, for those publicity's gate lets see them."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest

from greenbuild.core.permissions import CHANGE
from greenbuild.projects.choices import ProjectStatus
from greenbuild.publicity import permissions
from greenbuild.publicity.choices import MessageStatus, ObjectionStatus
from greenbuild.publicity.models import PublicMessage, PublicNotice


def project_panel_context(request: HttpRequest, project: Any) -> dict[str, Any] | None:
    user = request.user
    if not permissions._in_scope(user, project):
        return None
    notices = list(
        PublicNotice.objects.filter(project=project)
        .annotate(open_objections=Count("objections", filter=Q(objections__status=ObjectionStatus.OPEN)))
        .order_by("-created_at", "-pk")[:5]
    )
    counts = PublicMessage.objects.filter(project=project).aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(status=MessageStatus.RECEIVED))
    )
    return {
        "publicity_notices": notices,
        "publicity_messages": counts,
        "publicity_may_announce": permissions.can(user, CHANGE, None)
        and project.status in (ProjectStatus.CANDIDATE, ProjectStatus.CONFIRMED),
        "publicity_public": project.status == ProjectStatus.CONFIRMED,
    }
