"""Receivers that feed the audit log: sign-in, sign-out, failures, admin actions, memberships,
permissions. Connected in ``AuditConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from greenbuild.audit.choices import EventKind
from greenbuild.audit.services import record_event

ADMIN_ACTIONS = {ADDITION: "add", CHANGE: "change", DELETION: "delete"}
PRIVILEGE_FIELDS = ("is_active", "is_staff", "is_superuser")
#: Set on a user instance by a service that records its own password event.
PASSWORD_RECORDED = "_audit_password_recorded"  # noqa: S105 - an attribute name


def current_request() -> Any:
    """The request being served, if any (django-simple-history's middleware keeps it)."""
    return getattr(HistoricalRecords.context, "request", None)


def acting_user(instance: Any) -> Any:
    """Who made a change seen by a model signal: the service's ``_audit_actor`` or
    ``_history_user``, else the signed-in user of the current request."""
    for attr in ("_audit_actor", "_history_user"):
        actor = getattr(instance, attr, None)
        if actor is not None:
            return actor
    request = current_request()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@receiver(user_logged_in, dispatch_uid="audit_login")
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from greenbuild.accounts.middleware import touch_session
    from greenbuild.accounts.services import register_login_success

    register_login_success(user, request=request)
    if request is not None and hasattr(request, "session"):
        touch_session(request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from greenbuild.accounts.middleware import IDLE_LOGOUT_ATTR

    if user is None or getattr(request, IDLE_LOGOUT_ATTR, False):
        return
    record_event(EventKind.LOGOUT, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    from greenbuild.accounts.backends import REFUSAL_ATTR
    from greenbuild.accounts.services import register_login_failure

    username_field = get_user_model().USERNAME_FIELD
    username = str(credentials.get(username_field) or credentials.get("username") or "")
    refusal = getattr(request, REFUSAL_ATTR, None)
    reason = refusal[0] if refusal else "bad_credentials"
    register_login_failure(username, request=request, reason=reason)


@receiver(post_save, sender=LogEntry, dispatch_uid="audit_admin_logentry")
def on_admin_log_entry(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    """Every add, change and delete made in the Django admin (one LogEntry per object; the bulk
    "delete selected" action is disabled in ``greenbuild.accounts.admin`` so none escapes)."""
    if not created:
        return
    record_event(
        EventKind.ADMIN_ACTION,
        actor=instance.user,
        request=current_request(),
        target_ref=(instance.content_type_id, instance.object_id or "", instance.object_repr),
        action=ADMIN_ACTIONS.get(instance.action_flag, str(instance.action_flag)),
        change=instance.change_message,  # raw JSON: rendered in the reader's language
    )


def _membership_details(instance: Any) -> dict[str, Any]:
    return {
        "user": instance.user.get_username() if instance.user_id else "",
        "organisation": str(instance.organisation) if instance.organisation_id else "",
        "role": instance.role,
        "district_id": instance.district_id,
        "department_id": instance.department_id,
    }


def _connect_membership() -> None:
    from greenbuild.accounts.models import Membership

    def on_membership_pre_save(sender: Any, instance: Any, **kwargs: Any) -> None:
        old = Membership.objects.filter(pk=instance.pk).first() if instance.pk else None
        instance._audit_before = _membership_details(old) if old is not None else None

    def on_membership_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
        record_event(
            EventKind.MEMBERSHIP_CHANGED,
            actor=acting_user(instance),
            request=current_request(),
            target=instance.user,
            action="add" if created else "change",
            membership=_membership_details(instance),
            before=getattr(instance, "_audit_before", None),
        )

    def on_membership_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
        user = get_user_model().objects.filter(pk=instance.user_id).first()
        record_event(
            EventKind.MEMBERSHIP_CHANGED,
            actor=acting_user(instance),
            request=current_request(),
            target=user,
            action="delete",
            membership=_membership_details(instance) if user else {"role": instance.role},
            username_of_member=user.get_username() if user else "",
        )

    pre_save.connect(on_membership_pre_save, sender=Membership, dispatch_uid="audit_membership_pre", weak=False)
    post_save.connect(on_membership_saved, sender=Membership, dispatch_uid="audit_membership_saved", weak=False)
    post_delete.connect(on_membership_deleted, sender=Membership, dispatch_uid="audit_membership_deleted", weak=False)


def _connect_privileges() -> None:
    user_model = get_user_model()

    def on_user_pre_save(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
        before = None
        watched = update_fields is None or any(f in update_fields for f in (*PRIVILEGE_FIELDS, "password"))
        if instance.pk and watched:
            before = user_model.objects.filter(pk=instance.pk).values(*PRIVILEGE_FIELDS, "password").first()
        instance._audit_privileges_before = before

    def on_user_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
        before = getattr(instance, "_audit_privileges_before", None)
        instance._audit_privileges_before = None
        if before is None:
            return
        changed = {f: [before[f], getattr(instance, f)] for f in PRIVILEGE_FIELDS if before[f] != getattr(instance, f)}
        if changed:
            record_event(
                EventKind.PERMISSION_CHANGED,
                actor=acting_user(instance),
                request=current_request(),
                target=instance,
                changed=changed,
            )
        # A password changed outside the accounts services (the admin's own change page, a shell):
        # the services record their own, more specific event and set this flag.
        if before["password"] != instance.password and not getattr(instance, PASSWORD_RECORDED, False):
            record_event(
                EventKind.PASSWORD_CHANGED,
                actor=acting_user(instance),
                request=current_request(),
                target=instance,
                via="other",
            )
        setattr(instance, PASSWORD_RECORDED, False)

    def on_m2m(sender: Any, instance: Any, action: str, pk_set: Any, **kwargs: Any) -> None:
        if action not in ("post_add", "post_remove", "post_clear") or not isinstance(instance, user_model):
            return
        relation = "groups" if sender is user_model.groups.through else "user_permissions"
        record_event(
            EventKind.PERMISSION_CHANGED,
            actor=acting_user(instance),
            request=current_request(),
            target=instance,
            relation=relation,
            action=action.removeprefix("post_"),
            ids=sorted(pk_set or []),
        )

    pre_save.connect(on_user_pre_save, sender=user_model, dispatch_uid="audit_user_pre", weak=False)
    post_save.connect(on_user_saved, sender=user_model, dispatch_uid="audit_user_saved", weak=False)
    m2m_changed.connect(on_m2m, sender=user_model.groups.through, dispatch_uid="audit_user_groups", weak=False)
    m2m_changed.connect(on_m2m, sender=user_model.user_permissions.through, dispatch_uid="audit_user_perms", weak=False)


_connect_membership()
_connect_privileges()


# --- business actions (issue 17 item 9): moves, sign-offs, issued documents ----------------------

#: Moves into these states of a lifecycle step are its sign-off.
SIGN_OFF_STATES = {("lifecycle", "steptransition"): {"approved", "approved_with_conditions"}}


def _moved_object(transition: Any) -> Any:
    """The object a transition row moved: its one foreign key besides the actor."""
    for field in transition._meta.concrete_fields:
        if field.is_relation and field.many_to_one and field.name != "actor":
            return getattr(transition, field.name)
    return None


def on_transition(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """Every workflow move (any ``TransitionLog`` row, whichever path wrote it)."""
    if not created or raw:
        return
    meta = sender._meta
    signed = instance.to_status in SIGN_OFF_STATES.get((meta.app_label, meta.model_name), ())
    record_event(
        EventKind.SIGN_OFF if signed else EventKind.WORKFLOW_MOVE,
        actor=instance.actor,
        request=current_request(),
        target=_moved_object(instance),
        workflow=meta.label_lower,
        from_status=instance.from_status,
        to_status=instance.to_status,
        commented=bool(instance.comment),
    )


def on_round_event(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """An expert's submitted scores and opinion: their signature on the review (the scores stay
    out of the log: the review is blind)."""
    if not created or raw or instance.kind != "submitted":
        return
    record_event(
        EventKind.SIGN_OFF,
        actor=instance.actor,
        request=current_request(),
        target=instance.round,
        workflow="reviews.roundevent",
        to_status="submitted",
    )


def on_document_issued(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if not created or raw:
        return
    record_event(
        EventKind.DOCUMENT_ISSUED,
        actor=instance.issued_by,
        request=current_request(),
        target=instance,
        document_kind=instance.kind,
        number=instance.number,
        supersedes=instance.supersedes.number if instance.supersedes_id else "",
    )


def _connect_business() -> None:
    from django.apps import apps

    from greenbuild.core.models import TransitionLog

    for model in apps.get_models():
        if issubclass(model, TransitionLog):
            post_save.connect(
                on_transition, sender=model, dispatch_uid="audit_move_" + model._meta.label_lower, weak=False
            )
    if apps.is_installed("greenbuild.reviews"):
        post_save.connect(on_round_event, sender="reviews.RoundEvent", dispatch_uid="audit_round_event", weak=False)
    if apps.is_installed("greenbuild.documents"):
        post_save.connect(
            on_document_issued, sender="documents.IssuedDocument", dispatch_uid="audit_document", weak=False
        )


_connect_business()
