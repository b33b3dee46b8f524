"""Serializers of the incentives API; every field is described in both languages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from greenbuild.incentives.choices import Audience
from greenbuild.incentives.models import (
    BonusRecord,
    BonusRule,
    BonusRulePoint,
    EscrowEligibility,
    TrainingAttendance,
    TrainingSession,
)

AUDIENCE_CODES = " / ".join(Audience.values)


def _label(source: str, text: str) -> serializers.CharField:
    return serializers.CharField(read_only=True, source=source, help_text=text)


class BonusRulePointSerializer(serializers.ModelSerializer):
    role = serializers.CharField(read_only=True, help_text="在试点中的角色 · role in the pilot")
    level = serializers.CharField(read_only=True, help_text="评估结果等级 · result level (excellent / passed)")
    points = serializers.DecimalField(max_digits=5, decimal_places=1, read_only=True, help_text="加分 · points")

    class Meta:
        model = BonusRulePoint
        fields = ["role", "level", "points"]


class BonusRuleSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    version = serializers.CharField(read_only=True, help_text="版本 · version")
    title = serializers.CharField(read_only=True, help_text="名称 · title")
    effective_from = serializers.DateField(read_only=True, help_text="生效日期 · effective from")
    source = serializers.CharField(read_only=True, help_text="依据文件 · source document")
    excellent_score = serializers.DecimalField(
        max_digits=5, decimal_places=1, read_only=True, allow_null=True, help_text="优秀分数线 · score for distinction"
    )
    points = BonusRulePointSerializer(many=True, read_only=True, help_text="分值表 · the points by role and level")

    class Meta:
        model = BonusRule
        fields = ["id", "version", "title", "effective_from", "source", "excellent_score", "points"]


class BonusRecordSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    project = serializers.PrimaryKeyRelatedField(read_only=True, help_text="试点项目 · the pilot")
    project_name = _label("project.name", "试点项目名称 · the pilot's name")
    organisation = serializers.PrimaryKeyRelatedField(read_only=True, help_text="企业 · the enterprise")
    organisation_name = _label("organisation.name", "企业名称 · the enterprise's name")
    role = serializers.CharField(read_only=True, help_text="在试点中的角色 · role in the pilot")
    level = serializers.CharField(read_only=True, help_text="评估结果等级 · result level")
    points = serializers.DecimalField(max_digits=5, decimal_places=1, read_only=True, help_text="加分 · points")
    rule = serializers.PrimaryKeyRelatedField(read_only=True, help_text="加分规则版本 · the rule version applied")
    basis = serializers.CharField(read_only=True, help_text="依据 · the completion evaluation it rests on")
    status = serializers.CharField(read_only=True, help_text="状态：active 有效 / revoked 已撤销 · status")
    created_at = serializers.DateTimeField(read_only=True, help_text="记录时间 · recorded at")
    revoked_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="撤销时间 · revoked at")
    revoke_reason = serializers.CharField(read_only=True, help_text="撤销理由 · reason for revocation")

    class Meta:
        model = BonusRecord
        fields = [
            "id",
            "project",
            "project_name",
            "organisation",
            "organisation_name",
            "role",
            "level",
            "points",
            "rule",
            "basis",
            "status",
            "created_at",
            "revoked_at",
            "revoke_reason",
        ]


class ProjectBodySerializer(serializers.Serializer):
    project = serializers.IntegerField(help_text="试点项目编号 · the pilot's id")


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=5000, help_text="理由或记录 · the reason (revoke) or the release record")


class EscrowSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    project = serializers.PrimaryKeyRelatedField(read_only=True, help_text="试点项目 · the pilot")
    project_name = _label("project.name", "试点项目名称 · the pilot's name")
    status = serializers.CharField(
        read_only=True, help_text="状态：eligible 可释放 / ineligible 不可释放 / released 已释放 · status"
    )
    basis = serializers.CharField(read_only=True, help_text="依据 · the completion result it rests on")
    decided_at = serializers.DateTimeField(read_only=True, help_text="决定时间 · decided at")
    released_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="释放时间 · released at")
    release_note = serializers.CharField(read_only=True, help_text="释放记录 · the release record")

    class Meta:
        model = EscrowEligibility
        fields = ["id", "project", "project_name", "status", "basis", "decided_at", "released_at", "release_note"]


class TrainingSessionSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    topic = serializers.CharField(read_only=True, help_text="主题 · topic")
    date = serializers.DateField(read_only=True, help_text="日期 · date")
    place = serializers.CharField(read_only=True, help_text="地点 · place")
    audiences = serializers.SerializerMethodField(
        help_text="培训对象：development 开发 / design 设计 / production 生产 / construction 施工 / "
        "supervision 监理 / testing 检测 · audiences"
    )
    organiser = serializers.CharField(read_only=True, help_text="主办 · organiser")
    attendance_count = serializers.SerializerMethodField(help_text="参训人数 · number of attendees")

    class Meta:
        model = TrainingSession
        fields = ["id", "topic", "date", "place", "audiences", "organiser", "attendance_count"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_audiences(self, obj: TrainingSession) -> list[str]:
        return list(obj.audiences)

    def get_attendance_count(self, obj: Any) -> int:
        return int(getattr(obj, "attendance_count", None) or obj.attendance.count())


class TrainingSessionWriteSerializer(serializers.Serializer):
    topic = serializers.CharField(help_text="主题 · topic")
    date = serializers.DateField(help_text="日期 · date")
    place = serializers.CharField(help_text="地点 · place")
    audiences = serializers.ListField(
        child=serializers.CharField(), help_text="培训对象（代码，见上） · audiences: " + AUDIENCE_CODES
    )
    organiser = serializers.CharField(required=False, help_text="主办 · organiser")
    notes = serializers.CharField(required=False, help_text="备注 · notes")


class AttendanceSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    session = serializers.PrimaryKeyRelatedField(read_only=True, help_text="培训 · the session")
    person_name = serializers.CharField(read_only=True, help_text="姓名 · name")
    position = serializers.CharField(read_only=True, help_text="职务 · position")
    organisation = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="企业（平台内） · the enterprise, when registered"
    )
    organisation_name = serializers.CharField(read_only=True, help_text="企业名称 · the enterprise's name")
    audience = serializers.CharField(read_only=True, help_text="培训对象 · audience")

    class Meta:
        model = TrainingAttendance
        fields = ["id", "session", "person_name", "position", "organisation", "organisation_name", "audience"]


class AttendanceWriteSerializer(serializers.Serializer):
    person_name = serializers.CharField(help_text="姓名 · name")
    organisation_name = serializers.CharField(help_text="企业名称 · the enterprise's name")
    audience = serializers.CharField(help_text="培训对象 · audience: " + AUDIENCE_CODES)
    position = serializers.CharField(required=False, help_text="职务 · position")
