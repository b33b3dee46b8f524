"""Open data for the public (R26, issue 12 §7): the published, non-sensitive part of the registry.

Confirmed pilots only — what the public pages already show — with their declared green targets
and the levels they have achieved so far: the GB/T 50378 result of record and its R7 verdict
(``scoring.selectors.results_of_record``, the same rule as the standards page, the PDF summary and
the API), claims not yet reviewed in columns of their own labelled provisional, and the latest
GB/T 51129 grade of each single building. Readable without a token; the
whole set downloads as CSV or JSON. No investment, approval code, participant, history or
person is ever included.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.db.models.fields.json import KT
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from greenbuild.api.base import GatedViewSet
from greenbuild.core.fields import assert_public, redact
from greenbuild.projects.choices import StarLevel
from greenbuild.projects.models import Project
from greenbuild.projects.permissions import PUBLIC_STATUSES
from greenbuild.reports.excel import safe_cell

COLUMNS = [
    ("id", "编号 · id"),
    ("name", "项目名称 · project name"),
    ("programme", "试点计划 · programme"),
    ("district", "辖市区 · district"),
    ("category", "项目类别 · category"),
    ("use", "建筑用途 · use"),
    ("structure_material", "结构材料 · structure material"),
    ("total_gfa_m2", "总建筑面积（m²） · total floor area (m²)"),
    ("organisation_mode", "组织模式 · organisation mode"),
    ("owner", "建设单位 · owner"),
    ("target_star_level", "目标绿色建筑星级 · target star level"),
    ("waste_target_t_per_10k_m2", "建筑垃圾排放目标（t/万m²） · waste target (t per 10,000 m²)"),
    ("green_material_target_pct", "绿色建材应用比例目标（%） · green-material target (%)"),
    ("bim", "BIM 应用环节 · BIM in"),
    ("achieved_star_level", "已达到的绿色建筑星级 · achieved star level"),
    ("achieved_star_stage", "星级评价阶段 · stage of the rating"),
    ("assembly_grades", "装配式建筑评价等级（各单体） · prefabrication grades per building"),
    ("r7", "R7 绿色建筑星级要求（评审认定） · R7 green building level (reviewed)"),
    ("pending_star_level", "申报星级（未评审，暂定） · claimed star level (not reviewed, provisional)"),
    ("pending_star_stage", "申报评价阶段（未评审） · stage of the claims not reviewed"),
]


#: The project fields the open data reads: the field policy (projects/fields.py) must call every
#: one of them public, or this module fails at import (and the test suite with it).
SOURCE_FIELDS = assert_public(
    "projects.Project",
    [
        "id",
        "name",
        "programme",
        "district",
        "category",
        "use",
        "structure_material",
        "gfa_above_m2",
        "gfa_below_m2",
        "organisation_mode",
        "owner",
        "target_star_level",
        "waste_target_t_per_10k_m2",
        "green_material_target_pct",
        "bim_design",
        "bim_production",
        "bim_construction",
        "bim_operation",
        "status",
    ],
)


def published_pilots() -> QuerySet[Project]:
    return (
        Project.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("programme", "district", "category", "use", "structure_material", "organisation_mode", "owner")
        .order_by("pk")
    )


def achieved(projects: list[Project]) -> tuple[dict[int, Any], dict[int, list[dict[str, Any]]]]:
    """The GB/T 50378 result of record per project (``scoring.selectors.results_of_record``, the
    rule the standards page, the PDF summary and the API follow too) and the latest grade per
    building (two queries)."""
    from greenbuild.scoring.choices import Engine
    from greenbuild.scoring.models import ScoreRun
    from greenbuild.scoring.selectors import results_of_record

    ids = [p.pk for p in projects]
    stars = results_of_record(projects)
    grades: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    for row in (
        ScoreRun.objects.filter(project_id__in=ids, engine=Engine.GBT51129, building__isnull=False)
        .order_by("project_id", "building_id", "-at", "-pk")
        .values("project_id", "building_id", "building__name", grade=KT("result__grade"))
    ):
        grades[row["project_id"]].setdefault(row["building_id"], row)
    return stars, {pid: list(by_building.values()) for pid, by_building in grades.items()}


def _label(choices: Any, code: str | None) -> str | None:
    """A stored code in the reader's language (an unknown code as it is)."""
    if not code:
        return None
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def _check_label(status: str) -> str:
    """满足 / 不满足 / 尚不确定 of a requirement check."""
    return {"pass": _("Pass"), "fail": _("Fail")}.get(status, _("Not yet known"))


def records(projects: Iterable[Project]) -> list[dict[str, Any]]:
    from greenbuild.scoring.choices import Stage

    projects = list(projects)
    stars, grades = achieved(projects)
    out = []
    for p in projects:
        redact(None, p)  # the public's view of the project (the field policy), whatever is read below
        star = stars[p.pk]
        bim = [
            name
            for name, flag in (
                (_("design"), p.bim_design),
                (_("production"), p.bim_production),
                (_("construction"), p.bim_construction),
                (_("operation"), p.bim_operation),
            )
            if flag
        ]
        out.append(
            {
                "id": p.pk,
                "name": p.name,
                "programme": p.programme.name,
                "district": str(p.district),
                "category": str(p.category),
                "use": str(p.use) if p.use_id else None,
                "structure_material": str(p.structure_material) if p.structure_material_id else None,
                "total_gfa_m2": p.total_gfa_m2,
                "organisation_mode": str(p.organisation_mode) if p.organisation_mode_id else None,
                "owner": str(p.owner),
                "target_star_level": _label(StarLevel, p.target_star_level),
                "waste_target_t_per_10k_m2": p.waste_target_t_per_10k_m2,
                "green_material_target_pct": p.green_material_target_pct,
                "bim": bim,
                "achieved_star_level": _label(StarLevel, star.level),
                "achieved_star_stage": _label(Stage, star.stage),
                "assembly_grades": [
                    {"building": g["building__name"], "grade": g["grade"] if g["grade"] != "none" else None}
                    for g in grades.get(p.pk, [])
                ],
                "r7": _check_label(star.r7.status),
                "pending_star_level": _label(StarLevel, star.pending_level),
                "pending_star_stage": _label(Stage, star.pending_stage),
            }
        )
    return out


class OpenPilotSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=COLUMNS[0][1])
    name = serializers.CharField(help_text=COLUMNS[1][1])
    programme = serializers.CharField(help_text=COLUMNS[2][1])
    district = serializers.CharField(help_text=COLUMNS[3][1])
    category = serializers.CharField(help_text=COLUMNS[4][1])
    use = serializers.CharField(allow_null=True, help_text=COLUMNS[5][1])
    structure_material = serializers.CharField(allow_null=True, help_text=COLUMNS[6][1])
    total_gfa_m2 = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True, help_text=COLUMNS[7][1])
    organisation_mode = serializers.CharField(allow_null=True, help_text=COLUMNS[8][1])
    owner = serializers.CharField(help_text=COLUMNS[9][1])
    target_star_level = serializers.CharField(allow_null=True, help_text=COLUMNS[10][1])
    waste_target_t_per_10k_m2 = serializers.DecimalField(
        max_digits=10, decimal_places=2, allow_null=True, help_text=COLUMNS[11][1]
    )
    green_material_target_pct = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, help_text=COLUMNS[12][1]
    )
    bim = serializers.ListField(child=serializers.CharField(), help_text=COLUMNS[13][1])
    achieved_star_level = serializers.CharField(allow_null=True, help_text=COLUMNS[14][1])
    achieved_star_stage = serializers.CharField(allow_null=True, help_text=COLUMNS[15][1])
    assembly_grades = serializers.ListField(child=serializers.DictField(), help_text=COLUMNS[16][1])
    r7 = serializers.CharField(help_text=COLUMNS[17][1])
    pending_star_level = serializers.CharField(allow_null=True, help_text=COLUMNS[18][1])
    pending_star_stage = serializers.CharField(allow_null=True, help_text=COLUMNS[19][1])


class OpenPilotViewSet(mixins.ListModelMixin, GatedViewSet):
    """Confirmed pilots (已确定的试点项目), their declared targets and achieved levels: open data,
    no token needed."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    serializer_class = OpenPilotSerializer
    queryset = Project.objects.none()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        page = self.paginate_queryset(published_pilots())
        return self.get_paginated_response(OpenPilotSerializer(records(page), many=True).data)


def _filename(ext: str) -> str:
    return "greenbuild-pilots-{}.{}".format(timezone.localdate().isoformat(), ext)


class OpenPilotDownload(APIView):
    """The whole open data set in one file: ``format`` csv (UTF-8 with BOM, opens in Excel) or json."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    fmt = "json"

    def get(self, request: Request) -> HttpResponse:
        rows = OpenPilotSerializer(records(published_pilots()), many=True).data
        if self.fmt == "json":
            response: HttpResponse = JsonResponse(list(rows), safe=False, json_dumps_params={"ensure_ascii": False})
        else:
            buffer = io.StringIO()
            buffer.write("\ufeff")
            writer = csv.writer(buffer)
            writer.writerow([header for _key, header in COLUMNS])
            for row in rows:
                cells = []
                for key, _header in COLUMNS:
                    value = row[key]
                    if key == "bim":
                        value = "、".join(value)
                    elif key == "assembly_grades":
                        value = "；".join("{} {}".format(g["building"], g["grade"] or "—") for g in value)
                    cells.append(safe_cell(value) if value is not None else "")
                writer.writerow(cells)
            response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="{}"'.format(_filename(self.fmt))
        return response


class OpenPilotJson(OpenPilotDownload):
    fmt = "json"

    @extend_schema(responses={200: OpenPilotSerializer(many=True)})
    def get(self, request: Request) -> HttpResponse:
        return super().get(request)


class OpenPilotCsv(OpenPilotDownload):
    fmt = "csv"

    @extend_schema(responses={(200, "text/csv"): OpenApiResponse(description="CSV, UTF-8 with BOM")})
    def get(self, request: Request) -> HttpResponse:
        return super().get(request)
