"""What a page or action could change in the registry, row by row (to prove a refusal changed nothing)."""

from __future__ import annotations

from typing import Any

from greenbuild.accounts.models import Organisation
from greenbuild.projects.models import Building, Project, ProjectParticipant, ProjectTransition


def registry_snapshot() -> dict[str, Any]:
    return {
        "projects": list(Project.objects.order_by("pk").values()),
        "buildings": list(Building.objects.order_by("pk").values()),
        "participants": list(ProjectParticipant.objects.order_by("pk").values()),
        "transitions": list(ProjectTransition.objects.order_by("pk").values()),
        "history": (Project.history.count(), Building.history.count(), ProjectParticipant.history.count()),
        "organisations": list(Organisation.objects.order_by("pk").values()),
    }
