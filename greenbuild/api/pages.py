"""The page where every user manages their own API tokens (issue 12 §4)."""

from __future__ import annotations

import functools
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbuild.api import services
from greenbuild.api.exceptions import api_methods
from greenbuild.api.forms import TokenForm
from greenbuild.api.models import ApiToken
from greenbuild.core.forms import apply_service_error
from greenbuild.core.permissions import parse_id


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None, user=request.user)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            token, new_token = services.create_token(
                actor=request.user,
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                days=form.cleaned_data["days"],
                organisation=form.cleaned_data["organisation"],
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            form = TokenForm(user=request.user)
    tokens = ApiToken.objects.filter(user=request.user).select_related("organisation")
    return render(request, "api/tokens.html", {"form": form, "tokens": tokens, "new_token": new_token})


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    number = parse_id(pk)
    if number is None or not ApiToken.objects.filter(pk=number, user=request.user).exists():
        raise Http404
    services.revoke_token(actor=request.user, token_id=number)
    messages.success(request, _("The token is revoked: systems using it are refused from now on."))
    return redirect("api-tokens:list")


_REDOC_CDN_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@functools.cache
def _redoc_bundle() -> bytes:
    from django.contrib.staticfiles import finders

    path = finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")
    text = Path(path).read_text(encoding="utf-8")
    return text.replace(_REDOC_CDN_LOGO, static("api/docs-logo.svg")).encode("utf-8")


@api_methods("GET")
def redoc_bundle(request: HttpRequest) -> HttpResponse:
    """ReDoc's bundle (from drf-spectacular-sidecar) with its one hard-coded CDN address — the
    "API docs by Redocly" logo — pointed at a local image, so the page requests no other host."""
    response = HttpResponse(_redoc_bundle(), content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response
