#!/usr/bin/env python
"""Benchmark: every viewer's project list and detail at 10,000 projects (issue 18 item 10).

Builds a throwaway database (SQLite in a temporary directory, or the PostgreSQL database named by
BENCH_DATABASE_URL) with ``--projects`` projects (``bench/_world.py``), then times, in one run and
through Django's in-process test client (the baseline the same way):

* the anonymous trivial endpoint (``GET /api/v1/districts/``: a handful of rows, no gate) — the
  baseline every other figure is divided by;
* the same trivial endpoint with a token (of the bureau, a district official and an owner; the
  worst counts);
* each viewer's list of 50 (``GET /api/v1/projects/?limit=50``) and a detail (the first project
  of the viewer's own list): the bureau, a district official, an owner, and the public (no token).

Each figure is the median of ``--repeat`` requests, taken in interleaved rounds (one request of
every endpoint per round, so a drift of the machine touches them all alike), after a warm-up. The
query counts are taken once per endpoint. "queries constant" means each viewer's list issues the
same number of queries at two page sizes (5 and 50) and at two world sizes (``--projects`` and
``--projects`` + 1,000). The last line:

    api: token {t}× list worst {l}× detail worst {d}× queries constant|varying

Goals: token ≤ 1.5×, every list ≤ 5×, every detail ≤ 3×, queries constant.

    .venv/bin/python bench/api.py [--projects 10000] [--repeat 60]
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from _world import World, start_django

GOALS = {"token": 1.5, "list": 5.0, "detail": 3.0}
TRIVIAL = "/api/v1/districts/"
LIST = "/api/v1/projects/?limit={}"
MORE = 1_000  # projects added for the second world size


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
    logging.disable(logging.WARNING)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from greenbuild.accounts.choices import Role
    from greenbuild.api.services import create_token

    world = World()
    users = {
        "bureau": world.user("bureau", Role.BUREAU_ADMIN, world.bureau_org),
        "district": world.user("district", Role.DISTRICT_OFFICIAL, world.bureau_org, world.districts[2]),
        "owner": world.user("owner", Role.OWNER_APPLICANT, world.owners[0]),
    }
    started = time.perf_counter()
    world.load(0, args.projects, created_by=users["bureau"])
    print("loaded {} projects in {:.1f} s ({})".format(args.projects, time.perf_counter() - started, connection.vendor))

    client = Client()
    headers: dict[str, dict[str, str]] = {"public": {}}
    for who, user in users.items():
        _token, raw = create_token(actor=user, user=user, name="bench", scope="read", days=1)
        headers[who] = {"HTTP_AUTHORIZATION": "Bearer " + raw}

    def get(url: str, who: str) -> Any:
        response = client.get(url, **headers[who])
        assert response.status_code == 200, (who, url, response.status_code, response.content[:300])
        return response

    def queries(url: str, who: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            get(url, who)
        return len(ctx.captured_queries)

    # What is timed: (label, viewer, url). The detail is the first project of the viewer's list.
    endpoints: list[tuple[str, str, str]] = [("trivial", "public", TRIVIAL)]
    endpoints += [("trivial+token", who, TRIVIAL) for who in users]
    for who in ["bureau", "district", "owner", "public"]:
        first = get(LIST.format(50), who).json()
        assert len(first["results"]) == 50, (who, first["count"])
        endpoints.append(("list of 50", who, LIST.format(50)))
        endpoints.append(("detail", who, "/api/v1/projects/{}/".format(first["results"][0]["id"])))

    times: dict[int, list[float]] = {i: [] for i in range(len(endpoints))}
    calls: list[tuple[int, Callable[[], Any]]] = [
        (i, (lambda url=url, who=who: get(url, who))) for i, (_label, who, url) in enumerate(endpoints)
    ]
    for _ in range(3):  # warm-up
        for _i, call in calls:
            call()
    for _ in range(args.repeat):
        for i, call in calls:
            t0 = time.perf_counter()
            call()
            times[i].append((time.perf_counter() - t0) * 1000)
    counts = {i: queries(url, who) for i, (_label, who, url) in enumerate(endpoints)}

    baseline = statistics.median(times[0])
    ratios: dict[str, float] = {"token": 0.0, "list": 0.0, "detail": 0.0}
    print("{:<9} {:<14} {:>9} {:>9} {:>8} {:>4}".format("viewer", "endpoint", "median ms", "p95 ms", "×trivial", "q"))
    for i, (label, who, _url) in enumerate(endpoints):
        median = statistics.median(times[i])
        ratio = median / baseline
        kind = {"trivial+token": "token", "list of 50": "list", "detail": "detail"}.get(label)
        if kind:
            ratios[kind] = max(ratios[kind], ratio)
        print(
            "{:<9} {:<14} {:>9.2f} {:>9.2f} {:>8.2f} {:>4}".format(
                who, label, median, percentile(times[i], 95), ratio, counts[i]
            )
        )

    # Constant queries: each viewer's list at two page sizes, and at two world sizes.
    viewers = ["bureau", "district", "owner", "public"]
    at_5 = {who: queries(LIST.format(5), who) for who in viewers}
    at_50 = {who: queries(LIST.format(50), who) for who in viewers}
    world.load(args.projects, args.projects + MORE, created_by=users["bureau"])
    grown = {who: queries(LIST.format(50), who) for who in viewers}
    constant = all(at_5[who] == at_50[who] == grown[who] for who in viewers)
    print(
        "list queries (limit 5 / limit 50 / limit 50 at {} projects): {}".format(
            args.projects + MORE, ", ".join("{} {}/{}/{}".format(w, at_5[w], at_50[w], grown[w]) for w in viewers)
        )
    )
    met = all(ratios[kind] <= goal for kind, goal in GOALS.items()) and constant
    print(
        "goals ({}, {} projects): token ≤ {}×, every list ≤ {}×, every detail ≤ {}×, queries constant: {}".format(
            connection.vendor,
            args.projects,
            GOALS["token"],
            GOALS["list"],
            GOALS["detail"],
            "met" if met else "NOT met",
        )
    )
    print(
        "api: token {:.1f}× list worst {:.1f}× detail worst {:.1f}× queries {}".format(
            ratios["token"], ratios["list"], ratios["detail"], "constant" if constant else "varying"
        )
    )


if __name__ == "__main__":
    main()
