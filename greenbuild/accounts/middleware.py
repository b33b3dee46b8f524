"""Idle session timeout and forced password change (等保2.0 level 3, docs/security.md)."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from greenbuild.accounts import security
from greenbuild.audit.choices import EventKind
from greenbuild.audit.services import record_event

LAST_SEEN_KEY = "_gb_last_seen"
# The last-seen stamp is rewritten at most this often, so most requests do not write the session.
TOUCH_EVERY_SECONDS = 60
IDLE_LOGOUT_ATTR = "_gb_idle_logout"
# Pages a user who must change their password can still reach.
ALLOWED_WHILE_FORCED = {"accounts:password_change", "accounts:logout", "set_language", "javascript-catalog"}


def touch_session(request: HttpRequest) -> None:
    request.session[LAST_SEEN_KEY] = int(time.time())


class SecuritySessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.COOKIES.get(settings.SESSION_COOKIE_NAME) and SESSION_KEY in request.session:
            response = self._check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        now = int(time.time())
        last_seen = request.session.get(LAST_SEEN_KEY)
        if isinstance(last_seen, int) and now - last_seen > security.idle_timeout().total_seconds():
            user = request.user
            record_event(EventKind.SESSION_EXPIRED, actor=user, request=request, idle_seconds=now - last_seen)
            setattr(request, IDLE_LOGOUT_ATTR, True)
            logout(request)
            minutes = int(security.idle_timeout().total_seconds() // 60)
            messages.warning(
                request,
                _("You were signed out after {minutes} minutes without activity. Please sign in again.").format(
                    minutes=minutes
                ),
            )
            return self._redirect(request, reverse(settings.LOGIN_URL), with_next=True)
        if not isinstance(last_seen, int) or now - last_seen >= TOUCH_EVERY_SECONDS:
            request.session[LAST_SEEN_KEY] = now
        user = request.user
        if getattr(user, "must_change_password", False) and request.method in ("GET", "HEAD", "POST"):
            try:
                name = resolve(request.path_info).view_name
            except Resolver404:
                return None
            if name not in ALLOWED_WHILE_FORCED and not name.startswith("admin:logout"):
                if request.method != "POST":
                    messages.info(request, _("Please choose a new password before you continue."))
                return self._redirect(request, reverse("accounts:password_change"), with_next=False)
        return None

    @staticmethod
    def _redirect(request: HttpRequest, to: str, *, with_next: bool) -> HttpResponse:
        if with_next and request.method == "GET":
            to = "{}?{}".format(to, urlencode({"next": request.get_full_path()}))
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = to
            return response
        return HttpResponseRedirect(to)
