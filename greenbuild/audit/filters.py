import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from greenbuild.audit.choices import EventKind
from greenbuild.audit.models import AuditEvent


class AuditEventFilterSet(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=EventKind.choices, label=_("event"))
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
