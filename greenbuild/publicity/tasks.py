"""Publicity's daily entry: overdue public messages escalate to the bureau."""

from greenbuild.jobs.registry import daily
from greenbuild.publicity.services import escalate_overdue_messages


@daily("publicity.escalate_overdue_messages")
def escalate() -> int:
    return escalate_overdue_messages()
