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
    """The project list: its programme, first submission, declared level and the reviewed star
    level of record with R7 (``scoring.selectors.results_of_record``, one query; REG-04)."""
    from greenbuild.projects.choices import StarLevel
    from greenbuild.projects.models import Project
    from greenbuild.scoring.selectors import results_of_record

    projects = list(projects)
    records = results_of_record(projects)

    def star_level(project: Any) -> str | None:
        level = records[project.pk].level
        return str(StarLevel(level).label) if level in StarLevel.values else level

    def r7(project: Any) -> str:
        status = str(getattr(records[project.pk].r7.status, "value", records[project.pk].r7.status))
        return str({"pass": _("Pass"), "fail": _("Fail")}.get(status, _("Not yet known")))

    return model_sheet(
        _("Pilot projects"),
        projects,
        Project,
        [
            "name",
            "programme",
            "submitted_at",
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
            (_("Star level of record (reviewed)"), star_level),
            (_("R7: green building level"), r7),
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
            *run_figure_columns(),
            (ScoreRun._meta.get_field("edition").verbose_name, lambda run: messages.edition_name(run.edition)),
            "ruleset_version",
            "engine_version",
        ],
    )


def run_figure_columns() -> list[Column]:
    """The figures of a score run as numbers, one column per figure with its unit in the header
    (REG-04): a cell is empty when the run's engine does not compute that figure."""
    from decimal import Decimal, InvalidOperation

    def figure(key: str) -> Callable[[Any], Any]:
        def get(run: Any) -> Decimal | None:
            value = (run.result or {}).get(key)
            if value is None or isinstance(value, bool):
                return None
            try:
                return Decimal(str(value))
            except InvalidOperation:
                return None

        return get

    return [
        (_("Total score (points)"), figure("total_score")),
        (_("Assembly rate (%)"), figure("assembly_rate_pct")),
        (_("Waste intensity (t/10,000 m²)"), figure("intensity_t_per_10k_m2")),
        (_("Green-material share (%)"), figure("green_material_ratio_pct")),
        (_("Embodied carbon (kgCO₂e/m²)"), figure("total_kgco2e_per_m2")),
    ]


def records_sheets(project: Any) -> list[Sheet]:
    from greenbuild.scoring.messages import unit_symbol
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
            [
                "name",
                "item_type",
                "group",
                "quantity",
                (MaterialLine._meta.get_field("unit").verbose_name, lambda line: unit_symbol(line.unit)),
                "certified",
                "carbon_material",
                "mass_t",
                "distance_km",
            ],
        ),
        model_sheet(
            EnergyRecord._meta.verbose_name_plural,
            project.energy_records.all(),
            EnergyRecord,
            ["carrier", "quantity"],
        ),
    ]
