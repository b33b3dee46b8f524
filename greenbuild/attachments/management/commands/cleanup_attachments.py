"""Remove pending attachments nobody saved within a day, and expired unfinished API uploads
(``API_UPLOAD_LIFETIME_HOURS``; schedule it daily)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from greenbuild.attachments.services import PENDING_LIFETIME, purge_orphan_files, purge_pending_attachments


class Command(BaseCommand):
    help = "Delete pending attachments older than a day, and optionally stored files no row refers to."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hours", type=float, default=PENDING_LIFETIME.total_seconds() / 3600)
        parser.add_argument(
            "--orphans", action="store_true", help="also remove stored files older than --hours that no row refers to"
        )

    def handle(self, *args: Any, hours: float, orphans: bool, **options: Any) -> None:
        age = dt.timedelta(hours=hours)
        count = purge_pending_attachments(older_than=age)
        self.stdout.write("pending attachments removed: {}".format(count))
        from greenbuild.api.uploads import purge_expired_uploads

        self.stdout.write("expired uploads removed: {}".format(purge_expired_uploads()))
        if orphans:
            self.stdout.write("orphan files removed: {}".format(purge_orphan_files(older_than=age)))
