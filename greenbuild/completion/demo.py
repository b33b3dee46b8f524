"""The completion evaluation of the demo programme: one confirmed pilot with a reviewed completion
scorecard (its pre-evaluation claims filed again at completion, reviewed by its evaluator or the
bureau), its evaluation through the panel to the bureau's conclusion (accepted, with the report
and the letter issued, when the values meet the baseline; else not accepted), and the owner's
incremental costs and lessons. Called from ``seed_demo``; idempotent."""

from __future__ import annotations

import contextlib
from decimal import Decimal
from typing import Any

from django.db import transaction

from greenbuild.accounts.choices import Role
from greenbuild.accounts.models import User
from greenbuild.completion import services
from greenbuild.completion.models import CompletionEvaluation, EvaluationScheme
from greenbuild.completion.scheme_data import create_first_version
from greenbuild.core.errors import DomainError

COSTS = (
    ("铝合金模板体系", "", Decimal("1850000.00"), "周转60次，替代木模板"),
    ("装配化装修（集成厨卫）", "", Decimal("2640000.00"), ""),
    ("智慧工地平台及塔吊监测", "", Decimal("420000.00"), "含扬尘噪声在线监测"),
)
LESSONS = (
    ("technology", "铝模与叠合楼板协同设计", "策划阶段即确定铝模配模与叠合板拆分，现场减少二次深化，工期缩短约12天。"),
    (
        "management",
        "绿色建造指标纳入总包合同",
        "将垃圾减量与绿色建材比例写入总包合同考核条款，按月核对台账，偏差当月纠正。",
    ),
    ("cost", "增量成本主要集中在装配化装修", "装配化装修增量最大，但减少了交付后维修；建议按全寿命期评估成本。"),
)


def _account(project: Any, role: str) -> User | None:
    return (
        User.objects.filter(memberships__organisation_id=project.owner_id, memberships__role=role, is_active=True)
        .order_by("pk")
        .first()
    )


def _completion_scorecard(project: Any, owner: User, bureau: User) -> bool:
    """File the pre-evaluation's claims again at completion and have them reviewed."""
    from greenbuild.scoring import services as scoring
    from greenbuild.scoring.choices import ClauseKind, Stage

    if project.scorecards.filter(stage=Stage.EVALUATION).exists():
        return True
    pre = project.scorecards.filter(stage=Stage.PRE_EVALUATION).first()
    if pre is None:
        return False
    claims: dict[str, dict[str, Any]] = {}
    for claim in pre.claims.all():
        if claim.kind == ClauseKind.CONTROL:
            claims[claim.clause] = {"kind": claim.kind, "passed": bool(claim.claimed_pass)}
        elif claim.claimed_points is not None:
            claims[claim.clause] = {"kind": claim.kind, "points": claim.claimed_points}
    header = {
        "building_type": pre.building_type,
        "full_decoration": pre.full_decoration,
        "star_requirements": pre.star_requirements,
    }
    scoring.save_scorecard(actor=owner, project=project, stage=Stage.EVALUATION, header=header, claims=claims)
    scorecard = project.scorecards.get(stage=Stage.EVALUATION)
    from greenbuild.projects.choices import ParticipantRole

    evaluators = project.participants.filter(role=ParticipantRole.EVALUATOR).values("organisation")
    reviewer = (
        User.objects.filter(is_active=True, memberships__organisation__in=evaluators, memberships__role=Role.EVALUATOR)
        .exclude(pk=owner.pk)
        .order_by("pk")
        .first()
    ) or bureau
    decisions = {claim.clause: {"accept_claimed": True} for claim in scorecard.claims.all()}
    scoring.review_scorecard(actor=reviewer, scorecard=scorecard, decisions=decisions)
    return True


#: The programme's real-estate category (``incentives.choices.REAL_ESTATE_CATEGORY``: its escrow).
REAL_ESTATE_CATEGORY = "real-estate"


def _chosen(candidates: Any) -> list[Any]:
    """The first candidate, and the first real-estate one (whose escrow the incentives decide)."""
    first = candidates.first()
    real_estate = next(
        (p for p in candidates if REAL_ESTATE_CATEGORY in (p.category.code, getattr(p.category.parent, "code", None))),
        None,
    )
    return [p for p in (first, real_estate) if p is not None and (p is first or p.pk != first.pk)]


def _evaluate(project: Any, owner: User, expert: User, bureau: User) -> None:
    """File the completion scorecard, costs and lessons, and take the evaluation to its end."""
    if not _completion_scorecard(project, owner, bureau):
        return
    for measure, code, amount, note in COSTS:
        services.report_cost(
            actor=owner,
            project_id=project.pk,
            data={"measure": measure, "guideline_code": code, "amount_yuan": amount, "note": note},
        )
    for topic, title, body in LESSONS:
        services.file_lesson(actor=owner, project_id=project.pk, data={"topic": topic, "title": title, "body": body})
    evaluation = services.start_evaluation(actor=bureau, project=project)
    experts = list(User.objects.filter(memberships__role=Role.EXPERT, is_active=True).order_by("pk")[:3])
    services.appoint_panel(actor=bureau, evaluation_id=evaluation.pk, leader=expert, members=experts)
    services.move(actor=bureau, evaluation_id=evaluation.pk, action="send_to_panel")
    evaluation.refresh_from_db()
    met = evaluation.verdict == "met"
    services.conclude_panel(
        actor=expert,
        evaluation_id=evaluation.pk,
        verdict="pass" if met else "fail",
        opinion="经现场核查和资料审查，各项实际达成值与基线目标比对结果如评估报告所列。"
        + ("建议通过绿色建造专项验收。" if met else "部分指标未达到基线目标，建议整改后重新评估。"),
    )
    if met:
        # a public notice of the result still running keeps it waiting for the bureau
        with contextlib.suppress(DomainError):
            services.accept(actor=bureau, evaluation_id=evaluation.pk, comment="同意通过绿色建造专项验收。")
    else:
        services.move(
            actor=bureau,
            evaluation_id=evaluation.pk,
            action="reject",
            comment="部分指标未达到基线目标，不予通过本次专项验收。",
        )


def seed_completion(bureau: User) -> int:
    """Returns the number of completion evaluations in the demo."""
    from greenbuild.lifecycle.models import Baseline
    from greenbuild.projects.models import Project

    if CompletionEvaluation.objects.exists():
        return CompletionEvaluation.objects.count()
    create_first_version(EvaluationScheme)  # the migration's version 1, gone from a flushed database
    with_baseline = Baseline.objects.values("project_id")
    candidates = Project.objects.filter(status="confirmed", pk__in=with_baseline, scorecards__stage="pre_evaluation")
    expert = User.objects.filter(memberships__role=Role.EXPERT, is_active=True).order_by("pk").first()
    chosen = _chosen(candidates.distinct().order_by("pk").select_related("category__parent"))
    for project in chosen:
        owner = _account(project, Role.OWNER_APPLICANT)
        if owner is None or expert is None:
            continue
        with transaction.atomic():
            _evaluate(project, owner, expert, bureau)
    return CompletionEvaluation.objects.count()
    create_first_version(EvaluationScheme)  # the migration's version 1, gone from a flushed database
    with_baseline = Baseline.objects.values("project_id")
    candidates = Project.objects.filter(status="confirmed", pk__in=with_baseline, scorecards__stage="pre_evaluation")
    expert = User.objects.filter(memberships__role=Role.EXPERT, is_active=True).order_by("pk").first()
    for project in candidates.distinct().order_by("pk"):
        owner = _account(project, Role.OWNER_APPLICANT)
        if owner is None or expert is None:
            continue
        with transaction.atomic():
            if not _completion_scorecard(project, owner, bureau):
                continue
            for measure, code, amount, note in COSTS:
                services.report_cost(
                    actor=owner,
                    project_id=project.pk,
                    data={"measure": measure, "guideline_code": code, "amount_yuan": amount, "note": note},
                )
            for topic, title, body in LESSONS:
                services.file_lesson(
                    actor=owner, project_id=project.pk, data={"topic": topic, "title": title, "body": body}
                )
            evaluation = services.start_evaluation(actor=bureau, project=project)
            experts = list(User.objects.filter(memberships__role=Role.EXPERT, is_active=True).order_by("pk")[:3])
            services.appoint_panel(actor=bureau, evaluation_id=evaluation.pk, leader=expert, members=experts)
            services.move(actor=bureau, evaluation_id=evaluation.pk, action="send_to_panel")
            evaluation.refresh_from_db()
            met = evaluation.verdict == "met"
            services.conclude_panel(
                actor=expert,
                evaluation_id=evaluation.pk,
                verdict="pass" if met else "fail",
                opinion="经现场核查和资料审查，各项实际达成值与基线目标比对结果如评估报告所列。"
                + ("建议通过绿色建造专项验收。" if met else "部分指标未达到基线目标，建议整改后重新评估。"),
            )
            if met:
                # a public notice of the result still running keeps it waiting for the bureau
                with contextlib.suppress(DomainError):
                    services.accept(actor=bureau, evaluation_id=evaluation.pk, comment="同意通过绿色建造专项验收。")
            else:
                services.move(
                    actor=bureau,
                    evaluation_id=evaluation.pk,
                    action="reject",
                    comment="部分指标未达到基线目标，不予通过本次专项验收。",
                )
        break
    return CompletionEvaluation.objects.count()


__all__ = ["seed_completion"]
