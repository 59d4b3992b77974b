"""How the API knows who is calling: a bearer token, the browser session, or nobody."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from . import services


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; a wrong token is refused, never treated as anonymous."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = services.token_authenticate(raw=token.strip())
        if user is None:
            raise AuthenticationError(message="The API token is not valid.")
        request.user = user
        return user


def anonymous(request: HttpRequest) -> AnonymousUser:
    """The last resort of public endpoints: the caller is nobody in particular."""
    return AnonymousUser()


SIGNED_IN = [TokenAuth(), django_auth]
ANYONE = [TokenAuth(), django_auth, anonymous]
