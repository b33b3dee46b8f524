"""Enrolment and verification of the second factor. Thin: gate, form, service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from greenbuild.accounts.duties import is_administrator
from greenbuild.secondfactor import services
from greenbuild.secondfactor.forms import CodeForm


def _next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}):
        return value
    return "/"


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The code after the password, once per session."""
    user = request.user
    if services.confirmed_device(user) is None:
        return redirect("{}?{}".format(reverse("otp:setup"), request.GET.urlencode()))
    form = CodeForm(request.POST or None, initial={"next": request.GET.get("next", "")})
    if request.method == "POST" and form.is_valid():
        if services.verify_code(request, user=user, code=form.cleaned_data["code"]):
            return redirect(_next(request, form.cleaned_data["next"]))
        form.add_error("code", _("The code is wrong or expired. Enter the code your app shows now."))
    return render(request, "secondfactor/verify.html", {"form": form})


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code (or type the secret), confirm with a code.

    A verified session may replace its device; an unverified one only enrols a first device.
    """
    user = request.user
    if not is_administrator(user):
        raise PermissionDenied
    has_device = services.confirmed_device(user) is not None
    if has_device and not user.is_verified():  # type: ignore[union-attr]
        return redirect("otp:verify")
    device = services.pending_device(user)
    form = CodeForm(request.POST or None, initial={"next": request.GET.get("next", "")})
    if request.method == "POST" and form.is_valid():
        if services.confirm_device(request, user=user, code=form.cleaned_data["code"]):
            messages.success(request, _("The authenticator app is set up: sign-ins now ask for its code."))
            return redirect(_next(request, form.cleaned_data["next"]))
        form.add_error("code", _("The code is wrong or expired. Enter the code your app shows now."))
    return render(
        request,
        "secondfactor/setup.html",
        {
            "form": form,
            "has_device": has_device,
            "secret": services.secret_text(device),
            "qr": services.qr_svg_data_uri(device),
            "required": services.otp_required(),
        },
    )
