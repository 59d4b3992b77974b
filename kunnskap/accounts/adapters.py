"""How django-allauth signs people in here: no sign-up of one's own, our words in nb, nn and
en, and the language she chose brought back on signing in."""

from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from . import policy, throttle
from .models import User

# allauth's flash messages that the pages did not show before it came (nothing says "you are
# signed in" but the menu): left out.
SILENT_MESSAGES = {"account/messages/logged_in.txt", "account/messages/logged_out.txt"}


class AccountAdapter(DefaultAccountAdapter):
    """allauth's account adapter, closed for sign-up: administrators create the accounts."""

    # Our catalogues translate these; allauth's own have no nynorsk. Only the messages of the
    # flows we use are here.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("This account is deactivated."),
        "email_password_mismatch": _("The e-mail address or the password is wrong."),
        "incorrect_password": _("The password is wrong."),
        "invalid_login": _("The e-mail address or the password is wrong."),
        "too_many_login_attempts": _(
            "Too many failed sign-ins with this e-mail address. For your safety, signing in "
            "with it is paused: wait a quarter of an hour and try again, or choose a new "
            "password with “Forgotten your password?”."
        ),
        "too_many_code_attempts": _(
            "Too many wrong codes. For your safety, signing in to this account is paused: wait "
            "a quarter of an hour and try again."
        ),
        "too_many_client_attempts": _(
            "Too many failed sign-ins from your network. Wait a quarter of an hour and try again."
        ),
        "rate_limited": _("Too many attempts. Wait a little and try again."),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Count the password check against the address and the client (`throttle`), in the
        database rather than allauth's cache, so the limits hold across processes."""
        try:
            self._attempt = throttle.attempt_begin(request, credentials.get("email") or "")
        except throttle.Refused as refused:
            key = (
                "too_many_login_attempts"
                if refused.per == "account"
                else "too_many_client_attempts"
            )
            raise self.validation_error(key) from None

    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        """allauth's, with the failure counted before and given back after a right password."""
        self.pre_authenticate(request, **credentials)
        AuthenticationBackend.unstash_authenticated_user()
        user = authenticate(request, **credentials)
        # A right password of a deactivated account: allauth shows the "deactivated" page.
        user = user or AuthenticationBackend.unstash_authenticated_user()
        if user:
            self._attempt.succeeded()
        else:
            self._attempt.failed()
            self.authentication_failed(request, **credentials)
        return user

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """allauth asks for the password again before changes to two-step sign-in; a sign-in
        of the last few minutes counts as that (so setting it up right after signing in, as
        whoever must does, asks for nothing twice)."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = context.request
        records = get_authentication_records(request, request.user)
        timeout = allauth_settings.REAUTHENTICATION_TIMEOUT
        return not any(time.time() - record.get("at", 0) < timeout for record in records)

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        message_context: dict[str, Any] | None = None,
        extra_tags: str = "",
        message: str | None = None,
    ) -> None:
        if message_template in SILENT_MESSAGES:
            return
        super().add_message(
            request, level, message_template, message_context, extra_tags, message=message
        )

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse:
        """Sign in, and speak the language she chose last time."""
        from .views import set_language_cookie

        response = super().post_login(request, user, **kwargs)
        if isinstance(user, User) and user.language:
            set_language_cookie(response, user.language)
        return response

    def get_login_stages(self) -> list[str]:
        """allauth's steps after the first, with the code step skipped after a provider's
        sign-in (`oidc.TwoStepStage`)."""
        stages = super().get_login_stages()
        return [
            "kunnskap.accounts.oidc.TwoStepStage"
            if stage == "allauth.mfa.stages.AuthenticateStage"
            else stage
            for stage in stages
        ]

    def get_logout_redirect_url(self, request: HttpRequest) -> str:
        """After signing out here, the provider's end-session page when she came through one."""
        from .oidc import end_session_url

        return end_session_url(request) or super().get_logout_redirect_url(request)

    def send_confirmation_mail(
        self, request: HttpRequest, emailconfirmation: Any, signup: bool
    ) -> None:
        """The link that confirms an address (after a first ID-porten sign-in), through the
        outbox and within the mail limits of the client and the address."""
        from kunnskap import mail
        from kunnskap.limits import services as limits

        address = emailconfirmation.email_address.email
        if not limits.mail_slot_take(client=limits.requester_key(request), recipient=address):
            return
        mail.email_confirmation(
            email=address,
            context={"url": self.get_email_confirmation_url(request, emailconfirmation)},
        )


class MFAAdapter(DefaultMFAAdapter):
    """allauth's two-factor adapter, in our words."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _("You cannot turn off two-step sign-in."),
        "cannot_generate_recovery_codes": _(
            "Turn on two-step sign-in before you make recovery codes."
        ),
        "incorrect_code": _("The code is wrong. Check the code in the app and try again."),
    }

    def can_delete_authenticator(self, authenticator: Any) -> bool:
        """Whoever must use two-step sign-in keeps it."""
        return not policy.must_use_two_step(authenticator.user)
