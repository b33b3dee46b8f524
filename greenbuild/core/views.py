"""Platform views: language switch, health check, error pages (issue 10 items 10, 11, 21)."""

from __future__ import annotations

import functools
import logging
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

logger = logging.getLogger(__name__)


def _path_language(path: str) -> str:
    """The language a path of ours is in: its prefix, or the unprefixed default (zh-hans)."""
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language``, translating ``next`` in the language that URL is written in.

    Django resolves ``next`` in the request's active language. ``/i18n/setlang/`` carries no
    prefix, so LocaleMiddleware activates the default language there, and ``/en/projects/13/``
    does not resolve in Chinese: the redirect kept ``/en/``. Resolving under the language of the
    ``next`` path itself makes both directions work from every page, query string included.
    """
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/"
    path = target.split("?", 1)[0]
    if "://" in path:  # a full referer URL: look at its path only
        path = "/" + path.split("://", 1)[1].partition("/")[2]
    with translation.override(_path_language(path)):
        return django_set_language(request)


@functools.cache
def _migrations_on_disk() -> frozenset[tuple[str, str]] | None:
    """Every migration of the code this process runs (read from disk once: the code does not
    change under a running process, the database may); None when a squashed migration is on disk
    (whether it counts as applied depends on which of the migrations it replaces are recorded,
    which only Django's own plan weighs)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    if loader.replacements:
        return None
    return frozenset(loader.graph.nodes)


def _pending_migrations() -> int:
    # One query when every migration on disk is recorded as applied (the healthy case: nothing
    # can be pending then); otherwise Django's own plan counts what is pending (a database with no
    # migration table yet included: the recorder sees none applied).
    on_disk = _migrations_on_disk()
    if on_disk is not None:
        try:
            applied = set(MigrationRecorder(connection).migration_qs.values_list("app", "name"))
        except DatabaseError:  # no migration table yet: the plan below says how much is pending
            applied = set()
        if on_disk and on_disk <= applied:
            return 0
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For operators and load balancers: 200 when the database answers and every migration is
    applied, 503 otherwise. No authentication and no session; the body names what failed."""
    checks: dict[str, Any] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except DatabaseError as exc:
        logger.warning("healthz: database unreachable: %s", exc)
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    try:
        pending = _pending_migrations()
    except DatabaseError as exc:
        logger.warning("healthz: cannot read the migration state: %s", exc)
        return JsonResponse({"status": "error", "database": "ok", "migrations": "unknown"}, status=503)
    checks["migrations"] = "ok" if pending == 0 else "pending"
    checks["pending_migrations"] = pending
    if pending:
        return JsonResponse({"status": "error", **checks}, status=503)
    return JsonResponse({"status": "ok", **checks})


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """The styled 500 page in the language of the requested path.

    Rendered without the request's context processors: the database may be the thing that
    failed, so nothing here may touch it (no user, no session, no notification count). Under
    ``/api/`` it is the API's JSON error shape in the language the caller asked for, never a page.
    """
    if request.path_info.startswith("/api/"):
        with translation.override(translation.get_language_from_request(request, check_path=False)):
            message = str(translation.gettext("Something went wrong on our side. It has been logged."))
        body = {"status": 500, "code": "server_error", "message": message, "errors": {}}
        return JsonResponse(body, status=500, json_dumps_params={"ensure_ascii": False})
    with translation.override(_path_language(request.path_info)):
        try:
            body = render_to_string("500.html", {"minimal_chrome": True})
        except Exception:  # the page must never fail; fall back to plain text
            logger.exception("Rendering 500.html failed")
            body = "<h1>Server Error (500)</h1>"
    return HttpResponse(body, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form (expired page, cookies off) gets the styled 403 page, translated; under
    ``/api/`` the API's JSON error (issue 18, API-08)."""
    if request.path_info.startswith("/api/"):
        from greenbuild.api.exceptions import csrf_failure as api_csrf_failure

        return api_csrf_failure(request, reason)
    body = render_to_string("403.html", {"csrf_failure": True}, request=request)
    return HttpResponse(body, status=403)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The styled 400 page in the language of the requested path; under ``/api/``, the API's JSON.

    Like the 500 page it renders without the request: a 400 may come from a refused host header,
    and nothing here may ask the request for it."""
    if request.path_info.startswith("/api/"):
        with translation.override(translation.get_language_from_request(request, check_path=False)):
            message = str(translation.gettext("The platform could not read this request."))
        body = {"status": 400, "code": "bad_request", "message": message, "errors": {}}
        return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
    with translation.override(_path_language(request.path_info)):
        body = render_to_string("400.html", {"minimal_chrome": True})
    return HttpResponse(body, status=400)


def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers ask for on their own: the icon from static files (UI-12)."""
    from django.http import HttpResponsePermanentRedirect
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("greenbuild/favicon.ico"))
