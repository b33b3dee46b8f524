"""Lists as Excel: the rows a list page shows (same filters, same gate), every column labelled."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, cast

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from greenbuild.reports.excel import Sheet

Column = str | tuple[Any, Callable[[Any], Any]]


def model_sheet(
    title: Any, rows: Iterable[models.Model], model: type[models.Model], columns: Sequence[Column]
) -> Sheet:
    """A sheet of ``rows``; a column is a field name (its verbose name heads it, choices show their
    label, foreign keys their ``str``) or a ``(header, getter)`` pair."""
    headers: list[Any] = []
    getters: list[Callable[[Any], Any]] = []
    for column in columns:
        if isinstance(column, tuple):
            header, getter = column
        else:
            field = cast("models.Field[Any, Any]", model._meta.get_field(column))  # columns name concrete fields
            header = field.verbose_name
            getter = _field_getter(field)
        headers.append(header)
        getters.append(getter)
    return Sheet(title=title, headers=[str(h) for h in headers], rows=([g(row) for g in getters] for row in rows))


def _field_getter(field: Any) -> Callable[[Any], Any]:
    name = field.name
    if getattr(field, "choices", None):
        return lambda obj: (
            getattr(obj, "get_{}_display".format(name))() if getattr(obj, name) not in ("", None) else None
        )
    if field.is_relation:
        return lambda obj: str(getattr(obj, name)) if getattr(obj, name) is not None else None
    if isinstance(field, models.BooleanField):
        return lambda obj: yes_no(getattr(obj, name))
    return lambda obj: getattr(obj, name)


def yes_no(value: Any) -> str:
    if value is None:
        return ""
    return _("yes") if value else _("no")


def export_filename(stem: str) -> str:
    return "{}-{}.xlsx".format(stem, timezone.localtime().strftime("%Y%m%d-%H%M"))


def project_list_sheet(projects: Iterable[Any]) -> Sheet:
    from greenbuild.projects.models import Project

    return model_sheet(
        _("Pilot projects"),
        projects,
        Project,
        [
            "name",
            "status",
            "district",
            "category",
            "owner",
            "address",
            "use",
            "structure_material",
            "gfa_above_m2",
            "gfa_below_m2",
            "investment_wan_yuan",
            "planned_start",
            "planned_completion",
            "approval_code",
            "target_star_level",
            "updated_at",
        ],
    )


def score_runs_sheet(runs: Iterable[Any]) -> Sheet:
    from greenbuild.scoring import messages
    from greenbuild.scoring.models import ScoreRun

    return model_sheet(
        _("Score runs"),
        runs,
        ScoreRun,
        [
            "at",
            "actor",
            "engine",
            (ScoreRun._meta.get_field("subject").verbose_name, messages.run_subject),
            (ScoreRun._meta.get_field("headline").verbose_name, messages.run_headline),
            (ScoreRun._meta.get_field("edition").verbose_name, lambda run: messages.edition_name(run.edition)),
            "ruleset_version",
            "engine_version",
        ],
    )


def records_sheets(project: Any) -> list[Sheet]:
    from greenbuild.scoring.models import EnergyRecord, MaterialLine, WasteRecord

    return [
        model_sheet(
            WasteRecord._meta.verbose_name_plural,
            project.waste_records.all(),
            WasteRecord,
            ["recorded_on", "category", "tonnes", "recycled_tonnes", "note"],
        ),
        model_sheet(
            MaterialLine._meta.verbose_name_plural,
            project.material_lines.all(),
            MaterialLine,
            ["name", "item_type", "group", "quantity", "unit", "certified", "carbon_material", "mass_t", "distance_km"],
        ),
        model_sheet(
            EnergyRecord._meta.verbose_name_plural,
            project.energy_records.all(),
            EnergyRecord,
            ["carrier", "quantity"],
        ),
    ]
