"""The lifecycle app's API representations (writes go through ``lifecycle/services.py``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from greenbuild.api.base import LabelField
from greenbuild.lifecycle.models import (
    Baseline,
    BaselineChangeRequest,
    ProjectStep,
    StepCondition,
    StepItem,
    StepType,
)

TARGETS_HELP = (
    "目标值（星级、各单体装配率、建筑垃圾、绿色建材占比、碳排放强度） · targets, in the shape of a plan's targets"
)


MEASURES_HELP = "措施（导则条目编号 → 措施） · measures, guideline item code → measure"


class BaselineSerializer(serializers.ModelSerializer):
    targets = serializers.JSONField(read_only=True, help_text=TARGETS_HELP)
    measures = serializers.JSONField(read_only=True, help_text="变更替换的措施 · " + MEASURES_HELP)
    source = serializers.CharField(
        read_only=True, help_text="来源（策划方案版本及评审，或变更申请） · what the version came from"
    )
    exception_requirements = serializers.SerializerMethodField(
        help_text="经批准例外、本版基线不满足的试点要求 · pilot requirements this version does not meet, approved as exceptions"
    )

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_exception_requirements(self, obj: Baseline) -> list[str]:
        from greenbuild.lifecycle.selectors import baseline_exceptions

        return baseline_exceptions(obj)

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
            "measures",
            "source",
            "source_plan_version",
            "review_round",
            "change_request",
            "locked_at",
            "locked_by",
            "locked_by_name",
            "exception_requirements",
        ]
        read_only_fields = fields


class EffectRowSerializer(serializers.Serializer):
    requirement = serializers.CharField(read_only=True, help_text="要求 · requirement, R7–R14")
    title = serializers.CharField(read_only=True, help_text="要求名称 · requirement title")
    before = serializers.CharField(
        source="before.status",
        read_only=True,
        help_text="变更前 · without the change: pass / fail / unknown / not_applicable",
    )
    before_reason = serializers.CharField(source="before.reason", read_only=True, help_text="理由 · reason")
    after = serializers.CharField(
        source="after.status",
        read_only=True,
        help_text="变更后 · with the change: pass / fail / unknown / not_applicable",
    )
    after_reason = serializers.CharField(source="after.reason", read_only=True, help_text="理由 · reason")


class ChangeEffectSerializer(serializers.Serializer):
    rows = EffectRowSerializer(many=True, read_only=True, help_text="R7–R14 变更前后 · without and with the change")
    failing_before = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="变更前不满足的要求 · failing without the change"
    )
    failing_after = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="变更后不满足的要求 · failing with the change"
    )
    error = serializers.CharField(read_only=True, help_text="无法校核的原因 · why the change could not be checked")


class ChangeRequestSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(read_only=True, help_text="状态名称 · status, in words")
    proposed_targets = serializers.JSONField(read_only=True, help_text=TARGETS_HELP)
    proposed_measures = serializers.JSONField(read_only=True, help_text="拟替换的措施 · " + MEASURES_HELP)
    exception_requirements = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="经批准例外、变更后不满足的要求 · requirements not met, approved as exceptions",
    )
    effect = serializers.SerializerMethodField(help_text="R7–R14 变更前后校核 · R7–R14 without and with the change")

    @extend_schema_field(ChangeEffectSerializer)
    def get_effect(self, obj: BaselineChangeRequest) -> dict[str, Any]:
        from greenbuild.lifecycle.selectors import change_effect

        return dict(ChangeEffectSerializer(change_effect(obj)).data)

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
            "proposed_measures",
            "documents",
            "effect",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "comment",
            "exception_requirements",
            "signoff_note",
        ]
        read_only_fields = fields


class ChangeRequestWriteSerializer(serializers.Serializer):
    project = serializers.IntegerField(help_text="项目编号 · the project's id")
    reasons = serializers.CharField(help_text="变更理由 · reasons for the change", allow_blank=True)
    targets = serializers.JSONField(help_text=TARGETS_HELP)
    measures = serializers.JSONField(required=False, help_text="拟替换的措施 · " + MEASURES_HELP)
    documents = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="本项目已上传的佐证文件编号 · ids of files of the project supporting the request",
    )


class ChangeDecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text="意见（不同意或批准例外时必填） · comment (required to refuse or to approve as an exception)",
    )
    signoff = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text="专家或联席会议意见（批准例外时可填） · expert or conference sign-off of an exception",
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
            "instrument_required",
            "applies_to",
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


class StepConditionSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    number = serializers.IntegerField(read_only=True, help_text="条件序号 · number within the step")
    text = serializers.CharField(read_only=True, help_text="附加条件 · the condition")
    status = serializers.CharField(
        read_only=True, help_text="状态：open 待落实 / answered 已答复待确认 / confirmed 已落实 · status"
    )
    answer = serializers.CharField(read_only=True, help_text="建设单位落实情况 · the owner's answer")
    review_note = serializers.CharField(read_only=True, help_text="部门意见 · the department's note")
    confirmed_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="确认时间 · when the department confirmed it"
    )

    class Meta:
        model = StepCondition
        fields = ["id", "number", "text", "status", "answer", "review_note", "confirmed_at"]
        read_only_fields = fields


class StepConditionMoveSerializer(serializers.Serializer):
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text="落实情况（answer）或部门意见（send_back 时必填） · the answer, or the note to send it back",
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
    condition_rows = StepConditionSerializer(
        many=True, read_only=True, help_text="附条件同意的条件及落实情况 · the conditions of the approval"
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
            "instrument",
            "supplements",
            "items",
            "condition_rows",
        ]
        read_only_fields = fields


class StepMoveSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text="意见、条件（每行一条）或重新报送的答复 · comment, conditions (one per line) or the resubmission's answer",
    )
    instrument = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="已签发文书：已上传至本项目的附件编号（同意时） · the signed instrument: id of a file uploaded to the project",
    )


class StepTransitionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    from_status = serializers.CharField(read_only=True, help_text="原状态 · from")
    to_status = serializers.CharField(read_only=True, help_text="新状态 · to")
    comment = serializers.CharField(read_only=True, help_text="意见 · comment")
    at = serializers.DateTimeField(read_only=True, help_text="时间 · at")
