"""Issue 17 item 9: the audit administrator reads and exports the audit log and nothing else.

Every route of the site (pages, the API, the Django admin) is sent a write as the audit
administrator, with the ids of a real confirmed project, and must change no data (the session
and the audit entry of the attempt aside) and cause no server error. The only writes left to
them are their own account's: sign out, their password, their second factor, the language, the
session keep-alive, and starting an export of the log.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from greenbuild.testing.matrix import undone

#: The audit administrator's own-account writes, and the export they exist for.
SELF_SERVICE = {
    "accounts:logout",
    "accounts:password_change",
    "accounts:keep-alive",
    "accounts:session-status",
    "admin:logout",
    "admin:password_change",
    "otp:verify",
    "otp:setup",
    "set_language",
    # their own contact details (recorded in the audit log as profile_changed)
    "accounts:profile",
    "audit:export-start",
    # their own notifications: delivery preferences and read marks
    "notifications:list",
    "notifications:mark-read",
    "notifications:preferences",
}
#: Tables any request may write: the session, the throttle's shared cache, and the audit log
#: recording the attempt.
ALLOWED_TABLES = ('"DJANGO_SESSION"', '"AUDIT_AUDITEVENT"', '"GREENBUILD_CACHE"')


def routes(patterns: Any = None, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    """Every route as (path with its parameters filled in later, view name)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = "{}:".format(entry.namespace) if entry.namespace else ""
            yield from routes(entry.url_patterns, prefix + str(entry.pattern), namespace + inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace + (entry.name or "")


def concrete(path: str, pk: int) -> str | None:
    """The route with every parameter filled: numbers with ``pk``, names with ``x``."""
    if "format" in path:
        return None  # DRF's ".json" suffix twins of routes already sent
    path = re.sub(r"<int:\w+>|<(?:path:)?object_id>", str(pk), path)
    path = re.sub(r"<(?:\w+:)?\w+>", "x", path)
    path = re.sub(r"\(\?P<\w*(?:pk|id)>[^)]*\)", str(pk), path)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "x", path)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".").replace("\\Z", "")
    if any(c in path for c in "()[]*+?\\"):
        return None  # a pattern that is not a single path
    return "/" + path


def data_writes(queries: Any) -> list[str]:
    """The statements that changed data, leaving out the session and the audit log itself."""
    writes = []
    for query in queries:
        sql = query["sql"].lstrip().upper()
        if not sql.startswith(("INSERT", "UPDATE", "DELETE")):
            continue
        if any(table in sql for table in ALLOWED_TABLES):
            continue
        writes.append(query["sql"][:80])
    return writes


def test_every_write_is_refused_for_the_audit_administrator(client, audit_admin, filed_project):
    project = filed_project("confirmed")
    client.force_login(audit_admin)
    accepted = []
    seen = set()
    for pattern, name in routes():
        url = concrete(pattern, project.pk)
        if url is None or name in SELF_SERVICE or url in seen:
            continue
        seen.add(url)
        methods = ("post", "put", "patch", "delete") if url.startswith("/api/") else ("post",)
        for method in methods:
            with undone(), CaptureQueriesContext(connection) as queries:
                if method == "post":
                    response = client.post(url, {})
                else:
                    response = getattr(client, method)(url, "{}", "application/json")
            writes = data_writes(queries.captured_queries)
            if writes or response.status_code >= 500:
                accepted.append("{} {} {} ({}): {}".format(method.upper(), url, response.status_code, name, writes))
    assert len(seen) > 150  # the walk reached the site
    assert not accepted, "\n".join(accepted)
