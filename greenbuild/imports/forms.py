from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from greenbuild.attachments.choices import AttachmentKind
from greenbuild.attachments.policy import get_policy
from greenbuild.core.forms import BootstrapFormMixin


class ImportForm(BootstrapFormMixin, forms.Form):
    workbook = forms.FileField(
        label=_("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args: object, needs_password: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workbook"].help_text = _("Up to {size} MB; fill in the template's first sheet.").format(
            size=get_policy(AttachmentKind.IMPORT).max_bytes // (1024 * 1024)
        )
        if needs_password:
            self.fields["initial_password"] = forms.CharField(
                label=_("Initial password"),
                widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
                help_text=_("Every imported user signs in with it once and must then choose their own."),
            )
