"""The 2026 public holidays and make-up working days (国务院办公厅关于2026年部分节假日安排的通知),
as data the bureau corrects or extends in the admin."""

import datetime as dt

from django.db import migrations

HOLIDAYS = {
    "元旦": ["2026-01-01", "2026-01-02", "2026-01-03"],
    "春节": ["2026-02-{:02d}".format(d) for d in range(15, 24)],
    "清明节": ["2026-04-04", "2026-04-05", "2026-04-06"],
    "劳动节": ["2026-05-0{}".format(d) for d in range(1, 6)],
    "端午节": ["2026-06-19", "2026-06-20", "2026-06-21"],
    "中秋节": ["2026-09-25", "2026-09-26", "2026-09-27"],
    "国庆节": ["2026-10-0{}".format(d) for d in range(1, 8)],
}
WORKING = {
    "2026-01-04": "元旦调休",
    "2026-02-14": "春节调休",
    "2026-02-28": "春节调休",
    "2026-05-09": "劳动节调休",
    "2026-09-20": "国庆节调休",
    "2026-10-10": "国庆节调休",
}


def add(apps, schema_editor):
    Holiday = apps.get_model("publicity", "Holiday")
    for name, days in HOLIDAYS.items():
        for day in days:
            Holiday.objects.get_or_create(date=dt.date.fromisoformat(day), defaults={"name": name})
    for day, name in WORKING.items():
        Holiday.objects.get_or_create(date=dt.date.fromisoformat(day), defaults={"name": name, "is_working_day": True})


def remove(apps, schema_editor):
    Holiday = apps.get_model("publicity", "Holiday")
    days = [dt.date.fromisoformat(d) for ds in HOLIDAYS.values() for d in ds] + [dt.date.fromisoformat(d) for d in WORKING]
    Holiday.objects.filter(date__in=days).delete()


class Migration(migrations.Migration):
    dependencies = [("publicity", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
