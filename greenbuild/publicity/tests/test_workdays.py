"""The notice period in working days: weekends and the holiday table skipped, 调休 counted."""

import datetime as dt

import pytest

from greenbuild.publicity.models import Holiday
from greenbuild.publicity.workdays import add_working_days, nth_working_day

pytestmark = pytest.mark.django_db


def d(text):
    return dt.date.fromisoformat(text)


def test_five_working_days_from_a_monday_end_on_friday():
    assert nth_working_day(d("2026-12-07"), 5) == d("2026-12-11")


def test_a_weekend_is_skipped():
    assert nth_working_day(d("2026-12-10"), 5) == d("2026-12-16")  # Thu, Fri, Mon, Tue, Wed
    assert nth_working_day(d("2026-12-12"), 1) == d("2026-12-14")  # published on Saturday: Monday is day 1


def test_public_holidays_and_make_up_working_days_come_from_the_table():
    # The 2026 National Day week (data migration): 1–7 October off, Saturday 10 October worked.
    assert nth_working_day(d("2026-09-28"), 5) == d("2026-10-09")  # Mon 28, Tue 29, Wed 30, Thu 8, Fri 9
    assert nth_working_day(d("2026-10-08"), 3) == d("2026-10-10")  # Thu 8, Fri 9, Sat 10 (调休)
    Holiday.objects.create(date=d("2026-12-09"), name="测试假日")
    assert nth_working_day(d("2026-12-07"), 5) == d("2026-12-14")


def test_add_working_days_does_not_count_the_start():
    assert add_working_days(d("2026-12-11"), 1) == d("2026-12-14")
    with pytest.raises(ValueError):
        nth_working_day(d("2026-12-07"), 0)
