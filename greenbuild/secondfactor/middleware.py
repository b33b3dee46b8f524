"""Until the second factor is verified, an administrator reaches only the second factor's pages,
the password change and sign-out (docs/security.md). Placed after the accounts' session
middleware: a forced password change comes first, then the code."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from greenbuild.secondfactor.services import confirmed_device, needs_second_factor

#: Pages an administrator reaches before the code.
ALLOWED_BEFORE_CODE = {
    "otp:verify",
    "otp:setup",
    "accounts:logout",
    "accounts:password_change",
    "accounts:keep-alive",
    "accounts:session-status",
    "admin:logout",
    "set_language",
    "javascript-catalog",
}


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and needs_second_factor(user):
            response = self._refer(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    @staticmethod
    def _refer(request: HttpRequest, user: object) -> HttpResponse | None:
        try:
            name = resolve(request.path_info).view_name
        except Resolver404:
            return None
        if name in ALLOWED_BEFORE_CODE:
            return None
        # A token request never gets here (no session user: a token is its own factor); the API
        # through an unverified browser session is refused like a form post or a polling
        # fragment, never redirected (ACC-01).
        if request.method != "GET" or request.headers.get("HX-Request") or request.path_info.startswith("/api/"):
            return HttpResponse(status=403)
        to = reverse("otp:verify" if confirmed_device(user) else "otp:setup")
        return HttpResponseRedirect("{}?{}".format(to, urlencode({"next": request.get_full_path()})))
