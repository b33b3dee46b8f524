"""The scoring app's API representations (scorecards, claims, buildings' assessments, records,
score runs, rule tables). Writes go through ``scoring/services.py``; records are validated by the
page forms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

from greenbuild.api.base import LabelField
from greenbuild.scoring.choices import ClauseKind
from greenbuild.scoring.forms import EnergyRecordForm, MaterialLineForm, WasteRecordForm
from greenbuild.scoring.models import (
    BuildingAssessment,
    ClauseClaim,
    EnergyRecord,
    MaterialLine,
    RuleTable,
    Scorecard,
    ScoreRun,
    WasteRecord,
)


class ClaimSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True, help_text="条文类型 · kind, in words")
    evidence_name = serializers.SerializerMethodField(help_text="证明材料文件名 · the evidence file's name")

    class Meta:
        model = ClauseClaim
        fields = [
            "id",
            "clause",
            "kind",
            "kind_label",
            "claimed_points",
            "claimed_pass",
            "accepted_points",
            "accepted_pass",
            "note",
            "review_note",
            "evidence",
            "evidence_name",
        ]

    def get_evidence_name(self, claim: ClauseClaim) -> str | None:
        evidence = getattr(claim, "evidence", None)
        return getattr(evidence, "original_name", None) if evidence else None


class ScorecardSerializer(serializers.ModelSerializer):
    stage_label = serializers.CharField(
        source="get_stage_display", read_only=True, help_text="评价阶段 · stage, in words"
    )
    claims = ClaimSerializer(many=True, read_only=True, help_text="逐条申报与评审 · the clause-by-clause claims")

    class Meta:
        model = Scorecard
        fields = [
            "id",
            "project",
            "stage",
            "stage_label",
            "edition",
            "building_type",
            "full_decoration",
            "star_requirements",
            "claims",
            "created_at",
            "updated_at",
        ]


class ClaimWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ClauseKind.choices, help_text="条文类型 · control, scored or bonus item")
    points = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        required=False,
        allow_null=True,
        min_value=Decimal("0"),
        help_text="申报分值 · points claimed",
    )
    passed = serializers.BooleanField(required=False, allow_null=True, help_text="控制项是否满足 · control item met")
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, help_text="说明 · the owner's note")


class ScorecardWriteSerializer(serializers.Serializer):
    building_type = serializers.ChoiceField(
        choices=[("residential", "residential"), ("public", "public")],
        help_text="建筑类型 · residential or public building",
    )
    full_decoration = serializers.BooleanField(help_text="全装修 · full decoration")
    star_requirements = serializers.DictField(required=False, help_text="表3.2.8 指标 · the figures of table 3.2.8")
    claims = serializers.DictField(
        child=ClaimWriteSerializer(), help_text='按条文编号的申报 · claims keyed by clause, e.g. {"4.1.1": {…}}'
    )


class DecisionSerializer(serializers.Serializer):
    points = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        required=False,
        allow_null=True,
        min_value=Decimal("0"),
        help_text="认定分值 · points accepted",
    )
    passed = serializers.BooleanField(
        required=False, allow_null=True, help_text="认定控制项满足 · control item accepted as met"
    )
    accept_claimed = serializers.BooleanField(
        required=False,
        default=False,
        help_text="按申报值认定 · accept the claimed value as it stands (points and passed are then ignored)",
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=500, help_text="评审意见 · the reviewer's note"
    )


class ReviewWriteSerializer(serializers.Serializer):
    decisions = serializers.DictField(
        child=DecisionSerializer(),
        help_text="按条文编号的认定 · decisions keyed by clause (a clause left out is not accepted)",
    )


class BuildingAssessmentSerializer(serializers.ModelSerializer):
    building_name = LabelField("building")

    class Meta:
        model = BuildingAssessment
        fields = ["id", "building", "building_name", "inputs", "created_at", "updated_at"]


class AssessWriteSerializer(serializers.Serializer):
    inputs = serializers.DictField(help_text="GB/T 51129 计算输入 · the GB/T 51129 inputs (as on the building form)")


class ScoreRunResultField(serializers.JSONField):
    """A score run's result: documented as the ``ScoreRunResult`` component (``api/result_schema.py``)."""


class ScoreRunResultFieldExtension(OpenApiSerializerFieldExtension):
    target_class = ScoreRunResultField

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        from greenbuild.scoring.api.result_schema import openapi_schema

        component = ResolvedComponent(
            name="ScoreRunResult", type=ResolvedComponent.SCHEMA, object="ScoreRunResult", schema=openapi_schema()
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


class ScoreRunSerializer(serializers.ModelSerializer):
    engine_label = serializers.CharField(
        source="get_engine_display", read_only=True, help_text="计算引擎 · engine, in words"
    )
    headline = serializers.SerializerMethodField(
        help_text="结果摘要（按请求语言） · the result in one line, in the request's language"
    )
    result = ScoreRunResultField(
        read_only=True, help_text="计算结果（结构见 ScoreRunResult） · the result, in the shape of ScoreRunResult"
    )

    class Meta:
        model = ScoreRun
        fields = [
            "id",
            "project",
            "engine",
            "engine_label",
            "scorecard",
            "building",
            "basis",
            "edition",
            "ruleset_version",
            "engine_version",
            "headline",
            "inputs",
            "result",
            "actor",
            "at",
        ]
        extra_kwargs = {
            "scorecard": {"help_text": "所评分的评分表 · the scorecard scored (GB/T 50378 runs)"},
            "building": {"help_text": "所评分的单体建筑 · the single building scored (GB/T 51129 runs)"},
        }

    def get_headline(self, run: ScoreRun) -> str:
        from greenbuild.scoring import messages

        render = getattr(messages, "run_headline", None)
        return str(render(run)) if render else run.headline


class RuleTableSerializer(serializers.ModelSerializer):
    class Meta:
        model = RuleTable
        fields = ["id", "engine", "standard", "edition", "version", "effective_date", "active", "uploaded_at", "data"]
        read_only_fields = ["uploaded_at"]


class RuleTableWriteSerializer(serializers.Serializer):
    data = serializers.DictField(help_text="规则表 JSON（含版本信息） · the rule table JSON with its header")
    active = serializers.BooleanField(default=True, help_text="立即启用 · use it for new runs")


def _record_serializer(model_: type, form: type) -> type:
    fields = ["id", "project", *form.base_fields]

    class Serializer(serializers.ModelSerializer):
        Meta = type("Meta", (), {"model": model_, "fields": fields, "read_only_fields": ["project"]})

    Serializer.__name__ = "{}Serializer".format(model_.__name__)
    return Serializer


WasteRecordSerializer = _record_serializer(WasteRecord, WasteRecordForm)


def _appendix_a(key: str) -> list[str]:
    """The bundled green-material rule table's list (``item_types`` titles or ``units`` keys): the
    values the API documents; the records services check against the rule table in force."""
    from greenbuild.standards.green_materials import DEFAULT_EDITION
    from greenbuild.standards.rulesets import bundled_ruleset

    rows = bundled_ruleset(DEFAULT_EDITION).data[key]
    return [row["title"] if key == "item_types" else row["key"] for row in rows]


class MaterialLineSerializer(_record_serializer(MaterialLine, MaterialLineForm)):  # type: ignore[misc]
    item_type = serializers.ChoiceField(
        choices=_appendix_a("item_types"),
        help_text="材料品类（附录A所列，须属于 group 所指类别） · the appendix A category; it must belong to `group`",
    )
    unit = serializers.ChoiceField(
        choices=_appendix_a("units"), help_text="单位 · the unit, from the rule table's list"
    )


EnergyRecordSerializer = _record_serializer(EnergyRecord, EnergyRecordForm)


class StarResultSerializer(serializers.Serializer):
    """One GB/T 50378 result: the reviewed one of record, or claims not reviewed (provisional)."""

    run = serializers.IntegerField(help_text="评分记录 · the score run it was computed in")
    stage = serializers.CharField(help_text="评价阶段 · pre_evaluation or evaluation")
    basis = serializers.CharField(help_text="依据 · accepted (reviewed) or claimed (not reviewed)")
    level = serializers.CharField(help_text="星级代码 · none, basic, one_star, two_star or three_star")
    level_label = serializers.CharField(help_text="星级（按请求语言） · the level in the request's language")
    total_score = serializers.FloatField(allow_null=True, help_text="总得分 Q · the total score Q")
    at = serializers.DateTimeField(help_text="计算时间 · when it was computed")
    provisional = serializers.BooleanField(help_text="暂定（申报，未评审） · claims nobody has reviewed yet")


class RequirementCheckSerializer(serializers.Serializer):
    requirement = serializers.CharField(help_text="要求编号 · R7")
    status = serializers.ChoiceField(
        choices=[("pass", "pass"), ("fail", "fail"), ("unknown", "unknown")], help_text="结论 · the verdict"
    )
    reason = serializers.CharField(help_text="理由（按请求语言） · why, in the request's language")


class ResultOfRecordSerializer(serializers.Serializer):
    """A project's GB/T 50378 result of record (``scoring.selectors.result_of_record``): the same
    star level and R7 as the standards page, the PDF summary and the open data."""

    project = serializers.IntegerField(help_text="项目 · the project")
    official = StarResultSerializer(
        allow_null=True, help_text="评审认定结果（正式） · the reviewed result of record; null before any review"
    )
    r7 = RequirementCheckSerializer(help_text="R7，按评审认定结果 · R7 on the official result")
    pending = StarResultSerializer(
        allow_null=True,
        help_text="申报（未评审） · claims not yet reviewed (a change after the review, or no review yet): provisional",
    )
    pending_r7 = RequirementCheckSerializer(
        allow_null=True, help_text="R7，按未评审的申报（暂定） · R7 on the pending claims, provisional"
    )


VERDICTS = [("pass", "pass"), ("fail", "fail"), ("unknown", "unknown")]
ACHIEVED = [*VERDICTS, ("not_started", "not_started")]


def verdict_label(code: str | None) -> str:
    """The standards page's badge for a verdict or an achieved status, in the request's language."""
    from django.utils.translation import gettext

    labels = {
        "pass": gettext("Pass"),
        "fail": gettext("Fail"),
        "not_started": gettext("Not started"),
        "not_applicable": gettext("Not applicable"),
    }
    return labels.get(code or "", gettext("Not yet known"))


class ProvisionalCheckSerializer(serializers.Serializer):
    """R7 on the owner's claims that nobody has reviewed yet: shown beside the official verdict,
    labelled as provisional, never replacing it (as on the standards page)."""

    label = serializers.CharField(help_text="标注（按请求语言） · “Claimed (not reviewed)”, in the request's language")
    verdict = serializers.ChoiceField(choices=VERDICTS, help_text="暂定结论 · the provisional verdict")
    verdict_label = serializers.CharField(help_text="结论（按请求语言） · the verdict in words")
    reason_code = serializers.CharField(allow_null=True, help_text="理由代码 · the reason's stable message code")
    reason = serializers.CharField(help_text="理由（按请求语言） · why, in the request's language")


class RequirementRowSerializer(serializers.Serializer):
    """One pilot requirement (R7–R14) as the standards page shows it."""

    code = serializers.CharField(help_text="要求编号 · R7 … R14")
    title = serializers.CharField(help_text="要求名称（按请求语言） · the requirement, in the request's language")
    declared = serializers.CharField(
        allow_null=True, help_text="申报值 · what the application declared (null: not visible to the reader)"
    )
    baseline = serializers.CharField(
        allow_null=True,
        help_text="基线值 · what the locked baseline says (null: no baseline, or not visible to the reader)",
    )
    achieved = serializers.ChoiceField(
        choices=ACHIEVED, help_text="实际达成 · achieved on site; not_started before work starts"
    )
    achieved_label = serializers.CharField(help_text="实际达成（按请求语言） · achieved, in words")
    verdict = serializers.ChoiceField(choices=VERDICTS, help_text="核查结论 · the verdict of record")
    verdict_label = serializers.CharField(help_text="结论（按请求语言） · the verdict in words")
    reason_code = serializers.CharField(
        allow_null=True, help_text="理由代码 · the reason's stable message code (pilot.r10, pilot.baseline.r11…)"
    )
    reason = serializers.CharField(help_text="理由（按请求语言） · why, in the request's language")
    provisional = ProvisionalCheckSerializer(
        allow_null=True, help_text="按未评审申报的暂定结论（仅 R7） · R7 on claims not yet reviewed; else null"
    )


class RequirementTableSerializer(serializers.Serializer):
    """A project's pilot requirements R7–R14 (``scoring.selectors.requirement_table``): the same
    verdicts as the standards page (标准核查), the PDF summary and the project page."""

    project = serializers.IntegerField(help_text="项目编号 · project id")
    baseline_version = serializers.IntegerField(
        allow_null=True, help_text="基线版本 · the locked baseline's version (null: none, or not visible)"
    )
    work_started = serializers.BooleanField(help_text="已开工 · work has started (achieved values exist)")
    requirements = RequirementRowSerializer(many=True, help_text="R7–R14，按规则表顺序 · R7–R14 in the rule order")


def requirement_table_data(table: Any) -> dict[str, Any]:
    """``scoring.selectors.requirement_table`` as ``RequirementTableSerializer`` reads it."""
    from django.utils.translation import gettext

    def provisional(check: Any) -> dict[str, Any] | None:
        if check is None:
            return None
        return {
            "label": gettext("Claimed (not reviewed)"),
            "verdict": str(check.status),
            "verdict_label": verdict_label(str(check.status)),
            "reason_code": check.message.code if check.message is not None else None,
            "reason": str(check.reason),
        }

    return {
        "project": table.project.pk,
        "baseline_version": table.baseline_version,
        "work_started": table.work_started,
        "requirements": [
            {
                "code": row.requirement,
                "title": row.title,
                "declared": row.declared,
                "baseline": row.baseline,
                "achieved": row.achieved,
                "achieved_label": verdict_label(row.achieved),
                "verdict": row.verdict,
                "verdict_label": verdict_label(row.verdict),
                "reason_code": row.reason_code,
                "reason": row.reason,
                "provisional": provisional(row.provisional),
            }
            for row in table.rows
        ],
    }
