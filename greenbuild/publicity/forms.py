"""Forms of publicity, bilingual through gettext (labels and help texts)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from greenbuild.attachments.forms import photo_field
from greenbuild.core.forms import BootstrapFormMixin
from greenbuild.publicity.antiabuse import HONEYPOT
from greenbuild.publicity.choices import MessageCategory, NoticeKind
from greenbuild.publicity.data import setting

CONTACT_HELP = _("Only the authorities see it, to reach you if needed. It is never published.")


class NoticeForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What is announced"), choices=NoticeKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text of the notice"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Published as written: no personal data."),
    )
    working_days = forms.IntegerField(
        label=_("Period (working days)"),
        min_value=1,
        max_value=60,
        required=False,
        help_text=_("Weekends and public holidays are not counted. Empty: the standard period."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["working_days"].widget.attrs["placeholder"] = str(setting("notice_working_days"))


class MoveForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AnswerForm(BootstrapFormMixin, forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Published with the text it answers."),
    )
    public_text = forms.CharField(
        label=_("Text as published"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Empty: the text as sent. Take out any name, phone number or address the sender wrote in it."),
    )

    def __init__(self, *args: Any, rewording: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not rewording:  # the project's owner answers a complaint about itself, never rewords it
            del self.fields["public_text"]


class _PublicForm(BootstrapFormMixin, forms.Form):
    """Common to the public forms: the signed token and the honeypot (``antiabuse``)."""

    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )


class ObjectionForm(_PublicForm):
    text = forms.CharField(
        label=_("Your objection"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you object to and why. Answered objections are published without your details."),
    )
    contact_name = forms.CharField(
        label=_("Your name (optional)"), max_length=60, required=False, help_text=CONTACT_HELP
    )
    contact_phone = forms.CharField(
        label=_("Phone or e-mail (optional)"), max_length=80, required=False, help_text=CONTACT_HELP
    )


class MessageForm(_PublicForm):
    category = forms.ChoiceField(label=_("What is it about?"), choices=MessageCategory.choices)
    text = forms.CharField(
        label=_("Your message"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Where and when, and what you saw or heard. Answered messages are published without your details."),
    )
    photo = photo_field(label=_("Photo (optional)"), required=False, capture=None)
    contact_name = forms.CharField(
        label=_("Your name (optional)"), max_length=60, required=False, help_text=CONTACT_HELP
    )
    contact_phone = forms.CharField(
        label=_("Phone or e-mail (optional)"), max_length=80, required=False, help_text=CONTACT_HELP
    )

    def clean_photo(self) -> Any:
        from django.core.exceptions import ValidationError

        from greenbuild.publicity.services import check_public_photo

        photo = self.cleaned_data.get("photo")
        if photo:
            try:
                check_public_photo(photo)
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from error
        return photo
