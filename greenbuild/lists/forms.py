from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from greenbuild.core.forms import BootstrapFormMixin


class SaveFilterForm(BootstrapFormMixin, forms.Form):
    """Save the list's current filters under a name."""

    list_name = forms.CharField(widget=forms.HiddenInput, max_length=40)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)
    label = forms.CharField(label=_("Name of the filter"), max_length=80)
