"""What the incentives pages read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy

from greenbuild.incentives.choices import Audience, BonusStatus, EnterpriseRole
from greenbuild.incentives.models import BonusRecord, TrainingAttendance


@dataclass
class PilotRow:
    project: Any
    roles: list[str] = field(default_factory=list)
    result: Any = None  # completion_results()'s result, or None
    bonuses: list[Any] = field(default_factory=list)

    @property
    def result_label(self) -> str:
        if self.result is None:
            return ""
        if self.result.is_final:
            return str(ACCEPTED_LABEL if self.result.accepted else NOT_ACCEPTED_LABEL)
        return "{} · {}".format(self.result.verdict_label, self.result.label)

    @property
    def result_score(self) -> Any:
        return self.result.score if self.result is not None else None


ACCEPTED_LABEL = gettext_lazy("Accepted at completion")
NOT_ACCEPTED_LABEL = gettext_lazy("Not accepted")


def _results(projects: list[Any]) -> dict[int, Any]:
    if not projects:
        return {}
    try:
        from greenbuild.completion.selectors import completion_results
    except ImportError:  # pragma: no cover - the completion app is part of the platform
        return {}
    return dict(completion_results(projects))


def enterprise_pilots(organisation: Any, *, public: bool = False) -> list[PilotRow]:
    """The organisation's pilots (as owner or participant) with its roles, their completion
    results and its bonus records. ``public``: confirmed pilots, final results, bonuses in force."""
    from greenbuild.projects.models import Project
    from greenbuild.projects.permissions import PUBLIC_STATUSES

    found = Project.objects.filter(Q(owner=organisation) | Q(participants__organisation=organisation)).distinct()
    if public:
        found = found.filter(status__in=PUBLIC_STATUSES)
    projects = list(found.select_related("district", "category").order_by("name", "pk"))
    rows = {p.pk: PilotRow(project=p) for p in projects}
    for project in projects:
        if project.owner_id == organisation.pk:
            rows[project.pk].roles.append(str(EnterpriseRole.OWNER.label))
    for participant in organisation.participations.filter(project__in=projects).order_by("role"):
        rows[participant.project_id].roles.append(str(participant.get_role_display()))
    results = _results(projects)
    for pk, result in results.items():
        if pk in rows and result.verdict is not None and (not public or result.is_final):
            rows[pk].result = result
    records = BonusRecord.objects.filter(organisation=organisation, project__in=projects).select_related("rule")
    if public:
        records = records.filter(status=BonusStatus.ACTIVE)
    for record in records.order_by("created_at", "pk"):
        rows[record.project_id].bonuses.append(record)
    return list(rows.values())


def bonus_total(organisation: Any, *, public: bool = False) -> Any:
    """The points in force; ``public``: only those of the pilots the public page lists (a pilot no
    longer published, e.g. withdrawn, does not count there)."""
    from greenbuild.projects.permissions import PUBLIC_STATUSES

    records = BonusRecord.objects.filter(organisation=organisation, status=BonusStatus.ACTIVE)
    if public:
        records = records.filter(project__status__in=PUBLIC_STATUSES)
    return records.aggregate(total=Sum("points"))["total"] or 0


def attendance_counts(attendance: Any) -> list[dict[str, Any]]:
    """Attendance counted per enterprise and audience: one row per enterprise with a count per
    audience and a total, largest first."""
    table: dict[str, dict[str, Any]] = {}
    for row in attendance.values("organisation_name", "audience").annotate(n=Count("pk")):
        entry = table.setdefault(
            row["organisation_name"], {"enterprise": row["organisation_name"], "counts": {}, "total": 0}
        )
        entry["counts"][row["audience"]] = row["n"]
        entry["total"] += row["n"]
    rows = sorted(table.values(), key=lambda e: (-e["total"], e["enterprise"]))
    for entry in rows:
        entry["cells"] = [entry["counts"].get(a.value, 0) for a in Audience]
    return rows


def enterprise_training(organisation: Any) -> dict[str, Any]:
    """The organisation's people trained, per audience."""
    rows = TrainingAttendance.objects.filter(Q(organisation=organisation) | Q(organisation_name=organisation.name))
    counts = dict(rows.values_list("audience").annotate(n=Count("pk")))
    return {
        "cells": [(a.label, counts.get(a.value, 0)) for a in Audience],
        "total": sum(counts.values()),
        "sessions": rows.values("session").distinct().count(),
    }
