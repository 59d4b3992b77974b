"""How django-allauth signs people in here: no sign-up of one's own, our words in nb, nn and
en, and the language she chose brought back on signing in."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

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
            "Too many failed sign-ins. Wait a quarter of an hour and try again."
        ),
        "rate_limited": _("Too many attempts. Wait a little and try again."),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

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
