"""Serializers of the completion API; every field described in both languages."""

from __future__ import annotations

from rest_framework import serializers

from greenbuild.completion.models import CompletionEvaluation, EvaluationScheme, IncrementalCost, Lesson


class CompletionSchemeSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    version = serializers.IntegerField(read_only=True, help_text="版本号 · version")
    name = serializers.CharField(read_only=True, help_text="名称 · name")
    rules = serializers.CharField(read_only=True, help_text="评价制度 · evaluation rules")
    method = serializers.CharField(read_only=True, help_text="评价方法 · evaluation method")
    criteria = serializers.JSONField(read_only=True, help_text="评价指标及权重 · criteria and weights")
    pass_score = serializers.DecimalField(
        max_digits=5, decimal_places=1, read_only=True, help_text="合格分 · pass score"
    )
    note = serializers.CharField(read_only=True, help_text="修订说明 · what changed")
    created_at = serializers.DateTimeField(read_only=True, help_text="创建时间 · created at")

    class Meta:
        model = EvaluationScheme
        fields = ["id", "version", "name", "rules", "method", "criteria", "pass_score", "note", "created_at"]


class CompletionSchemeWriteSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="名称 · name")
    rules = serializers.CharField(help_text="评价制度 · evaluation rules")
    method = serializers.CharField(help_text="评价方法 · evaluation method")
    criteria = serializers.JSONField(help_text="评价指标（JSON列表或其文本） · the criteria (a JSON list or its text)")
    pass_score = serializers.CharField(help_text="合格分 · pass score")
    note = serializers.CharField(help_text="修订说明 · what changed")


class CompletionEvaluationSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    project = serializers.PrimaryKeyRelatedField(read_only=True, help_text="项目 · project")
    scheme_version = serializers.IntegerField(
        source="scheme.version", read_only=True, help_text="评价体系版本 · scheme version"
    )
    status = serializers.CharField(
        read_only=True,
        help_text="状态：draft / panel / panel_concluded / accepted / not_accepted · status",
    )
    status_label = serializers.CharField(read_only=True, help_text="状态名称 · the status in the request's language")
    is_final = serializers.BooleanField(
        read_only=True, help_text="是否为最终结果（未验收时为暂定） · final, else provisional"
    )
    verdict = serializers.CharField(read_only=True, help_text="比对结论：met / not_met / incomplete · verdict")
    score = serializers.DecimalField(
        max_digits=5, decimal_places=1, read_only=True, allow_null=True, help_text="加权得分 · weighted score"
    )
    baseline_version = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="基线版本 · baseline version"
    )
    achieved = serializers.JSONField(read_only=True, help_text="实际达成值 · achieved values")
    targets = serializers.JSONField(read_only=True, help_text="基线目标 · baseline targets")
    outcome = serializers.JSONField(read_only=True, help_text="逐项比对 · the comparison per criterion")
    star_provisional = serializers.BooleanField(
        read_only=True, help_text="星级为未评审的申报值 · star level not reviewed"
    )
    panel_leader = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="专家组组长 · panel leader"
    )
    panel_verdict = serializers.CharField(read_only=True, help_text="专家组结论：pass / fail · the panel's conclusion")
    panel_opinion = serializers.CharField(read_only=True, help_text="专家组意见 · the panel's opinion")
    bureau_opinion = serializers.CharField(read_only=True, help_text="住建局结论 · the bureau's conclusion")
    gathered_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="采集时间 · gathered at")

    class Meta:
        model = CompletionEvaluation
        fields = [
            "id",
            "project",
            "scheme_version",
            "status",
            "status_label",
            "is_final",
            "verdict",
            "score",
            "baseline_version",
            "achieved",
            "targets",
            "outcome",
            "star_provisional",
            "panel_leader",
            "panel_verdict",
            "panel_opinion",
            "bureau_opinion",
            "gathered_at",
        ]


class CompletionStartSerializer(serializers.Serializer):
    project = serializers.IntegerField(help_text="项目 · the confirmed pilot to evaluate")


class CompletionMoveSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="说明（退回、验收、不予验收时必填） · comment"
    )


class CompletionConclusionSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=["pass", "fail"], help_text="专家组结论 · the panel's conclusion")
    opinion = serializers.CharField(max_length=10000, help_text="专家组意见 · the panel's opinion")


class CompletionCostSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    project = serializers.PrimaryKeyRelatedField(read_only=True, help_text="项目 · project")
    measure = serializers.CharField(read_only=True, help_text="绿色措施 · green measure")
    guideline_code = serializers.CharField(read_only=True, help_text="导则条目 · guideline item")
    amount_yuan = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, help_text="增量成本（元） · incremental cost (yuan)"
    )
    note = serializers.CharField(read_only=True, help_text="备注 · note")

    class Meta:
        model = IncrementalCost
        fields = ["id", "project", "measure", "guideline_code", "amount_yuan", "note"]


class CompletionCostWriteSerializer(serializers.Serializer):
    project = serializers.IntegerField(help_text="项目 · project")
    measure = serializers.CharField(help_text="绿色措施 · green measure")
    guideline_code = serializers.CharField(required=False, allow_blank=True, help_text="导则条目 · guideline item")
    amount_yuan = serializers.CharField(help_text="增量成本（元） · incremental cost (yuan)")
    note = serializers.CharField(required=False, allow_blank=True, help_text="备注 · note")


class CompletionLessonSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    project = serializers.PrimaryKeyRelatedField(read_only=True, help_text="项目 · project")
    topic = serializers.CharField(read_only=True, help_text="类别：technology / management / cost / other · topic")
    title = serializers.CharField(read_only=True, help_text="标题 · title")
    body = serializers.CharField(read_only=True, help_text="经验总结 · the lesson")
    filed_at = serializers.DateTimeField(read_only=True, help_text="提交时间 · filed at")

    class Meta:
        model = Lesson
        fields = ["id", "project", "topic", "title", "body", "filed_at"]


class CompletionLessonWriteSerializer(serializers.Serializer):
    project = serializers.IntegerField(help_text="项目 · project")
    topic = serializers.CharField(help_text="类别 · topic")
    title = serializers.CharField(help_text="标题 · title")
    body = serializers.CharField(help_text="经验总结 · the lesson")
