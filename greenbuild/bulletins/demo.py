"""Demo data of the bulletins (issue 20 item 9): a published monthly bulletin, last month's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone


def _last_month(today: dt.date) -> tuple[int, int]:
    first = today.replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


def seed_bulletins(bureau: Any) -> int:
    """Last month's monthly bulletin, generated from the demo data, approved and published.
    Returns the number of bulletins created (0 when it exists already)."""
    from greenbuild.bulletins import services
    from greenbuild.bulletins.choices import BulletinKind
    from greenbuild.bulletins.models import Bulletin
    from greenbuild.jobs.services import run_job

    year, month = _last_month(timezone.localdate())
    if Bulletin.objects.filter(kind=BulletinKind.MONTHLY, year=year, period=month).exists():
        return 0
    bulletin = services.create_bulletin(actor=bureau, kind=BulletinKind.MONTHLY, year=year, period=month)
    revision = bulletin.revisions.get()
    if revision.job_id:
        run_job(revision.job_id)  # at once, not waiting for the worker
    services.transition_bulletin(actor=bureau, bulletin_id=bulletin.pk, action="approve", comment="同意印发。")
    services.transition_bulletin(actor=bureau, bulletin_id=bulletin.pk, action="publish")
    return 1
