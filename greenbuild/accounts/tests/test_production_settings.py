"""Issue 10 item 9: no public secret key in production, the HTTPS switches, `check --deploy` clean."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

PRODUCTION = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "greenbuild.example.gov.cn",
    "SECURE_SSL_REDIRECT": "true",
    "SESSION_COOKIE_SECURE": "true",
    "CSRF_COOKIE_SECURE": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "SECURE_PROXY_SSL_HEADER": "true",
}


def greenbuild(tmp_path, *args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "SECRET_KEY_FILE", "DEBUG")}
    clean = {k: v for k, v in clean.items() if not k.startswith(("DJANGO_", "PYTEST_", "SECURE_"))}
    clean.update({"GREENBUILD_VAR_DIR": str(tmp_path / "var"), **env})
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "greenbuild", *args], cwd=REPO, env=clean, capture_output=True, text=True, timeout=300
    )


def test_without_a_secret_key_production_refuses_to_start(tmp_path):
    result = greenbuild(tmp_path, "check", DEBUG="false")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY is not set" in result.stderr


def test_an_empty_key_file_is_refused_and_a_key_file_is_read(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text("")
    assert greenbuild(tmp_path, "check", DEBUG="false", SECRET_KEY_FILE=str(key_file)).returncode != 0
    key_file.write_text(secrets.token_urlsafe(50) + "\n")
    result = greenbuild(
        tmp_path,
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        DEBUG="false",
        SECRET_KEY_FILE=str(key_file),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == key_file.read_text().strip()


def test_debug_runs_with_a_development_key(tmp_path):
    assert greenbuild(tmp_path, "check", DEBUG="true").returncode == 0


def test_check_deploy_is_clean_under_a_production_configuration(tmp_path):
    result = greenbuild(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=secrets.token_urlsafe(50), **PRODUCTION
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_switches_are_off_by_default_and_read_from_the_environment(tmp_path):
    code = (
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
        "s.SECURE_PROXY_SSL_HEADER)"
    )
    key = secrets.token_urlsafe(50)
    off = greenbuild(tmp_path, "shell", "--no-imports", "-c", code, SECRET_KEY=key)
    assert off.stdout.split() == ["False", "False", "False", "0", "False", "False", "None"], off.stderr
    on = greenbuild(tmp_path, "shell", "--no-imports", "-c", code, SECRET_KEY=key, **PRODUCTION)
    assert on.stdout.strip() == "True True True 31536000 True True ('HTTP_X_FORWARDED_PROTO', 'https')"


def test_the_test_run_has_its_own_throwaway_key(settings):
    assert settings.SECRET_KEY.startswith("test-only-") or os.environ.get("SECRET_KEY") == settings.SECRET_KEY
