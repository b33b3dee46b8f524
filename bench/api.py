#!/usr/bin/env python
"""Benchmark: the API's project list and detail at 10,000 projects (issue 12 §9).

Builds a throwaway database (SQLite in a temporary directory, or the PostgreSQL database named by
BENCH_DATABASE_URL) with ``--projects`` projects, then times, with a token of each of several
roles, ``GET /api/v1/projects/`` (a page of 50), a filtered list and a project's detail, beside a
trivial endpoint measured in the same run (``GET /api/v1/districts/``: a handful of rows, no
gate). Prints median and p95 per endpoint, its ratio to the trivial endpoint's median, and its
query count. The last line is a summary against the goal: the list within 3× the trivial
endpoint, with a constant query count.

    .venv/bin/python bench/api.py [--projects 10000] [--repeat 60]
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import time

from _world import World, start_django

GOAL = 3.0


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=60)
    args = parser.parse_args()

    os.environ["API_THROTTLE_TOKEN"] = os.environ["API_THROTTLE_ADDRESS"] = "10000000/min"  # noqa: S105
    start_django("greenbuild-bench-api-")
    logging.disable(logging.WARNING)  # a viewer's 404 on another's project is expected, not news
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from greenbuild.accounts.choices import Role
    from greenbuild.api.services import create_token
    from greenbuild.projects.models import Project

    world = World()
    viewers = {
        "bureau": world.user("bureau", Role.BUREAU_ADMIN, world.bureau_org),
        "district": world.user("district", Role.DISTRICT_OFFICIAL, world.bureau_org, world.districts[2]),
        "owner": world.user("owner", Role.OWNER_APPLICANT, world.owners[0]),
    }
    started = time.perf_counter()
    world.load(0, args.projects, created_by=viewers["bureau"])
    print("loaded {} projects in {:.1f} s ({})".format(args.projects, time.perf_counter() - started, connection.vendor))

    clients: dict[str, tuple[Client, dict[str, str]]] = {}
    for who, viewer in viewers.items():
        _token, raw = create_token(actor=viewer, user=viewer, name="bench", scope="read", days=1)
        clients[who] = (Client(), {"HTTP_AUTHORIZATION": "Bearer " + raw})
    clients["public"] = (Client(), {})
    owned = Project.objects.filter(owner=world.owners[0]).order_by("pk").values_list("pk", flat=True)[25]
    endpoints = {
        "trivial (districts)": "/api/v1/districts/",
        "project list": "/api/v1/projects/",
        "list filtered": "/api/v1/projects/?status=confirmed&q=基准&ordering=-name",
        "project detail": "/api/v1/projects/{}/".format(owned),
    }

    def measure(client: Client, headers: dict[str, str], url: str) -> tuple[float, float, int]:
        for _ in range(3):
            client.get(url, **headers)  # warm-up
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            response = client.get(url, **headers)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code in (200, 404), (url, response.status_code)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url, **headers)
        return statistics.median(times), percentile(times, 95), len(ctx.captured_queries)

    print("{:<8} {:<20} {:>9} {:>9} {:>8} {:>4}".format("viewer", "endpoint", "median ms", "p95 ms", "×trivial", "q"))
    worst = (0.0, "")
    for who, (client, headers) in clients.items():
        trivial = measure(client, headers, endpoints["trivial (districts)"])
        for label, url in endpoints.items():
            median, p95, queries = trivial if label.startswith("trivial") else measure(client, headers, url)
            ratio = median / trivial[0]
            print("{:<8} {:<20} {:>9.2f} {:>9.2f} {:>8.2f} {:>4}".format(who, label, median, p95, ratio, queries))
            if label == "project list" and ratio > worst[0]:
                worst = (ratio, who)

    # Constant queries: the list at one page of 50 whatever the total.
    client, headers = clients["bureau"]
    with CaptureQueriesContext(connection) as small:
        client.get("/api/v1/projects/?limit=5", **headers)
    with CaptureQueriesContext(connection) as large:
        client.get("/api/v1/projects/?limit=500", **headers)
    constant = len(small.captured_queries) == len(large.captured_queries)
    verdict = "met" if worst[0] <= GOAL and constant else "NOT met"
    print(
        "summary ({}, {} projects): project list worst {:.2f}× the trivial endpoint ({}); goal ≤ {}×: {}; "
        "query counts {} (5 vs 500 a page: {} vs {})".format(
            connection.vendor,
            args.projects,
            worst[0],
            worst[1],
            GOAL,
            verdict,
            "constant" if constant else "vary",
            len(small.captured_queries),
            len(large.captured_queries),
        )
    )


if __name__ == "__main__":
    main()
