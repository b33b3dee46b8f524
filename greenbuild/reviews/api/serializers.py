"""The reviews app's API representations; writes go through the page forms and the services."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from greenbuild.core.fields import PolicySerializerMixin
from greenbuild.reviews import permissions
from greenbuild.reviews.choices import Outcome, Specialty
from greenbuild.reviews.models import (
    CriteriaScheme,
    CriteriaSection,
    ExpertOpinion,
    ExpertProfile,
    ExpertScore,
    PanelSeat,
    ReviewRound,
    ScoreBand,
)


def described(field_class: type, text: str, **kwargs: Any) -> Any:
    return field_class(help_text=text, **kwargs)


class ExpertProfileSerializer(PolicySerializerMixin, serializers.ModelSerializer):
    id = described(serializers.IntegerField, "编号 · id", read_only=True)
    user = described(serializers.IntegerField, "专家用户编号 · the expert's user id", source="user_id", read_only=True)
    name = described(serializers.CharField, "专家姓名 · the expert's name", source="user.__str__", read_only=True)
    specialties = described(
        serializers.ListField, "专业（代码） · specialties (codes)", child=serializers.ChoiceField(Specialty.choices)
    )
    title = described(serializers.CharField, "职称 · professional title", read_only=True)
    employer = described(
        serializers.IntegerField,
        "工作单位编号 · employer organisation id",
        source="employer_id",
        read_only=True,
        allow_null=True,
    )
    employer_name = described(
        serializers.CharField,
        "工作单位 · employer",
        source="employer.name",
        read_only=True,
        allow_null=True,
        default=None,
    )
    available = described(serializers.BooleanField, "可参加评审 · available for panels", read_only=True)

    class Meta:
        model = ExpertProfile
        fields = ["id", "user", "name", "specialties", "title", "employer", "employer_name", "available"]


class ExpertProfileWriteSerializer(serializers.Serializer):
    user = described(
        serializers.IntegerField, "专家用户编号（仅新建） · the expert's user id (create only)", required=False
    )
    specialties = described(
        serializers.ListField, "专业（代码） · specialties (codes)", child=serializers.CharField(), required=False
    )
    title = described(serializers.CharField, "职称 · professional title", required=False)
    employer = described(
        serializers.IntegerField, "工作单位编号 · employer organisation id", required=False, allow_null=True
    )
    available = described(serializers.BooleanField, "可参加评审 · available for panels", required=False)


class ExpertOpinionSerializer(serializers.ModelSerializer):
    opinion = described(serializers.CharField, "总体评审意见 · overall opinion", read_only=True)
    recommendation = described(serializers.CharField, "建议结论 · recommended conclusion", read_only=True)
    revision_requirements = described(serializers.CharField, "修改意见 · revision requirements", read_only=True)
    declaration_signed = described(
        serializers.BooleanField, "已签署承诺书 · declaration of independence signed", read_only=True
    )
    submitted_at = described(serializers.DateTimeField, "提交时间 · submitted at", read_only=True, allow_null=True)

    class Meta:
        model = ExpertOpinion
        fields = ["opinion", "recommendation", "revision_requirements", "declaration_signed", "submitted_at"]


class PanelSeatSerializer(serializers.ModelSerializer):
    id = described(serializers.IntegerField, "编号 · id", read_only=True)
    round = described(serializers.IntegerField, "评审轮次编号 · review round id", source="round_id", read_only=True)
    expert = described(
        serializers.IntegerField, "专家用户编号 · the expert's user id", source="expert_id", read_only=True
    )
    expert_name = described(
        serializers.CharField, "专家姓名 · the expert's name", source="expert.__str__", read_only=True
    )
    order = described(serializers.IntegerField, "抽取顺序 · order drawn", read_only=True)
    is_leader = described(serializers.BooleanField, "组长 · leads the panel", read_only=True)
    response = described(serializers.CharField, "答复：pending/accepted/declined · the answer", read_only=True)
    conflict_declared = described(
        serializers.BooleanField, "申报利益冲突 · conflict of interest declared", read_only=True
    )
    replaced_by = described(
        serializers.IntegerField,
        "替补席位编号 · the replacement seat",
        source="replaced_by_id",
        read_only=True,
        allow_null=True,
    )
    submitted_at = described(
        serializers.DateTimeField, "评分提交时间 · scores submitted at", read_only=True, allow_null=True
    )
    opinion = serializers.SerializerMethodField(help_text="专家评审意见表（本人或主管部门可见） · the opinion form")

    class Meta:
        model = PanelSeat
        fields = [
            "id",
            "round",
            "expert",
            "expert_name",
            "order",
            "is_leader",
            "response",
            "conflict_declared",
            "replaced_by",
            "submitted_at",
            "opinion",
        ]

    @extend_schema_field(ExpertOpinionSerializer(allow_null=True))
    def get_opinion(self, seat: PanelSeat) -> dict[str, Any] | None:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not (seat.expert_id == user.pk or permissions.can_draw(user)):
            return None  # blind: another expert's opinion is never shown to the panel
        try:
            opinion = seat.opinion  # select_related or prefetched by the views
        except ExpertOpinion.DoesNotExist:
            return None
        return dict(ExpertOpinionSerializer(opinion).data)


class ReviewRoundSerializer(serializers.ModelSerializer):
    id = described(serializers.IntegerField, "编号 · id", read_only=True)
    project = described(serializers.IntegerField, "项目编号 · project id", source="plan.project_id", read_only=True)
    project_name = described(
        serializers.CharField, "项目名称 · project name", source="plan.project.name", read_only=True
    )
    plan = described(serializers.IntegerField, "绿色建造策划方案编号 · plan id", source="plan_id", read_only=True)
    plan_version = described(
        serializers.IntegerField,
        "评审的方案版本号 · the version number under review",
        source="plan_version.number",
        read_only=True,
    )
    scheme = described(
        serializers.CharField,
        "评审标准名称（编号见 scheme_id） · criteria scheme name (its id: scheme_id)",
        source="scheme.name",
        read_only=True,
    )
    scheme_id = described(
        serializers.IntegerField,
        "评审标准编号（/api/v1/criteria-schemes/，抽取专家组时的 scheme） · criteria scheme id "
        "(/api/v1/criteria-schemes/; the scheme a draw takes)",
        read_only=True,
    )
    consolidation = described(
        serializers.CharField,
        "汇总方式：mean/trimmed_mean · consolidation",
        source="scheme.consolidation",
        read_only=True,
    )
    panel_size = described(serializers.IntegerField, "专家组人数 · panel size", read_only=True)
    required_specialties = described(
        serializers.ListField, "必需专业 · required specialties", read_only=True, child=serializers.CharField()
    )
    seed = described(serializers.IntegerField, "抽取随机种子（公开） · the draw seed (published)", read_only=True)
    status = described(
        serializers.CharField, "状态（只经操作变更） · status (changes only through a move)", read_only=True
    )
    status_label = described(
        serializers.CharField, "状态名称 · status, in words", source="get_status_display", read_only=True
    )
    deadline = described(serializers.DateField, "评分截止日期 · scoring deadline", read_only=True, allow_null=True)
    clarification_question = described(serializers.CharField, "澄清问题 · clarification question", read_only=True)
    conclusion = described(serializers.CharField, "评审结论 · conclusion", read_only=True)
    reasons = described(serializers.CharField, "结论理由 · reasons", read_only=True)
    consolidated_score = serializers.SerializerMethodField(
        help_text="综合得分（结论后或已提交者可见） · consolidated score"
    )
    seats = serializers.SerializerMethodField(help_text="专家组席位（局与组内专家可见） · the panel's seats")

    class Meta:
        model = ReviewRound
        fields = [
            "id",
            "project",
            "project_name",
            "plan",
            "plan_version",
            "scheme",
            "scheme_id",
            "consolidation",
            "panel_size",
            "required_specialties",
            "seed",
            "status",
            "status_label",
            "deadline",
            "clarification_question",
            "conclusion",
            "reasons",
            "consolidated_score",
            "seats",
        ]

    def _user(self) -> Any:
        return self.context["request"].user

    @extend_schema_field(serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True))
    def get_consolidated_score(self, obj: ReviewRound) -> str | None:
        from greenbuild.reviews.services import consolidated_score

        if permissions.can(self._user(), permissions.SEE_SCORES, obj):
            value = consolidated_score(obj)
            return None if value is None else str(value)
        return None if obj.consolidated_score is None else str(obj.consolidated_score)

    @extend_schema_field(PanelSeatSerializer(many=True))
    def get_seats(self, obj: ReviewRound) -> list[dict[str, Any]]:
        user = self._user()
        if not (permissions.can_draw(user) or permissions.is_seated(user, obj)):
            return []
        return PanelSeatSerializer(
            [s for s in obj.seats.all() if s.seated or permissions.can_draw(user)], many=True
        ).data


class PanelDrawSerializer(serializers.Serializer):
    plan = described(serializers.IntegerField, "提交的方案编号 · the submitted plan's id")
    panel_size = described(serializers.IntegerField, "专家组人数（奇数，≥3） · panel size (odd, ≥ 3)", required=False)
    required_specialties = described(
        serializers.ListField, "必需专业 · required specialties", child=serializers.CharField(), required=False
    )
    scheme = described(
        serializers.IntegerField,
        "评审标准编号（/api/v1/criteria-schemes/ 中启用者；缺省为第一个） · criteria scheme id (an active one of "
        "/api/v1/criteria-schemes/; default: the first)",
        required=False,
    )
    deadline = described(serializers.DateField, "评分截止日期 · scoring deadline", required=False, allow_null=True)


class ReviewCommentSerializer(serializers.Serializer):
    comment = described(serializers.CharField, "意见或问题 · the comment or question", required=False, allow_blank=True)


class ReviewConcludeSerializer(serializers.Serializer):
    conclusion = described(serializers.ChoiceField, "评审结论 · conclusion", choices=Outcome.choices)
    comment = described(serializers.CharField, "结论理由 · reasons", required=False, allow_blank=True)
    requirements = described(
        serializers.ListField,
        "修改要求（修改后通过时必填）· revision requirements (required for passed_with_revisions)",
        child=serializers.CharField(max_length=1000),
        required=False,
        max_length=50,
    )
    revision_deadline = described(
        serializers.DateField,
        "修改期限（修改后通过时必填）· revision deadline (required for passed_with_revisions)",
        required=False,
        allow_null=True,
    )


class SeatRespondSerializer(serializers.Serializer):
    decision = described(
        serializers.ChoiceField, "accept 接受 / decline 谢绝 · accept or decline", choices=["accept", "decline"]
    )
    conflict = described(
        serializers.BooleanField, "有利益冲突 · has a conflict of interest", required=False, default=False
    )
    note = described(
        serializers.CharField, "利益冲突说明 · the conflict of interest", required=False, allow_blank=True, default=""
    )


class ExpertScoreEntrySerializer(serializers.Serializer):
    section = described(serializers.IntegerField, "评审标准条目编号 · criteria section id")
    score = described(serializers.CharField, "分数（该条目范围内） · score (within the section's range)")
    comment = described(
        serializers.CharField, "意见 · comment", required=False, allow_blank=True, default="", max_length=10000
    )


class ExpertScoresSerializer(serializers.Serializer):
    scores = ExpertScoreEntrySerializer(many=True, help_text="各条目评分 · one score per section")
    opinion = described(
        serializers.CharField,
        "总体评审意见（提交时必填） · overall opinion (required to submit)",
        required=False,
        allow_blank=True,
        default="",
        max_length=10000,
    )
    recommendation = described(
        serializers.ChoiceField,
        "建议结论（提交时必填） · recommended conclusion (required to submit)",
        choices=[("", ""), *Outcome.choices],
        required=False,
        default="",
    )
    revision_requirements = described(
        serializers.CharField,
        "修改意见，每行一条，无则填“无”（提交时必填） · revision requirements, one per line (required to submit)",
        required=False,
        allow_blank=True,
        default="",
        max_length=10000,
    )
    declaration = described(
        serializers.BooleanField,
        "签署承诺书（提交时必须为 true） · the declaration of independence signed (must be true to submit)",
        required=False,
        default=False,
    )
    submit = described(
        serializers.BooleanField, "提交（提交后不可修改） · submit (final)", required=False, default=False
    )


class LeaderChoiceSerializer(serializers.Serializer):
    seat = described(serializers.IntegerField, "组长人选的席位编号 · the seat of the chosen leader")


class ExpertScoreSerializer(serializers.ModelSerializer):
    id = described(serializers.IntegerField, "编号 · id", read_only=True)
    seat = described(serializers.IntegerField, "席位编号 · panel seat id", source="seat_id", read_only=True)
    section = described(
        serializers.IntegerField, "评审标准条目编号 · criteria section id", source="section_id", read_only=True
    )
    section_title = described(serializers.CharField, "条目名称 · section title", source="section.title", read_only=True)
    score = described(serializers.DecimalField, "分数 · score", max_digits=6, decimal_places=2, read_only=True)
    comment = described(serializers.CharField, "意见 · comment", read_only=True)
    submitted_at = described(serializers.DateTimeField, "提交时间 · submitted at", read_only=True, allow_null=True)

    class Meta:
        model = ExpertScore
        fields = ["id", "seat", "section", "section_title", "score", "comment", "submitted_at"]


class CriteriaSectionSerializer(serializers.ModelSerializer):
    title = described(
        serializers.CharField, "评分项名称（按请求语言） · title in the request's language", read_only=True
    )

    class Meta:
        model = CriteriaSection
        fields = [
            "id",
            "title",
            "title_zh",
            "title_en",
            "guidance_zh",
            "guidance_en",
            "weight",
            "min_score",
            "max_score",
            "sort_order",
        ]
        read_only_fields = fields


class ScoreBandSerializer(serializers.ModelSerializer):
    conclusions = described(
        serializers.ListField,
        "该分数段可作出的结论 · the conclusions the leader may record in this band",
        child=serializers.ChoiceField(choices=Outcome.choices),
        read_only=True,
    )

    class Meta:
        model = ScoreBand
        fields = ["min_score", "conclusions"]
        read_only_fields = fields


class CriteriaSchemeSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:criteria-scheme-detail", help_text="接口地址 · this object in the API"
    )
    consolidation_label = described(
        serializers.CharField, "汇总方式（按请求语言） · consolidation, in words", source="get_consolidation_display"
    )
    leader_selection_label = described(
        serializers.CharField,
        "组长产生方式（按请求语言） · how the leader is chosen, in words",
        source="get_leader_selection_display",
    )
    based_on = described(
        serializers.IntegerField,
        "复制自（上一版本）的评审标准编号 · the scheme this version was copied from",
        source="based_on_id",
        read_only=True,
        allow_null=True,
    )
    versions = described(
        serializers.PrimaryKeyRelatedField,
        "由本标准复制出的新版本编号 · ids of the schemes copied from this one (its later versions)",
        many=True,
        read_only=True,
    )
    in_use = described(
        serializers.BooleanField,
        "已被评审轮次使用（冻结，只能复制为新版本） · used by a review round: frozen, changed only as a new version",
        read_only=True,
        source="gb_in_use",
    )
    sections = CriteriaSectionSerializer(many=True, read_only=True, help_text="评分项 · the scored sections")
    bands = ScoreBandSerializer(many=True, read_only=True, help_text="分数段与可作结论 · the score bands")

    class Meta:
        model = CriteriaScheme
        fields = [
            "id",
            "url",
            "name",
            "active",
            "consolidation",
            "consolidation_label",
            "max_per_employer",
            "leader_selection",
            "leader_selection_label",
            "based_on",
            "versions",
            "in_use",
            "sections",
            "bands",
        ]
        read_only_fields = fields
