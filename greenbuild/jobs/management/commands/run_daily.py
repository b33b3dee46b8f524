"""``greenbuild run_daily``: run the daily entries that have not run today (``--force``: all of them)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from greenbuild.jobs.services import run_due_daily


class Command(BaseCommand):
    help = "Run the registered daily entries that are due today."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="Run every entry, even if it ran today.")

    def handle(self, *args: Any, force: bool, **options: Any) -> None:
        for name in run_due_daily(force=force):
            self.stdout.write("ran {}".format(name))
