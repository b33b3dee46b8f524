"""The subscription forms, shared by the pages and the API (``clean_with_form``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from greenbuild.accounts.models import Organisation
from greenbuild.core.forms import BootstrapFormMixin
from greenbuild.webhooks import catalogue, outbound
from greenbuild.webhooks.models import Subscription
from greenbuild.webhooks.permissions import managed_organisation_ids


class SubscriptionEditForm(BootstrapFormMixin, forms.ModelForm):
    url = forms.URLField(
        label=_("address (URL)"),
        max_length=500,
        assume_scheme="https",
        help_text=_("https only; the host must be on the administrator's list of allowed hosts."),
    )
    events = forms.MultipleChoiceField(
        label=_("events"),
        choices=(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("Only events about what the organisation may see are sent."),
    )

    class Meta:
        model = Subscription
        fields = ["name", "url", "events", "is_active"]
        help_texts = {
            "is_active": _("Switching it on again clears a disabled or suspended state."),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["events"].choices = catalogue.event_choices()

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        try:
            outbound.check_address(url)
        except outbound.Refused as refused:
            raise forms.ValidationError(str(refused), code="refused") from None
        return url


class SubscriptionForm(SubscriptionEditForm):
    organisation = forms.ModelChoiceField(label=_("organisation"), queryset=Organisation.objects.none())

    class Meta(SubscriptionEditForm.Meta):
        fields = ["organisation", "name", "url", "events", "is_active"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        # Created only by a member of the organisation: the events are read as that person.
        member_of = {m.organisation_id for m in user.memberships_cached()} if user is not None else set()
        allowed = member_of & managed_organisation_ids(user) if user is not None else set()
        from greenbuild.accounts.roles import is_bureau_admin

        if user is not None and is_bureau_admin(user):
            allowed = member_of
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=allowed).order_by("name")
        if len(allowed) == 1 and not self.is_bound:
            self.fields["organisation"].initial = next(iter(allowed))
