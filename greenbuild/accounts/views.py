from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from greenbuild.accounts import permissions, security, services
from greenbuild.accounts.forms import LoginForm, OwnPasswordChangeForm, ProfileForm
from greenbuild.accounts.middleware import seconds_left, touch_session
from greenbuild.core.forms import keep_refused_form, take_refused_form


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = OwnPasswordChangeForm
    success_url = reverse_lazy("dashboards:overview")

    def form_valid(self, form: OwnPasswordChangeForm) -> HttpResponse:
        user = self.request.user
        services.change_own_password(user, form.cleaned_data["new_password1"], request=self.request)
        # The service saved a fresh copy: the session must be bound to the new hash, or the next
        # request would sign the user out.
        user.refresh_from_db(fields=["password", "must_change_password", "password_changed_at"])
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password has been changed."))
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["forced"] = getattr(user, "must_change_password", False)
        context["expired"] = not context["forced"] and security.password_expired(user)
        max_age = security.password_max_age()
        context["max_age_days"] = max_age.days if max_age else None
        return context


PROFILE_FORM = "profile"


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The person's own e-mail and mobile number (UI-28). A refused form comes back here with its
    input and errors (``keep_refused_form``), never as a page at the POST's address."""
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if not form.is_valid():
            keep_refused_form(request, PROFILE_FORM, form)
            return redirect("accounts:profile")
        changed = services.update_own_profile(user, request=request, **form.cleaned_data)  # type: ignore[arg-type]
        if changed:
            messages.success(request, _("Your contact details are saved."))
        else:
            messages.info(request, _("Nothing changed."))
        return redirect("accounts:profile")
    form = take_refused_form(request, PROFILE_FORM, ProfileForm) or ProfileForm(
        initial={"display_name": user.display_name, "email": user.email, "phone": user.phone}  # type: ignore[union-attr]
    )
    return render(request, "accounts/profile.html", {"form": form})


@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """The idle warning's 继续 (and typing in a form): counts as activity, moves the deadline."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "seconds_left": 0})
    touch_session(request)
    return JsonResponse({"signed_in": True, "seconds_left": seconds_left(request)})


@never_cache
def session_status(request: HttpRequest) -> HttpResponse:
    """Seconds left before the idle timeout, for the warning; passive (moves nothing)."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "seconds_left": 0})
    return JsonResponse({"signed_in": True, "seconds_left": seconds_left(request)})


@login_required
def locked_accounts(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, "unlock_accounts")
    return render(
        request,
        "accounts/locked.html",
        {
            "locked": services.locked_users(),
            "addresses": services.throttled_addresses(),
            "threshold": security.lockout_threshold(),
        },
    )


@login_required
@require_POST
def unlock_account(request: HttpRequest, pk: int) -> HttpResponse:
    user = permissions.get_locked_user_for_user(request.user, pk)
    services.unlock_user(user, actor=request.user, request=request)
    messages.success(request, _("The account {name} is unlocked.").format(name=user.get_username()))
    return redirect("accounts:locked")


@login_required
@require_POST
def unlock_address(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, "unlock_accounts")
    address = services.clean_address(request.POST.get("address", ""))
    if address is None:
        messages.error(request, _("That is not a network address."))
    else:
        services.unthrottle_address(address, actor=request.user, request=request)
        messages.success(request, _("Sign-ins from {address} are allowed again.").format(address=address))
    return redirect("accounts:locked")
