"""The training attendance import (imports/base.py): one row per attendee."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from greenbuild.imports.base import Column, Importer, RowError, join_list
from greenbuild.incentives.choices import Audience


def audience_lookup() -> dict[str, str]:
    """Code, Chinese and English label (lower case) → audience code."""
    lookup: dict[str, str] = {}
    for choice in Audience:
        lookup[choice.value] = choice.value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                lookup[str(choice.label).strip().lower()] = choice.value
    return lookup


class AttendanceImporter(Importer):
    name = "training_attendance"
    label = gettext_lazy("Training attendance")
    columns = (
        Column(
            "person_name",
            gettext_lazy("Full name"),
            ("name", "姓名", "person"),
            example="张三",
            help=gettext_lazy("The attendee's name."),
        ),
        Column(
            "organisation_name",
            gettext_lazy("Enterprise"),
            ("enterprise", "company", "单位", "单位名称", "企业", "企业名称"),
            example="中建八局三公司",
            help=gettext_lazy("The enterprise's registered name (linked when the platform knows it)."),
        ),
        Column(
            "audience",
            gettext_lazy("Audience"),
            ("audience", "类别", "培训对象", "对象"),
            example=Audience.CONSTRUCTION.label,
            help=gettext_lazy(
                "One of the session's audiences: development, design, production, construction, supervision, testing."
            ),
        ),
        Column(
            "position",
            gettext_lazy("Position"),
            ("position", "职务", "岗位"),
            required=False,
            example="项目经理",
            help=gettext_lazy("Optional."),
        ),
    )

    def __init__(self, session: Any) -> None:
        self.session = session
        self.audiences = audience_lookup()

    def clean_row(self, values: dict[str, str]) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        for key, limit in (("person_name", 60), ("organisation_name", 200), ("position", 100)):
            value = values.get(key, "")
            if not value and key != "position":
                errors.setdefault(key, []).append(_("is required"))
            elif len(value) > limit:
                errors.setdefault(key, []).append(_("is longer than {limit} characters").format(limit=limit))
        audience = self.audiences.get(values.get("audience", "").strip().lower())
        if audience is None:
            errors.setdefault("audience", []).append(
                _("“{value}” is not an audience; use one of: {choices}").format(
                    value=values.get("audience", ""), choices=join_list([a.label for a in Audience])
                )
            )
        elif audience not in self.session.audiences:
            errors.setdefault("audience", []).append(
                _("the session is not for “{value}”; it is for: {choices}").format(
                    value=Audience(audience).label, choices=join_list(self.session.audience_labels())
                )
            )
        if errors:
            raise ValidationError(errors)
        return {
            "person_name": values["person_name"].strip(),
            "organisation_name": values["organisation_name"].strip(),
            "position": values.get("position", "").strip(),
            "audience": audience,
        }

    def check_rows(self, rows: list[tuple[int, dict[str, Any]]]) -> list[RowError]:
        from greenbuild.incentives.models import TrainingAttendance

        errors: list[RowError] = []
        existing = set(
            TrainingAttendance.objects.filter(session=self.session).values_list("person_name", "organisation_name")
        )
        seen: dict[tuple[str, str], int] = {}
        for number, values in rows:
            key = (values["person_name"], values["organisation_name"])
            if key in seen:
                errors.append(
                    RowError(number, self.label_of("person_name"), _("repeats row {row}").format(row=seen[key]))
                )
            elif key in existing:
                errors.append(RowError(number, self.label_of("person_name"), _("is recorded for this session already")))
            seen.setdefault(key, number)
        return errors

    def write(self, rows: list[dict[str, Any]], *, actor: Any, options: dict[str, Any]) -> int:
        from greenbuild.incentives.services import write_imported_attendance

        return write_imported_attendance(actor=actor, session=self.session, rows=rows)
