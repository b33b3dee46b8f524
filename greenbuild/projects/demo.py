"""A realistic Changzhou demo, built through the real services (issue 2 §11, issue 10 item 18).

Every role has a login (password ``DEMO_PASSWORD``); about twenty projects of the 2021 programme
(as the document defines it) cover every status and category; transitions carry the comments
officials would write. A second, live programme has its phases computed from the day the demo is
seeded (its implementation phase contains that day), so the overview always shows live work:
applications under review, candidates, confirmed pilots and a pending withdrawal request.
Seeding again changes nothing but moves the live programme's dates to the new day.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.apps import apps as django_apps
from django.db import transaction
from django.utils import timezone

from greenbuild.accounts.choices import OrganisationKind, Role
from greenbuild.accounts.models import Membership, Organisation, User
from greenbuild.core.credit_code import make_credit_code
from greenbuild.programmes.data_changzhou_2021 import load_programme
from greenbuild.programmes.models import Programme
from greenbuild.projects import services
from greenbuild.projects.choices import ParticipantRole, ProjectStatus, StarLevel
from greenbuild.projects.models import Project
from greenbuild.reference.models import (
    BuildingUse,
    Department,
    District,
    InvestmentNature,
    OrganisationMode,
    ProjectCategory,
    StructureMaterial,
    StructureSystem,
)

DEMO_PASSWORD = "greenbuild-demo"  # noqa: S105 (documented demo logins)

DIVISION = {
    "liyang": "320481",
    "jintan": "320413",
    "wujin": "320412",
    "xinbei": "320411",
    "tianning": "320402",
    "zhonglou": "320404",
    "jingkai": "320491",
}

ORGANISATIONS = [
    # key, name, kind, district code
    ("bureau", "常州市住房和城乡建设局（绿色建造试点联席会议办公室）", OrganisationKind.BUREAU, "tianning"),
    ("cz-city-investment", "常州市城市建设（集团）有限公司", OrganisationKind.OWNER, "tianning"),
    ("wujin-urban", "常州市武进区城市建设投资有限公司", OrganisationKind.OWNER, "wujin"),
    ("longcheng-dev", "常州龙城置业发展有限公司", OrganisationKind.OWNER, "xinbei"),
    ("jintan-edu", "常州市金坛区教育局", OrganisationKind.OWNER, "jintan"),
    ("liyang-land", "溧阳市天目湖置业有限公司", OrganisationKind.OWNER, "liyang"),
    ("zhonglou-health", "常州市钟楼区卫生健康局", OrganisationKind.OWNER, "zhonglou"),
    ("jingkai-hk", "常州经开区房地产开发有限公司", OrganisationKind.OWNER, "jingkai"),
    ("cscec", "中建八局第三建设有限公司", OrganisationKind.CONTRACTOR, "tianning"),
    ("cz-design", "常州市规划设计院", OrganisationKind.DESIGNER, "zhonglou"),
    ("jiangsu-pc", "江苏华江祥瑞现代建筑发展有限公司", OrganisationKind.MANUFACTURER, "wujin"),
    ("cz-supervision", "常州正衡工程项目管理有限公司", OrganisationKind.SUPERVISOR, "xinbei"),
    ("green-eval", "江苏省建筑科学研究院有限公司", OrganisationKind.EVALUATOR, "xinbei"),
    ("expert-pool", "常州市绿色建造专家库", OrganisationKind.EXPERT_POOL, "tianning"),
    ("nrp", "常州市自然资源和规划局", OrganisationKind.DEPARTMENT, "tianning"),
    ("finance", "常州市财政局", OrganisationKind.DEPARTMENT, "tianning"),
]

# username, display name, organisation key, role, scope (district or department code)
USERS = [
    ("bureau", "王建华（市住建局）", "bureau", Role.BUREAU_ADMIN, None),
    ("nrp", "李敏（自然资源和规划局）", "nrp", Role.DEPARTMENT_REVIEWER, "natural-resources-planning"),
    ("finance", "周强（财政局）", "finance", Role.DEPARTMENT_REVIEWER, "finance"),
    ("owner", "陈立（城建集团）", "cz-city-investment", Role.OWNER_APPLICANT, None),
    ("owner_wujin", "张宁（武进城投）", "wujin-urban", Role.OWNER_APPLICANT, None),
    ("owner_longcheng", "刘洋（龙城置业）", "longcheng-dev", Role.OWNER_APPLICANT, None),
    ("owner_jintan", "孙丽（金坛区教育局）", "jintan-edu", Role.OWNER_APPLICANT, None),
    ("owner_liyang", "吴斌（天目湖置业）", "liyang-land", Role.OWNER_APPLICANT, None),
    ("owner_zhonglou", "郑芳（钟楼区卫健局）", "zhonglou-health", Role.OWNER_APPLICANT, None),
    ("owner_jingkai", "何涛（经开区房产）", "jingkai-hk", Role.OWNER_APPLICANT, None),
    ("contractor", "赵刚（中建八局三公司）", "cscec", Role.PARTICIPANT, None),
    ("designer", "钱雯（市规划设计院）", "cz-design", Role.PARTICIPANT, None),
    ("expert", "冯教授（专家库）", "expert-pool", Role.EXPERT, None),
    ("evaluator", "蒋工（省建科院）", "green-eval", Role.EVALUATOR, None),
    # the three separated administrators (三员, docs/security.md)
    ("sysadmin", "系统管理员（市住建局）", "bureau", Role.SYSTEM_ADMIN, None),
    ("secadmin", "安全管理员（市住建局）", "bureau", Role.SECURITY_ADMIN, None),
    ("auditor", "审计管理员（市住建局）", "bureau", Role.AUDIT_ADMIN, None),
]
DISTRICT_NAMES = {
    "liyang": "沈",
    "jintan": "韩",
    "wujin": "杨",
    "xinbei": "朱",
    "tianning": "秦",
    "zhonglou": "许",
    "jingkai": "尤",
}

# name, owner key, district, category, use, structure, system, gfa above, below, investment, star, final status
PROJECTS: list[tuple[Any, ...]] = [
    (
        "常州市第一人民医院钟楼院区",
        "zhonglou-health",
        "zhonglou",
        "government-public",
        "hospital",
        "concrete",
        "frame-shear-wall",
        128000,
        42000,
        185000,
        "three_star",
        "confirmed",
    ),
    (
        "龙城天玺花园（一期）",
        "longcheng-dev",
        "zhonglou",
        "real-estate",
        "residential",
        "concrete",
        "shear-wall",
        96000,
        31000,
        88000,
        "two_star",
        "candidate",
    ),
    (
        "武进区政务服务中心",
        "wujin-urban",
        "wujin",
        "government-public",
        "office",
        "steel",
        "braced-frame",
        46000,
        12000,
        52000,
        "two_star",
        "confirmed",
    ),
    (
        "武进西太湖安居苑",
        "wujin-urban",
        "wujin",
        "real-estate",
        "affordable-housing",
        "concrete",
        "shear-wall",
        118000,
        36000,
        96000,
        "two_star",
        "confirmed",
    ),
    (
        "天宁区青龙实验小学新校区",
        "cz-city-investment",
        "tianning",
        "government-public",
        "school",
        "concrete",
        "frame",
        32000,
        8000,
        31000,
        "two_star",
        "confirmed",
    ),
    (
        "天宁府·云锦",
        "longcheng-dev",
        "tianning",
        "real-estate",
        "residential",
        "concrete",
        "shear-wall",
        84000,
        27000,
        76000,
        "two_star",
        "confirmed",
    ),
    (
        "新北区三井河滨住宅",
        "longcheng-dev",
        "xinbei",
        "real-estate",
        "residential",
        "hybrid",
        "frame-shear-wall",
        102000,
        33000,
        91000,
        "two_star",
        "confirmed",
    ),
    (
        "新北区文化艺术中心",
        "cz-city-investment",
        "xinbei",
        "government-public",
        "culture-sports",
        "steel",
        "space-frame",
        58000,
        16000,
        98000,
        "three_star",
        "recommended",
    ),
    (
        "金坛区华罗庚实验学校扩建",
        "jintan-edu",
        "jintan",
        "government-public",
        "school",
        "concrete",
        "frame",
        26000,
        5000,
        24000,
        "two_star",
        "confirmed",
    ),
    (
        "金坛茅山湖畔人才公寓",
        "jintan-edu",
        "jintan",
        "real-estate",
        "residential",
        "concrete",
        "shear-wall",
        45000,
        12000,
        38000,
        "two_star",
        "submitted",
    ),
    (
        "溧阳天目湖生态度假公寓",
        "liyang-land",
        "liyang",
        "real-estate",
        "residential",
        "timber",
        "frame",
        18000,
        4000,
        21000,
        "two_star",
        "candidate",
    ),
    (
        "溧阳市人民医院新院区",
        "liyang-land",
        "liyang",
        "government-public",
        "hospital",
        "concrete",
        "frame-shear-wall",
        86000,
        25000,
        120000,
        "two_star",
        "returned",
    ),
    (
        "经开区智造产业园标准厂房",
        "jingkai-hk",
        "jingkai",
        "building-other",
        "industrial",
        "steel",
        "portal-frame",
        72000,
        0,
        42000,
        "one_star",
        "confirmed",
    ),
    (
        "经开区东方新城住宅",
        "jingkai-hk",
        "jingkai",
        "real-estate",
        "residential",
        "concrete",
        "shear-wall",
        88000,
        29000,
        79000,
        "two_star",
        "candidate",
    ),
    (
        "常州市青洋路高架快速路（北延）",
        "cz-city-investment",
        "tianning",
        "municipal",
        "road-bridge",
        "steel",
        "bridge-tunnel",
        0,
        0,
        260000,
        "none",
        "recommended",
    ),
    (
        "钟楼区老旧小区综合管廊",
        "cz-city-investment",
        "zhonglou",
        "municipal",
        "utility",
        "concrete",
        "bridge-tunnel",
        0,
        0,
        36000,
        "none",
        "submitted",
    ),
    (
        "武进区湖塘中学体育馆",
        "wujin-urban",
        "wujin",
        "government-public",
        "culture-sports",
        "steel",
        "space-frame",
        12000,
        2000,
        15000,
        "two_star",
        "rejected",
    ),
    (
        "新北区万达广场二期商业",
        "longcheng-dev",
        "xinbei",
        "building-other",
        "commercial",
        "concrete",
        "frame",
        64000,
        30000,
        70000,
        "one_star",
        "withdrawn",
    ),
    (
        "经开区邻里中心",
        "jingkai-hk",
        "jingkai",
        "government-public",
        "commercial",
        "concrete",
        "frame",
        15000,
        6000,
        16000,
        "two_star",
        "draft",
    ),
    (
        "天宁区社区卫生服务中心",
        "cz-city-investment",
        "tianning",
        "government-public",
        "hospital",
        "concrete",
        "frame",
        9000,
        2000,
        9000,
        "two_star",
        "draft",
    ),
    (
        "溧阳市燕山路小学",
        "liyang-land",
        "liyang",
        "government-public",
        "school",
        "concrete",
        "frame",
        21000,
        4000,
        19000,
        "none",
        "draft",
    ),
]


def live_programme_spec(today: dt.date) -> dict[str, Any]:
    """The live demo programme: launched five months ago, in implementation for two more months
    than the rest of the year, then reviewed (every date relative to ``today``)."""
    implementation_starts = today - dt.timedelta(days=60)
    implementation_ends = today + dt.timedelta(days=300)
    return {
        "code": "changzhou-live-demo",
        "name_zh": "常州市{}年度绿色建造试点".format(implementation_starts.year),
        "name_en": "Changzhou Green Construction Pilots {}".format(implementation_starts.year),
        "city": "常州市",
        "min_pilots": 6,
        "is_current": True,
        "districts": list(DIVISION),
        "phases": [
            {
                "order": 1,
                "name_zh": "部署启动",
                "name_en": "Launch",
                "starts_on": implementation_starts - dt.timedelta(days=90),
                "ends_on": implementation_starts - dt.timedelta(days=1),
            },
            {
                "order": 2,
                "name_zh": "组织实施",
                "name_en": "Implementation",
                "starts_on": implementation_starts,
                "ends_on": implementation_ends,
            },
            {
                "order": 3,
                "name_zh": "总结评估",
                "name_en": "Review and evaluation",
                "starts_on": implementation_ends + dt.timedelta(days=1),
                "ends_on": implementation_ends + dt.timedelta(days=90),
            },
        ],
        "quota_rules": [
            {"category": "real-estate", "min_per_district": 1, "deadline": implementation_ends},
            {"category": "government-public", "min_per_district": 1, "deadline": implementation_ends},
        ],
    }


# The live programme's applications (same columns as PROJECTS).
PROJECTS_2026: list[tuple[Any, ...]] = [
    ("武进区嘉泽中学迁建工程", "wujin-urban", "wujin", "government-public", "school", "concrete", "frame",
     38000, 9000, 36000, "two_star", "confirmed"),
    ("武进湖塘人才公寓", "wujin-urban", "wujin", "real-estate", "affordable-housing", "concrete", "shear-wall",
     72000, 21000, 61000, "two_star", "candidate"),
    ("龙城云著花园", "longcheng-dev", "xinbei", "real-estate", "residential", "hybrid", "frame-shear-wall",
     88000, 26000, 80000, "two_star", "confirmed"),
    ("新北区龙虎塘社区中心", "cz-city-investment", "xinbei", "government-public", "commercial", "steel",
     "braced-frame", 16000, 4000, 15000, "one_star", "recommended"),
    ("天宁区兰陵街道卫生服务中心", "cz-city-investment", "tianning", "government-public", "hospital", "concrete",
     "frame", 12000, 3000, 11000, "two_star", "submitted"),
    ("天宁青龙湾住宅", "longcheng-dev", "tianning", "real-estate", "residential", "concrete", "shear-wall",
     66000, 20000, 58000, "two_star", "recommended"),
    ("金坛区朝阳小学改扩建", "jintan-edu", "jintan", "government-public", "school", "concrete", "frame",
     18000, 3000, 16000, "two_star", "returned"),
    ("溧阳天目湖康养社区", "liyang-land", "liyang", "real-estate", "residential", "timber", "frame",
     24000, 6000, 26000, "two_star", "submitted"),
    ("钟楼区妇幼保健院新院", "zhonglou-health", "zhonglou", "government-public", "hospital", "concrete",
     "frame-shear-wall", 54000, 16000, 76000, "three_star", "confirmed"),
    ("经开区横山桥安置房", "jingkai-hk", "jingkai", "real-estate", "affordable-housing", "concrete", "shear-wall",
     58000, 17000, 47000, "two_star", "draft"),
    ("经开区智能制造中心厂房", "jingkai-hk", "jingkai", "building-other", "industrial", "steel", "portal-frame",
     42000, 0, 26000, "one_star", "submitted"),
]  # fmt: skip

# Confirmed pilots of the live programme whose owner asks to withdraw (pending for the bureau).
WITHDRAWALS_2026 = [
    ("龙城云著花园", "longcheng-dev", "受土地出让条件调整影响，项目开工时间推迟至明年，申请撤回试点。"),
]

# The path of moves from draft to each final status, with the comment each actor writes.
PATHS: dict[str, list[tuple[str, str]]] = {
    "draft": [],
    "submitted": [("submit", "")],
    "returned": [("submit", ""), ("return", "装配率测算依据不足，请补充各单体预制构件清单后重新申报。")],
    "recommended": [("submit", ""), ("recommend", "项目具有代表性，绿色建造目标明确，同意推荐。")],
    "rejected": [
        ("submit", ""),
        ("recommend", "同意推荐。"),
        ("reject", "建设规模较小，绿色建造示范性不足，本批次不列入试点。"),
    ],
    "candidate": [("submit", ""), ("recommend", "同意推荐，建议重点关注建筑垃圾减量化。"), ("accept", "")],
    "confirmed": [
        ("submit", ""),
        ("recommend", "同意推荐。"),
        ("accept", "列入候选试点项目。"),
        ("confirm", "经专家评审，确定为绿色建造试点项目。"),
    ],
    "withdrawn": [("submit", ""), ("withdraw", "项目建设计划调整，申请撤回。")],
}


def _code(key: str, district: str, index: int) -> str:
    return make_credit_code("91{}{:09d}".format(DIVISION[district], 100000 + index * 7919))


@transaction.atomic
def seed_demo() -> dict[str, int]:
    """Create the demo programme's organisations, users and projects (idempotent by name)."""
    programme = Programme.objects.get(code="changzhou-2021")
    districts = {d.code: d for d in District.objects.all()}
    orgs: dict[str, Organisation] = {}
    for index, (key, name, kind, district) in enumerate(ORGANISATIONS):
        orgs[key], _ = Organisation.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "credit_code": _code(key, district, index), "district": districts[district]},
        )
    for code, district in districts.items():
        key = "district-" + code
        orgs[key], _ = Organisation.objects.get_or_create(
            name="{}人民政府".format(district.name_zh if code != "jingkai" else "常州经开区管委会"),
            defaults={
                "kind": OrganisationKind.DISTRICT_GOVERNMENT,
                "credit_code": _code(key, code, 50 + len(orgs)),
                "district": district,
            },
        )
    users: dict[str, User] = {}
    departments = {d.code: d for d in Department.objects.all()}
    rows = [*USERS] + [
        (
            "district_" + code,
            "{}（{}）".format(DISTRICT_NAMES[code] + "主任", districts[code].name_zh),
            "district-" + code,
            Role.DISTRICT_OFFICIAL,
            code,
        )
        for code in districts
    ]
    for username, display, org_key, role, scope in rows:
        user, created = User.objects.get_or_create(username=username, defaults={"display_name": display})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = user.is_superuser = role == Role.BUREAU_ADMIN
            if role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
                user.is_staff = True  # the admin shows them their duty's models only
            user.save()
        Membership.objects.get_or_create(
            user=user,
            organisation=orgs[org_key],
            role=role,
            defaults={
                "district": districts.get(scope) if role == Role.DISTRICT_OFFICIAL else None,
                "department": departments.get(scope) if role == Role.DEPARTMENT_REVIEWER else None,
            },
        )
        users[username] = user

    created = _file_projects(programme, PROJECTS, orgs=orgs, users=users, districts=districts, first_year=2021)
    live = load_programme(django_apps, live_programme_spec(timezone.localdate()))
    created += _file_projects(live, PROJECTS_2026, orgs=orgs, users=users, districts=districts, first_year=None)
    _request_withdrawals(live, users)
    return {"organisations": len(orgs), "users": len(users), "projects_created": created}


def _file_projects(
    programme: Programme,
    rows: list[tuple[Any, ...]],
    *,
    orgs: dict[str, Organisation],
    users: dict[str, User],
    districts: dict[str, District],
    first_year: int | None,
) -> int:
    """File each row's application in ``programme`` and walk it to its final status (idempotent by name).

    ``first_year`` dates the planned works from that year; ``None`` dates them around today (the
    live programme).
    """
    owner_user = {m.organisation_id: m.user for m in Membership.objects.filter(role=Role.OWNER_APPLICANT)}
    lookups = {
        "category": {c.code: c for c in ProjectCategory.objects.all()},
        "use": {u.code: u for u in BuildingUse.objects.all()},
        "structure_material": {s.code: s for s in StructureMaterial.objects.all()},
        "structure_system": {s.code: s for s in StructureSystem.objects.all()},
    }
    epc = OrganisationMode.objects.get(code="epc")
    consulting = OrganisationMode.objects.get(code="whole-process-consulting")
    government = InvestmentNature.objects.get(code="government")
    private = InvestmentNature.objects.get(code="private")
    today = timezone.localdate()
    created = 0
    for index, row in enumerate(rows):
        name, owner_key, district, category, use, material, system, above, below, invest, star, final = row
        owner = orgs[owner_key]
        if Project.objects.filter(programme=programme, owner=owner, name=name).exists():
            continue
        actor = owner_user[owner.pk]
        municipal = category == "municipal"
        if first_year is None:
            start = (today + dt.timedelta(days=30 * (index % 6) - 60)).replace(day=1)
        else:
            start = dt.date(first_year, 3 + index % 9, 1)
        data: dict[str, Any] = {
            "name": name,
            "district": districts[district],
            "address": "常州市{}{}".format(
                districts[district].name_zh,
                ["龙城大道", "延陵西路", "通江大道", "长虹路", "常澄路"][index % 5] + "{}号".format(100 + index * 13),
            ),
            "category": lookups["category"][category],
            "investment_nature": government if category in ("government-public", "municipal") else private,
            "use": lookups["use"][use],
            "structure_material": lookups["structure_material"][material],
            "structure_system": lookups["structure_system"][system],
            "gfa_above_m2": Decimal(above) if above else None,
            "gfa_below_m2": None if municipal else Decimal(below),
            "investment_wan_yuan": Decimal(invest),
            "planned_start": start,
            "planned_completion": start.replace(year=start.year + 2 + index % 2),
            "approval_code": "{:02d}{:02d}-{}-47-01-{:06d}".format(
                start.year % 100, 1 + index % 12, DIVISION[district], 368251 + index * 17 + (start.year - 2021) * 1000
            ),
            "organisation_mode": epc if index % 3 else consulting,
            "target_star_level": StarLevel(star),
            "standardised_design": not municipal,
            "waste_target_t_per_10k_m2": Decimal(200 if material != "concrete" else 260)
            if not municipal
            else Decimal(300),
            "green_material_target_pct": Decimal(40 + index % 4 * 5),
            "bim_design": True,
            "bim_production": index % 4 != 3,
            "bim_construction": True,
            "bim_operation": index % 3 == 0,
            "smart_site_measures": "扬尘噪声在线监测、塔吊防碰撞、人员实名制与AI视频识别"
            if index % 2 == 0
            else "扬尘噪声在线监测、智能安全帽",
            "construction_robots": "地面整平机器人、测量机器人" if index % 3 == 0 else "",
            "pipeline_separation": use in ("residential", "affordable-housing"),
            "prefabricated_decoration": use in ("residential", "affordable-housing", "office"),
        }
        if star == "none" and final == "draft":
            data["target_star_level"] = StarLevel.NONE
            data["approval_code"] = ""
        project = services.create_project(actor=actor, programme=programme, data=data, owner=owner)
        created += 1
        if not municipal and above:
            blocks = 3 if above > 60000 else 2
            for b in range(blocks):
                area = (Decimal(above) / blocks).quantize(Decimal("0.01"))
                services.save_building(
                    actor=actor,
                    project_id=project.pk,
                    data={
                        "name": "{}#楼".format(b + 1),
                        "floor_area_m2": area,
                        "storeys": 6 if use in ("school", "industrial", "culture-sports") else 18 + b * 4,
                        "height_m": Decimal("23.90")
                        if use in ("school", "industrial", "culture-sports")
                        else Decimal(54 + b * 12),
                        "structure_material": lookups["structure_material"][material],
                        "structure_system": lookups["structure_system"][system],
                        "target_assembly_rate_pct": Decimal(50 + (index + b) % 4 * 5),
                    },
                )
        if final != "draft":
            services.add_participant(
                actor=actor,
                project_id=project.pk,
                organisation=orgs["cscec"],
                role=ParticipantRole.EPC_CONTRACTOR if index % 3 else ParticipantRole.CONTRACTOR,
            )
            services.add_participant(
                actor=actor, project_id=project.pk, organisation=orgs["cz-design"], role=ParticipantRole.DESIGNER
            )
            if final == "confirmed":  # the bureau assigns the evaluator, never the owner
                services.assign_evaluator(actor=users["bureau"], project_id=project.pk, organisation=orgs["green-eval"])
        for action, comment in PATHS[final]:
            mover = {
                "submit": actor,
                "withdraw": actor,
                "recommend": users["district_" + district],
                "return": users["district_" + district],
            }.get(action, users["bureau"])
            if action == "confirm":  # a candidate is confirmed once its plan passed expert review
                from greenbuild.lifecycle.demo import pass_review_for_demo

                pass_review_for_demo(project, actor, users["bureau"], index)
            services.transition_project(actor=mover, project_id=project.pk, action=action, comment=comment)
        if first_year is not None:
            _date_the_application(project, dt.date(first_year, 1 + index % 3, 4 + index % 20))
    return created


def _date_the_application(project: Project, filed_on: dt.date) -> None:
    """A past programme's application happened in its years, not on the seeding day: it was filed
    on ``filed_on`` and each move came two weeks after the previous one, so waiting times and the
    timeline count from the real start (UI-10). Deterministic."""
    from greenbuild.projects.models import ProjectTransition

    start = timezone.make_aware(dt.datetime.combine(filed_on, dt.time(9, 30)))
    Project.objects.filter(pk=project.pk).update(created_at=start, updated_at=start)
    moves = list(ProjectTransition.objects.filter(project=project).order_by("at", "pk").values_list("pk", flat=True))
    for step, pk in enumerate(moves, start=1):
        ProjectTransition.objects.filter(pk=pk).update(at=start + dt.timedelta(days=14 * step))
    if moves:
        Project.objects.filter(pk=project.pk, submitted_at__isnull=False).update(
            submitted_at=start + dt.timedelta(days=14), updated_at=start + dt.timedelta(days=14 * len(moves))
        )


def _request_withdrawals(programme: Programme, users: dict[str, User]) -> None:
    """The live programme's owners ask to withdraw one confirmed pilot (pending for the bureau)."""
    for name, owner_key, reason in WITHDRAWALS_2026:
        project = Project.objects.filter(programme=programme, name=name, status=ProjectStatus.CONFIRMED).first()
        if project is None or project.withdrawal_requests.exists():
            continue
        owner = users[next(username for username, _n, org, role, _s in USERS if org == owner_key)]
        services.request_withdrawal(actor=owner, project_id=project.pk, reason=reason)
