"""``greenbuild worker``: run background jobs (django-tasks' database queue) and the daily entries.

Each round it queues again the jobs whose worker died, runs the daily entries that are due, then
works through the queue. ``--once`` stops when the queue is empty (tests, cron).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands.db_worker import Worker

from greenbuild.jobs import services

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run background jobs and the daily entries."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds to wait when the queue is empty.")
        parser.add_argument("--once", action="store_true", help="Work through the queue once, then exit.")
        parser.add_argument("--no-daily", action="store_true", help="Do not run the daily entries.")

    def handle(self, *args: Any, interval: float, once: bool, no_daily: bool, **options: Any) -> None:
        worker_id = services.new_worker_id()
        services.current_worker_id = worker_id
        worker = Worker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME],
            interval=0,
            batch=True,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        if not once:
            worker.configure_signals()
            self.stdout.write("greenbuild worker {} started".format(worker_id))
        try:
            while worker.running:
                close_old_connections()
                recovered = services.recover_stale_jobs()
                if recovered:
                    logger.warning("queued %s interrupted job(s) again", recovered)
                if not no_daily:
                    services.run_due_daily()
                worker.run()
                if once:
                    break
                time.sleep(interval)
        finally:
            services.current_worker_id = ""
