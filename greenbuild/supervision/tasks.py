"""Supervision's daily entry: the inspections of regular inspection plans that fall due (run by
``greenbuild worker`` once a day, or ``greenbuild run_daily``)."""

from greenbuild.jobs.registry import daily
from greenbuild.supervision.services import schedule_due_plan_inspections


@daily("supervision.plan_inspections")
def plan_inspections() -> int:
    return schedule_due_plan_inspections()
