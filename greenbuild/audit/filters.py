import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from greenbuild.audit.choices import EventKind
from greenbuild.audit.models import AuditEvent

#: The event groups offered as plain links above the log (Ctrl-click opens one in a new tab).
KIND_GROUPS = (
    (
        _("Sign-in"),
        (
            EventKind.LOGIN,
            EventKind.LOGOUT,
            EventKind.LOGIN_FAILED,
            EventKind.LOCKOUT,
            EventKind.ADDRESS_THROTTLED,
            EventKind.SESSION_EXPIRED,
            EventKind.OTP_VERIFIED,
            EventKind.OTP_FAILED,
        ),
    ),
    (
        _("Accounts and permissions"),
        (
            EventKind.UNLOCK,
            EventKind.PASSWORD_CHANGED,
            EventKind.PASSWORD_RESET_BY_ADMIN,
            EventKind.PROFILE_CHANGED,
            EventKind.MEMBERSHIP_CHANGED,
            EventKind.PERMISSION_CHANGED,
            EventKind.TOKEN_CREATED,
            EventKind.TOKEN_REVOKED,
            EventKind.OTP_ENROLLED,
            EventKind.OTP_RESET,
        ),
    ),
    (
        _("Business actions"),
        (EventKind.WORKFLOW_MOVE, EventKind.SIGN_OFF, EventKind.DOCUMENT_ISSUED, EventKind.BLIND_DATA_REVEALED),
    ),
    (_("Data in and out"), (EventKind.EXPORT, EventKind.IMPORT, EventKind.BACKUP, EventKind.RESTORE)),
    (_("Administration"), (EventKind.ADMIN_ACTION, EventKind.AUDIT_PRUNED, EventKind.TOKEN_USED)),
)


class AuditEventFilterSet(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(
        choices=EventKind.choices, label=_("event"), widget=forms.CheckboxSelectMultiple
    )
    user = django_filters.CharFilter(field_name="username", lookup_expr="icontains", label=_("user"))
    address = django_filters.CharFilter(field_name="remote_addr", lookup_expr="startswith", label=_("network address"))
    date_from = django_filters.DateFilter(
        field_name="at", lookup_expr="date__gte", label=_("from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        field_name="at", lookup_expr="date__lte", label=_("to"), widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AuditEvent
        fields = ["kind", "user", "address", "date_from", "date_to"]
