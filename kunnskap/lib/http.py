"""Requests as our views see them, typed, so mypy knows what the middleware and auth added.

These classes are annotations only: Django still builds a plain `HttpRequest`, and django-htmx's
middleware sets `htmx` on it (the pattern django-htmx documents). A view behind
`@login_required` takes an `AuthenticatedHttpRequest`, whose `user` is always our `User`; other
views take an `HtmxHttpRequest`. API endpoints take an `ApiRequest` (any caller) or a
`SignedInApiRequest` (`auth=SIGNED_IN`: ninja's `auth` and `user` are the caller).
"""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from kunnskap.accounts.models import User


class HtmxHttpRequest(HttpRequest):
    """A page request; `htmx` is falsy unless htmx sent it."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A page request from someone signed in (a view behind `@login_required`)."""

    user: User


class ApiRequest(HttpRequest):
    """An API request of an endpoint anyone may call: `auth` is the caller or nobody."""

    auth: User | AnonymousUser


class SignedInApiRequest(HttpRequest):
    """An API request of an endpoint with `auth=SIGNED_IN`: a token or session named the caller."""

    auth: User
    user: User
