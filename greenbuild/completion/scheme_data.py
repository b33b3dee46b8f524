"""The first version of the evaluation scheme (评价体系, R20), from R7–R14 and the reference
(``reference/standards.md``: GB/T 50378 star level at completion, GB/T 51129 assembly rate,
D11 waste intensity, green-material share, GB/T 51366 carbon). Data: a corrected reading is a new
version made by the bureau, never an edit of this one."""

from __future__ import annotations

from typing import Any

FIRST_VERSION: dict[str, Any] = {
    "name": "常州市绿色建造试点项目专项评估验收评价体系（第1版）",
    "rules": (
        "试点项目竣工后，由市住建局组织绿色建造专项评估验收（R6）。建设单位提交竣工评价记分卡、"
        "各单体装配率、施工现场建筑垃圾排放强度、绿色建材应用比例及碳排放强度等实际达成值；"
        "专家组对照经评审的策划方案基线和R7–R14逐项核查并提出评估结论，市住建局作出验收结论。"
        "验收结论经公示无异议后出具评估报告和验收意见书。"
    ),
    "method": (
        "逐项比较实际达成值与基线目标及R7–R14要求：达成、未达成、缺数据、不适用。"
        "任一适用指标缺数据时不作结论；任一必达指标未达成或加权得分低于合格分时为未达标；"
        "否则为达标。加权得分＝达成指标权重之和÷适用指标权重之和×100（四舍五入保留一位小数）。"
    ),
    "pass_score": "80",
    "criteria": [
        {
            "code": "C1",
            "requirement": "R7",
            "indicator": "star_level",
            "weight": "20",
            "mandatory": True,
            "title_zh": "绿色建筑星级（竣工评价，二星级以上且不低于基线）",
            "title_en": "Green building star level",
        },
        {
            "code": "C2",
            "requirement": "R8",
            "indicator": "standardised_design",
            "weight": "5",
            "mandatory": False,
            "title_zh": "标准化设计",
            "title_en": "Standardised design",
        },
        {
            "code": "C3",
            "requirement": "R9",
            "indicator": "assembly_rate",
            "weight": "15",
            "mandatory": True,
            "title_zh": "装配率（各单体，不低于基线且不低于50%）",
            "title_en": "Assembly rate per building",
        },
        {
            "code": "C4",
            "requirement": "R10",
            "indicator": "waste_intensity",
            "weight": "15",
            "mandatory": True,
            "title_zh": "施工现场建筑垃圾排放强度（不高于基线目标）",
            "title_en": "Construction-waste intensity",
        },
        {
            "code": "C5",
            "requirement": "R11",
            "indicator": "green_material_share",
            "weight": "15",
            "mandatory": True,
            "title_zh": "绿色建材应用比例（不低于基线目标）",
            "title_en": "Green-material share",
        },
        {
            "code": "C6",
            "requirement": "R12",
            "indicator": "bim",
            "weight": "10",
            "mandatory": False,
            "title_zh": "BIM设计、生产、施工集成应用",
            "title_en": "BIM across design, production, construction",
        },
        {
            "code": "C7",
            "requirement": "R13",
            "indicator": "smart_site",
            "weight": "10",
            "mandatory": False,
            "title_zh": "智慧工地及智能建造设备",
            "title_en": "Smart site and intelligent equipment",
        },
        {
            "code": "C8",
            "requirement": "R14",
            "indicator": "delivery_model",
            "weight": "5",
            "mandatory": False,
            "title_zh": "工程总承包或全过程工程咨询",
            "title_en": "EPC or whole-process consulting",
        },
        {
            "code": "C9",
            "requirement": "",
            "indicator": "carbon_intensity",
            "weight": "5",
            "mandatory": False,
            "title_zh": "碳排放强度（基线设定目标时）",
            "title_en": "Carbon intensity (where the baseline sets a target)",
        },
    ],
}


def create_first_version(scheme_model: Any) -> Any:
    """Version 1 of the scheme when there is none yet, through ``scheme_model`` (the migration's
    historical model or the real one: the demo of a flushed database needs it too). Returns the
    scheme made, or None when one existed."""
    from decimal import Decimal

    if scheme_model.objects.exists():
        return None
    return scheme_model.objects.create(
        version=1,
        name=FIRST_VERSION["name"],
        rules=FIRST_VERSION["rules"],
        method=FIRST_VERSION["method"],
        criteria=FIRST_VERSION["criteria"],
        pass_score=Decimal(FIRST_VERSION["pass_score"]),
        note="",
    )
