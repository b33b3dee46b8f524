"""Incentives and training in the demo programme (called from ``seed_demo`` after the completion
step; idempotent): the bonus rule's first version, the bonus records and the escrow decision of
every pilot the bureau accepted at completion, one escrow release recorded, and a training
session with attendance from the demo's enterprises."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
from typing import Any

from greenbuild.core.errors import DomainError
from greenbuild.incentives import services
from greenbuild.incentives.choices import Audience, EscrowStatus
from greenbuild.incentives.models import BonusRule, EscrowEligibility, TrainingSession

#: role → (passed, passed with distinction): the demo's first version of the rule
DEMO_POINTS: dict[str, tuple[str, str]] = {
    "owner": ("3", "5"),
    "epc_contractor": ("3", "5"),
    "designer": ("2", "3"),
    "contractor": ("3", "5"),
    "supervisor": ("2", "3"),
    "consultant": ("2", "3"),
    "manufacturer": ("1", "2"),
}

#: organisation kind → the audience its people attend as
AUDIENCE_BY_KIND = {
    "owner": Audience.DEVELOPMENT,
    "designer": Audience.DESIGN,
    "manufacturer": Audience.PRODUCTION,
    "contractor": Audience.CONSTRUCTION,
    "supervisor": Audience.SUPERVISION,
    "evaluator": Audience.TESTING,
}

DEMO_NAMES = ["王磊", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "周强", "吴婷", "孙浩", "朱琳", "胡军"]


def seed_rule(bureau: Any) -> BonusRule:
    rule = BonusRule.objects.filter(version="2021-1").first()
    if rule is not None:
        return rule
    points: dict[tuple[str, str], Any] = {}
    for role, (passed, excellent) in DEMO_POINTS.items():
        points[(role, "passed")] = Decimal(passed)
        points[(role, "excellent")] = Decimal(excellent)
    return services.create_bonus_rule(
        actor=bureau,
        version="2021-1",
        title="绿色建造试点项目参建企业信用考核加分标准",
        effective_from=dt.date(2021, 1, 1),
        source="常州市绿色建造试点工作实施方案（演示）",
        excellent_score=Decimal("90"),
        points=points,
    )


def seed_awards(bureau: Any) -> int:
    """Bonuses of every pilot accepted at completion, the escrow decision of every real-estate
    pilot with a final result; the first eligible release recorded."""
    from greenbuild.completion.choices import FINAL_STATUSES, EvaluationStatus
    from greenbuild.completion.models import CompletionEvaluation

    created = 0
    project_ids = (
        CompletionEvaluation.objects.filter(status=EvaluationStatus.ACCEPTED)
        .values_list("project_id", flat=True)
        .distinct()
    )
    for project_id in project_ids:
        with contextlib.suppress(DomainError):
            created += len(services.award_bonuses(actor=bureau, project_id=project_id))
    # the escrow of every real-estate pilot with a final result, passed or not (others are refused)
    final = CompletionEvaluation.objects.filter(status__in=FINAL_STATUSES)
    for project_id in final.values_list("project_id", flat=True).distinct():
        with contextlib.suppress(DomainError):
            services.assess_escrow(actor=bureau, project_id=project_id)
    eligible = EscrowEligibility.objects.filter(status=EscrowStatus.ELIGIBLE).order_by("pk").first()
    if eligible is not None and not EscrowEligibility.objects.filter(status=EscrowStatus.RELEASED).exists():
        services.release_escrow(
            actor=bureau, eligibility_id=eligible.pk, note="监管银行释放通知（演示）：释放预售资金监管额度的30%"
        )
    return created


def seed_training(bureau: Any) -> TrainingSession:
    from greenbuild.accounts.models import Organisation

    session = TrainingSession.objects.filter(topic="绿色建造试点政策与技术宣贯培训").first()
    if session is not None:
        return session
    session = services.create_session(
        actor=bureau,
        data={
            "topic": "绿色建造试点政策与技术宣贯培训",
            "date": dt.date(2021, 9, 15),
            "place": "常州市住房和城乡建设局三楼会议室",
            "audiences": list(Audience.values),
            "organiser": "常州市住房和城乡建设局",
            "notes": "内容：绿色建造技术导则、试点申报与过程管理、建筑垃圾减量化。",
        },
    )
    names = iter(DEMO_NAMES)
    for kind, audience in AUDIENCE_BY_KIND.items():
        for organisation in Organisation.objects.filter(kind=kind).order_by("pk")[:2]:
            name = next(names, None)
            if name is None:
                break
            services.record_attendance(
                actor=bureau,
                session_id=session.pk,
                data={
                    "person_name": name,
                    "organisation": organisation,
                    "organisation_name": organisation.name,
                    "audience": audience.value,
                    "position": "项目负责人",
                },
            )
    return session


def seed_incentives(bureau: Any) -> int:
    """Returns the number of bonus records in the demo."""
    from greenbuild.incentives.models import BonusRecord

    seed_rule(bureau)
    seed_awards(bureau)
    seed_training(bureau)
    return BonusRecord.objects.count()
