"""Field-level history for the project page: who changed which field, old → new, when (issue 2 §8)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from greenbuild.projects.choices import ParticipantRole, ProjectStatus, StarLevel
from greenbuild.projects.models import Building, Project, ProjectParticipant

_CHOICES: dict[str, Any] = {"status": ProjectStatus, "target_star_level": StarLevel, "role": ParticipantRole}


@dataclass(frozen=True)
class FieldChange:
    at: datetime
    user: Any
    subject: str  # what changed: the project or "Building 1#"
    field: str  # the field's label
    old: str
    new: str


def _display(model: type[models.Model], field_name: str, value: Any, names: dict[tuple[type, Any], str]) -> str:
    if value is None or value == "":
        return "—"
    field = model._meta.get_field(field_name)
    if isinstance(field, models.ForeignKey):
        return names.get((field.related_model, value), str(value))
    if field_name in _CHOICES:
        try:
            return str(_CHOICES[field_name](value).label)
        except ValueError:
            return str(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):  # stored in UTC with microseconds: show local time to the minute
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return date_format(local, "Y-m-d H:i")
    if isinstance(value, date):
        return date_format(value, "Y-m-d")
    return str(value)


def _resolve_names(records: list[Any], model: type[models.Model]) -> dict[tuple[type, Any], str]:
    """Names of the foreign key values the change log shows: the old and the new value of a
    foreign key that changed between two records of the same row (``_changes`` shows no other).
    One query per related model with such a change."""
    foreign_keys = [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
    wanted: dict[type, set[Any]] = {}
    previous: dict[Any, Any] = {}
    for record in records:  # oldest first, as _changes reads them
        before = previous.get(record.id)
        if before is not None and record.history_type not in ("+", "-"):
            for field in foreign_keys:
                old, new = getattr(before, field.attname), getattr(record, field.attname)
                if old != new:
                    wanted.setdefault(field.related_model, set()).update({old, new} - {None})
        previous[record.id] = record
    names: dict[tuple[type, Any], str] = {}
    for related, ids in wanted.items():
        for obj in related._default_manager.filter(pk__in=ids):
            names[(related, obj.pk)] = str(obj)
    return names


def _changes(records: list[Any], model: type[models.Model], subject_of: Any) -> list[FieldChange]:
    names = _resolve_names(records, model)
    tracked = [f for f in model._meta.concrete_fields if f.name not in ("id", "created_at", "updated_at")]
    previous: dict[Any, Any] = {}
    changes: list[FieldChange] = []
    for record in records:  # oldest first
        before = previous.get(record.id)
        subject = subject_of(record)
        if record.history_type == "+":
            changes.append(FieldChange(record.history_date, record.history_user, subject, _("created"), "—", "✓"))
        elif record.history_type == "-":
            changes.append(FieldChange(record.history_date, record.history_user, subject, _("deleted"), "✓", "—"))
        elif before is not None:
            for field in tracked:
                old, new = getattr(before, field.attname), getattr(record, field.attname)
                if old != new:
                    changes.append(
                        FieldChange(
                            record.history_date,
                            record.history_user,
                            subject,
                            str(field.verbose_name),
                            _display(model, field.name, old, names),
                            _display(model, field.name, new, names),
                        )
                    )
        previous[record.id] = record
    return changes


def project_changes(project: Project) -> list[FieldChange]:
    """Every field change of the project, its buildings and participants, newest first."""
    project_records = list(project.history.select_related("history_user").order_by("history_date", "history_id"))
    building_records = list(
        Building.history.filter(project_id=project.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    participant_records = list(
        ProjectParticipant.history.filter(project_id=project.pk)
        .select_related("history_user", "organisation")
        .order_by("history_date", "history_id")
    )
    project_label = _("Project")
    changes = _changes(project_records, Project, lambda r: project_label)
    changes += _changes(building_records, Building, lambda r: "{} {}".format(_("Building"), r.name))
    changes += _changes(
        participant_records, ProjectParticipant, lambda r: "{} {}".format(_("Participant"), r.organisation)
    )
    changes.sort(key=lambda c: c.at, reverse=True)
    return changes
