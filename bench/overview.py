#!/usr/bin/env python
"""Benchmark: the programme overview and the project list as the registry grows (issue 10 item 20).

Creates a throwaway database (SQLite in a temporary directory, or the PostgreSQL database named
by BENCH_DATABASE_URL), then grows it through each size of ``--sizes`` (default 200, 10,000 and
100,000 projects spread over districts, categories and statuses). At each size it times every
page for several roles, plus a trivial endpoint (the sign-in page, which reads no project) in the
same run, whose ratio shows how much the machine itself drifted; it prints the best and median
time, the query count, each page's ratio to the smallest size and the table rows each page shows
(a list is not full while the registry is small, so some growth is rendering, not scanning).
The last line is a summary against the goal (≤ 1.5× from 200 to 10,000 projects). Ratios
compare best times (fastest of ``--repeat``), which other load on a shared machine disturbs least.

    .venv/bin/python bench/overview.py [--sizes 200,10000,100000] [--repeat 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from _world import World, start_django

GOAL = 1.5
TRIVIAL = ("public", "trivial (sign-in)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,10000,100000", help="comma-separated project counts, ascending")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--explain", action="store_true", help="print the slowest queries' plans at the largest size")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))

    tmp = start_django("greenbuild-bench-")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from greenbuild.accounts.choices import Role

    world = World()
    districts, categories = world.districts, world.categories
    viewers = {
        "bureau": world.user("bureau", Role.BUREAU_ADMIN, world.bureau_org),
        "district": world.user("district", Role.DISTRICT_OFFICIAL, world.bureau_org, districts[2]),
        "owner": world.user("owner", Role.OWNER_APPLICANT, world.owners[0]),
        "public": None,
    }
    pages = {
        "overview": "/",
        "project list": "/projects/",
        "list filtered": "/projects/?status=confirmed&q=基准",
        # Project 50's district and category: owner 0 holds it, so no viewer's page is empty at 200.
        "list by district": "/projects/?district_id={}&category_id={}".format(
            districts[50 % len(districts)].pk, categories[50 % len(categories)].pk
        ),
    }
    clients = {}
    for who, viewer in viewers.items():
        clients[who] = Client()
        if viewer is not None:
            clients[who].force_login(viewer)

    def load(start: int, stop: int) -> None:
        world.load(start, stop, created_by=viewers["bureau"])

    def count_queries(client: Client, url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return len(ctx.captured_queries)

    def count_rows(client: Client, url: str) -> int:
        """Table rows on the page: a list shows fewer than 50 while the registry is small."""
        return client.get(url).content.count(b"<tr")

    def timed(client: Client, url: str) -> float:
        t0 = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - t0
        assert response.status_code == 200, (url, response.status_code)
        return elapsed * 1000

    targets = {TRIVIAL: (clients["public"], "/accounts/login/")}
    targets.update({(who, label): (clients[who], url) for who in clients for label, url in pages.items()})

    # Grow the registry through each size. On SQLite each size is kept as a snapshot, and the
    # timings below go round the sizes in turn, so a busy moment of the machine hits every size alike.
    snapshots: dict[int, str] = {}
    queries: dict[int, dict[tuple[str, str], int]] = {}
    rows: dict[int, dict[tuple[str, str], int]] = {}
    times: dict[int, dict[tuple[str, str], list[float]]] = {}
    loaded = 0
    for size in sizes:
        started = time.perf_counter()
        load(loaded, size)
        loaded = size
        print("loaded {} projects in {:.1f} s ({})".format(size, time.perf_counter() - started, connection.vendor))
        queries[size] = {key: count_queries(client, url) for key, (client, url) in targets.items()}
        rows[size] = {key: count_rows(client, url) for key, (client, url) in targets.items()}
        times[size] = {key: [] for key in targets}
        if connection.vendor == "sqlite":
            import sqlite3

            snapshots[size] = "{}/bench-{}.sqlite3".format(tmp, size)
            connection.ensure_connection()
            target = sqlite3.connect(snapshots[size])
            connection.connection.backup(target)
            target.close()
        else:  # one database only: time this size now
            for _ in range(args.repeat):
                for key, (client, url) in targets.items():
                    times[size][key].append(timed(client, url))

    if snapshots:
        for _ in range(args.repeat):
            for size in sizes:
                connection.close()
                connection.settings_dict["NAME"] = snapshots[size]
                for key, (client, url) in targets.items():
                    timed(client, url)  # the first request after the switch warms the page cache
                    times[size][key].append(timed(client, url))
    # Ratios use each page's best time (fastest of --repeat): on a shared machine the median moves
    # with other people's load, the best time much less.
    results = {size: {key: (min(times[size][key]), queries[size][key]) for key in targets} for size in sizes}
    medians = {size: {key: statistics.median(times[size][key]) for key in targets} for size in sizes}

    if args.explain:
        explain(clients, pages, connection, CaptureQueriesContext)
    base = sizes[0]
    print("best (median) ms per page, q = queries; ratios of the best times to the {} projects' best".format(base))
    header = "{:<9} {:<18}".format("viewer", "page") + "".join(
        " {:>14} {:>3}".format("{} ms".format(_short(s)), "q") for s in sizes
    )
    header += "".join(" {:>8}".format("×{}".format(_short(s))) for s in sizes[1:])
    header += "  rows"
    print(header)
    worst: dict[int, tuple[float, str]] = {}
    same_rows_worst: dict[int, tuple[float, str]] = {}
    query_drift = []
    for key in results[base]:
        line = "{:<9} {:<18}".format(*key)
        line += "".join(
            " {:>14} {:>3}".format(
                "{:.1f} ({:.0f})".format(results[size][key][0], medians[size][key]), results[size][key][1]
            )
            for size in sizes
        )
        ratios = {size: results[size][key][0] / results[base][key][0] for size in sizes[1:]}
        line += "".join(" {:>8.2f}".format(ratios[size]) for size in sizes[1:])
        line += "  " + "/".join(str(rows[size][key]) for size in sizes)
        print(line)
        if key != TRIVIAL:
            for size, ratio in ratios.items():
                if ratio > worst.get(size, (0.0, ""))[0]:
                    worst[size] = (ratio, "{} {}".format(*key))
                # Same rows shown at both sizes: the ratio is the cost of the data alone.
                if rows[size][key] == rows[base][key] and ratio > same_rows_worst.get(size, (0.0, ""))[0]:
                    same_rows_worst[size] = (ratio, "{} {}".format(*key))
        if len({results[size][key][1] for size in sizes}) > 1:
            query_drift.append("{} {}".format(*key))

    parts = []
    for size in sizes[1:]:
        ratio, where = worst[size]
        parts.append("{}→{}: worst {:.2f}× ({})".format(_short(base), _short(size), ratio, where))
        if size in same_rows_worst:
            parts.append("same rows shown: worst {:.2f}× ({})".format(*same_rows_worst[size]))
    goal_size = 10_000 if 10_000 in sizes[1:] else sizes[-1]
    verdict = "met" if worst[goal_size][0] <= GOAL else "NOT met"
    print(
        "summary ({}): {}; goal ≤ {}× at {}: {}; query counts {}".format(
            connection.vendor,
            "; ".join(parts),
            GOAL,
            _short(goal_size),
            verdict,
            "constant" if not query_drift else "vary: " + ", ".join(query_drift),
        )
        + "; load average {:.1f} on {} CPUs".format(os.getloadavg()[0], os.cpu_count())
    )


def explain(clients, pages, connection, capture) -> None:
    """The three slowest queries of each page as the bureau and the public, with their plans."""
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    for who in ("bureau", "public"):
        for label, url in pages.items():
            with capture(connection) as ctx:
                clients[who].get(url)
            slowest = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:3]
            print(
                "== {} {}: {} queries, slowest {}".format(
                    who, label, len(ctx.captured_queries), [q["time"] for q in slowest]
                )
            )
            for query in slowest:
                print("  {} s  {}".format(query["time"], query["sql"][:400]))
                if query["sql"].lstrip().upper().startswith("SELECT"):
                    with connection.cursor() as cursor:
                        cursor.execute(prefix + query["sql"])
                        for row in cursor.fetchall():
                            print("      {}".format(row))


def _short(n: int) -> str:
    return "{}k".format(n // 1000) if n >= 1000 and n % 1000 == 0 else str(n)


if __name__ == "__main__":
    main()
