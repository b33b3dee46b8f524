"""A readable, translated one-line summary of an event's details for the audit page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib.admin.models import LogEntry
from django.utils import formats
from django.utils.dateparse import parse_datetime
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from greenbuild.audit.models import AuditEvent

if TYPE_CHECKING:
    from django.db import models


def _when(value: str) -> str:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    return formats.date_format(localtime(parsed), "Y-m-d H:i") if parsed else ""


def _role(value: str) -> str:
    from greenbuild.accounts.choices import Role  # inside: accounts records its events through audit

    try:
        return str(Role(value).label)
    except ValueError:
        return value


def describe(event: AuditEvent) -> str:
    d = event.details or {}
    reasons = {
        "bad_credentials": _("wrong username or password"),
        "locked": _("refused: account locked"),
        "throttled": _("refused: address throttled"),
    }
    actions = {"add": _("added"), "change": _("changed"), "delete": _("deleted")}
    exports = {"projects": _("project list"), "score_runs": _("score runs"), "records": _("records")}
    parts: list[str] = []
    if "reason" in d:
        parts.append(reasons.get(d["reason"], ""))
    if "action" in d and d["action"] in actions:
        parts.append(actions[d["action"]])
    if d.get("change"):
        parts.append(LogEntry(change_message=d["change"]).get_change_message())
    membership = d.get("membership")
    if isinstance(membership, dict) and membership.get("role"):
        text = _role(membership["role"])
        if membership.get("organisation"):
            text = "{} · {}".format(membership["organisation"], text)
        parts.append(text)
    if "failures" in d:
        parts.append(_("{n} failed sign-ins").format(n=d["failures"]))
    if d.get("locked_until"):
        parts.append(_("locked until {time}").format(time=_when(d["locked_until"])))
    if d.get("address"):
        parts.append(_("address {address}").format(address=d["address"]))
    if d.get("forced"):
        parts.append(_("initial password replaced"))
    if d.get("changed"):
        parts.append(
            _("changed: {fields}").format(fields=("、" if _is_zh() else ", ").join(_privilege(f) for f in d["changed"]))
        )
    if "relation" in d:
        parts.append(_("groups") if d["relation"] == "groups" else _("user permissions"))
    if d.get("idle_seconds"):
        parts.append(_("idle {minutes} minutes").format(minutes=int(d["idle_seconds"]) // 60))
    if d.get("archive"):
        parts.append(_("archive {path}").format(path=d["archive"]))
    if "rows" in d:
        parts.append(_("{n} rows").format(n=d["rows"]))
    if "files" in d:
        parts.append(_("{n} files").format(n=d["files"]))
    if "deleted" in d:
        parts.append(_("{n} records deleted").format(n=d["deleted"]))
    if d.get("export") in exports:
        parts.append(exports[d["export"]])
    if d.get("user") and isinstance(d["user"], str):
        parts.append(_("for user {name}").format(name=d["user"]))
    if isinstance(d.get("days"), int):
        parts.append(_("valid {n} days").format(n=d["days"]))
    if isinstance(d.get("created"), int):
        parts.append(_("{n} created").format(n=d["created"]))
    if d.get("operator"):
        parts.append(_("by system account {name}").format(name=d["operator"]))
    if d.get("backup_created_at"):
        parts.append(_("backup of {time}").format(time=_when(d["backup_created_at"])))
    return "；".join(p for p in parts if p) if _is_zh() else "; ".join(p for p in parts if p)


def _privilege(field: str) -> str:
    from django.contrib.auth import get_user_model

    try:
        user_field = cast("models.Field[Any, Any]", get_user_model()._meta.get_field(field))  # a concrete field
        return str(user_field.verbose_name)
    except Exception:  # noqa: BLE001 - unknown field: show nothing technical
        return ""


def _is_zh() -> bool:
    from django.utils.translation import get_language

    return not (get_language() or "").startswith("en")


__all__ = ["describe"]
