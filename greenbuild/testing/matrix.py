"""Shared helpers of the permission-matrix tests (every app's ``test_permission_matrix``).

A matrix is a text table, one line per persona and one column per object of the test world;
each cell says what the persona gets: ``200``/``ok`` a page, ``done`` a POST that changed the
database, ``refused`` a POST redirected with an error message, ``403``, ``404`` or ``login``.
:func:`outcome` classifies a response the same way, :func:`undone` runs one cell inside a
savepoint rolled back afterwards, :func:`each_persona` signs a client in as each persona.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.contrib.messages import get_messages
from django.db import transaction
from django.urls import reverse

#: Every persona of ``greenbuild.testing.fixtures``, plus an anonymous visitor.
PERSONAS: tuple[str, ...] = (
    "alice_owner",
    "olivia_other_owner",
    "dan_district",
    "wu_district",
    "bureau",
    "dept_reviewer",
    "carl_contractor",
    "eve_expert",
    "ted_evaluator",
    "dave_outsider",
    "anonymous",
)


def table(text: str, columns: Sequence[str], personas: Sequence[str] = PERSONAS) -> dict[str, dict[str, str]]:
    """Parse a matrix: one line per persona (all of ``personas``, in order), one cell per column."""
    rows: dict[str, dict[str, str]] = {}
    for line in text.strip().splitlines():
        persona, *cells = line.split()
        if len(cells) != len(columns):
            raise ValueError("expected {} cells: {}".format(len(columns), line))
        rows[persona] = dict(zip(columns, cells, strict=True))
    if tuple(rows) != tuple(personas):
        raise ValueError("the rows must be {}".format(", ".join(personas)))
    return rows


def signed_in(client: Any, personas: dict[str, Any], persona: str) -> Any:
    if persona != "anonymous":
        client.force_login(personas[persona])
    return client


def each_persona(client: Any, personas: dict[str, Any], names: Sequence[str] = PERSONAS) -> Iterator[str]:
    """Sign the client in as each persona in turn (and out, for ``anonymous``)."""
    for persona in names:
        client.logout()
        signed_in(client, personas, persona)
        yield persona


@contextmanager
def undone() -> Iterator[None]:
    """Run one request inside a savepoint rolled back afterwards, so every cell starts from the same world."""
    savepoint = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)


def login_redirect(response: Any) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("accounts:login") + "?next=")


def error_messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def outcome(client: Any, method: str, url: str, data: dict[str, Any] | None, detail_url: str) -> tuple[str, Any]:
    """Request ``url`` and classify the answer as one of the matrix values (before checking the database)."""
    response = client.get(url) if method == "get" else client.post(url, data)
    if login_redirect(response):
        return "login", response
    if response.status_code in (403, 404):
        return str(response.status_code), response
    if method == "get" and response.status_code == 200:
        return "ok", response
    if method == "post" and response.status_code == 302 and response["Location"] == detail_url:
        return ("refused" if error_messages(response) else "done"), response
    form = response.context.get("form") if response.context else None
    return "unexpected {} {}".format(response.status_code, form.errors if form else ""), response
