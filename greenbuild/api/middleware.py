"""The API speaks the caller's language.

Pages carry their language in the path (``/en/…``); an unprefixed page is Chinese, so Django's
LocaleMiddleware gives every unprefixed path the default language. API paths (``/api/…``) have
no prefix at all: for them the language comes from the request — the ``Accept-Language`` header
or the language cookie — as a system calling the API expects.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation


class ApiLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith("/api/"):
            return self.get_response(request)
        language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
