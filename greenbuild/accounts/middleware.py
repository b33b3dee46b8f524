"""Idle session timeout and forced password change (等保2.0 level 3, docs/security.md).

Two kinds of request are told apart (issue 17 item 8, ACC-01, ACC-02, ACC-05):

- *passive* requests, which a page sends on its own (the navbar's to-do badge, job and import
  progress polls, the idle script's status check): they never count as activity, and while a
  password change is due they get an empty 204 instead of a redirect, so a page that polls can
  never be sent round in a loop;
- everything else, which is the user's activity and moves the idle deadline.

A form posted after the idle timeout is not lost: its fields are kept in the new session, the
sign-in page returns to the form (``next``), and the page puts the input back
(``kept_input`` in ``greenbuild.accounts.templatetags.account_navigation`` and ``idle.js``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from greenbuild.accounts import security
from greenbuild.audit.choices import EventKind
from greenbuild.audit.services import record_event

LAST_SEEN_KEY = "_gb_last_seen"
# The last-seen stamp is rewritten at most this often, so most requests do not write the session.
TOUCH_EVERY_SECONDS = 60
IDLE_LOGOUT_ATTR = "_gb_idle_logout"
# Pages a user who must change their password can still reach.
ALLOWED_WHILE_FORCED = {
    "accounts:password_change",
    "accounts:logout",
    "accounts:keep-alive",
    "accounts:session-status",
    "set_language",
    "javascript-catalog",
}
#: A request carrying this header (any value) is passive: sent by the page, not by the user.
PASSIVE_HEADER = "X-GreenBuild-Passive"
#: Views that pages poll by htmx (passive when asked by htmx; a plain visit is activity).
PASSIVE_HTMX_VIEWS = {"notifications:inbox-badge", "jobs:job-detail", "imports:batch-detail"}
#: Views that are always passive.
PASSIVE_VIEWS = {"accounts:session-status"}
#: Session key of a form's input kept across an idle sign-out.
KEPT_INPUT_KEY = "_gb_kept_input"
#: Kept input larger than this (JSON characters) is not kept.
KEPT_INPUT_MAX_CHARS = 512 * 1024
#: Fields never kept.
NOT_KEPT_FIELDS = {"csrfmiddlewaretoken", "password", "old_password", "new_password1", "new_password2"}


def touch_session(request: HttpRequest) -> None:
    request.session[LAST_SEEN_KEY] = int(time.time())


def seconds_left(request: HttpRequest) -> int:
    """Seconds until this session's idle timeout (the full timeout for a session not yet stamped)."""
    timeout = int(security.idle_timeout().total_seconds())
    last_seen = request.session.get(LAST_SEEN_KEY)
    if not isinstance(last_seen, int):
        return timeout
    return max(0, timeout - (int(time.time()) - last_seen))


def _view_name(request: HttpRequest) -> str | None:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def is_passive(request: HttpRequest, view_name: str | None) -> bool:
    if request.headers.get(PASSIVE_HEADER):
        return True
    if view_name in PASSIVE_VIEWS:
        return True
    return _is_htmx(request) and view_name in PASSIVE_HTMX_VIEWS


def _same_site_path(request: HttpRequest, url: str | None) -> str | None:
    """The path (with query) of ``url`` if it is on this site, else None."""
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def _page_path(request: HttpRequest) -> str:
    """The page the user is on: an htmx request's current URL, a form post's referring page,
    else the requested path."""
    if _is_htmx(request):
        current = _same_site_path(request, request.headers.get("HX-Current-URL"))
        if current:
            return current
    if request.method == "POST":
        referer = _same_site_path(request, request.headers.get("Referer"))
        if referer:
            return referer
    return request.get_full_path()


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
        name = _view_name(request)
        if name == "accounts:session-status":
            return None  # reports the time left; the timeout itself is the next real request's
        passive = is_passive(request, name)
        last_seen = request.session.get(LAST_SEEN_KEY)
        if isinstance(last_seen, int) and now - last_seen > security.idle_timeout().total_seconds():
            return self._sign_out_idle(request, name, now - last_seen)
        if not passive and (not isinstance(last_seen, int) or now - last_seen >= TOUCH_EVERY_SECONDS):
            request.session[LAST_SEEN_KEY] = now
        user = request.user
        if not security.password_change_required(user):
            return None
        if name is None or name in ALLOWED_WHILE_FORCED or name.startswith("admin:logout"):
            return None
        if request.method not in ("GET", "HEAD", "POST") or name.startswith("api:"):
            # The API through the browser's session (PATCH, PUT, DELETE above all): refused, as
            # the user's tokens are, until the password is changed.
            from greenbuild.api.exceptions import error_body

            message = _("Please choose a new password before you continue.")
            return JsonResponse(error_body(403, "password_change_required", message), status=403)
        to = reverse("accounts:password_change")
        if passive or _is_htmx(request):
            # Never a redirect a polling fragment would follow back to itself (ACC-01): the page
            # itself is sent to the change page by its own (non-htmx) request.
            if passive or urlsplit(_page_path(request)).path == to:
                return HttpResponse(status=204)
            response = HttpResponse(status=204)
            response["HX-Redirect"] = to
            return response
        if request.method != "POST":
            messages.info(request, _("Please choose a new password before you continue."))
        return HttpResponseRedirect(to)

    def _sign_out_idle(self, request: HttpRequest, name: str | None, idle_seconds: int) -> HttpResponse:
        user = request.user
        kept = self._input_to_keep(request, name)
        record_event(EventKind.SESSION_EXPIRED, actor=user, request=request, idle_seconds=idle_seconds)
        setattr(request, IDLE_LOGOUT_ATTR, True)
        page = _page_path(request)
        logout(request)
        minutes = int(security.idle_timeout().total_seconds() // 60)
        text = ngettext(
            "You were signed out after {minutes} minute without activity. Please sign in again.",
            "You were signed out after {minutes} minutes without activity. Please sign in again.",
            minutes,
        ).format(minutes=minutes)
        if kept is not None:
            request.session[KEPT_INPUT_KEY] = {"user": user.pk, "page": urlsplit(page).path, **kept}
            text = "{} {}".format(text, _("Your input was kept: you will find it in the form again."))
        messages.warning(request, text)
        to = "{}?{}".format(reverse(settings.LOGIN_URL), urlencode({"next": page}))
        if _is_htmx(request):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = to
            return response
        return HttpResponseRedirect(to)

    @staticmethod
    def _input_to_keep(request: HttpRequest, name: str | None) -> dict[str, Any] | None:
        """The fields of a form posted after the timeout, if the post is genuine (its CSRF token
        holds) and there is something to keep; passwords and files are never kept."""
        if request.method != "POST" or name in ALLOWED_WHILE_FORCED:
            return None
        content_type = request.content_type or ""
        if content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return None
        if CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, lambda r: HttpResponse(), (), {}):
            return None  # refused by the CSRF check: keep nothing from a forged post
        fields = {
            key: request.POST.getlist(key)
            for key in request.POST
            if key not in NOT_KEPT_FIELDS and "password" not in key
        }
        if not fields or len(json.dumps(fields)) > KEPT_INPUT_MAX_CHARS:
            return None
        return {"action": request.path, "fields": fields}
