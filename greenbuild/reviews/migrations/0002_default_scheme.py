"""The first criteria scheme for green construction plans (editable in the admin afterwards)."""

from decimal import Decimal

from django.db import migrations

NAME = "常州市绿色建造策划方案评审标准（2021）"
SECTIONS = [
    ("绿色建造目标", "Green construction targets", "星级、装配率、建筑垃圾、绿色建材、碳排放目标是否明确、合理、可核查。",
     "Are the star level, assembly rate, waste, green materials and carbon targets clear, sound and verifiable?", "20"),
    ("绿色策划与设计措施", "Green planning and design measures", "标准化设计、装配式、绿色建材选用等设计措施。",
     "Standardised design, prefabrication and green-material choices in the design.", "25"),
    ("绿色施工措施", "Green construction measures", "建筑垃圾减量、扬尘噪声控制、资源节约等施工措施。",
     "Waste reduction, dust and noise control and resource savings on site.", "25"),
    ("适宜技术、BIM 与智慧工地", "Suitable technologies, BIM and smart site", "适宜技术选用、BIM 全过程应用、智慧工地方案。",
     "Choice of suitable technologies, BIM through the phases, the smart-site plan.", "20"),
    ("组织模式与保障措施", "Organisation mode and safeguards", "工程总承包、全过程咨询等组织模式及保障措施。",
     "EPC, whole-process consulting and the safeguards of the plan.", "10"),
]


def forwards(apps, schema_editor):
    Scheme = apps.get_model("reviews", "CriteriaScheme")
    Section = apps.get_model("reviews", "CriteriaSection")
    scheme, created = Scheme.objects.get_or_create(name=NAME, defaults={"consolidation": "trimmed_mean"})
    if not created:
        return
    for order, (zh, en, gzh, gen, weight) in enumerate(SECTIONS, start=1):
        Section.objects.create(
            scheme=scheme, title_zh=zh, title_en=en, guidance_zh=gzh, guidance_en=gen, weight=Decimal(weight),
            min_score=Decimal(0), max_score=Decimal(10), sort_order=order,
        )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
