"""Forms of the bulletins: draft a period's bulletin, and the comment of a move."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenbuild.bulletins.choices import BulletinKind
from greenbuild.core.forms import BootstrapFormMixin


class BulletinForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=BulletinKind.choices,
        help_text=_("A monthly bulletin reports one month, a quarterly one three months."),
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=9999)
    period = forms.IntegerField(
        label=_("Month or quarter"),
        min_value=1,
        max_value=12,
        help_text=_("The month (1–12) of a monthly bulletin, the quarter (1–4) of a quarterly one."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # The year is filled in, the period is not: a form posted back as it was shown drafts
        # nothing (rule 2), the bureau names the month or quarter it means.
        self.fields["year"].initial = timezone.localdate().year


class MoveForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when sending the bulletin back to draft."),
    )
    revision = forms.IntegerField(
        label=_("Revision"),
        required=False,
        min_value=1,
        max_value=32767,
        widget=forms.HiddenInput,
        help_text=_("The revision shown when the page was opened."),
    )
