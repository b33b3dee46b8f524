from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from greenbuild.api.base import LabelField
from greenbuild.plans.models import GreenPlan, PlanRevision, PlanTransition, PlanVersion


class PlanDataField(serializers.JSONField):
    """A plan's data (``plans.data``): documented as the ``PlanData`` component of the schema."""


class PlanDataFieldExtension(OpenApiSerializerFieldExtension):
    """``PlanDataField`` in the schema: a reference to ``PlanData``, the JSON Schema derived from
    the definitions the server's check (``plans.services.clean_plan_data``) reads."""

    target_class = PlanDataField

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        from greenbuild.plans.data import openapi_schema

        component = ResolvedComponent(
            name="PlanData", type=ResolvedComponent.SCHEMA, object="PlanData", schema=openapi_schema()
        )
        auto_schema.registry.register_on_missing(component)
        ref = dict(component.ref)
        if getattr(self.target, "allow_null", False):
            return {"allOf": [ref], "nullable": True}
        return ref


class PlanRevisionSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(read_only=True, help_text="状态名称 · status, in words")
    reviewed_version_number = serializers.IntegerField(
        source="reviewed_version.number",
        read_only=True,
        help_text="评审所依据的版本号 · the version the round reviewed",
    )
    submitted_version_number = serializers.IntegerField(
        source="submitted_version.number",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="提交复核的修改版本号 · the revised version submitted for verification",
    )
    requirements = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="修改要求 · the revision requirements"
    )
    checks = serializers.ListField(
        child=serializers.BooleanField(),
        read_only=True,
        help_text="复核时逐条是否落实 · per requirement, met at the last verification",
    )

    class Meta:
        model = PlanRevision
        fields = [
            "id",
            "review_round",
            "status",
            "status_label",
            "requirements",
            "deadline",
            "verifier",
            "reviewed_version",
            "reviewed_version_number",
            "submitted_version",
            "submitted_version_number",
            "submitted_at",
            "checks",
            "verified_by",
            "verified_at",
            "refusals",
            "last_refusal",
        ]
        read_only_fields = fields


class PlanSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:plan-detail", help_text="接口地址 · this object in the API"
    )
    status_label = serializers.CharField(read_only=True, help_text="状态名称 · status, in words")
    guideline_code = serializers.CharField(
        source="guideline.code", read_only=True, help_text="技术导则版本代码 · edition of the technical guideline"
    )
    current_version_number = serializers.IntegerField(
        source="current_version.number",
        read_only=True,
        allow_null=True,
        help_text="当前（评审中）版本号 · number of the version under review",
    )
    draft = serializers.SerializerMethodField(
        help_text="工作稿（仅建设单位和市住建局可见） · the working draft (owner and bureau only)"
    )
    available_actions = serializers.SerializerMethodField(
        help_text="可执行的流程操作（仅单个方案） · the moves the requesting user may make now (single plan only)"
    )
    revision = serializers.SerializerMethodField(
        help_text="修改后通过的修改与复核（仅单个方案） · the revision a pass with revisions asks for (single plan only)"
    )

    class Meta:
        model = GreenPlan
        fields = [
            "id",
            "url",
            "project",
            "status",
            "status_label",
            "guideline",
            "guideline_code",
            "current_version",
            "current_version_number",
            "clarification_question",
            "draft",
            "available_actions",
            "revision",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(PlanDataField(allow_null=True))
    def get_draft(self, plan: GreenPlan) -> Any:
        from greenbuild.accounts.roles import is_bureau_admin
        from greenbuild.plans.permissions import is_owner

        user = self.context["request"].user
        return plan.draft if is_bureau_admin(user) or is_owner(user, plan) else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField(), allow_null=True))
    def get_available_actions(self, plan: GreenPlan) -> list[str] | None:
        from greenbuild.plans.workflow import available_moves

        if self.context.get("list"):
            return None
        from greenbuild.plans.workflow import PAGE_MOVES

        actions: list[str] = []
        for move in available_moves(plan, self.context["request"].user):
            if move.action not in PAGE_MOVES:
                continue  # the review round makes the others
            name = "verify_revision" if move.action in ("accept_revision", "refuse_revision") else move.action
            if name not in actions:
                actions.append(name)
        return actions

    @extend_schema_field(PlanRevisionSerializer(allow_null=True))
    def get_revision(self, plan: GreenPlan) -> Any:
        if self.context.get("list"):
            return None
        revision = plan.revisions.select_related("submitted_version", "reviewed_version").order_by("-pk").first()
        return PlanRevisionSerializer(revision).data if revision is not None else None


class PlanCreateSerializer(serializers.Serializer):
    project = serializers.IntegerField(help_text="项目编号 · id of the project whose plan to start")


class PlanDraftSerializer(serializers.Serializer):
    data = PlanDataField(help_text="方案内容（结构见 PlanData） · the plan data, in the shape of PlanData")


class PlanVersionSerializer(serializers.ModelSerializer):
    reason_label = serializers.CharField(
        source="get_reason_display", read_only=True, help_text="原因名称 · reason, in words"
    )
    submitted_by_name = LabelField("submitted_by")
    attachments = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="附件编号 · ids of the attachments frozen with the version"
    )
    data = PlanDataField(
        read_only=True, help_text="冻结的方案内容（结构见 PlanData） · the frozen plan data (PlanData)"
    )

    class Meta:
        model = PlanVersion
        fields = [
            "id",
            "plan",
            "number",
            "reason",
            "reason_label",
            "data",
            "self_check",
            "guideline",
            "note",
            "submitted_by",
            "submitted_by_name",
            "submitted_at",
            "attachments",
        ]
        read_only_fields = fields


class ChangeSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="字段路径 · dotted path of the field")
    label = serializers.CharField(help_text="字段名称（按请求语言） · field name in the request's language")
    kind = serializers.CharField(help_text="变化类型：新增 added、删除 removed、修改 changed · what happened to it")
    before = serializers.JSONField(allow_null=True, help_text="原值 · value in the first version")
    after = serializers.JSONField(allow_null=True, help_text="新值 · value in the second version")


class DiffSerializer(serializers.Serializer):
    a = serializers.IntegerField(help_text="前一版本号 · number of the first version")
    b = serializers.IntegerField(help_text="后一版本号 · number of the second version")
    changes = ChangeSerializer(many=True, help_text="逐字段变化 · the field-by-field changes")


class PlanMoveSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text="意见：补充说明的问题或答复、评审理由 · comment: the question or answer of a clarification, reasons",
    )
    data = PlanDataField(
        required=False, help_text="答复补充说明时的修订方案内容（可选） · revised plan data with an answer (optional)"
    )


class PlanVerifySerializer(serializers.Serializer):
    accept = serializers.BooleanField(help_text="true 通过复核 / false 退回修改 · accept or refuse the revision")
    checks = serializers.ListField(
        child=serializers.BooleanField(),
        required=False,
        max_length=50,
        help_text="逐条修改要求是否落实（与要求一一对应；通过时必填且须全部为 true） · per requirement, whether it is "
        "met (one per requirement; required to accept, all true)",
    )
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text="复核意见（退回时必填） · the verifier's comment (required to refuse)",
    )


class PlanTransitionSerializer(serializers.ModelSerializer):
    actor_name = LabelField("actor")

    class Meta:
        model = PlanTransition
        fields = ["id", "plan", "from_status", "to_status", "actor", "actor_name", "at", "comment"]
