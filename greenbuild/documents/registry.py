"""The kinds of issued document (公文) and the parties that issue them, declared by each app.

An app registers, in its ``AppConfig.ready()``, the kinds of document it issues through the
register (``greenbuild.documents``)::

    from greenbuild.documents.registry import DocumentKind, register_kind

    register_kind(DocumentKind(
        code="reviews.decision_letter",
        label=_("Expert review decision letter"),     # the kind, in the reader's language
        model="reviews.ReviewRound",                   # its gate decides who reads the document
        issuer="bureau",                               # the party that issues it (see PARTIES)
        prefix="常住建绿审",                            # default numbering prefix: 常住建绿审〔2026〕3号
        subject=lambda round: "…",                     # the public subject line, in Chinese
        project_of=lambda round: round.plan.project,   # where the project page lists it
        url_of=lambda round: reverse(...),             # the object's page
        render=render_letter,                          # (object, IssueDraft) -> PDF bytes
        may_issue=lambda user, round: ...,             # besides belonging to the issuer party
    ))

Who may download a document is decided by the object's own gate (``core.permissions.gate_for``
of ``model``, action ``view``): everybody who may see the object, nobody else. The number's
prefix, the issuer's official name and the place printed on the document are data
(``DocumentSeries``), seeded from the kind's defaults when the kind first issues.

This module imports no app of ours, so every app may depend on it without an import loop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Party:
    """Who issues documents: the bureau, a district government, the conference office, …"""

    code: str
    #: the official name printed on a document, unless its series names another
    default_name: str
    #: user -> whether they act for the party
    is_member: Callable[[Any], bool]


@dataclass(frozen=True)
class IssueDraft:
    """What the register hands a kind's renderer: everything the PDF must carry besides the object."""

    number: str
    issued_on: dt.date
    issuer_name: str
    place: str
    verify_url: str
    qr_data_uri: str
    supersedes_number: str = ""
    reason: str = ""


@dataclass(frozen=True)
class DocumentKind:
    code: str
    label: Any
    model: str
    issuer: str
    prefix: str
    subject: Callable[[Any], str]
    render: Callable[[Any, IssueDraft], bytes]
    project_of: Callable[[Any], Any] = lambda obj: None
    url_of: Callable[[Any], str | None] = lambda obj: None
    may_issue: Callable[[Any, Any], bool] = lambda user, obj: True
    #: object -> a Q over users told of the issue (the document gate then keeps its readers only)
    audience: Callable[[Any], Any] = lambda obj: None
    #: the place printed beside the date (data: the series may override it)
    place: str = "常州"


_KINDS: dict[str, DocumentKind] = {}
_PARTIES: dict[str, Party] = {}


def register_kind(kind: DocumentKind) -> DocumentKind:
    """Add (or replace) the kind ``kind.code``."""
    _KINDS[kind.code] = kind
    return kind


def unregister_kind(code: str) -> None:
    """Remove a kind (for tests that register one of their own)."""
    _KINDS.pop(code, None)


def get_kind(code: str) -> DocumentKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError("no document kind {!r}".format(code)) from None


def kinds() -> dict[str, DocumentKind]:
    return dict(_KINDS)


def kinds_of_model(label: str) -> list[DocumentKind]:
    return [k for k in _KINDS.values() if k.model.lower() == label.lower()]


def register_party(party: Party) -> Party:
    _PARTIES[party.code] = party
    return party


def get_party(code: str) -> Party:
    try:
        return _PARTIES[code]
    except KeyError:
        raise LookupError("no issuing party {!r}".format(code)) from None
