"""The platform's own pages and headers (issue 10 items 9, 10, 11, 16, 21).

* the language switch works in both directions from every page, query string and admin included;
* 403, 404 and 500 are styled pages in the user's language; the 500 page needs no database;
* every response carries the Content-Security-Policy and the other security headers;
* no template has an inline script or event handler (the policy would block them);
* ``/healthz`` answers 200 when the database is up and migrated, without a session;
* the change log shows local time to the minute, never raw UTC with microseconds.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.db import DatabaseError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from greenbuild.core import views as core_views
from greenbuild.core.middleware import DEFAULT_POLICY, render_policy

ZH = "zh-hans"
EN = "en"


def page_language(response) -> str:
    """The language a page is rendered in, read from ``<html lang>``."""
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert match, "no <html lang>"
    return {"zh-CN": ZH, "zh-Hans": ZH}.get(match.group(1), match.group(1))  # the admin writes "zh-hans" itself


def switch(client: Client, language: str, next_url: str):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


# --- item 11: switching the language ---------------------------------------------------------


@pytest.fixture
def bureau_client(client, bureau):
    bureau.is_staff = True  # as in the demo: the bureau administrator also runs the Django admin
    bureau.save(update_fields=["is_staff"])
    client.force_login(bureau)
    return client


def _pages(project_pk: int) -> list[str]:
    """Unprefixed (Chinese) paths of pages the switch must work from."""
    return [
        "/",
        "/projects/",
        "/projects/?status=submitted&q=%E6%B5%8B%E8%AF%95",
        "/projects/{}/".format(project_pk),
        "/notifications/",
        "/admin/",
        "/admin/projects/project/?o=1",
    ]


@pytest.mark.django_db
def test_switching_from_english_back_to_chinese_leaves_the_en_prefix_on_every_page(bureau_client, filed_project):
    project = filed_project("submitted")
    for path in _pages(project.pk):
        english = "/en" + path
        response = switch(bureau_client, ZH, english)
        assert response.status_code == 302, english
        assert response["Location"] == path, english
        page = bureau_client.get(response["Location"])
        assert page.status_code == 200, path
        assert page_language(page) == ZH, path


@pytest.mark.django_db
def test_switching_from_chinese_to_english_adds_the_en_prefix_on_every_page(bureau_client, filed_project):
    project = filed_project("submitted")
    for path in _pages(project.pk):
        response = switch(bureau_client, EN, path)
        assert response.status_code == 302, path
        assert response["Location"] == "/en" + path, path
        page = bureau_client.get(response["Location"])
        assert page.status_code == 200, path
        assert page_language(page) == EN, path


@pytest.mark.django_db
def test_switching_back_and_forth_as_the_public_ends_on_the_chosen_language(client):
    response = switch(client, EN, "/projects/?status=confirmed")
    assert response["Location"] == "/en/projects/?status=confirmed"
    response = switch(client, ZH, response["Location"])
    assert response["Location"] == "/projects/?status=confirmed"
    assert page_language(client.get(response["Location"])) == ZH


@pytest.mark.django_db
def test_the_language_switch_refuses_to_redirect_off_site(client):
    response = switch(client, ZH, "https://evil.example/en/")
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


# --- item 10: error pages --------------------------------------------------------------------

ERROR_TEXT = {
    (404, ZH): "未找到",
    (404, EN): "Not found",
    (403, ZH): "无权操作",
    (403, EN): "Not allowed",
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", [ZH, EN])
def test_404_is_a_styled_page_in_the_users_language(client, language):
    prefix = "" if language == ZH else "/en"
    response = client.get(prefix + "/projects/987654321/")
    assert response.status_code == 404
    body = response.content.decode()
    assert page_language(response) == language
    assert ERROR_TEXT[(404, language)] in body
    assert 'class="navbar navbar-expand-lg navbar-gb' in body  # the site's chrome, not Django's bare page
    assert 'id="error-404"' in body


@pytest.mark.django_db
@pytest.mark.parametrize("language", [ZH, EN])
def test_403_is_a_styled_page_in_the_users_language(client, filed_project, dan_district, language):
    project = filed_project("submitted")  # dan sees it but may not edit alice's application
    client.force_login(dan_district)
    prefix = "" if language == ZH else "/en"
    response = client.get(prefix + "/projects/{}/edit/".format(project.pk))
    assert response.status_code == 403
    assert page_language(response) == language
    assert ERROR_TEXT[(403, language)] in response.content.decode()
    assert 'id="error-403"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("language", [ZH, EN])
def test_a_refused_csrf_check_is_the_styled_403_page_in_the_users_language(language):
    client = Client(enforce_csrf_checks=True)
    prefix = "" if language == ZH else "/en"
    response = client.post(prefix + "/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    body = response.content.decode()
    assert page_language(response) == language
    assert ERROR_TEXT[(403, language)] in body
    assert "CSRF verification" not in body  # not Django's developer page


def _boom(request):
    raise RuntimeError("simulated failure")


@pytest.mark.django_db
@pytest.mark.urls("greenbuild.core.tests.urls_boom")
@pytest.mark.parametrize(("language", "heading"), [(ZH, "服务器出错了"), (EN, "Something went wrong on our side")])
def test_500_is_a_styled_page_in_the_users_language(language, heading):
    client = Client(raise_request_exception=False)
    prefix = "" if language == ZH else "/en"
    response = client.get(prefix + "/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert page_language(response) == language
    assert heading in body
    assert 'id="error-500"' in body
    assert "simulated failure" not in body


@pytest.mark.parametrize(("path", "language"), [("/projects/1/", ZH), ("/en/projects/1/", EN)])
def test_the_500_page_renders_without_a_database_or_a_user(path, language):
    """No ``db`` fixture: pytest-django makes any database access raise. The user and the session
    are broken too, as they would be when the database is down."""

    def _down():
        raise DatabaseError("database is down")

    request = RequestFactory().get(path)
    request.user = SimpleLazyObject(_down)
    request.session = SimpleLazyObject(_down)
    with translation.override(ZH if language == EN else EN):  # the active language must not matter
        response = core_views.server_error(request)
    assert response.status_code == 500
    assert 'id="error-500"' in response.content.decode()
    assert page_language(response) == language


# --- item 9: Content-Security-Policy and the other headers -----------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/en/projects/", "/accounts/login/", "/projects/987654321/", "/healthz"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self';" in policy
    assert "style-src 'self';" in policy
    assert "img-src 'self' data:" in policy
    assert "frame-ancestors 'none'" in policy
    assert "form-action 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_static_files_and_the_admin_carry_the_policy_too(bureau_client):
    static = bureau_client.get("/static/greenbuild/site.js")
    assert static.status_code == 200
    assert static["Content-Security-Policy"] == render_policy(DEFAULT_POLICY)
    admin = bureau_client.get("/admin/")
    assert admin.status_code == 200
    assert admin["Content-Security-Policy"] == render_policy(DEFAULT_POLICY)


TEMPLATE_ROOT = Path(__file__).resolve().parents[2]


def _our_templates() -> list[Path]:
    return sorted(p for p in TEMPLATE_ROOT.glob("**/templates/**/*.html"))


def test_no_template_has_an_inline_script_or_event_handler():
    """script-src 'self' blocks inline code: per-page JS goes in static/<app>/*.js."""
    offenders = []
    for template in _our_templates():
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>", text):
            if "src=" not in match.group(1) and "application/json" not in match.group(1):
                offenders.append("{}: inline <script>".format(template.relative_to(TEMPLATE_ROOT)))
        for match in re.finditer(r"<[a-z][^>]*\s(on[a-z]+)\s*=", text):
            offenders.append("{}: {} handler".format(template.relative_to(TEMPLATE_ROOT), match.group(1)))
        if "javascript:" in text:
            offenders.append("{}: javascript: URL".format(template.relative_to(TEMPLATE_ROOT)))
    assert _our_templates(), "no templates found"
    assert offenders == []


# --- item 21: /healthz -----------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_answers_ok_without_a_session_or_a_language_prefix(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "ok"
    assert response.json()["migrations"] == "ok"
    assert not response.cookies  # no session, no CSRF or language cookie
    assert client.get("/en/healthz").status_code == 404  # outside the language prefix


@pytest.mark.django_db
def test_healthz_answers_over_plain_http_when_https_is_enforced(settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()  # a new client loads the middleware with these settings
    assert client.get("/").status_code == 301
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_healthz_is_503_with_pending_migrations(client):
    from django.db.migrations.recorder import MigrationRecorder

    # Forget the newest applied migration (inside the test's transaction, rolled back after).
    MigrationRecorder.Migration.objects.filter(app="projects").order_by("-applied", "-id").first().delete()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "migrations": "pending", "pending_migrations": 1}


def test_healthz_is_503_when_the_database_is_unreachable():
    """No ``db`` fixture; the connection refuses every cursor, as a down server would."""
    from django.db import connections

    def _refuse(*args, **kwargs):
        raise DatabaseError("connection refused")

    connection = connections["default"]
    connection.cursor = _refuse  # Django's connection, for this test only
    try:
        response = Client().get("/healthz")
    finally:
        del connection.cursor
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}


# --- item 16: the change log's times ---------------------------------------------------------


@pytest.mark.django_db
def test_the_change_log_shows_local_time_to_the_minute_never_raw_utc(filed_project, bureau):
    from greenbuild.projects.history import _display
    from greenbuild.projects.models import Project

    utc = dt.datetime(2024, 3, 5, 1, 2, 3, 456789, tzinfo=dt.UTC)
    with translation.override(ZH):
        shown = _display(Project, "submitted_at", utc, {})
    assert shown == "2024-03-05 09:02"  # Asia/Shanghai, to the minute
    assert "456789" not in shown and "+00:00" not in shown


@pytest.mark.parametrize(("accept", "text"), [("zh-CN", "服务器出现错误"), ("en", "Something went wrong")])
def test_a_server_error_under_the_api_is_json_in_the_callers_language(accept, text):
    """Issue 12 §5: never an HTML page from the API, a 500 included (and no database touched)."""
    request = RequestFactory().get("/api/v1/projects/", HTTP_ACCEPT_LANGUAGE=accept)
    response = core_views.server_error(request)
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert body["code"] == "server_error" and text in body["message"]
