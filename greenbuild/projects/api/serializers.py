"""The projects app's API representations. Writes are validated by the page forms
(``projects/forms.py``) and made by ``projects/services.py``; these describe what is read."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from greenbuild.api.base import LabelField
from greenbuild.core.fields import redact_dict
from greenbuild.projects.forms import BuildingForm, ProjectForm
from greenbuild.projects.models import Building, Project, ProjectParticipant, ProjectTransition

#: Every field of the representation, in order. Which of them a reader receives is the field
#: policy's to say (``projects/fields.py``): the public face for everyone, investment, approval
#: code, internal timestamps and moves for the readers of the project's internals.
FIELDS = [
    "id",
    "url",
    "programme",
    "name",
    "status",
    "status_label",
    "district",
    "district_name",
    "address",
    "category",
    "category_name",
    "use",
    "use_name",
    "structure_material",
    "structure_material_name",
    "structure_system",
    "structure_system_name",
    "gfa_above_m2",
    "gfa_below_m2",
    "planned_start",
    "planned_completion",
    "organisation_mode",
    "organisation_mode_name",
    "owner",
    "owner_name",
    "target_star_level",
    "standardised_design",
    "waste_target_t_per_10k_m2",
    "green_material_target_pct",
    "bim_design",
    "bim_production",
    "bim_construction",
    "bim_operation",
    "smart_site_measures",
    "construction_robots",
    "pipeline_separation",
    "prefabricated_decoration",
    "investment_nature",
    "investment_nature_name",
    "investment_wan_yuan",
    "approval_code",
    "submitted_at",
    "created_at",
    "updated_at",
    "available_actions",
]


class ProjectSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:project-detail", help_text="接口地址 · this object in the API"
    )
    status_label = serializers.CharField(
        source="get_status_display", read_only=True, help_text="状态名称 · status, in words"
    )
    district_name = LabelField("district")
    category_name = LabelField("category")
    use_name = LabelField("use")
    structure_material_name = LabelField("structure_material")
    structure_system_name = LabelField("structure_system")
    organisation_mode_name = LabelField("organisation_mode")
    investment_nature_name = LabelField("investment_nature")
    owner_name = LabelField("owner")
    available_actions = serializers.SerializerMethodField(
        help_text="可执行的流程操作（仅单个项目） · the workflow moves the requesting user may make now (single project only)"
    )

    class Meta:
        model = Project
        fields = FIELDS
        read_only_fields = ["status", "owner", "programme", "submitted_at", "created_at", "updated_at"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField(), allow_null=True))
    def get_available_actions(self, project: Project) -> list[str] | None:
        """On a single project only (null in lists, where it would cost queries per row)."""
        from greenbuild.projects.workflow import available_moves

        if self.context.get("list"):
            return None

        return [move.action for move in available_moves(project, self.context["request"].user)]

    def to_representation(self, instance: Any) -> dict[str, Any]:
        # Lists and details alike: DRF's field machinery (fields built per request, one call per
        # field) cost most of their time (bench/api.py); a test proves both forms give the same dict.
        data = self.list_row(instance)
        if not self.context.get("list"):
            data["available_actions"] = self.get_available_actions(instance)
        request = self.context.get("request")
        return redact_dict(getattr(request, "user", None), instance, data)  # the field policy

    def list_row(self, p: Project) -> dict[str, Any]:
        """The same representation as ``super().to_representation`` (``available_actions`` left
        None), written out by hand; ``test_list_row_is_drfs_representation`` proves it."""
        template = self.context.get("_url_template")
        if template is None:
            marker = 987654321
            request = self.context["request"]
            url = request.build_absolute_uri(reverse("api:project-detail", args=[marker]))
            template = self.context["_url_template"] = url.replace(str(marker), "{}")

        def label(related: Any) -> str | None:
            return str(related) if related is not None else None

        return {
            "id": p.pk,
            "url": template.format(p.pk),
            "programme": p.programme_id,
            "name": p.name,
            "status": p.status,
            "status_label": str(_STATUS_LABELS.get(p.status, p.status)),  # get_status_display, without its cost
            "district": p.district_id,
            "district_name": label(p.district),
            "address": p.address,
            "category": p.category_id,
            "category_name": label(p.category),
            "use": p.use_id,
            "use_name": label(p.use),
            "structure_material": p.structure_material_id,
            "structure_material_name": label(p.structure_material),
            "structure_system": p.structure_system_id,
            "structure_system_name": label(p.structure_system),
            "gfa_above_m2": _decimal(p.gfa_above_m2, 2),
            "gfa_below_m2": _decimal(p.gfa_below_m2, 2),
            "planned_start": p.planned_start.isoformat() if p.planned_start else None,
            "planned_completion": p.planned_completion.isoformat() if p.planned_completion else None,
            "organisation_mode": p.organisation_mode_id,
            "organisation_mode_name": label(p.organisation_mode),
            "owner": p.owner_id,
            "owner_name": label(p.owner),
            "target_star_level": p.target_star_level,
            "standardised_design": p.standardised_design,
            "waste_target_t_per_10k_m2": _decimal(p.waste_target_t_per_10k_m2, 2),
            "green_material_target_pct": _decimal(p.green_material_target_pct, 2),
            "bim_design": p.bim_design,
            "bim_production": p.bim_production,
            "bim_construction": p.bim_construction,
            "bim_operation": p.bim_operation,
            "smart_site_measures": p.smart_site_measures,
            "construction_robots": p.construction_robots,
            "pipeline_separation": p.pipeline_separation,
            "prefabricated_decoration": p.prefabricated_decoration,
            "investment_nature": p.investment_nature_id,
            "investment_nature_name": label(p.investment_nature),
            "investment_wan_yuan": _decimal(p.investment_wan_yuan, 2),
            "approval_code": p.approval_code,
            "submitted_at": _DATETIME.to_representation(p.submitted_at) if p.submitted_at else None,
            "created_at": _DATETIME.to_representation(p.created_at) if p.created_at else None,
            "updated_at": _DATETIME.to_representation(p.updated_at) if p.updated_at else None,
            "available_actions": None,
        }


_DATETIME = serializers.DateTimeField()
_STATUS_LABELS = dict(Project._meta.get_field("status").flatchoices)  # lazy labels: translated by str()


def _decimal(value: Any, places: int) -> str | None:
    if value is None:
        return None
    return str(Decimal(value).quantize(Decimal(1).scaleb(-places)))


class ProjectWriteSerializer(serializers.ModelSerializer):
    """What a create or a PATCH may send: exactly the fields of the application form."""

    class Meta:
        model = Project
        fields = list(ProjectForm.base_fields)
        form = ProjectForm  # the schema requires what the form requires (api.schema, API-06)


class BuildingSerializer(serializers.ModelSerializer):
    structure_material_name = LabelField("structure_material")
    structure_system_name = LabelField("structure_system")

    class Meta:
        model = Building
        fields = ["id", "project", *BuildingForm.base_fields, "structure_material_name", "structure_system_name"]
        read_only_fields = ["project"]


class BuildingWriteSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(help_text="所属项目编号 · id of the project (on create only)")

    class Meta:
        model = Building
        fields = ["project", *BuildingForm.base_fields]


class ParticipantSerializer(serializers.ModelSerializer):
    organisation_name = LabelField("organisation")
    role_label = serializers.CharField(source="get_role_display", read_only=True, help_text="角色名称 · role, in words")

    class Meta:
        model = ProjectParticipant
        fields = ["id", "project", "organisation", "organisation_name", "role", "role_label"]


class TransitionSerializer(serializers.ModelSerializer):
    actor_name = LabelField("actor")
    from_label = serializers.CharField(read_only=True, help_text="原状态名称 · from, in words")
    to_label = serializers.CharField(read_only=True, help_text="新状态名称 · to, in words")

    class Meta:
        model = ProjectTransition
        fields = [
            "id",
            "project",
            "from_status",
            "from_label",
            "to_status",
            "to_label",
            "actor",
            "actor_name",
            "at",
            "comment",
        ]


class MoveSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="意见（退回、驳回、撤回时必填） · comment (required for some moves)",
    )
