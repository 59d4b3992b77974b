"""Two-step sign-in (TOTP with recovery codes, django-allauth's MFA): offered to everyone, and
required of administrators, admin-site staff and holders of a screening, steering or editor role
(`policy.must_use_two_step`) who sign in with a local password.

Someone who has set it up passes allauth's code step when signing in. Someone who must and has
not yet is sent to set it up by `TwoStepRequiredMiddleware` before any other page. The session
tells how she signed in: allauth records each step ("password", "mfa", "socialaccount").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.totp import views as totp_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse

from . import policy

# Set once the session is known to be two-step (she set it up in this session): no more reads.
SESSION_KEY = "kunnskap_two_step"


def has_totp(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def needs_setup(request: HttpRequest) -> bool:
    """Did she sign in with only a local password although she must use two steps, and has no
    authenticator app yet?"""
    user = request.user
    if not user.is_authenticated or request.session.get(SESSION_KEY):
        return False
    methods = {record.get("method") for record in get_authentication_records(request, user)}
    if "password" not in methods or methods & {"mfa", "socialaccount"}:
        return False
    if not policy.must_use_two_step(user):
        return False
    if has_totp(user):
        request.session[SESSION_KEY] = True
        return False
    return True


class TwoStepRequiredMiddleware:
    """Send a person who must use two-step sign-in and has not set it up to the setup page."""

    # The setup and the pages it needs (password again, sign out, language) stay open.
    OPEN_URL_NAMES = frozenset(
        {
            "mfa_activate_totp",
            "account_reauthenticate",
            "logout",
            "account_logout",
            "set_language",
        }
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and match.url_name in self.OPEN_URL_NAMES:
            return None
        if needs_setup(request):
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return None


class ActivateTOTPView(totp_views.ActivateTOTPView):
    """allauth's setup page, saying why when she must."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["required"] = policy.must_use_two_step(self.request.user)
        return context


activate_totp = ActivateTOTPView.as_view()


def index(request: HttpRequest) -> HttpResponse:
    """allauth's overview of two-step sign-in is a section of My page."""
    return redirect(reverse("accounts:me") + "#two-step-heading")
