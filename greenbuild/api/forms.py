from django import forms
from django.utils.translation import gettext_lazy as _

from greenbuild.api.models import TokenScope
from greenbuild.core.forms import BootstrapFormMixin


class TokenForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("name"), max_length=100, help_text=_("e.g. the system that will use it"))
    scope = forms.ChoiceField(label=_("scope"), choices=TokenScope.choices, initial=TokenScope.READ)
    days = forms.IntegerField(label=_("valid for (days)"), min_value=1, max_value=366, initial=90)
    organisation = forms.ModelChoiceField(
        label=_("bound to organisation"),
        queryset=None,
        required=False,
        help_text=_("Leave empty to act through all your roles."),
    )

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        from greenbuild.accounts.models import Organisation

        self.fields["organisation"].queryset = Organisation.objects.filter(memberships__user=user).distinct()
