"""As fast under load as its pages (issue 19 item 7, bench/load.py).

* On PostgreSQL a connection outlives its request (persistent and health-checked by default,
  psycopg's pool on request), both set from the environment;
* gunicorn's committed configuration is what bench/load.py starts;
* bench/load.py's last line keeps its format (``--dry-run``: no database, no server).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LAST_LINE = re.compile(
    r"^load: p95 \d+ ms, \d+\.\d req/s, \d+\.\d\d of the in-process bound, \d+ errors$",
)


def databases(**env: str) -> dict:
    """``settings.DATABASES["default"]`` as the settings module computes it under ``env``."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DB_") and k != "DATABASE_URL"}
    environ.update({"SECRET_KEY": secrets.token_urlsafe(50), "DEBUG": "false", **env})
    code = "import json, greenbuild.settings as s; print(json.dumps(s.DATABASES['default'], default=str))"
    out = subprocess.run(  # noqa: S603 (this interpreter, fixed code)
        [sys.executable, "-c", code], env=environ, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


POSTGRES = "postgres://someone@127.0.0.1:5432/greenbuild_settings_test"


def test_postgresql_keeps_its_connections_by_default():
    db = databases(DATABASE_URL=POSTGRES)
    assert db["CONN_MAX_AGE"] == 600
    assert db["CONN_HEALTH_CHECKS"] is True
    assert "pool" not in db.get("OPTIONS", {})


def test_the_connection_age_and_health_checks_come_from_the_environment():
    db = databases(DATABASE_URL=POSTGRES, DB_CONN_MAX_AGE="0", DB_CONN_HEALTH_CHECKS="false")
    assert db["CONN_MAX_AGE"] == 0
    assert db["CONN_HEALTH_CHECKS"] is False


def test_psycopg_pool_on_request():
    db = databases(DATABASE_URL=POSTGRES, DB_POOL="true", DB_POOL_MAX_SIZE="8")
    assert db["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 8, "timeout": 10}
    assert db["CONN_MAX_AGE"] == 0  # Django refuses a pool beside persistent connections


def test_sqlite_is_left_as_it_was(tmp_path):
    db = databases(GREENBUILD_VAR_DIR=str(tmp_path))
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["CONN_MAX_AGE"] == 0


def test_the_gunicorn_configuration(monkeypatch):
    for name in ("WEB_CONCURRENCY", "GUNICORN_WORKER_CLASS", "GUNICORN_THREADS", "GUNICORN_BIND", "PORT"):
        monkeypatch.delenv(name, raising=False)
    config: dict = {}
    path = ROOT / "greenbuild" / "gunicorn.conf.py"
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), config)  # noqa: S102 (our own file)
    assert config["worker_class"] == "sync"
    assert config["workers"] >= 2
    assert config["bind"] == ["127.0.0.1:8000"]
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    monkeypatch.setenv("PORT", "8123")
    config = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), config)  # noqa: S102
    assert config["workers"] == 5
    assert config["bind"] == ["127.0.0.1:8123"]


def test_a_gunicorn_setting_that_is_no_number_stops_with_its_name(monkeypatch):
    monkeypatch.setenv("GUNICORN_TIMEOUT", "sixty")
    path = ROOT / "greenbuild" / "gunicorn.conf.py"
    with pytest.raises(SystemExit, match="GUNICORN_TIMEOUT must be a whole number, not 'sixty'"):
        exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), {})  # noqa: S102 (our own file)


def test_bench_load_starts_gunicorn_with_the_committed_configuration():
    source = (ROOT / "bench" / "load.py").read_text(encoding="utf-8")
    assert 'GUNICORN_CONFIG = ROOT / "greenbuild" / "gunicorn.conf.py"' in source


def test_bench_load_last_line_format():
    out = subprocess.run(  # noqa: S603 (this interpreter, our own script)
        [sys.executable, str(ROOT / "bench" / "load.py"), "--dry-run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    last = out.stdout.strip().splitlines()[-1]
    assert LAST_LINE.match(last), last


@pytest.mark.parametrize(
    ("figures", "line"),
    [
        ((212.4, 61.25, 0.5349, 0), "load: p95 212 ms, 61.2 req/s, 0.53 of the in-process bound, 0 errors"),
        ((1100.0, 25.0, 0.25, 3), "load: p95 1100 ms, 25.0 req/s, 0.25 of the in-process bound, 3 errors"),
    ],
)
def test_bench_load_last_line(figures, line):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import load
    finally:
        sys.path.remove(str(ROOT / "bench"))
    assert load.last_line(*figures) == line
    assert LAST_LINE.match(line)


# --- the navbar's counts ------------------------------------------------------------------------


def _file(personas, capture, count: int, start: int) -> None:
    """``count`` applications submitted to dan (each one a to-do and a notification of his; the
    events are recorded on commit)."""

    with capture(execute=True):
        _file_now(personas, count, start)


def _file_now(personas, count: int, start: int) -> None:
    from greenbuild.testing.factories import make_project, move_to

    for n in range(count):
        project = make_project(personas["alice_owner"], name="负载{}".format(start + n))
        move_to(
            project,
            "submitted",
            owner=personas["alice_owner"],
            district_official=personas["dan_district"],
            bureau=personas["bureau"],
        )


def _queries(client, url: str, **headers: str) -> tuple[int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), response.content.decode()


@pytest.mark.django_db
def test_a_page_counts_the_unread_notifications_in_one_query(client, personas, django_capture_on_commit_callbacks):
    """A plain page: the session, the user, the memberships and one count for the navbar,
    whatever the number of notifications; the to-do count is the badge's own request."""
    from django.urls import reverse

    client.force_login(personas["dan_district"])
    url = reverse("accounts:password_change")
    client.get(url)
    _file(personas, django_capture_on_commit_callbacks, 1, start=0)
    small, _page = _queries(client, url)
    _file(personas, django_capture_on_commit_callbacks, 6, start=1)
    large, page = _queries(client, url)
    assert small == large <= 5
    assert ">7</span>" in page  # the unread count, in the same query


@pytest.mark.django_db
def test_the_todo_badge_is_counted_once_until_something_changes(
    client, personas, settings, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    settings.INBOX_BADGE_CACHE_SECONDS = 60
    badge_url = reverse("notifications:inbox-badge")
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_X_GREENBUILD_PASSIVE": "1"}
    client.force_login(personas["dan_district"])
    _file(personas, django_capture_on_commit_callbacks, 1, start=0)
    first, content = _queries(client, badge_url, **htmx)
    assert ">1<" in content
    again, content = _queries(client, badge_url, **htmx)
    assert ">1<" in content
    # The session, the user, the memberships and one cache read: no inbox provider, no unread count.
    assert again <= 4 < first
    _file(personas, django_capture_on_commit_callbacks, 2, start=1)  # new events: every badge counts afresh
    recount, content = _queries(client, badge_url, **htmx)
    assert ">3<" in content
    assert recount == first


@pytest.mark.django_db
def test_a_write_request_makes_the_badges_count_afresh(client, personas, settings, django_capture_on_commit_callbacks):
    from django.urls import reverse

    from greenbuild.notifications import badge

    settings.INBOX_BADGE_CACHE_SECONDS = 60
    dan = personas["dan_district"]
    _file(personas, django_capture_on_commit_callbacks, 1, start=0)
    assert badge.counts(dan)[0] == 1
    client.force_login(dan)
    generation = badge.cache.get(badge.GENERATION_KEY)
    assert client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"}).status_code == 302
    assert badge.cache.get(badge.GENERATION_KEY) != generation
    refused = client.post(reverse("accounts:password_change"), {})  # a refused form changes nothing
    assert refused.status_code in (200, 302, 400)


@pytest.mark.django_db
def test_a_badge_kept_yesterday_is_counted_afresh_today(
    personas, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """An item becomes overdue by the passing of a day, with no write: the badge says so at once,
    not a cache time later (every time rule of the inbox is by date)."""
    import datetime as dt

    from django.utils import timezone

    from greenbuild.notifications import badge
    from greenbuild.notifications.services import inbox_for

    settings.INBOX_BADGE_CACHE_SECONDS = 60
    dan = personas["dan_district"]
    _file(personas, django_capture_on_commit_callbacks, 1, start=0)
    (item,) = inbox_for(dan)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: item.due - dt.timedelta(days=1))
    assert badge.counts(dan) == (1, 0)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: item.due + dt.timedelta(days=1))
    assert badge.counts(dan) == (1, 1)  # 48 hours later, within the cache time of the test


@pytest.mark.django_db
def test_a_membership_removed_outside_a_request_empties_the_badge(
    personas, settings, django_capture_on_commit_callbacks
):
    """Rule 3: a to-do offers only what its reader can do now. A role taken away in the shell or a
    command (no write request, no event) must not keep offering the role's to-dos."""
    from greenbuild.notifications import badge

    settings.INBOX_BADGE_CACHE_SECONDS = 60
    dan = personas["dan_district"]
    _file(personas, django_capture_on_commit_callbacks, 1, start=0)
    assert badge.counts(dan)[0] == 1
    with django_capture_on_commit_callbacks(execute=True):
        dan.memberships.all().delete()
    assert badge.counts(type(dan).objects.get(pk=dan.pk)) == (0, 0)  # his next request


@pytest.mark.django_db
def test_the_badges_count_afresh_only_once_the_change_is_committed(
    personas, settings, django_capture_on_commit_callbacks
):
    """Moved at once, a reader counting before the commit would keep the old count under the new
    number (Redis), and the database cache would hold the number's row locked for the rest of the
    transaction (every write request's middleware waiting behind a long import)."""
    from greenbuild.notifications import badge

    settings.INBOX_BADGE_CACHE_SECONDS = 60
    dan = personas["dan_district"]
    badge.counts(dan)
    generation = badge.cache.get(badge.GENERATION_KEY)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        membership = dan.memberships.first()
        membership.save()
    assert badge.cache.get(badge.GENERATION_KEY) == generation
    for callback in callbacks:
        callback()
    assert badge.cache.get(badge.GENERATION_KEY) != generation


@pytest.mark.django_db
def test_a_finished_job_makes_the_badges_count_afresh(personas, settings, django_capture_on_commit_callbacks):
    """The worker's jobs (imports, recomputations) write outside any request."""
    from unittest.mock import Mock

    from django_tasks.signals import task_finished

    from greenbuild.notifications import badge

    settings.INBOX_BADGE_CACHE_SECONDS = 60
    badge.counts(personas["dan_district"])
    generation = badge.cache.get(badge.GENERATION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        task_finished.send(sender=object, task_result=Mock(status="SUCCEEDED"))
    assert badge.cache.get(badge.GENERATION_KEY) != generation
