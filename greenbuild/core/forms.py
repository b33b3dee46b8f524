"""Form helpers shared by the apps."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy

from greenbuild.core.errors import DomainError

#: Django's own catalogue and DRF's word this message differently ("这个字段是必填项。" against
#: "该字段是必填项。"), and an app's catalogue outranks Django's: naming it here puts it in ours
#: (LOCALE_PATHS outranks every app), so pages and the API say the same thing.
FIELD_REQUIRED = gettext_lazy("This field is required.")


def apply_service_error(form: forms.BaseForm, error: ValidationError | DomainError) -> None:
    """Show a service's refusal on the form: on its field where the form has one, else on top."""
    if isinstance(error, DomainError):
        form.add_error(error.field if error.field in form.fields else None, str(error.message))
        return
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class BootstrapFormMixin:
    """Give every widget Bootstrap's classes so templates can render fields plainly."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
