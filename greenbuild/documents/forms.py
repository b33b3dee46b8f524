from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from greenbuild.core.forms import BootstrapFormMixin
from greenbuild.documents.services import copy_limit


class ReissueForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for the re-issue"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Printed on the new document; the old one is marked void and superseded."),
    )


class CopyForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("A copy of the document (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["data-max-bytes"] = str(copy_limit())
