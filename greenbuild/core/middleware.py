"""Platform middleware: the Content-Security-Policy header (issue 10 item 9).

Every response carries the policy; nothing of ours needs an exception. Pages that must relax it
(a third-party UI that injects styles, for example) decorate their view with :func:`csp_update`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

#: The default policy. Every asset is served by the platform itself (whitenoise, static/vendor);
#: no inline script and no inline style. ECharts and Bootstrap set styles through the CSSOM
#: (``element.style``), which style-src does not govern; htmx's injected indicator <style> is
#: switched off in base.html and its rules live in site.css.
DEFAULT_POLICY: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    # One inline style attribute we cannot remove without copying a third-party template:
    # django-simple-history's admin history list (`<p class="paginator" style="border-top: 0">`).
    # 'unsafe-hashes' with its hash allows exactly that value and no other style attribute.
    "style-src-attr": ("'unsafe-hashes'", "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "frame-ancestors": ("'none'",),
    "form-action": ("'self'",),
}

HEADER = "Content-Security-Policy"
_ATTR = "_csp_update"


def policy() -> dict[str, tuple[str, ...]]:
    """The configured policy: ``settings.CONTENT_SECURITY_POLICY`` if set, else the default."""
    return dict(getattr(settings, "CONTENT_SECURITY_POLICY", None) or DEFAULT_POLICY)


def render_policy(directives: dict[str, tuple[str, ...]]) -> str:
    return "; ".join("{} {}".format(name, " ".join(values)).strip() for name, values in directives.items())


def csp_update(
    **directives: tuple[str, ...] | list[str],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Add sources to directives for one view: ``@csp_update(style_src=("'unsafe-inline'",))``."""
    extra = {name.replace("_", "-"): tuple(values) for name, values in directives.items()}

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            setattr(response, _ATTR, extra)
            return response

        return wrapped

    return decorator


class ContentSecurityPolicyMiddleware:
    """Sets the Content-Security-Policy header on every response that lacks one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER in response:
            return response
        directives = policy()
        for name, values in (getattr(response, _ATTR, None) or {}).items():
            directives[name] = tuple(dict.fromkeys(directives.get(name, ("'self'",)) + values))
        response[HEADER] = render_policy(directives)
        return response
