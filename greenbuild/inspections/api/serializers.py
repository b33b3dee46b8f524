"""Serializers of the inspections API; every field is described in both languages."""

from __future__ import annotations

from rest_framework import serializers

from greenbuild.inspections.models import ChecklistItem, Finding, Inspection, OrderTransition, RectificationOrder


def _ro(help_text: str, **kwargs: object) -> serializers.CharField:
    return serializers.CharField(read_only=True, help_text=help_text, **kwargs)  # type: ignore[arg-type]


class ChecklistItemSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    source = _ro("来源：guideline 导则条目 / baseline 基线目标 · source")
    code = _ro("条目编号或要求编号 · item code or requirement")
    text = _ro("检查内容 · what to check")
    target = _ro("基线目标值 · the baseline target")
    result = _ro("结果：pending 未检查 / pass 符合 / fail 不符合 / na 不适用 · result")
    note = _ro("备注 · note")

    class Meta:
        model = ChecklistItem
        fields = ["id", "source", "code", "text", "target", "result", "note"]


class InspectionSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    project = serializers.PrimaryKeyRelatedField(read_only=True, help_text="项目 · the project")
    step = serializers.SlugRelatedField(
        read_only=True, slug_field="code", allow_null=True, help_text="建设环节 · lifecycle step code"
    )
    inspector = serializers.PrimaryKeyRelatedField(read_only=True, help_text="检查人员 · the inspector's user id")
    due_on = serializers.DateField(read_only=True, help_text="计划检查日期 · due date")
    plan = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True, help_text="检查计划 · inspection plan")
    draw = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True, help_text="随机抽取 · random draw")
    reason = _ro("检查事由 · reason")
    status = _ro("状态：scheduled / in_progress / submitted / cancelled · status")
    status_label = _ro("状态名称 · status label", source="get_status_display")
    summary = _ro("检查结论 · conclusion")
    checklist = ChecklistItemSerializer(many=True, read_only=True, help_text="检查表 · checklist")

    class Meta:
        model = Inspection
        fields = [
            "id",
            "project",
            "step",
            "inspector",
            "due_on",
            "plan",
            "draw",
            "reason",
            "status",
            "status_label",
            "summary",
            "checklist",
        ]


class ScheduleSerializer(serializers.Serializer):
    project = serializers.IntegerField(help_text="项目编号 · project id")
    inspector = serializers.IntegerField(help_text="检查人员的用户编号 · the inspector's user id")
    due_on = serializers.DateField(help_text="计划检查日期（不得早于今天） · due date, not in the past")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, help_text="事由 · reason")


class FindingSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    project = serializers.PrimaryKeyRelatedField(read_only=True, help_text="项目 · the project")
    inspection = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True, help_text="检查 · the inspection")
    source = _ro("类型：inspection 检查 / evaluation 第三方评估 / complaint 公众投诉 / other 其他 · type")
    severity = _ro("严重程度：minor 一般 / major 较重 / critical 严重 · severity")
    guideline_item = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="导则条目 · guideline item"
    )
    clause = _ro("标准条款 · standard clause")
    location = _ro("部位 · location")
    summary = _ro("问题描述 · description")
    status = _ro("状态：open / rectifying / closed · status")
    order = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="整改通知书 · the order", source="order_or_none"
    )
    photos = serializers.SerializerMethodField(help_text="照片编号 · the photos' attachment ids")

    class Meta:
        model = Finding
        fields = [
            "id",
            "project",
            "inspection",
            "source",
            "severity",
            "guideline_item",
            "clause",
            "location",
            "summary",
            "status",
            "order",
            "photos",
        ]

    def get_photos(self, obj: Finding) -> list[int]:
        return [photo.attachment_id for photo in obj.photos.all()]


class FindingWriteSerializer(serializers.Serializer):
    inspection = serializers.IntegerField(help_text="进行中的检查编号 · an inspection in progress")
    severity = serializers.CharField(help_text="严重程度 · severity: minor / major / critical")
    clause = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text="标准条款 · clause")
    location = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="部位 · location")
    summary = serializers.CharField(max_length=5000, help_text="问题描述 · description")
    deadline = serializers.DateField(required=False, allow_null=True, help_text="整改期限（签发整改通知书） · deadline")
    instructions = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="整改要求 · what to rectify"
    )


class OrderSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    finding = serializers.PrimaryKeyRelatedField(read_only=True, help_text="问题 · the finding")
    project = serializers.PrimaryKeyRelatedField(read_only=True, help_text="项目 · the project")
    number = _ro("文号 · document number")
    deadline = serializers.DateField(read_only=True, help_text="整改期限 · deadline")
    instructions = _ro("整改要求 · what to rectify")
    status = _ro("状态：issued 待整改 / answered 待复核 / closed 已销号 · status")
    overdue = serializers.BooleanField(read_only=True, help_text="是否逾期 · overdue")
    answer = _ro("整改情况 · the owner's answer")
    evidence = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="整改证据 · evidence attachment ids"
    )

    class Meta:
        model = RectificationOrder
        fields = [
            "id",
            "finding",
            "project",
            "number",
            "deadline",
            "instructions",
            "status",
            "overdue",
            "answer",
            "evidence",
        ]


class OrderWriteSerializer(serializers.Serializer):
    finding = serializers.IntegerField(help_text="问题编号 · finding id")
    deadline = serializers.DateField(help_text="整改期限（不得早于今天） · deadline, not in the past")
    instructions = serializers.CharField(max_length=5000, help_text="整改要求 · what to rectify")


class OrderMoveSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="说明（整改回复、重新打开时必填） · comment"
    )
    deadline = serializers.DateField(
        required=False, allow_null=True, help_text="重新打开时的新期限 · new deadline (reopen)"
    )


class InspectionMoveSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000, help_text="说明 · comment")


class EvidenceSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="整改证据文件 · the evidence file")


class OrderTransitionSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    from_status = _ro("原状态 · from")
    to_status = _ro("新状态 · to")
    actor = serializers.PrimaryKeyRelatedField(read_only=True, help_text="操作人 · actor")
    at = serializers.DateTimeField(read_only=True, help_text="时间 · at")
    comment = _ro("说明 · comment")

    class Meta:
        model = OrderTransition
        fields = ["id", "from_status", "to_status", "actor", "at", "comment"]
