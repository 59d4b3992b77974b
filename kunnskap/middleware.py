"""Request-wide behaviour that no single app owns."""

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class LanguageMiddleware:
    """Bokmål unless the person chose another language with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language header; a Norwegian
    public service speaks Norwegian first, so only the explicit choice (a cookie) counts.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary = response.headers.get("Vary", "")
        if "Cookie" not in patch_vary:
            response.headers["Vary"] = f"{patch_vary}, Cookie" if patch_vary else "Cookie"
        translation.deactivate()
        return response


# C0 control characters other than tab, line feed and carriage return, DEL, and lone
# surrogates (which no database can store and no XML can carry).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _strings(value: Any) -> Iterator[str]:
    """Every key and string in a decoded JSON body."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


class ControlCharacterMiddleware:
    """Refuse a request with a control character (NUL above all) in its path, query or body
    with a 400 that says so, before it reaches a form, a query or a document export."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = self._forbidden(request)
        if where:
            return self._refuse(request, where)
        return self.get_response(request)

    def _forbidden(self, request: HttpRequest) -> str:
        if FORBIDDEN.search(request.path_info):
            return "path"
        for key, values in request.GET.lists():
            if FORBIDDEN.search(key) or any(FORBIDDEN.search(value) for value in values):
                return key
        if request.content_type == "application/json":
            try:
                body = json.loads(request.body or b"null")
            except ValueError:
                return ""  # not JSON at all: the API answers that itself
            if any(FORBIDDEN.search(text) for text in _strings(body)):
                return "body"
        elif request.method == "POST" and request.content_type in FORM_TYPES:
            for key, values in request.POST.lists():
                if FORBIDDEN.search(key) or any(FORBIDDEN.search(value) for value in values):
                    return key
        return ""

    def _refuse(self, request: HttpRequest, where: str) -> HttpResponse:
        message = _("The request holds a control character, which no field accepts.")
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": message, "errors": [{"field": where, "message": message}]}, status=400
            )
        return render(request, "400.html", {"message": message}, status=400)


class PrivacyHeadersMiddleware:
    """A Permissions-Policy on every response, and `Cache-Control: no-store` on every response
    that may show private data: to a signed-in person, to an API token, or from a view marked
    with `never_cache` (the private status link). No browser or proxy keeps a copy of those."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META:
            patch_cache_control(response, private=True, no_store=True)
        return response
