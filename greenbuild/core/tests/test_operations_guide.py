"""Issue 19 item 6: the operator's guide stays complete, the published docs link nothing outside
docs/, permissions.md names every app, and the newcomer's stumbles stay fixed (the demo's key is
found without exporting anything, a busy port is said at once, seed_demo prints its progress)."""

from __future__ import annotations

import ast
import importlib
import io
import os
import re
import secrets
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

REPO = Path(__file__).resolve().parents[3]
DOCS = REPO / "docs"
GUIDE = DOCS / "operations.md"
READERS = {"envbool", "envint", "envlist", "envsecret", "getenv", "_int"}
#: Read by a library rather than by a call with the name in our files.
READ_ELSEWHERE = {"DATABASE_URL"}  # dj_database_url.config()


def environment_variables(path: Path) -> set[str]:
    """Every name read from the environment in ``path``: envbool("X"…), os.getenv("X"),
    os.environ.get("X"), os.environ["X"] (with a string literal)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            environ_get = (
                isinstance(func, ast.Attribute)
                and func.attr == "get"
                and isinstance(func.value, ast.Attribute)
                and func.value.attr == "environ"
            )
            if (called in READERS or environ_get) and isinstance(node.args[0].value, str):
                names.add(node.args[0].value)
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "environ"
            and isinstance(node.slice, ast.Constant)
        ):
            names.add(node.slice.value)
    return names


def settings_files() -> list[Path]:
    files = [REPO / "greenbuild" / "settings.py"]
    gunicorn = REPO / "greenbuild" / "gunicorn.conf.py"
    if gunicorn.exists():
        files.append(gunicorn)
    return files


def guide_table_names() -> set[str]:
    """The variables of the guide's settings table: the first cell of each row."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## Every setting", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)`", section, flags=re.MULTILINE))


def test_the_reader_finds_what_the_settings_read():
    names = environment_variables(REPO / "greenbuild" / "settings.py")
    assert {"SECRET_KEY", "DEBUG", "SITE_URL", "EMAIL_HOST", "OPEN_DATA_LICENSE", "API_UPLOAD_MAX_BYTES"} <= names


def test_every_environment_variable_the_settings_read_is_in_the_guides_table():
    table = guide_table_names()
    read = set(READ_ELSEWHERE)
    for path in settings_files():
        read |= environment_variables(path)
    missing = sorted(read - table)
    assert not missing, "docs/operations.md, 'Every setting', lacks: {}".format(", ".join(missing))


def test_the_guide_is_in_the_docs_sites_navigation():
    assert re.search(r"^\s+- .+: operations\.md$", (REPO / "mkdocs.yml").read_text(), flags=re.MULTILINE)


LINK = re.compile(r"\]\(\s*<?([^)\s>]+)|\b(?:href|src)\s*=\s*[\"']([^\"']+)[\"']|^\s*\[[^\]]+\]:\s*(\S+)", re.MULTILINE)


def test_no_published_page_links_to_a_file_outside_the_docs_directory():
    """mkdocs (strict, validation.not_found) refuses Markdown links to files it does not publish;
    this also catches raw HTML links and reference definitions, and absolute file paths."""
    bad = []
    for page in sorted(DOCS.rglob("*.md")):
        text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
        text = re.sub(r"`[^`\n]*`", "", text)  # code spans name files, they do not link them
        for match in LINK.finditer(text):
            target = next(group for group in match.groups() if group)
            if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                continue  # https:, mailto: … and anchors
            path = target.split("#", 1)[0].split("?", 1)[0]
            if not path:
                continue
            resolved = (DOCS / path.lstrip("/")) if path.startswith("/") else (page.parent / path)
            if path.startswith("/") or DOCS.resolve() not in resolved.resolve().parents:
                bad.append("{}: {}".format(page.relative_to(REPO), target))
    assert not bad, bad


def greenbuild_apps() -> list[str]:
    return sorted(
        config.name.split(".", 1)[1] for config in apps.get_app_configs() if config.name.startswith("greenbuild.")
    )


def test_permissions_md_names_every_app_and_every_gate():
    """Every app of greenbuild/ (a registered gate, a permissions.py or none) has its line in
    docs/permissions.md, named as ``greenbuild/<app>/``."""
    from greenbuild.core.permissions import registered_gates

    text = (DOCS / "permissions.md").read_text(encoding="utf-8")
    with_gate = {gate.label.split(".", 1)[0] for gate in registered_gates()}
    assert with_gate, "no gate registered?"
    missing = [app for app in greenbuild_apps() if "greenbuild/{}/".format(app) not in text]
    assert not missing, "docs/permissions.md does not name: {}".format(", ".join(missing))
    unnamed_gates = [app for app in sorted(with_gate) if "greenbuild/{}/".format(app) not in text]
    assert not unnamed_gates


# --- the stumbles ---------------------------------------------------------------------------------


def greenbuild(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "SECRET_KEY_FILE", "DEBUG")}
    clean = {k: v for k, v in clean.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    clean.update({"GREENBUILD_VAR_DIR": str(tmp_path / "var"), **env})
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "greenbuild", *args], cwd=REPO, env=clean, capture_output=True, text=True, timeout=300
    )


PRINT_KEY = "from django.conf import settings; print(settings.SECRET_KEY)"


def test_without_debug_the_var_directorys_key_is_used_so_the_demos_checkout_needs_no_export(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    key = secrets.token_urlsafe(50)
    (var / "secret_key").write_text(key + "\n")
    (var / "secret_key").chmod(0o600)
    result = greenbuild(tmp_path, "shell", "--no-imports", "-c", PRINT_KEY, DEBUG="false")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == key
    assert stat.S_IMODE((var / "secret_key").stat().st_mode) == 0o600


def test_without_debug_a_key_file_others_may_read_is_refused_not_used(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    (var / "secret_key").write_text(secrets.token_urlsafe(50) + "\n")
    (var / "secret_key").chmod(0o644)
    result = greenbuild(tmp_path, "check", DEBUG="false")
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert "SECRET_KEY is not set" in last and "chmod 600" in last, last


def test_without_debug_and_without_a_key_file_nothing_is_made_and_start_is_refused(tmp_path):
    result = greenbuild(tmp_path, "check", DEBUG="false")
    assert result.returncode != 0 and "SECRET_KEY is not set" in result.stderr
    assert not (tmp_path / "var" / "secret_key").exists()


def test_the_demo_says_at_once_when_its_port_is_busy():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {**os.environ, "PORT": str(port)}
        result = subprocess.run(  # noqa: S603
            [str(REPO / "scripts" / "demo")], env=env, capture_output=True, text=True, timeout=60
        )
    assert result.returncode == 1
    assert "port {} on 127.0.0.1 is already in use".format(port) in result.stderr
    assert "PORT=8001 scripts/demo" in result.stderr
    assert "[1/4]" not in result.stdout  # said before anything is installed or seeded


def test_the_bootstrap_stops_clearly_without_python3_venv(tmp_path):
    """No .venv and a Python without ensurepip (Debian without python3-venv): as root it would
    install the package with apt-get; as another user it names it and stops."""
    if os.geteuid() == 0:
        pytest.skip("as root the bootstrap installs python3-venv with apt-get")
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "bootstrap").write_text((REPO / "scripts" / "bootstrap").read_text())
    (tmp_path / "scripts" / "bootstrap").chmod(0o755)
    fake = tmp_path / "python-without-venv"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    result = subprocess.run(  # noqa: S603
        [str(tmp_path / "scripts" / "bootstrap")],
        env={**os.environ, "PYTHON": str(fake)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "python3-venv" in result.stderr and "stopping" in result.stderr
    assert not (tmp_path / ".venv").exists()


def test_the_bootstrap_adds_python3_venv_to_what_it_installs():
    text = (REPO / "scripts" / "bootstrap").read_text()
    assert "import ensurepip, venv" in text and "apt_missing+=(python3-venv)" in text


@pytest.mark.django_db
def test_seed_demo_prints_each_step_as_it_goes(monkeypatch):
    from greenbuild.accounts.models import User
    from greenbuild.conference import demo as conference
    from greenbuild.documents import demo as documents
    from greenbuild.lifecycle import demo as lifecycle
    from greenbuild.plans import demo as plans
    from greenbuild.projects.management.commands import seed_demo as command
    from greenbuild.reviews import demo as reviews
    from greenbuild.scoring import demo as scoring
    from greenbuild.webhooks import demo as webhooks

    issue_20 = ["supervision", "inspections", "completion", "bulletins", "publicity", "incentives", "summaries"]
    User.objects.create(username="bureau")
    monkeypatch.setattr(
        command, "seed_demo", lambda: {"organisations": 3, "users": 4, "projects_created": 5, "programmes": 1}
    )
    for module, name in [
        (scoring, "seed_scores"),
        (plans, "seed_plans"),
        (conference, "seed_conference"),
        (reviews, "seed_reviews"),
        (documents, "seed_documents"),
        (lifecycle, "seed_lifecycle"),
    ]:
        monkeypatch.setattr(module, name, lambda bureau: 2)
    for app in issue_20:
        monkeypatch.setattr(importlib.import_module("greenbuild.{}.demo".format(app)), "seed_" + app, lambda bureau: 2)
    monkeypatch.setattr(webhooks, "seed_webhooks", lambda: 1)
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    lines = out.getvalue().splitlines()
    steps = [line for line in lines if line.startswith("seed_demo [")]
    n = 8 + len(issue_20)
    assert len(steps) == n and steps[0].startswith("seed_demo [1/{}] ".format(n))
    assert steps[-1].startswith("seed_demo [{0}/{0}] ".format(n))
    assert all(line.endswith(" s") for line in steps)
    assert any(line.startswith("Demo programme ready in ") and "3 organisations" in line for line in lines)


# --- break-it review: the guide followed literally ------------------------------------------------


def guide_blocks() -> list[str]:
    return re.findall(r"```\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.DOTALL)


def nginx_config() -> str:
    return next(block for block in guide_blocks() if "upstream greenbuild" in block)


def nginx_locations(config: str) -> dict[str, str]:
    """``location X { … }`` bodies (no nested braces in the guide's config)."""
    return {m.group(1): m.group(2) for m in re.finditer(r"location\s+(\S+)\s*\{(.*?)\}", config, flags=re.DOTALL)}


def directives(config: str) -> list[str]:
    """The config's directive lines, comments removed."""
    return [line.split("#", 1)[0].strip() for line in config.splitlines() if line.split("#", 1)[0].strip()]


def test_every_proxied_location_of_the_guides_nginx_sends_a_host_the_site_allows():
    """nginx's proxy_pass to an ``upstream greenbuild`` sends ``Host: greenbuild`` unless told
    otherwise: Django answers 400 (ALLOWED_HOSTS), so the port-80 /healthz probe failed."""
    locations = nginx_locations(nginx_config())
    proxied = {name: body for name, body in locations.items() if "proxy_pass" in body}
    assert "/healthz" in proxied and "/" in proxied
    assert all("proxy_set_header Host " in body for body in proxied.values()), proxied


def test_the_guides_nginx_runs_on_debian_12_and_does_not_stream_uploads_to_sync_workers():
    lines = directives(nginx_config())
    assert "http2 on;" not in lines  # nginx ≥ 1.25.1 only; Debian 12 ships 1.22
    # Unbuffered, a sync worker reads a slow upload itself and is killed after GUNICORN_TIMEOUT.
    assert not any(line.startswith("proxy_request_buffering off") for line in lines)


def test_the_guides_nginx_neither_caches_unhashed_static_names_long_nor_aliases_the_private_var_dir():
    from django.conf import settings

    config = directives(nginx_config())
    if "Manifest" not in settings.STORAGES["staticfiles"]["BACKEND"]:  # names carry no content hash
        assert not any(line.startswith("expires") for line in config)
    # The var directory is mode 700 (install -d -m 700): nginx's user could not read an alias into it.
    assert not any(line.startswith("alias") and "/var/" in line for line in config)


def test_the_guides_upload_limit_covers_every_upload_view():
    from django.conf import settings
    from django.urls import URLResolver, get_resolver

    from greenbuild.attachments.limits import body_limit

    size = re.search(r"client_max_body_size\s+(\d+)m;", nginx_config())
    assert size
    limit = int(size.group(1)) * 1024 * 1024
    largest = 0

    def walk(resolver: URLResolver) -> None:
        nonlocal largest
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern)
                continue
            callback = pattern.callback
            owner = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
            views = [callback] + [getattr(owner, name) for name in dir(owner or object) if not name.startswith("_")]
            for view in views:
                if getattr(view, "upload_kinds", None):
                    largest = max(largest, body_limit(view))

    walk(get_resolver())
    assert largest > 100 * 1024 * 1024
    assert limit >= largest and limit >= settings.API_UPLOAD_MAX_BYTES


def test_the_guides_cron_line_does_not_rely_on_cron_tz():
    """Debian's cron (3.0pl1) ignores CRON_TZ: the times are the server's time zone."""
    assert not any(line.startswith("CRON_TZ") for block in guide_blocks() for line in block.splitlines())


def test_the_guides_upgrade_reads_the_environment_before_its_first_command():
    block = next(block for block in guide_blocks() if "git checkout vX.Y.Z" in block)
    lines = block.splitlines()
    first_command = next(i for i, line in enumerate(lines) if ".venv/bin/greenbuild" in line)
    environment = next(i for i, line in enumerate(lines) if ". /etc/greenbuild/env" in line)
    assert environment < first_command, "the backup would run without DATABASE_URL and the key"


#: Named by the guide as what another backend brings (django-rq), not a command of this repository.
NOT_OURS = {"rqworker"}


def test_every_greenbuild_command_and_option_the_guide_names_exists():
    from django.core.management import get_commands, load_command_class

    text = GUIDE.read_text(encoding="utf-8")
    commands = get_commands()
    used: dict[str, set[str]] = {}
    for match in re.finditer(r"(?:bin/|`)greenbuild\s+([a-z_]+)((?:\s+--[a-z][a-z-]*)*)", text):
        if match.group(1) in NOT_OURS:
            continue
        used.setdefault(match.group(1), set()).update(re.findall(r"--[a-z][a-z-]*", match.group(2)))
    assert {"migrate", "worker", "backup", "restore", "prune_audit", "run_daily"} <= set(used)
    unknown = sorted(set(used) - set(commands))
    assert not unknown, unknown
    for name, options in used.items():
        parser = load_command_class(commands[name], name).create_parser("greenbuild", name)
        known = {option for action in parser._actions for option in action.option_strings}
        assert options <= known, (name, options - known)


def demo_port_check() -> str:
    """scripts/demo up to its port check (the rest installs, migrates and seeds)."""
    text = (REPO / "scripts" / "demo").read_text()
    return text.split("\nesac\n", 1)[0] + "\nesac\necho checked\n"


def run_port_check(port: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        ["bash", "-c", demo_port_check()],  # noqa: S607
        env={**os.environ, "PORT": port},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("port", ["abc", "0", "65536", "8000x", "-1"])
def test_the_demo_refuses_a_port_that_is_not_a_port_number_by_saying_so(port):
    result = run_port_check(port)
    assert result.returncode == 1 and "checked" not in result.stdout
    assert "PORT must be a port number from 1 to 65535" in result.stderr
    assert "already in use" not in result.stderr and "Traceback" not in result.stderr


def test_the_demo_does_not_call_a_port_busy_for_the_closed_connections_of_a_demo_just_stopped():
    """A stopped server's connections linger in TIME_WAIT; gunicorn binds with SO_REUSEADDR anyway."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))
    accepted, _ = server.accept()
    accepted.close()  # the server closes first: its side waits in TIME_WAIT
    client.close()
    server.close()
    result = run_port_check(str(port))
    assert result.returncode == 0 and "checked" in result.stdout, result.stderr
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        busy = run_port_check(str(listening.getsockname()[1]))
    assert busy.returncode == 1 and "already in use" in busy.stderr


def test_the_demo_tells_a_postgresql_run_that_commands_need_its_database_url():
    """Else a later command quietly uses var/'s SQLite database: createsuperuser in the wrong place."""
    lines = (REPO / "scripts" / "demo").read_text().splitlines()
    said = next(i for i, line in enumerate(lines) if "Management commands work in this checkout" in line)
    assert '[ -z "${DATABASE_URL:-}" ]' in lines[said - 1]
    assert any("need this run's DATABASE_URL" in line for line in lines[said:])


@pytest.mark.parametrize("content", ["", "  \n\t \n"])
def test_without_debug_an_empty_key_file_is_said_to_be_empty(tmp_path, content):
    var = tmp_path / "var"
    var.mkdir()
    (var / "secret_key").write_text(content)
    (var / "secret_key").chmod(0o600)
    result = greenbuild(tmp_path, "check", DEBUG="false")
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert "secret_key is empty" in last, last


def test_without_debug_a_directory_named_secret_key_is_not_called_readable_by_others(tmp_path):
    (tmp_path / "var" / "secret_key").mkdir(parents=True)
    result = greenbuild(tmp_path, "check", DEBUG="false")
    last = result.stderr.strip().splitlines()[-1]
    assert result.returncode != 0 and "is not a file" in last and "chmod" not in last, last


def jobs_queue_module():
    import importlib

    sys.path.insert(0, str(REPO / "bench"))
    try:
        return importlib.import_module("jobs_queue")
    finally:
        sys.path.remove(str(REPO / "bench"))


@pytest.mark.parametrize("url", ["postgres://postgres@127.0.0.1:5432/greenbuild", "postgres://x@h/gb; DROP"])
def test_the_job_queue_bench_refuses_a_database_that_is_not_a_throwaway_one(url):
    """It drops the database afterwards: never an installation's own (it used to empty its queue)."""
    with pytest.raises(SystemExit, match="refusing database"):
        jobs_queue_module().throwaway_database_name(url)


def test_the_job_queue_bench_leaves_nothing_behind_even_when_it_fails(tmp_path, monkeypatch):
    bench = jobs_queue_module()
    made = tmp_path / "greenbuild-bench-jobs-x"
    admin: list[str] = []

    def start(prefix: str) -> str:
        made.mkdir()
        (made / "bench.sqlite3").write_text("")
        return str(made)

    def fail(args, counts):
        raise SystemExit("a worker exited with status 1")

    monkeypatch.setattr(bench, "start_django", start)
    monkeypatch.setattr(bench, "measure", fail)
    monkeypatch.setattr(bench, "postgres_admin", lambda url, sql: admin.append(sql))
    monkeypatch.setattr(
        sys, "argv", ["jobs_queue.py", "--database-url", "postgres://postgres@127.0.0.1/greenbuild_bench_jobs"]
    )
    monkeypatch.setenv("BENCH_DATABASE_URL", "")  # restored afterwards: main() sets it
    with pytest.raises(SystemExit, match="a worker exited"):
        bench.main()
    assert not made.exists()
    assert admin[-1] == 'DROP DATABASE IF EXISTS "greenbuild_bench_jobs" WITH (FORCE)'
