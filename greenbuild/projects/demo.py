"""A realistic Changzhou demo programme, built through the real services (issue 2 §11).

Every role has a login (password ``DEMO_PASSWORD``); about twenty projects cover every status
and category; transitions carry the comments officials would write.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from greenbuild.accounts.choices import OrganisationKind, Role
from greenbuild.accounts.models import Membership, Organisation, User
from greenbuild.core.credit_code import make_credit_code
from greenbuild.programmes.models import Programme
from greenbuild.projects import services
from greenbuild.projects.choices import ParticipantRole, StarLevel
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
    created = 0
    for index, row in enumerate(PROJECTS):
        name, owner_key, district, category, use, material, system, above, below, invest, star, final = row
        if Project.objects.filter(programme=programme, name=name).exists():
            continue
        owner = orgs[owner_key]
        actor = owner_user[owner.pk]
        municipal = category == "municipal"
        start = dt.date(2021, 3 + index % 9, 1)
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
                21, 1 + index % 12, DIVISION[district], 368251 + index * 17
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
            if final == "confirmed":
                services.add_participant(
                    actor=actor, project_id=project.pk, organisation=orgs["green-eval"], role=ParticipantRole.EVALUATOR
                )
        for action, comment in PATHS[final]:
            mover = {
                "submit": actor,
                "withdraw": actor,
                "recommend": users["district_" + district],
                "return": users["district_" + district],
            }.get(action, users["bureau"])
            services.transition_project(actor=mover, project_id=project.pk, action=action, comment=comment)
    return {"organisations": len(orgs), "users": len(users), "projects_created": created}
