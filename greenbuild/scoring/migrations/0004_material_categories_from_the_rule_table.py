"""Bill-of-materials lines name a material category (品类) of appendix A and a unit from the rule
table's lists (SCO-06). Known free-text values of existing rows are mapped to the list; a value that
cannot be mapped is left as it is and reported by the system check ``scoring.W001`` (the line is
refused on its next save until a category is chosen)."""

from django.db import migrations, models

#: The appendix A categories and units of the bundled rule table when this migration was written
#: (``standards/data/green_materials_2024.json`` version 2026.1), frozen here.
CATEGORIES = {
    "预拌混凝土": "main_structure_envelope",
    "预拌砂浆": "main_structure_envelope",
    "混凝土外加剂": "main_structure_envelope",
    "钢筋": "main_structure_envelope",
    "钢结构用钢材": "main_structure_envelope",
    "混凝土预制构件": "main_structure_envelope",
    "砌体材料": "main_structure_envelope",
    "木结构材料": "main_structure_envelope",
    "保温材料": "main_structure_envelope",
    "门窗": "main_structure_envelope",
    "幕墙": "main_structure_envelope",
    "节能玻璃": "main_structure_envelope",
    "防水材料": "main_structure_envelope",
    "密封胶": "main_structure_envelope",
    "涂料": "decoration",
    "陶瓷砖": "decoration",
    "石材": "decoration",
    "石膏板": "decoration",
    "吊顶": "decoration",
    "集成墙面": "decoration",
    "木地板": "decoration",
    "树脂地坪": "decoration",
    "壁纸壁布": "decoration",
    "室内门": "decoration",
    "卫生洁具": "decoration",
    "胶粘剂": "decoration",
    "管材": "mep",
    "管件": "mep",
    "阀门": "mep",
    "水嘴": "mep",
    "电线电缆": "mep",
    "照明灯具": "mep",
    "空调设备": "mep",
    "新风净化设备": "mep",
    "水处理设备": "mep",
    "太阳能光伏组件": "mep",
    "减振隔声装置": "mep",
    "铺装": "exterior",
    "路缘石": "exterior",
    "园林景观材料": "exterior",
    "雨水收集利用设备": "exterior",
    "室外管网": "exterior",
}
UNITS = ["m3", "m2", "m", "t", "kg", "piece", "set"]

#: Free-text spellings found in entered data -> the list's value.
ITEM_TYPE_ALIASES = {
    "砌块": "砌体材料",
    "砖": "砌体材料",
    "加气混凝土砌块": "砌体材料",
    "混凝土": "预拌混凝土",
    "商品混凝土": "预拌混凝土",
    "商砼": "预拌混凝土",
    "砂浆": "预拌砂浆",
    "钢材": "钢结构用钢材",
    "型钢": "钢结构用钢材",
    "玻璃": "节能玻璃",
    "外窗": "门窗",
    "窗": "门窗",
    "乳胶漆": "涂料",
    "油漆": "涂料",
    "瓷砖": "陶瓷砖",
    "地砖": "陶瓷砖",
    "给水管": "管材",
    "排水管": "管材",
    "电缆": "电线电缆",
    "灯具": "照明灯具",
    "透水铺装": "铺装",
    "透水砖": "铺装",
}
UNIT_ALIASES = {
    "平方米": "m2",
    "㎡": "m2",
    "m²": "m2",
    "M2": "m2",
    "立方米": "m3",
    "m³": "m3",
    "㎥": "m3",
    "M3": "m3",
    "方": "m3",
    "吨": "t",
    "T": "t",
    "千克": "kg",
    "公斤": "kg",
    "KG": "kg",
    "Kg": "kg",
    "米": "m",
    "延米": "m",
    "M": "m",
    "个": "piece",
    "件": "piece",
    "块": "piece",
    "套": "set",
    "台": "set",
}


def _category(line):
    value = (line.item_type or "").strip()
    if value in CATEGORIES:
        return value
    if value in ITEM_TYPE_ALIASES:
        return ITEM_TYPE_ALIASES[value]
    if value:
        return line.item_type  # unknown: left for the system check to report
    # An empty category made the engine count the line's name as a category of its own.
    for title in sorted(CATEGORIES, key=len, reverse=True):
        if title in line.name and CATEGORIES[title] == line.group:
            return title
    for alias, title in sorted(ITEM_TYPE_ALIASES.items(), key=lambda kv: len(kv[0]), reverse=True):
        if alias in line.name and CATEGORIES[title] == line.group:
            return title
    return line.name[:80]


def _unit(line):
    value = (line.unit or "").strip()
    if value in UNITS:
        return value
    return UNIT_ALIASES.get(value, line.unit)


def map_free_text(apps, schema_editor):
    MaterialLine = apps.get_model("scoring", "MaterialLine")
    for line in MaterialLine.objects.all():
        item_type, unit = _category(line), _unit(line)
        if (item_type, unit) != (line.item_type, line.unit):
            MaterialLine.objects.filter(pk=line.pk).update(item_type=item_type, unit=unit)


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0003_claim_changes_since_review"),
    ]

    operations = [
        migrations.RunPython(map_free_text, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="historicalmaterialline",
            name="item_type",
            field=models.CharField(
                help_text="The material category of appendix A the line counts under (one of the rule table's list).",
                max_length=80,
                verbose_name="item type",
            ),
        ),
        migrations.AlterField(
            model_name="materialline",
            name="item_type",
            field=models.CharField(
                help_text="The material category of appendix A the line counts under (one of the rule table's list).",
                max_length=80,
                verbose_name="item type",
            ),
        ),
    ]
