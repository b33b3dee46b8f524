"""A readable, translated one-line summary of an event's details for the audit page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib.admin.models import LogEntry
from django.utils import formats
from django.utils.dateparse import parse_datetime
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

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
    exports = {
        "projects": _("project list"),
        "score_runs": _("score runs"),
        "records": _("records"),
        "audit_log": _("security audit log"),
        "import_errors": _("import rows with errors"),
    }
    parts: list[str] = []
    if d.get("to_status"):
        parts.append(_move(event, d))
    if d.get("number"):
        parts.append(" ".join(p for p in (_document_kind(d.get("document_kind", "")), str(d["number"])) if p))
    if d.get("supersedes"):
        parts.append(_("supersedes {number}").format(number=d["supersedes"]))
    if d.get("importer"):
        parts.append(_importer(str(d["importer"])))
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


def _status_label(event: AuditEvent, value: str) -> str:
    model = event.target_type.model_class() if event.target_type_id and event.target_type else None
    try:
        field = model._meta.get_field("status") if model is not None else None
    except Exception:  # noqa: BLE001 - a model without a status: show the code
        field = None
    choices = dict(getattr(field, "flatchoices", None) or ())
    return str(choices.get(value, value))


def _move(event: AuditEvent, d: dict[str, Any]) -> str:
    if d.get("workflow") == "reviews.roundevent":
        return _("scores and opinion submitted")
    to = _status_label(event, str(d["to_status"]))
    if not d.get("from_status"):
        return to
    return "{} → {}".format(_status_label(event, str(d["from_status"])), to)


def _document_kind(code: str) -> str:
    if not code:
        return ""
    try:
        from greenbuild.documents.registry import get_kind

        return str(get_kind(code).label)
    except (ImportError, LookupError):
        return code


def _importer(name: str) -> str:
    try:
        from greenbuild.imports.organisations import IMPORTERS

        return str(IMPORTERS[name].label)
    except (ImportError, KeyError):
        return name


#: Names of library models that the library does not translate, kept in our catalogue (makemessages
#: finds them here; ``target_type_label`` translates the stored name at read time).
LIBRARY_MODEL_NAMES = (gettext_noop("TOTP device"),)


def target_type_label(event: AuditEvent) -> str:
    """The kind of object, in the reader's language (also for a library model whose name is
    not marked for translation, such as django-otp's "TOTP device")."""
    return _(str(event.target_type.name)) if event.target_type_id and event.target_type else ""


def target_text(event: AuditEvent) -> str:
    """The object, in the reader's language where its stored text was a code (an import batch
    reads "用户 #3", not "users #3"; a document series its kind's label)."""
    text = event.target_repr
    content_type = event.target_type if event.target_type_id else None
    model = content_type.model if content_type is not None else ""
    app = content_type.app_label if content_type is not None else ""
    if (app, model) == ("imports", "importbatch"):
        name, _sep, number = text.partition(" #")
        if number:
            return "{} #{}".format(_importer(name), number)
    if (app, model) in (("documents", "documentseries"), ("documents", "documentcounter")):
        code, sep, rest = text.partition(" ")
        if sep:
            return "{} {}".format(_document_kind(code), rest)
    return text


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


__all__ = ["describe", "target_text", "target_type_label"]
