"""The lifecycle app's API representations (writes go through ``lifecycle/services.py``)."""

from __future__ import annotations

from rest_framework import serializers

from greenbuild.api.base import LabelField
from greenbuild.lifecycle.models import Baseline, BaselineChangeRequest, ProjectStep, StepItem, StepType

TARGETS_HELP = (
    "目标值（星级、各单体装配率、建筑垃圾、绿色建材占比、碳排放强度） · targets, in the shape of a plan's targets"
)


class BaselineSerializer(serializers.ModelSerializer):
    targets = serializers.JSONField(read_only=True, help_text=TARGETS_HELP)
    locked_by_name = serializers.CharField(
        source="locked_by.display_name", read_only=True, help_text="锁定人 · locked by, name"
    )

    class Meta:
        model = Baseline
        fields = [
            "id",
            "project",
            "version",
            "targets",
            "source_plan_version",
            "review_round",
            "change_request",
            "locked_at",
            "locked_by",
            "locked_by_name",
        ]
        read_only_fields = fields


class ChangeRequestSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(read_only=True, help_text="状态名称 · status, in words")
    proposed_targets = serializers.JSONField(read_only=True, help_text=TARGETS_HELP)

    class Meta:
        model = BaselineChangeRequest
        fields = [
            "id",
            "project",
            "baseline",
            "status",
            "status_label",
            "reasons",
            "proposed_targets",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "comment",
        ]
        read_only_fields = fields


class ChangeRequestWriteSerializer(serializers.Serializer):
    project = serializers.IntegerField(help_text="项目编号 · the project's id")
    reasons = serializers.CharField(help_text="变更理由 · reasons for the change", allow_blank=True)
    targets = serializers.JSONField(help_text=TARGETS_HELP)


class ChangeDecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text="意见（不同意时必填） · comment (required to refuse)",
    )


class StepTypeSerializer(serializers.ModelSerializer):
    department_name = LabelField("department")
    name = serializers.CharField(read_only=True, help_text="名称（按请求语言） · name in the request's language")
    instrument = serializers.CharField(
        read_only=True, help_text="文书（按请求语言） · instrument in the request's language"
    )

    class Meta:
        model = StepType
        fields = [
            "id",
            "code",
            "name",
            "name_zh",
            "name_en",
            "department",
            "department_name",
            "order",
            "parallel_group",
            "instrument",
            "instrument_zh",
            "instrument_en",
        ]
        read_only_fields = fields


class StepItemSerializer(serializers.ModelSerializer):
    code = serializers.CharField(
        source="guideline_item.code", read_only=True, help_text="导则条目编号 · guideline item code"
    )
    text = serializers.CharField(
        source="guideline_item.text", read_only=True, help_text="导则条文 · guideline item text"
    )
    mandatory = serializers.BooleanField(
        source="guideline_item.mandatory", read_only=True, help_text="是否强制 · whether the item is mandatory"
    )

    class Meta:
        model = StepItem
        fields = [
            "id",
            "step",
            "guideline_item",
            "code",
            "text",
            "mandatory",
            "status",
            "note",
            "written_by",
            "written_at",
        ]
        read_only_fields = fields


class StepItemWriteSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="open / written / not_applicable · 状态")
    note = serializers.CharField(
        required=False, allow_blank=True, help_text="写入文书的方式 · how it is written into the instrument"
    )


class ProjectStepSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="type.code", read_only=True, help_text="环节代码 · step code")
    name = serializers.CharField(source="type.name", read_only=True, help_text="环节名称 · step name")
    department = serializers.IntegerField(
        source="type.department_id", read_only=True, help_text="责任部门 · department id"
    )
    status_label = serializers.CharField(read_only=True, help_text="状态名称 · status, in words")
    items = StepItemSerializer(
        many=True, read_only=True, help_text="应写入文书的导则条目 · guideline items of the step"
    )

    class Meta:
        model = ProjectStep
        fields = [
            "id",
            "project",
            "type",
            "code",
            "name",
            "department",
            "status",
            "status_label",
            "opened_at",
            "signed_by",
            "signed_at",
            "conditions",
            "documents",
            "items",
        ]
        read_only_fields = fields


class StepMoveSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="意见或条件 · comment or conditions"
    )


class StepTransitionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    from_status = serializers.CharField(read_only=True, help_text="原状态 · from")
    to_status = serializers.CharField(read_only=True, help_text="新状态 · to")
    comment = serializers.CharField(read_only=True, help_text="意见 · comment")
    at = serializers.DateTimeField(read_only=True, help_text="时间 · at")
