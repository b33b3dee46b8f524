#!/usr/bin/env python
"""Load test: signed-in users browsing the platform through gunicorn (issue 10 item 21, issue 19 item 7).

Builds a throwaway demo database (SQLite in a temporary directory by default; with
``--database-url postgres://…/NAME`` a PostgreSQL database NAME that the bench creates and drops;
``--reuse`` keeps and reuses an already seeded one), signs in ``--users`` sessions over the demo
users (not timed), then:

* **in-process cost**: times the WSGI application in this process (Django's test client, one
  persistent database connection, no HTTP) over the same page mix and sessions: the mean cost of
  a page, hence the throughput the workers could give if nothing but the pages cost anything,
  ``bound = min(workers, cores) × 1000 / mean page ms``;

and for each worker count in ``--workers`` starts gunicorn with the committed configuration
(``greenbuild/gunicorn.conf.py``) on a free loopback port and measures two phases:

* **think time**: every user requests a page from a mixed set, waits ``--think`` seconds, and so on
  for ``--seconds`` (the first ``--warmup`` seconds are left out of the statistics); it prints
  requests per second, p50/p95/p99 per page and the errors;
* **saturation**: ``--concurrency`` users request pages with no think time for
  ``--saturation-seconds``: the throughput the workers reach, and its ratio to the bound.

A user's page is followed, as in a browser, by the navbar's to-do badge (an htmx request) unless
``--no-badge``. The last line, for the last worker count (errors summed over every phase):

    load: p95 {ms} ms, {rps} req/s, {ratio} of the in-process bound, {errors} errors

where p95 is the thinking users' and rps the saturation throughput (rps = ratio × bound). Goals
(50 thinking users, 1 s think time, two workers, PostgreSQL): 0 errors, p95 < 300 ms, ratio ≥ 0.5.
Only loopback traffic; every phase is bounded in time. ``--dry-run`` prints the report of made-up
figures without a database or a server (the tests check the last line's format with it).

    .venv/bin/python bench/load.py [--seconds 60] [--workers 1,2]
    .venv/bin/python bench/load.py --database-url postgres://postgres@127.0.0.1:5432/greenbuild_bench_platform
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import logging
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
GOAL_P95_MS = 300.0
GOAL_RATIO = 0.5
GUNICORN_CONFIG = ROOT / "greenbuild" / "gunicorn.conf.py"
BADGE_PATH = "/notifications/inbox/badge/"
LAST_LINE = "load: p95 {p95:.0f} ms, {rps:.1f} req/s, {ratio:.2f} of the in-process bound, {errors} errors"
TIMEOUT_S = 30


# --- HTTP: one session per user, plain http.client over loopback ------------------------------


class Session:
    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.pilots: list[int] = []  # confirmed pilots whose pages this user may open

    def request(
        self, method: str, path: str, body: str | None = None, extra: dict[str, str] | None = None
    ) -> tuple[int, bytes, dict[str, str]]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT_S)
        headers = {"Accept-Language": "zh-CN", "Host": "127.0.0.1", **(extra or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join("{}={}".format(k, v) for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = "http://127.0.0.1:{}{}".format(self.port, path)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            for value in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    self.cookies[name] = morsel.value
            return response.status, data, dict(response.headers)
        finally:
            conn.close()


# --- statistics -------------------------------------------------------------------------------


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    error_samples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, page: str, seconds: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.latencies[page].append(seconds * 1000)
            if not ok:
                self.errors[page] += 1
                if len(self.error_samples) < 5:
                    self.error_samples.append("{}: {}".format(page, detail))

    def count(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    def error_count(self) -> int:
        return sum(self.errors.values())


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


# --- the throwaway database and the server ----------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env: dict[str, str], *args: str) -> None:
    command = [str(VENV_BIN / "greenbuild"), *args]
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # noqa: S603 (our own command)


def postgres_admin(url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


def prepare_database(args: argparse.Namespace, tmp: str) -> dict[str, str]:
    env = {**os.environ, "GREENBUILD_VAR_DIR": tmp, "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50)}
    if args.conn_max_age is not None:
        env["DB_CONN_MAX_AGE"] = str(args.conn_max_age)  # else the settings' default
    if args.pool:
        env["DB_POOL"] = "true"
    reused = False
    if args.database_url:
        name = urlsplit(args.database_url).path.lstrip("/")
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or "bench" not in name:
            raise SystemExit("refusing database {!r}: use a throwaway name containing 'bench'".format(name))
        env["DATABASE_URL"] = args.database_url
        reused = args.reuse and seeded(args.database_url)
        if not reused:
            postgres_admin(args.database_url, 'DROP DATABASE IF EXISTS "{}"'.format(name))
            postgres_admin(args.database_url, 'CREATE DATABASE "{}"'.format(name))
    else:
        env.pop("DATABASE_URL", None)
        if args.sqlite_from:
            import sqlite3

            source = sqlite3.connect("file:{}?mode=ro".format(args.sqlite_from), uri=True)
            target = sqlite3.connect(str(Path(tmp) / "greenbuild.sqlite3"))
            source.backup(target)  # a consistent copy even while the demo is serving
            source.close()
            target.close()
    started = time.perf_counter()
    manage(env, "migrate", "-v0")
    if not args.sqlite_from and not reused:
        manage(env, "seed_demo")
    print(
        "demo database {} in {:.1f} s ({})".format(
            "reused" if reused else "ready",
            time.perf_counter() - started,
            "PostgreSQL" if args.database_url else "SQLite",
        )
    )
    return env


def seeded(url: str) -> bool:
    """Whether the database at ``url`` exists and holds the demo (``--reuse``)."""
    import psycopg

    try:
        with psycopg.connect(url, autocommit=True) as conn:
            return bool(
                conn.execute("SELECT EXISTS (SELECT 1 FROM accounts_user WHERE username = 'bureau')").fetchone()[0]
            )
    except psycopg.Error:
        return False


def drop_database(args: argparse.Namespace) -> None:
    if args.database_url and not args.keep and not args.reuse:
        name = urlsplit(args.database_url).path.lstrip("/")
        postgres_admin(args.database_url, 'DROP DATABASE IF EXISTS "{}" WITH (FORCE)'.format(name))
        print("dropped PostgreSQL database {}".format(name))


def demo_targets(env: dict[str, str]) -> tuple[list[str], list[int]]:
    """Usernames of the demo users, and ids of confirmed pilots (every signed-in user sees them)."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenbuild.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connections

    from greenbuild.accounts.models import User
    from greenbuild.projects.models import Project

    users = list(
        User.objects.filter(is_active=True).exclude(password="").order_by("pk").values_list("username", flat=True)
    )
    pilots = list(Project.objects.filter(status="confirmed").order_by("pk").values_list("pk", flat=True))
    connections.close_all()
    return users, pilots


class Server:
    """gunicorn with the committed configuration; the worker count (and class, threads) from the
    command line, which wins over the configuration file."""

    def __init__(self, env: dict[str, str], workers: int, tmp: str, args: argparse.Namespace) -> None:
        manage(env, "migrate", "-v0")  # the code may have gained a migration since (shared tree)
        self.port = free_port()
        self.log = open(Path(tmp) / "gunicorn-{}.log".format(workers), "w")  # noqa: SIM115
        command = [
            str(VENV_BIN / "gunicorn"),
            "--config",
            str(args.gunicorn_config),
            "greenbuild.wsgi",
            "--bind",
            "127.0.0.1:{}".format(self.port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ]
        if args.worker_class:
            command += ["--worker-class", args.worker_class]
        if args.threads:
            command += ["--threads", str(args.threads)]
        self.process = subprocess.Popen(  # noqa: S603 (the venv's gunicorn, fixed arguments)
            command,
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 180  # a busy machine starts slowly
        while time.monotonic() < deadline:
            try:
                if Session(self.port).request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        self.stop()
        tail = Path(self.log.name).read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
        raise SystemExit("gunicorn did not become healthy:\n" + "\n".join(tail))

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


# --- the load ---------------------------------------------------------------------------------


def page_mix(pilots: list[int]) -> list[tuple[str, str, int]]:
    """(page, path, weight): what officials and applicants open most."""
    pilot = pilots[0] if pilots else 1
    return [
        ("overview", "/", 4),
        ("overview en", "/en/", 1),
        ("project list", "/projects/", 4),
        ("list filtered", "/projects/?status=confirmed&q=%E5%B8%B8%E5%B7%9E", 2),
        ("project detail", "/projects/{}/".format(pilot), 4),
        ("standards checks", "/projects/{}/scores/".format(pilot), 2),
        ("notifications", "/notifications/", 2),
        ("healthz", "/healthz", 1),
    ]


#: What a browser sends for the navbar's to-do badge after each page (hx-trigger="load").
BADGE_HEADERS = {"HX-Request": "true", "X-GreenBuild-Passive": "1"}


def badge_headers(port: int, page: str) -> dict[str, str]:
    return {**BADGE_HEADERS, "HX-Current-URL": "http://127.0.0.1:{}{}".format(port, page)}


def choose(rng: random.Random, weighted: list[tuple[str, str]], session: Session, pilots: list[int]) -> tuple[str, str]:
    """The next page of a user (a pilot's pages only among the pilots the user may open)."""
    while True:
        name, path = rng.choice(weighted)
        if name in ("project detail", "standards checks"):
            if not session.pilots:
                continue  # this user may open no pilot's pages
            if pilots:
                path = path.replace("/{}/".format(pilots[0]), "/{}/".format(rng.choice(session.pilots)), 1)
        return name, path


def run_users(
    sessions: list[Session],
    mix: list[tuple[str, str, int]],
    seconds: float,
    think: float,
    warmup: float,
    pilots: list[int],
    badge: bool = True,
) -> tuple[Stats, float]:
    stats = Stats()
    start = time.monotonic()
    measure_from = start + warmup
    stop_at = measure_from + seconds
    weighted = [(name, path) for name, path, weight in mix for _ in range(weight)]

    def user(index: int, session: Session) -> None:
        rng = random.Random(index)
        if think:
            time.sleep(rng.uniform(0, think))  # spread the users' first requests

        def get(name: str, path: str, extra: dict[str, str] | None = None) -> None:
            t0 = time.monotonic()
            try:
                status, body, _ = session.request("GET", path, extra=extra)
                ok, detail = status == 200, "HTTP {} {}".format(status, body[:160].decode("utf-8", "replace"))
            except OSError as exc:
                ok, detail = False, repr(exc)
            t1 = time.monotonic()
            if measure_from <= t0 < stop_at:  # every request sent in the window, however long it took
                stats.add(name, t1 - t0, ok, detail)

        while time.monotonic() < stop_at:
            name, path = choose(rng, weighted, session, pilots)
            get(name, path)
            if badge and name != "healthz":  # the page's htmx request for the to-do badge
                get("to-do badge", BADGE_PATH, badge_headers(session.port, path))
            if think:
                time.sleep(think)

    threads = [threading.Thread(target=user, args=(i, s), daemon=True) for i, s in enumerate(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + warmup + TIMEOUT_S + 5)
    return stats, seconds


def report(title: str, stats: Stats, seconds: float) -> float:
    total = stats.count()
    rps = total / seconds
    print(
        "  {}: {} requests in {:.0f} s = {:.1f} req/s, {} errors".format(
            title, total, seconds, rps, stats.error_count()
        )
    )
    print("    {:<18} {:>6} {:>8} {:>8} {:>8} {:>7}".format("page", "n", "p50 ms", "p95 ms", "p99 ms", "errors"))
    every: list[float] = []
    for page in sorted(stats.latencies):
        values = stats.latencies[page]
        every += values
        print(
            "    {:<18} {:>6} {:>8.0f} {:>8.0f} {:>8.0f} {:>7}".format(
                page,
                len(values),
                percentile(values, 50),
                percentile(values, 95),
                percentile(values, 99),
                stats.errors[page],
            )
        )
    print(
        "    {:<18} {:>6} {:>8.0f} {:>8.0f} {:>8.0f} {:>7}".format(
            "all", len(every), percentile(every, 50), percentile(every, 95), percentile(every, 99), stats.error_count()
        )
    )
    for sample in stats.error_samples:
        print("    error: {}".format(sample))
    return rps


def sign_in(usernames: list[str], pilots: list[int], count: int) -> list[Session]:
    """``count`` sessions over the demo users, made in this process (Django's ``force_login``: a
    real session in the session store, without hashing a password per user), each with the
    pilots whose detail and standards pages its user may open (asked in-process too)."""
    from django.db import connections
    from django.test import Client

    from greenbuild.accounts.models import User

    logging.getLogger("django.request").setLevel(logging.ERROR)  # a pilot a user may not open is a 404
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    sessions: list[Session] = []
    for index, username in enumerate(itertools.islice(itertools.cycle(usernames), count)):
        client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="zh-CN")
        client.force_login(users[username], backend="greenbuild.accounts.backends.LockoutModelBackend")
        session = Session(0)
        session.cookies = {name: morsel.value for name, morsel in client.cookies.items()}
        if index < len(usernames):
            session.pilots = [
                pk
                for pk in pilots[:4]
                if client.get("/projects/{}/scores/".format(pk)).status_code == 200
                and client.get("/projects/{}/".format(pk)).status_code == 200
            ]
        else:
            session.pilots = sessions[index % len(usernames)].pilots
        sessions.append(session)
    connections.close_all()
    return sessions


def in_process_cost(
    sessions: list[Session], mix: list[tuple[str, str, int]], pilots: list[int], requests: int, badge: bool
) -> float:
    """The mean cost in ms of a request of the mix, timing the WSGI application in this process
    (Django's test client: every middleware, no HTTP, one persistent database connection)."""
    from django.db import connection
    from django.test import Client

    weighted = [(name, path) for name, path, weight in mix for _ in range(weight)]
    pairs = []
    for session in sessions:
        client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="zh-CN")
        client.cookies.load(session.cookies)
        pairs.append((session, client))
    rng = random.Random(0)
    times: dict[str, list[float]] = defaultdict(list)
    queries: dict[str, list[int]] = defaultdict(list)
    failures: list[str] = []
    executed = [0]

    def count(execute, sql, params, many, context):  # noqa: ANN001, ANN202 (Django's wrapper signature)
        executed[0] += 1
        return execute(sql, params, many, context)

    warm = max(20, requests // 10)
    with connection.execute_wrapper(count):
        done = 0
        while done < warm + requests:
            session, client = rng.choice(pairs)
            name, path = choose(rng, weighted, session, pilots)
            steps = [(name, path, {})]
            if badge and name != "healthz":
                extra = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in badge_headers(0, path).items()}
                steps.append(("to-do badge", BADGE_PATH, extra))
            for step, step_path, extra in steps:
                executed[0] = 0
                t0 = time.perf_counter()
                response = client.get(step_path, **extra)
                elapsed = (time.perf_counter() - t0) * 1000
                if response.status_code != 200 and len(failures) < 5:
                    failures.append("{} {}: HTTP {}".format(step, step_path, response.status_code))
                if done >= warm:
                    times[step].append(elapsed)
                    queries[step].append(executed[0])
                done += 1
    connection.close()
    every = [v for values in times.values() for v in values]
    mean = sum(every) / len(every)
    print("in-process cost (WSGI application in this process, {} requests of the same mix):".format(len(every)))
    print("    {:<18} {:>6} {:>8} {:>8} {:>8}".format("page", "n", "mean ms", "p50 ms", "queries"))
    for page in sorted(times):
        values = times[page]
        print(
            "    {:<18} {:>6} {:>8.1f} {:>8.1f} {:>8.1f}".format(
                page, len(values), sum(values) / len(values), percentile(values, 50), sum(queries[page]) / len(values)
            )
        )
    print("    {:<18} {:>6} {:>8.1f} {:>8.1f}".format("all", len(every), mean, percentile(every, 50)))
    for failure in failures:
        print("    error: {}".format(failure))
    return mean


def bound_rps(workers: int, mean_ms: float) -> float:
    """Requests per second that ``workers`` processes could serve at ``mean_ms`` a request, on
    this machine's cores (a worker beyond the cores adds no CPU)."""
    return min(workers, os.cpu_count() or 1) * 1000 / mean_ms


def last_line(p95: float, rps: float, ratio: float, errors: int) -> str:
    return LAST_LINE.format(p95=p95, rps=rps, ratio=ratio, errors=errors)


def dry_run() -> None:
    """The report of made-up figures: no database, no server (for the tests of the format)."""
    stats = Stats()
    for i in range(40):
        stats.add("overview", 0.02 + i / 1000, True)
        stats.add("to-do badge", 0.005, True)
    report("dry run, made-up figures", stats, 10)
    every = [v for values in stats.latencies.values() for v in values]
    mean = sum(every) / len(every)
    rps = stats.count() / 10
    print(last_line(percentile(every, 95), rps, rps / bound_rps(2, mean), stats.error_count()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="", help="postgres://…/NAME of a throwaway database (created and dropped)"
    )
    parser.add_argument("--sqlite-from", default="", help="copy this SQLite demo database instead of seeding a new one")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--saturation-seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=8, help="users without think time in the saturation phase")
    parser.add_argument("--workers", default="2", help="gunicorn worker counts, e.g. 1,2 (the last one is summed up)")
    parser.add_argument("--gunicorn-config", default=str(GUNICORN_CONFIG), help="gunicorn configuration file")
    parser.add_argument("--worker-class", default="", help="gunicorn worker class (default: the configuration's)")
    parser.add_argument("--threads", type=int, default=0, help="gunicorn threads per worker (gthread)")
    parser.add_argument(
        "--conn-max-age", type=int, default=None, help="DB_CONN_MAX_AGE for the server (default: the settings')"
    )
    parser.add_argument("--pool", action="store_true", help="DB_POOL=true: psycopg's pool (PostgreSQL)")
    parser.add_argument("--no-badge", dest="badge", action="store_false", help="pages without the to-do badge")
    parser.add_argument("--in-process-requests", type=int, default=300, help="requests timed in-process")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--reuse", action="store_true", help="reuse (and keep) an already seeded PostgreSQL database")
    parser.add_argument("--dry-run", action="store_true", help="print the report of made-up figures and stop")
    args = parser.parse_args()
    if args.dry_run:
        dry_run()
        return

    tmp = tempfile.mkdtemp(prefix="greenbuild-load-")
    summary: list[str] = []
    errors = 0
    p95 = throughput = ratio = 0.0
    try:
        env = prepare_database(args, tmp)
        usernames, pilots = demo_targets(env)
        mix = page_mix(pilots)
        worker_counts = [int(w) for w in args.workers.split(",")]
        started = time.perf_counter()
        sessions = sign_in(usernames, pilots, args.users)
        print(
            "signed in {} sessions over {} demo users in {:.1f} s (in-process, not timed)".format(
                len(sessions), len(usernames), time.perf_counter() - started
            )
        )

        mean_ms = in_process_cost(sessions, mix, pilots, args.in_process_requests, args.badge)

        for workers in worker_counts:
            server = Server(env, workers, tmp, args)
            try:
                for s in sessions:
                    s.port = server.port
                print(
                    "gunicorn, {} worker(s){}, port {}:".format(
                        workers,
                        ", {}".format(args.worker_class) if args.worker_class else "",
                        server.port,
                    )
                )
                stats, seconds = run_users(sessions, mix, args.seconds, args.think, args.warmup, pilots, args.badge)
                report("{} users, {:.0f} s think time".format(len(sessions), args.think), stats, seconds)
                every = [v for values in stats.latencies.values() for v in values]
                p95 = percentile(every, 95)
                errors += stats.error_count()
                stats_sat, seconds_sat = run_users(
                    sessions[: args.concurrency], mix, args.saturation_seconds, 0, 2, pilots, args.badge
                )
                throughput = report(
                    "saturation, {} users, no think time".format(args.concurrency), stats_sat, seconds_sat
                )
                errors += stats_sat.error_count()
                bound = bound_rps(workers, mean_ms)
                ratio = throughput / bound
                print(
                    "  in-process bound {:.1f} req/s ({} worker(s) on {} cores at {:.1f} ms a request); "
                    "reached {:.1f} req/s = {:.2f} of it".format(
                        bound, workers, os.cpu_count(), mean_ms, throughput, ratio
                    )
                )
                summary.append(
                    "{}w: p95 {:.0f} ms, saturation {:.1f} req/s, {:.2f} of the bound".format(
                        workers, p95, throughput, ratio
                    )
                )
            finally:
                server.stop()
    finally:
        drop_database(args)
        shutil.rmtree(tmp, ignore_errors=True)
    backend = "PostgreSQL" if args.database_url else "SQLite"
    verdict = "met" if errors == 0 and p95 < GOAL_P95_MS and ratio >= GOAL_RATIO else "NOT met"
    print(
        "summary ({}): {}; errors {}; goal 0 errors, p95 < {:.0f} ms, ratio >= {}: {}; "
        "load average {:.1f} on {} CPUs".format(
            backend,
            "; ".join(summary),
            errors,
            GOAL_P95_MS,
            GOAL_RATIO,
            verdict,
            os.getloadavg()[0],
            os.cpu_count(),
        )
    )
    print(last_line(p95, throughput, ratio, errors))


if __name__ == "__main__":
    main()
