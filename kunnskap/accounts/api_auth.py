"""How the API knows who is calling: a bearer token, the browser session, or nobody."""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from . import services


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; a wrong token is refused, never treated as anonymous."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = services.token_authenticate(raw=token.strip())
        if user is None:
            raise AuthenticationError(message="The API token is not valid.")
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser's signed-in session, with Django's CSRF check.

    Ninja's own session auth checks CSRF on every unsafe request, even one without a session,
    which would refuse anonymous submissions from programs. A forged request can only ride on a
    signed-in session, so the check runs exactly when the session signs someone in.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, "CSRF check failed: send the X-CSRFToken header.")
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return self(request)


def anonymous(request: HttpRequest) -> AnonymousUser:
    """The last resort of public endpoints: the caller is nobody in particular."""
    return AnonymousUser()


SIGNED_IN = [TokenAuth(), SessionAuth()]
ANYONE = [TokenAuth(), SessionAuth(), anonymous]
