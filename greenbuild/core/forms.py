"""Form helpers shared by the apps."""

from __future__ import annotations

from typing import Any

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


# --- a refused form, kept across post/redirect/get (rule 2) --------------------------------------

_KEPT = "gb_kept_form:"


def keep_refused_form(request: Any, key: str, form: forms.BaseForm) -> None:
    """Remember a refused form's input and errors in the session, so the view can redirect to the
    form's own GET address and show it again there (a reload or language switch never meets a 405).
    ``key`` names the form on its page (e.g. ``"step-43-sign-approve"``)."""
    raw: Any = form.data
    data = {name: raw.getlist(name) for name in raw if name != "csrfmiddlewaretoken"}
    errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
    request.session[_KEPT + key] = {"data": data, "errors": errors}


def take_refused_form(request: Any, key: str, form_class: Any, **kwargs: Any) -> Any:
    """The form :func:`keep_refused_form` kept under ``key``, bound to its input and showing its
    errors (once: it is removed from the session), or None."""
    kept = request.session.pop(_KEPT + key, None)
    if not isinstance(kept, dict):
        return None
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for name, values in (kept.get("data") or {}).items():
        data.setlist(name, [str(v) for v in values])
    form = form_class(data, **kwargs)
    form.is_valid()
    for field, messages in (kept.get("errors") or {}).items():
        target = field if field in form.fields else None
        shown: list[str] = list(form.errors.get(target or NON_FIELD_ERRORS, []))
        for message in messages:
            if message not in shown:
                form.add_error(target, message)
    return form
