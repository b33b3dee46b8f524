"""What a delivery says about an event, for one reader (the subscription's creator bound to its
organisation): the object's gate decides whether it is sent at all, the field policy
(``core.fields``) which fields of the project it carries."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from greenbuild.core.fields import redact_dict


def iso(value: Any) -> str | None:
    """ISO 8601 in the platform's time zone (+08:00), to the second."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def project_summary(reader: Any, project: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": project.pk,
        "name": project.name,
        "status": project.status,
        "district": project.district.code if project.district_id else None,
        "target_star_level": project.target_star_level or None,
        "investment_wan_yuan": str(project.investment_wan_yuan) if project.investment_wan_yuan is not None else None,
        "approval_code": project.approval_code or None,
        "submitted_at": iso(project.submitted_at),
    }
    return redact_dict(reader, project, data)


def project_of(obj: Any) -> Any:
    from greenbuild.projects.models import Project

    if isinstance(obj, Project):
        return obj
    project = getattr(obj, "project", None)
    return project if isinstance(project, Project) else None


def transition_data(reader: Any, noun: str, obj: Any, transition: Any) -> dict[str, Any]:
    project = project_of(obj)
    return {
        "object": {"type": noun, "id": obj.pk, "status": transition.to_status},
        "transition": {
            "id": transition.pk,
            "from_status": transition.from_status,
            "to_status": transition.to_status,
            "at": iso(transition.at),
        },
        "project": project_summary(reader, project) if project is not None else None,
    }


def document_data(reader: Any, document: Any) -> dict[str, Any]:
    project = document.project if document.project_id else None
    return {
        "object": {"type": "document", "id": document.pk},
        "document": {
            "id": document.pk,
            "kind": document.kind,
            "number": document.number,
            "subject": document.subject,
            "issued_at": iso(document.issued_at),
        },
        "project": project_summary(reader, project) if project is not None else None,
    }


def score_run_data(reader: Any, run: Any) -> dict[str, Any]:
    return {
        "object": {"type": "score_run", "id": run.pk},
        "score_run": {
            "id": run.pk,
            "engine": run.engine,
            "edition": run.edition,
            "subject": run.subject,
            "headline": run.headline,
            "at": iso(run.at),
        },
        "project": project_summary(reader, run.project),
    }
