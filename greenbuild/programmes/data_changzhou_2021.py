"""The Changzhou green construction pilot programme (常州市绿色建造试点工作实施方案, 2021) as data.

R1: at least 10 pilots city-wide. R2: three phases. R3: by the end of 2021 every district has at
least one real-estate development pilot and one government-invested public building pilot.
"""

CHANGZHOU_2021 = {
    "code": "changzhou-2021",
    "name_zh": "常州市绿色建造试点（2021—2023）",
    "name_en": "Changzhou Green Construction Pilot Programme (2021–2023)",
    "city": "常州市",
    "min_pilots": 10,
    "is_current": True,
    "districts": ["liyang", "jintan", "wujin", "xinbei", "tianning", "zhonglou", "jingkai"],
    "phases": [
        {"order": 1, "name_zh": "部署启动", "name_en": "Launch", "starts_on": "2021-01-01", "ends_on": "2021-06-30"},
        {
            "order": 2,
            "name_zh": "组织实施",
            "name_en": "Implementation",
            "starts_on": "2021-07-01",
            "ends_on": "2023-09-30",
        },
        {
            "order": 3,
            "name_zh": "总结评估",
            "name_en": "Review and evaluation",
            "starts_on": "2023-10-01",
            "ends_on": "2023-12-31",
        },
    ],
    "quota_rules": [
        {"category": "real-estate", "min_per_district": 1, "deadline": "2021-12-31"},
        {"category": "government-public", "min_per_district": 1, "deadline": "2021-12-31"},
    ],
}


def load_programme(apps, spec):
    """Create or update a programme from a spec like ``CHANGZHOU_2021`` (used by migrations)."""
    Programme = apps.get_model("programmes", "Programme")
    Phase = apps.get_model("programmes", "Phase")
    QuotaRule = apps.get_model("programmes", "QuotaRule")
    District = apps.get_model("reference", "District")
    ProjectCategory = apps.get_model("reference", "ProjectCategory")
    fields = {k: spec[k] for k in ("name_zh", "name_en", "city", "min_pilots", "is_current")}
    programme, _ = Programme.objects.update_or_create(code=spec["code"], defaults=fields)
    programme.districts.set(District.objects.filter(code__in=spec["districts"]))
    for phase in spec["phases"]:
        Phase.objects.update_or_create(
            programme=programme, order=phase["order"], defaults={k: v for k, v in phase.items() if k != "order"}
        )
    for rule in spec["quota_rules"]:
        QuotaRule.objects.update_or_create(
            programme=programme,
            category=ProjectCategory.objects.get(code=rule["category"]),
            defaults={"min_per_district": rule["min_per_district"], "deadline": rule["deadline"]},
        )
    return programme
