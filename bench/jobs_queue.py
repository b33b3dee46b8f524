#!/usr/bin/env python
"""Benchmark: how many jobs a minute the database queue holds (issue 19 item 6).

Creates a throwaway database (SQLite in a temporary directory, or the PostgreSQL database NAME of
``--database-url postgres://…/NAME``, which it creates and drops: NAME must contain ``bench``, so
that a real installation's jobs are never emptied), then for each worker count of ``--workers``:

* queues ``--jobs`` trivial platform jobs through ``greenbuild.jobs.services.start_job`` (a ``Job``
  row and a django-tasks-db queue entry each, as a report or an import is queued), timed;
* starts that many ``greenbuild worker --once --no-daily`` processes (forked from this one, so they
  know the benchmark's job kind) and times them until the queue is empty; every job must succeed.

``--bare`` also measures django-tasks-db alone (a trivial ``@task``, no ``Job`` row): the queue's
own ceiling, beside what the platform's bookkeeping (status, progress, audit address) costs.
The last line is the summary: the best jobs/minute reached and the database it was measured on.
Nothing is left behind: the temporary directory (the SQLite file) is removed, the database dropped.

    .venv/bin/python bench/jobs_queue.py [--jobs 2000] [--workers 1,2,4] [--database-url postgres://…/greenbuild_bench_jobs] [--bare]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import shutil
import sys
import time
from typing import Any
from urllib.parse import urlsplit

from _world import start_django

KIND = "bench.noop"


def bare_noop() -> None:
    """Replaced by a django-tasks ``Task`` of the same name once Django is set up (``--bare``)."""


def _work() -> None:
    """One forked worker: ``greenbuild worker --once --no-daily`` until the queue is empty."""
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()  # never share the parent's connection
    call_command("worker", once=True, no_daily=True, interval=0.0, verbosity=0)
    connections.close_all()


def run_workers(count: int) -> float:
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_work) for _ in range(count)]
    started = time.perf_counter()
    for process in processes:
        process.start()
    for process in processes:
        process.join()
        if process.exitcode != 0:
            raise SystemExit("a worker exited with status {}".format(process.exitcode))
    return time.perf_counter() - started


def empty_queue() -> None:
    from django_tasks_db.models import DBTaskResult

    from greenbuild.jobs.models import Job

    Job.objects.all().delete()
    DBTaskResult.objects.all().delete()


def platform_round(actor: Any, jobs: int, workers: int) -> tuple[float, float]:
    from django.db import transaction

    from greenbuild.jobs.choices import JobStatus
    from greenbuild.jobs.models import Job
    from greenbuild.jobs.services import start_job

    empty_queue()
    started = time.perf_counter()
    for _ in range(jobs):
        with transaction.atomic():  # one request queues one job: its own transaction and commit
            start_job(KIND, actor=actor)
    enqueue_s = time.perf_counter() - started
    run_s = run_workers(workers)
    done = Job.objects.filter(status=JobStatus.SUCCEEDED).count()
    if done != jobs:
        raise SystemExit("only {} of {} jobs succeeded".format(done, jobs))
    return enqueue_s, run_s


def bare_round(jobs: int, workers: int) -> tuple[float, float]:
    from django_tasks_db.models import DBTaskResult

    empty_queue()
    started = time.perf_counter()
    for _ in range(jobs):
        bare_noop.enqueue()  # type: ignore[attr-defined]
    enqueue_s = time.perf_counter() - started
    run_s = run_workers(workers)
    done = DBTaskResult.objects.filter(status="SUCCESSFUL").count()
    if done != jobs:
        raise SystemExit("only {} of {} bare tasks succeeded".format(done, jobs))
    return enqueue_s, run_s


def per_minute(count: int, seconds: float) -> int:
    return round(count * 60 / seconds) if seconds > 0 else 0


def postgres_admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(urlsplit(url)._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(sql)


def throwaway_database_name(url: str) -> str:
    """NAME of ``postgres://…/NAME``, refused unless it is a plain name containing ``bench``."""
    name = urlsplit(url).path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or "bench" not in name:
        raise SystemExit(
            "jobs_queue: refusing database {!r}: the bench creates and drops it, so give a throwaway name "
            "containing 'bench', e.g. postgres://postgres@127.0.0.1:5432/greenbuild_bench_jobs".format(name)
        )
    return name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2000, help="jobs queued per round")
    parser.add_argument("--workers", default="1,2,4", help="comma-separated worker process counts")
    parser.add_argument(
        "--database-url", default="", help="postgres://…/NAME of a throwaway database (created and dropped)"
    )
    parser.add_argument("--bare", action="store_true", help="also measure django-tasks-db without Job rows")
    args = parser.parse_args()
    counts = [int(c) for c in args.workers.split(",") if c.strip()]
    name = ""
    if args.database_url:
        name = throwaway_database_name(args.database_url)
        postgres_admin(args.database_url, 'DROP DATABASE IF EXISTS "{}"'.format(name))
        postgres_admin(args.database_url, 'CREATE DATABASE "{}"'.format(name))
        os.environ["BENCH_DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("BENCH_DATABASE_URL", None)
    tmp = ""
    try:
        tmp = start_django("greenbuild-bench-jobs-")
        measure(args, counts)
    finally:
        from django.apps import apps

        if apps.ready:  # the bench's own connection, before its database is dropped
            from django.db import connections

            connections.close_all()
        if name:
            postgres_admin(args.database_url, 'DROP DATABASE IF EXISTS "{}" WITH (FORCE)'.format(name))
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def measure(args: argparse.Namespace, counts: list[int]) -> None:
    from django.db import connection
    from django_tasks import task

    from greenbuild.accounts.models import User
    from greenbuild.jobs.registry import job_kind

    job_kind(KIND, label="noop", permitted=lambda user, project: True)(lambda job, report: None)
    globals()["bare_noop"] = task()(bare_noop)

    vendor = connection.vendor
    database = "PostgreSQL {}".format(connection.pg_version // 10000) if vendor == "postgresql" else "SQLite"
    actor = User.objects.create(username="bench-jobs")
    print("database queue: {}; {} jobs per round; {} CPUs".format(database, args.jobs, os.cpu_count()))
    print("{:<9} {:>8} {:>14} {:>12} {:>14}".format("queue", "workers", "queued/min", "run s", "jobs/min"))
    best = 0
    rows = [("jobs", w) for w in counts] + ([("bare", w) for w in counts] if args.bare else [])
    for what, workers in rows:
        if what == "jobs":
            enqueue_s, run_s = platform_round(actor, args.jobs, workers)
        else:
            enqueue_s, run_s = bare_round(args.jobs, workers)
        rate = per_minute(args.jobs, run_s)
        if what == "jobs":
            best = max(best, rate)
        print(
            "{:<9} {:>8} {:>14,} {:>12.1f} {:>14,}".format(
                what, workers, per_minute(args.jobs, enqueue_s), run_s, rate
            ),
            flush=True,
        )
    print("jobs_queue: {} jobs/min at best on {} ({} jobs, workers {})".format(best, database, args.jobs, args.workers))


if __name__ == "__main__":
    sys.exit(main())
