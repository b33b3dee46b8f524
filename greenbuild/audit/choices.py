from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    """What happened. Other apps pass one of these to ``record_event``."""

    LOGIN = "login", _("Signed in")
    LOGOUT = "logout", _("Signed out")
    LOGIN_FAILED = "login_failed", _("Sign-in failed")
    LOCKOUT = "lockout", _("Account locked")
    ADDRESS_THROTTLED = "address_throttled", _("Address throttled")
    UNLOCK = "unlock", _("Account unlocked")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_RESET_BY_ADMIN = "password_reset_by_admin", _("Password set by an administrator")
    PROFILE_CHANGED = "profile_changed", _("Own contact details changed")
    SESSION_EXPIRED = "session_expired", _("Session expired (idle)")
    ADMIN_ACTION = "admin_action", _("Administration change")
    MEMBERSHIP_CHANGED = "membership_changed", _("Membership changed")
    PERMISSION_CHANGED = "permission_changed", _("Permission changed")
    TOKEN_USED = "token_used", _("Access token used")
    TOKEN_CREATED = "token_created", _("Access token created")
    TOKEN_REVOKED = "token_revoked", _("Access token revoked")
    TOKEN_REFUSED = "token_refused", _("Access token refused")
    BLIND_DATA_REVEALED = "blind_data_revealed", _("Blind review data revealed")
    EXPORT = "export", _("Data exported")
    IMPORT = "import", _("Data imported")
    BACKUP = "backup", _("Backup written")
    RESTORE = "restore", _("Backup restored")
    AUDIT_PRUNED = "audit_pruned", _("Old audit records deleted")
    # Business actions (issue 17 item 9): every workflow move, sign-off and issued document.
    WORKFLOW_MOVE = "workflow_move", _("Workflow move")
    SIGN_OFF = "sign_off", _("Signed off")
    DOCUMENT_ISSUED = "document_issued", _("Document issued")
    # Webhooks (issue 18 item 6): subscriptions created, changed, rotated, disabled, deleted.
    WEBHOOK_CHANGED = "webhook_changed", _("Webhook subscription changed")
    # The second factor (TOTP, docs/security.md).
    OTP_ENROLLED = "otp_enrolled", _("Second factor enrolled")
    OTP_VERIFIED = "otp_verified", _("Second factor verified")
    OTP_FAILED = "otp_failed", _("Second factor code refused")
    OTP_RESET = "otp_reset", _("Second factor removed")
