#!/usr/bin/env python
"""Load test: signed-in users browsing the platform through gunicorn (issue 10 item 21).

Builds a throwaway demo database (SQLite in a temporary directory by default; with
``--database-url postgres://…/NAME`` a PostgreSQL database NAME that the bench creates and drops),
signs in ``--users`` sessions over the demo users (not timed), then for each worker count in
``--workers`` starts gunicorn on a free loopback port and measures two phases:

* **think time**: every user requests a page from a mixed set, waits ``--think`` seconds, and so on
  for ``--seconds`` (the first ``--warmup`` seconds are left out of the statistics); it prints
  requests per second, p50/p95/p99 per page and the errors;
* **saturation**: ``--concurrency`` users request pages with no think time for
  ``--saturation-seconds``: the throughput the workers can give.

The last line is a summary (errors, worst p95 against the goal of 300 ms, saturation throughput
per worker count). Only loopback traffic; every phase is bounded in time.

    .venv/bin/python bench/load.py [--seconds 60] [--workers 1,2]
    .venv/bin/python bench/load.py --database-url postgres://postgres@127.0.0.1:5432/greenbuild_bench_platform
"""

from __future__ import annotations

import argparse
import http.client
import itertools
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
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
GOAL_P95_MS = 300.0
PASSWORD = "greenbuild-demo"  # noqa: S105 (the demo users' published password)
TIMEOUT_S = 30


# --- HTTP: one session per user, plain http.client over loopback ------------------------------


class Session:
    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.pilots: list[int] = []  # confirmed pilots whose pages this user may open

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes, dict[str, str]]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT_S)
        headers = {"Accept-Language": "zh-CN", "Host": "127.0.0.1"}
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

    def sign_in(self, username: str) -> None:
        status, body, _ = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or token is None:
            raise RuntimeError("no sign-in form ({})".format(status))
        form = {"csrfmiddlewaretoken": token.group(1).decode(), "username": username, "password": PASSWORD}
        status, _, headers = self.request("POST", "/accounts/login/", urlencode(form))
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError("sign-in of {} failed ({})".format(username, status))


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
    env["DB_CONN_MAX_AGE"] = str(args.conn_max_age)
    if args.database_url:
        name = urlsplit(args.database_url).path.lstrip("/")
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or "bench" not in name:
            raise SystemExit("refusing database {!r}: use a throwaway name containing 'bench'".format(name))
        postgres_admin(args.database_url, 'DROP DATABASE IF EXISTS "{}"'.format(name))
        postgres_admin(args.database_url, 'CREATE DATABASE "{}"'.format(name))
        env["DATABASE_URL"] = args.database_url
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
    if not args.sqlite_from:
        manage(env, "seed_demo")
    print(
        "demo database ready in {:.1f} s ({})".format(
            time.perf_counter() - started, "PostgreSQL" if args.database_url else "SQLite"
        )
    )
    return env


def drop_database(args: argparse.Namespace) -> None:
    if args.database_url and not args.keep:
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
    def __init__(self, env: dict[str, str], workers: int, tmp: str) -> None:
        manage(env, "migrate", "-v0")  # the code may have gained a migration since (shared tree)
        self.port = free_port()
        self.log = open(Path(tmp) / "gunicorn-{}.log".format(workers), "w")  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603 (the venv's gunicorn, fixed arguments)
            [
                str(VENV_BIN / "gunicorn"),
                "greenbuild.wsgi",
                "--bind",
                "127.0.0.1:{}".format(self.port),
                "--workers",
                str(workers),
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
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


def run_users(
    sessions: list[Session],
    mix: list[tuple[str, str, int]],
    seconds: float,
    think: float,
    warmup: float,
    pilots: list[int],
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
        while time.monotonic() < stop_at:
            name, path = rng.choice(weighted)
            if name in ("project detail", "standards checks") and not session.pilots:
                continue  # this user may open no pilot's pages
            if name in ("project detail", "standards checks") and pilots:
                path = path.replace("/{}/".format(pilots[0]), "/{}/".format(rng.choice(session.pilots)), 1)
            t0 = time.monotonic()
            try:
                status, body, _ = session.request("GET", path)
                ok, detail = status == 200, "HTTP {} {}".format(status, body[:160].decode("utf-8", "replace"))
            except OSError as exc:
                ok, detail = False, repr(exc)
            t1 = time.monotonic()
            if t0 >= measure_from and t1 <= stop_at:
                stats.add(name, t1 - t0, ok, detail)
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
    parser.add_argument("--workers", default="1,2", help="gunicorn worker counts, e.g. 1,2")
    parser.add_argument(
        "--conn-max-age", type=int, default=60, help="DB_CONN_MAX_AGE for the server (persistent connections)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="greenbuild-load-")
    summary: list[str] = []
    worst_p95 = 0.0
    errors = 0
    try:
        env = prepare_database(args, tmp)
        usernames, pilots = demo_targets(env)
        mix = page_mix(pilots)
        worker_counts = [int(w) for w in args.workers.split(",")]
        server = Server(env, worker_counts[0], tmp)
        try:
            started = time.perf_counter()
            sessions = []
            for username in itertools.islice(itertools.cycle(usernames), args.users):
                session = Session(server.port)
                session.sign_in(username)
                # The pilots whose detail and standards pages this user may open (not timed).
                session.pilots = (
                    [
                        pk
                        for pk in pilots[:8]
                        if session.request("GET", "/projects/{}/scores/".format(pk))[0] == 200
                        and session.request("GET", "/projects/{}/".format(pk))[0] == 200
                    ]
                    if len(sessions) < len(usernames)
                    else sessions[len(sessions) % len(usernames)].pilots
                )
                sessions.append(session)
            print(
                "signed in {} sessions over {} demo users in {:.1f} s (not timed)".format(
                    len(sessions), len(usernames), time.perf_counter() - started
                )
            )
        finally:
            server.stop()

        for workers in worker_counts:
            server = Server(env, workers, tmp)
            try:
                for s in sessions:
                    s.port = server.port
                print("gunicorn, {} worker(s), port {}:".format(workers, server.port))
                stats, seconds = run_users(sessions, mix, args.seconds, args.think, args.warmup, pilots)
                report("{} users, {:.0f} s think time".format(len(sessions), args.think), stats, seconds)
                every = [v for values in stats.latencies.values() for v in values]
                p95 = percentile(every, 95)
                worst_p95 = max(worst_p95, p95)
                errors += stats.error_count()
                stats_sat, seconds_sat = run_users(
                    sessions[: args.concurrency], mix, args.saturation_seconds, 0, 2, pilots
                )
                throughput = report(
                    "saturation, {} users, no think time".format(args.concurrency), stats_sat, seconds_sat
                )
                errors += stats_sat.error_count()
                summary.append("{}w: p95 {:.0f} ms, saturation {:.1f} req/s".format(workers, p95, throughput))
            finally:
                server.stop()
    finally:
        drop_database(args)
        shutil.rmtree(tmp, ignore_errors=True)
    backend = "PostgreSQL" if args.database_url else "SQLite"
    verdict = "met" if errors == 0 and worst_p95 < GOAL_P95_MS else "NOT met"
    print(
        "summary ({}): {}; errors {}; goal 0 errors and p95 < {:.0f} ms: {}; load average {:.1f} on {} CPUs".format(
            backend, "; ".join(summary), errors, GOAL_P95_MS, verdict, os.getloadavg()[0], os.cpu_count()
        )
    )


if __name__ == "__main__":
    main()
