"""Working days: Monday to Friday, less the public holidays, plus the weekend days made working
days (调休), both from the ``Holiday`` table. Pure date arithmetic over a set read once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def calendar(start: dt.date, end: dt.date) -> tuple[set[dt.date], set[dt.date]]:
    """(holidays, make-up working days) between ``start`` and ``end`` from the table."""
    from greenbuild.publicity.models import Holiday

    rows = Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_working_day")
    holidays = {day for day, working in rows if not working}
    working = {day for day, working in rows if working}
    return holidays, working


def is_working_day(day: dt.date, holidays: Iterable[dt.date] = (), working: Iterable[dt.date] = ()) -> bool:
    if day in set(working):
        return True
    return day.weekday() < 5 and day not in set(holidays)


def nth_working_day(start: dt.date, count: int) -> dt.date:
    """The ``count``-th working day counting ``start`` itself as the first when it is one
    (``count`` ≥ 1): a notice published on Monday for 5 days ends on Friday."""
    if count < 1:
        raise ValueError("count must be at least 1")
    horizon = start + dt.timedelta(days=count * 3 + 60)
    holidays, working = calendar(start, horizon)
    day, found = start, 0
    while True:
        if is_working_day(day, holidays, working):
            found += 1
            if found == count:
                return day
        day += dt.timedelta(days=1)


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The day ``count`` working days after ``start`` (``start`` itself not counted)."""
    return nth_working_day(start + dt.timedelta(days=1), count)
