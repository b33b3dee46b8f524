"""Serializers of supervision's API; every field is described in both languages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from greenbuild.supervision.choices import Severity
from greenbuild.supervision.models import (
    Draw,
    Evaluation,
    EvaluationRecommendation,
    EvaluationScore,
    InspectionPlan,
)


def _label(source: str, text: str) -> serializers.CharField:
    return serializers.CharField(source=source, read_only=True, allow_null=True, help_text=text)


class InspectionPlanSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    project = serializers.PrimaryKeyRelatedField(read_only=True, help_text="项目 · the project")
    project_name = _label("project.name", "项目名称 · the project's name")
    step_type = serializers.SlugRelatedField(
        read_only=True, slug_field="code", help_text="建设环节 · the lifecycle step (code)"
    )
    step_name = _label("step_type.name", "建设环节名称 · the step's name")
    interval_days = serializers.IntegerField(read_only=True, help_text="检查周期（天） · every … days")
    inspectors = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="检查人员 · the inspectors' user ids"
    )
    next_due = serializers.DateField(read_only=True, help_text="下次检查日期 · the next inspection is due on")
    ends_on = serializers.DateField(read_only=True, allow_null=True, help_text="结束日期 · ends on")
    status = serializers.CharField(
        read_only=True, help_text="状态：active 执行中 / paused 暂停 / ended 已结束 · status"
    )
    status_label = _label("get_status_display", "状态名称（按请求语言） · the status in the request's language")
    scheduled_count = serializers.IntegerField(read_only=True, help_text="已安排检查次数 · inspections scheduled")

    class Meta:
        model = InspectionPlan
        fields = [
            "id",
            "project",
            "project_name",
            "step_type",
            "step_name",
            "interval_days",
            "inspectors",
            "next_due",
            "ends_on",
            "status",
            "status_label",
            "scheduled_count",
        ]


class InspectionPlanMoveSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000, help_text="意见 · comment")


class RandomDrawSideSerializer(serializers.Serializer):
    what = serializers.CharField(help_text="抽取对象：projects 项目 / inspectors 检查人员 · what was drawn")
    population = serializers.ListField(
        child=serializers.IntegerField(), help_text="抽取范围（编号） · the population ids"
    )
    ratio = serializers.CharField(help_text="抽取比例 · the ratio, as in the command")
    seed = serializers.CharField(help_text="随机种子 · the seed")
    k = serializers.IntegerField(help_text="抽取数量 · k")
    selected = serializers.ListField(
        child=serializers.IntegerField(), help_text="抽中（按排序） · selected, in rank order"
    )
    recomputed = serializers.ListField(
        child=serializers.IntegerField(), help_text="按记录重新计算 · recomputed from the record"
    )
    matches = serializers.BooleanField(help_text="重新计算结果一致 · the recomputation matches")
    command = serializers.CharField(help_text="复现命令 · the command that reproduces it")


class RandomDrawSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    title = serializers.CharField(read_only=True, help_text="标题 · title")
    kind = serializers.CharField(
        read_only=True, help_text="抽取内容：both 双随机 / projects 仅项目 / inspectors 仅人员 · what is drawn"
    )
    district = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="辖市区（空：全市） · district (null: the city)"
    )
    ratio = serializers.DecimalField(
        max_digits=5, decimal_places=4, read_only=True, allow_null=True, help_text="项目抽取比例 · ratio of projects"
    )
    inspector_ratio = serializers.DecimalField(
        max_digits=5, decimal_places=4, read_only=True, allow_null=True, help_text="人员抽取比例 · ratio of inspectors"
    )
    seed = serializers.CharField(read_only=True, help_text="随机种子 · seed")
    project_population = serializers.ListField(
        child=serializers.IntegerField(), read_only=True, help_text="项目范围 · project population"
    )
    project_selected = serializers.ListField(
        child=serializers.IntegerField(), read_only=True, help_text="抽中项目 · projects selected, rank order"
    )
    inspector_population = serializers.ListField(
        child=serializers.IntegerField(), read_only=True, help_text="人员范围 · inspector population"
    )
    inspector_selected = serializers.ListField(
        child=serializers.IntegerField(), read_only=True, help_text="抽中人员 · inspectors selected, rank order"
    )
    due_on = serializers.DateField(read_only=True, help_text="检查截止日期 · inspections due")
    status = serializers.CharField(read_only=True, help_text="状态：drawn 已抽取 / published 已公开 · status")
    drawn_at = serializers.DateTimeField(read_only=True, help_text="抽取时间 · drawn at")
    published_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="公开时间 · published at")
    sides = serializers.SerializerMethodField(help_text="各抽取对象的记录与复算 · each drawn side, recomputed")

    @extend_schema_field(RandomDrawSideSerializer(many=True))
    def get_sides(self, obj: Draw) -> list[dict[str, Any]]:
        from greenbuild.supervision.selectors import draw_sides

        return [RandomDrawSideSerializer({**side.__dict__, "matches": side.matches}).data for side in draw_sides(obj)]

    class Meta:
        model = Draw
        fields = [
            "id",
            "title",
            "kind",
            "district",
            "ratio",
            "inspector_ratio",
            "seed",
            "project_population",
            "project_selected",
            "inspector_population",
            "inspector_selected",
            "due_on",
            "status",
            "drawn_at",
            "published_at",
            "sides",
        ]


class RandomDrawWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, help_text="标题 · title")
    kind = serializers.CharField(
        max_length=12, help_text="抽取内容：both 双随机 / projects 仅项目 / inspectors 仅人员 · what is drawn"
    )
    district = serializers.IntegerField(
        required=False, allow_null=True, help_text="辖市区编号（空：全市） · district id (null: the city)"
    )
    ratio = serializers.CharField(
        required=False, allow_blank=True, max_length=12, help_text="项目抽取比例 (0, 1] · ratio of projects"
    )
    inspector_ratio = serializers.CharField(
        required=False, allow_blank=True, max_length=12, help_text="人员抽取比例 (0, 1] · ratio of inspectors"
    )
    due_on = serializers.DateField(help_text="检查截止日期 · inspections due")
    projects = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="（仅抽人员时）检查的项目 · projects, for an inspectors-only draw",
    )
    inspectors = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="（仅抽项目时）检查人员 · inspectors, for a projects-only draw",
    )


class EvaluationScoreSerializer(serializers.ModelSerializer):
    aspect = serializers.CharField(max_length=100, help_text="评估方面 · aspect")
    score = serializers.DecimalField(
        max_digits=5, decimal_places=1, min_value=0, max_value=100, help_text="得分 (0–100) · score"
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, help_text="说明 · comment")

    class Meta:
        model = EvaluationScore
        fields = ["aspect", "score", "comment"]


class EvaluationRecommendationSerializer(serializers.ModelSerializer):
    number = serializers.IntegerField(read_only=True, help_text="序号 · number")
    text = serializers.CharField(max_length=5000, help_text="建议 · recommendation")
    demands_action = serializers.BooleanField(
        required=False, default=False, help_text="需整改（转为问题） · demands action (becomes a finding)"
    )
    severity = serializers.CharField(
        required=False,
        default=Severity.MINOR,
        max_length=10,
        help_text="严重程度：minor 一般 / major 较重 / critical 严重 · severity",
    )
    clause = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="指南条目或标准条款 · clause"
    )
    finding_id = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="对应问题编号 · the finding raised"
    )

    class Meta:
        model = EvaluationRecommendation
        fields = ["number", "text", "demands_action", "severity", "clause", "finding_id"]


class ThirdPartyEvaluationSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    project = serializers.PrimaryKeyRelatedField(read_only=True, help_text="项目 · the project")
    step_type = serializers.SlugRelatedField(
        read_only=True, slug_field="code", help_text="建设环节 · lifecycle step (code)"
    )
    evaluator = serializers.PrimaryKeyRelatedField(read_only=True, help_text="评估机构 · the evaluator organisation")
    evaluator_name = _label("evaluator.name", "评估机构名称 · the evaluator's name")
    scope = serializers.CharField(read_only=True, help_text="评估内容 · what to evaluate")
    due_on = serializers.DateField(read_only=True, help_text="报告截止日期 · report due")
    status = serializers.CharField(
        read_only=True, help_text="状态：assigned 已委托 / filed 已提交 / returned 退回 / accepted 已采纳 · status"
    )
    status_label = _label("get_status_display", "状态名称（按请求语言） · the status in the request's language")
    summary = serializers.CharField(read_only=True, help_text="报告摘要 · summary")
    scores = EvaluationScoreSerializer(many=True, read_only=True, help_text="各方面得分 · scores")
    recommendations = EvaluationRecommendationSerializer(many=True, read_only=True, help_text="建议 · recommendations")

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "project",
            "step_type",
            "evaluator",
            "evaluator_name",
            "scope",
            "due_on",
            "status",
            "status_label",
            "summary",
            "scores",
            "recommendations",
        ]


class ThirdPartyEvaluationWriteSerializer(serializers.Serializer):
    project = serializers.IntegerField(help_text="项目编号 · project id")
    step_type = serializers.CharField(max_length=40, help_text="建设环节代码 · lifecycle step code")
    evaluator = serializers.IntegerField(help_text="评估机构编号 · evaluator organisation id")
    scope = serializers.CharField(max_length=5000, help_text="评估内容 · what to evaluate")
    due_on = serializers.DateField(help_text="报告截止日期 · report due")


class EvaluationReportWriteSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=20000, help_text="报告摘要 · summary")
    scores = EvaluationScoreSerializer(many=True, help_text="各方面得分 · scores")
    recommendations = EvaluationRecommendationSerializer(many=True, required=False, help_text="建议 · recommendations")


class ThirdPartyEvaluationMoveSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000, help_text="意见 · comment")
