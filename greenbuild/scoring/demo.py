"""Demo scores for the confirmed and candidate pilots, computed through the real services."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.core.files.base import ContentFile

from greenbuild.accounts.choices import Role
from greenbuild.accounts.models import User
from greenbuild.attachments.choices import AttachmentKind
from greenbuild.attachments.demo import demo_pdf
from greenbuild.attachments.services import store_attachment
from greenbuild.projects.choices import ParticipantRole, ProjectStatus
from greenbuild.projects.models import Project
from greenbuild.scoring import engines, services
from greenbuild.scoring.choices import ClauseKind, Stage

SCORECARD = json.loads((Path(__file__).parent / "data" / "demo_scorecard.json").read_text(encoding="utf-8"))

#: clause -> the name of the demo's evidence file for it
DEMO_EVIDENCE = [("4.1.1", "绿色施工专项方案.pdf"), ("7.2.1", "节能计算书（第2版）.pdf"), ("9.2.1", "BIM 应用报告.pdf")]

MATERIALS = [
    # name, item type, group, quantity, unit, certified, carbon key, mass t, distance km
    ("C30 预拌混凝土", "预拌混凝土", "main_structure_envelope", "18000", "m3", True, "concrete_c30", "43200", "25"),
    ("HRB400 钢筋", "钢筋", "main_structure_envelope", "2600", "t", True, "rebar_hot_rolled", None, None),
    ("蒸压加气混凝土砌块", "砌体材料", "main_structure_envelope", "4200", "m3", False, "", None, None),
    ("断桥铝合金窗", "门窗", "main_structure_envelope", "9800", "m2", True, "", None, None),
    ("内墙乳胶漆", "涂料", "decoration", "52000", "m2", True, "", None, None),
    ("瓷砖", "陶瓷砖", "decoration", "16000", "m2", False, "", None, None),
    ("PPR 给水管", "管材", "mep", "12000", "m", True, "", None, None),
    ("透水铺装砖", "铺装", "exterior", "6000", "m2", True, "", None, None),
]


def seed_scores(bureau: User) -> int:
    """Scorecards, building assessments, waste, materials and energy for the demo pilots."""
    count = 0
    projects = Project.objects.filter(
        status__in=[ProjectStatus.CONFIRMED, ProjectStatus.CANDIDATE], category__is_building=True
    )
    reviewed: list[Project] = []
    for index, project in enumerate(projects.order_by("pk")):
        if project.scorecards.exists():
            continue
        # The owner claims (whoever claims never reviews the same scorecard, SCO-07); the bureau
        # stands in only where the project has no owner account.
        actor = _owner_account(project) or bureau
        # 6.2.10–6.2.13 are operation-only and cannot be claimed at pre-evaluation (D6).
        scored = {k: Decimal(str(v)) for k, v in SCORECARD["scored_items"].items() if k != "6.2.10"}
        if index % 3 == 1:  # a weaker scorecard: one star short of the target
            for clause in list(scored)[:6]:
                scored[clause] = Decimal(0)
        claims = {c: {"kind": ClauseKind.CONTROL, "passed": True} for c in SCORECARD["control_items"]}
        claims.update({c: {"kind": ClauseKind.SCORED, "points": p} for c, p in scored.items()})
        claims.update(
            {c: {"kind": ClauseKind.BONUS, "points": Decimal(str(p))} for c, p in SCORECARD["bonus_items"].items()}
        )
        header = {
            "building_type": "residential"
            if project.use and project.use.code in ("residential", "affordable-housing")
            else "public",
            "full_decoration": True,
            "star_requirements": {k: v for k, v in SCORECARD["star_requirements"].items() if v is not None},
        }
        for clause, name in DEMO_EVIDENCE:  # evidence files, stored as attachments then bound by the save
            if clause in claims:
                claims[clause]["evidence"] = store_attachment(
                    actor=actor,
                    project=project,
                    kind=AttachmentKind.EVIDENCE,
                    uploaded_file=ContentFile(demo_pdf("GreenBuild demo evidence {}".format(clause)), name=name),
                    pending=True,
                )
        services.save_scorecard(actor=actor, project=project, stage=Stage.PRE_EVALUATION, header=header, claims=claims)
        if _review_scorecard(project, actor, bureau):
            reviewed.append(project)
        for b, building in enumerate(project.buildings.all()):
            structure = (
                project.structure_material.code
                if project.structure_material.code in ("steel", "timber")
                else "concrete"
            )
            services.assess_building(
                actor=actor,
                building=building,
                inputs={
                    "structure": structure,
                    "vertical_members_pct": 40 + 10 * ((index + b) % 4),
                    "horizontal_members_pct": 75,
                    "exterior_walls_nonmasonry_pct": 85,
                    "exterior_walls_integrated_pct": 60,
                    "partitions_nonmasonry_pct": 60,
                    "partitions_integrated_pct": 40,
                    "full_decoration": True,
                    "dry_floors_pct": 75,
                    "integrated_kitchen_pct": 80,
                    "integrated_bathroom_pct": 70,
                    "pipeline_separation_pct": 55,
                },
            )
        for month in range(1, 7):
            services.record_waste(
                actor=actor,
                project=project,
                data={
                    "recorded_on": dt.date(2022, month, 28),
                    "category": "construction_waste",
                    "tonnes": Decimal(180 + 37 * ((index + month) % 5)),
                    "recycled_tonnes": Decimal(120),
                },
            )
        services.record_waste(
            actor=actor,
            project=project,
            data={"recorded_on": dt.date(2022, 3, 15), "category": "engineering_spoil", "tonnes": Decimal(42000)},
        )
        for name, item_type, group, qty, unit, certified, carbon, mass, distance in MATERIALS:
            services.save_material_line(
                actor=actor,
                project=project,
                data={
                    "name": name,
                    "item_type": item_type,
                    "group": group,
                    "quantity": Decimal(qty),
                    "unit": unit,
                    "certified": certified if index % 2 == 0 or group != "decoration" else False,
                    "carbon_material": carbon,
                    "mass_t": Decimal(mass) if mass else None,
                    "distance_km": Decimal(distance) if distance else None,
                },
            )
        services.record_energy(
            actor=actor, project=project, data={"carrier": "electricity", "quantity": Decimal(820000)}
        )
        services.record_energy(actor=actor, project=project, data={"carrier": "diesel", "quantity": Decimal(46000)})
        services.run_project_engines(actor=actor, project=project)
        count += 1
    if len(reviewed) > 1:  # one pilot shows a pending revision: the owner raised a claim after the review
        _revise_after_review(reviewed[-1])
    return count


def _owner_account(project: Project) -> User | None:
    return (
        User.objects.filter(
            is_active=True, memberships__organisation=project.owner, memberships__role=Role.OWNER_APPLICANT
        )
        .order_by("pk")
        .first()
    )


def _evaluator_account(project: Project) -> User | None:
    orgs = project.participants.filter(role=ParticipantRole.EVALUATOR).values("organisation")
    return (
        User.objects.filter(is_active=True, memberships__organisation__in=orgs, memberships__role=Role.EVALUATOR)
        .order_by("pk")
        .first()
    )


#: the demo reviewer's decisions that differ from the claims (clause -> accepted points, note)
REVIEW_CHANGES = {"9.2.1": (Decimal(20), "BIM 应用报告仅覆盖设计阶段，认定 20 分")}


def _review_scorecard(project: Project, claimant: User, bureau: User) -> bool:
    """The project's third-party evaluator (else the bureau, when it did not claim) reviews the
    pre-evaluation scorecard: the reviewed result of record (issue 16 item 7)."""
    if project.status != ProjectStatus.CONFIRMED:
        return False
    reviewer = _evaluator_account(project) or (bureau if claimant != bureau else None)
    if reviewer is None:
        return False
    scorecard = project.scorecards.get(stage=Stage.PRE_EVALUATION)
    decisions: dict[str, dict[str, object]] = {}
    for claim in scorecard.claims.all():
        if claim.clause in REVIEW_CHANGES:
            points, note = REVIEW_CHANGES[claim.clause]
            decisions[claim.clause] = {"points": points, "note": note}
        else:
            decisions[claim.clause] = {"accept_claimed": True}
    services.review_scorecard(actor=reviewer, scorecard=scorecard, decisions=decisions)
    return True


def _revise_after_review(project: Project) -> None:
    """The owner raises one claim after the review: a pending revision beside the official result."""
    scorecard = project.scorecards.get(stage=Stage.PRE_EVALUATION)
    owner = _owner_account(project)
    if owner is None:
        return
    claims: dict[str, dict[str, object]] = {}
    for claim in scorecard.claims.all():
        if claim.kind == ClauseKind.CONTROL:
            claims[claim.clause] = {"kind": claim.kind, "passed": claim.claimed_pass, "note": claim.note}
        elif claim.claimed_points is not None:
            claims[claim.clause] = {"kind": claim.kind, "points": claim.claimed_points, "note": claim.note}
    catalogue = engines.clause_catalogue(scorecard.edition)
    for item in catalogue[ClauseKind.SCORED]:  # the first scored item with room left, raised to its maximum
        claim = claims.get(item["clause"])
        maximum = item.get("maximum")
        if claim and not item.get("operation_only") and maximum is not None and claim["points"] < Decimal(maximum):
            claim["points"] = Decimal(maximum)
            claim["note"] = "补充证明材料后提高申报"
            break
    header = {
        "building_type": scorecard.building_type,
        "full_decoration": scorecard.full_decoration,
        "star_requirements": scorecard.star_requirements,
    }
    services.save_scorecard(actor=owner, project=project, stage=Stage.PRE_EVALUATION, header=header, claims=claims)
