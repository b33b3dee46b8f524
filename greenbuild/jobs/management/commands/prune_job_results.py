"""``greenbuild prune_job_results``: remove the result files of jobs finished more than
``JOBS_RESULT_RETENTION_DAYS`` ago (the worker's daily entry ``jobs.prune_results`` does the same)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from greenbuild.jobs.services import prune_expired_results, retention_days


class Command(BaseCommand):
    help = "Remove the stored result files (reports, exports) of jobs past JOBS_RESULT_RETENTION_DAYS."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count the files that would be removed.")

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        days = retention_days()
        if days == 0:  # 0 or less
            self.stdout.write(
                "JOBS_RESULT_RETENTION_DAYS is {}: result files are kept for ever".format(
                    getattr(settings, "JOBS_RESULT_RETENTION_DAYS", 0)
                )
            )
            return
        count = prune_expired_results(dry_run=dry_run)
        verb = "would be removed" if dry_run else "removed"
        self.stdout.write("result files older than {} days {}: {}".format(days, verb, count))
