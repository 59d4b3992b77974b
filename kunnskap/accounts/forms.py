from typing import Any

from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from kunnskap import mail

from . import throttle


class SignInForm(allauth_forms.LoginForm):
    """allauth's sign-in form with an e-mail address and a password, in our words."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"] = forms.EmailField(
            label=_("E-mail address"),
            widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        )
        self.fields["password"] = ReauthenticateForm.base_fields["password"]
        self.order_fields(["login", "password"])

    def clean_login(self) -> str:
        return self.cleaned_data["login"].strip().lower()


class ReauthenticateForm(allauth_forms.ReauthenticateForm):
    """allauth's "write your password again" form, in our words."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _code_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=_("Six digits from the authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class TwoStepCodeForm(mfa_forms.AuthenticateForm):
    """The code step of signing in (allauth's), in our words, with wrong codes counted in the
    database like wrong passwords (`throttle`)."""

    code = _code_field(_("Code"))

    def clean_code(self) -> str:
        try:
            attempt = throttle.code_attempt_begin(self.user)
        except throttle.Refused:
            raise get_account_adapter().validation_error("too_many_code_attempts") from None
        code = super().clean_code()
        attempt.succeeded()
        return code


class TwoStepReauthenticateForm(mfa_forms.ReauthenticateForm):
    """A code again before a change to how she signs in (allauth's), in our words."""

    code = _code_field(_("Code"))


class TwoStepActivateForm(totp_forms.ActivateTOTPForm):
    """Setting up the authenticator app (allauth's), in our words."""

    code = forms.CharField(
        label=_("Code from the app"),
        help_text=_("The six digits the app shows for this account now."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        help_text=_("What the token is for, for example the name of the integration."),
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, with the message queued through the worker like all other mail."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        mail.password_reset(email=to_email, context=password_link_context(context["user"]))


def password_link_context(user: Any) -> dict[str, Any]:
    """What the set-password e-mails need: the person's name and a one-time link."""
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return {"name": user.get_short_name(), "email": user.email, "url": settings.SITE_URL + path}
