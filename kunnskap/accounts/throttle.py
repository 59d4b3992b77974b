"""Failed sign-ins are limited per account and per client, with the counters of `limits`.

Every password check is counted as a failure before the password is checked, and given back
when it was right. So under any concurrency no more than `SIGN_IN_FAILURES_PER_ACCOUNT` wrong
passwords are tried on one address in `SIGN_IN_LOCK_MINUTES`: past them, even the right
password is refused, from every client, until the period has gone by. An address that belongs
to nobody is counted the same way, so the answer never tells whether an account exists. One
client (an address, an IPv6 /64) has its own budget of failures across all addresses.

When an account's budget is used up, its owner gets one mail (in her language) saying so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from kunnskap import mail
from kunnskap.limits import services as limits

from .models import User

ACCOUNT_SCOPE = "sign-in-failed-account"
CLIENT_SCOPE = "sign-in-failed-client"
WARNED_SCOPE = "sign-in-locked-warned"


def _period() -> timedelta:
    return timedelta(minutes=settings.SIGN_IN_LOCK_MINUTES)


class Refused(Exception):
    """The sign-in is refused before the password is checked."""

    def __init__(self, per: str) -> None:
        super().__init__(per)
        self.per = per  # "account" or "client"


@dataclass
class Attempt:
    """The failures one password check has taken, to give back if the password was right."""

    email: str
    client: str
    taken_at: datetime = field(default_factory=timezone.now)

    def succeeded(self) -> None:
        period = _period()
        for scope, subject in ((ACCOUNT_SCOPE, self.email), (CLIENT_SCOPE, self.client)):
            limits.limit_give_back(
                scope=scope, subject=subject, period=period, taken_at=self.taken_at
            )

    def failed(self) -> None:
        """A wrong password: when it used up the account's budget, tell the owner once."""
        period = _period()
        if not limits.limit_reached(
            scope=ACCOUNT_SCOPE,
            subject=self.email,
            count=settings.SIGN_IN_FAILURES_PER_ACCOUNT,
            period=period,
        ):
            return
        owner = User.objects.filter(email__iexact=self.email, is_active=True).first()
        if owner is None:
            return
        # Once per period, however many requests see the budget used up at the same time.
        if limits.limit_take(
            scope=WARNED_SCOPE, subject=self.email, count=1, period=period
        ) and limits.mail_slot_take(client="", recipient=owner.email):
            mail.sign_in_locked(
                email=owner.email,
                context={
                    "name": owner.get_short_name(),
                    "email": owner.email,
                    "failures": settings.SIGN_IN_FAILURES_PER_ACCOUNT,
                    "minutes": settings.SIGN_IN_LOCK_MINUTES,
                    "reset_url": settings.SITE_URL + reverse("accounts:password_reset"),
                },
            )


def attempt_begin(request: HttpRequest, email: str) -> Attempt:
    """Count a password check as a failure of this address and this client, or refuse it."""
    email = email.strip().lower()
    client = limits.client_key(request)
    period = _period()
    attempt = Attempt(email=email, client=client)
    if not limits.limit_take(
        scope=ACCOUNT_SCOPE,
        subject=email,
        count=settings.SIGN_IN_FAILURES_PER_ACCOUNT,
        period=period,
        now=attempt.taken_at,
    ):
        raise Refused("account")
    if not limits.limit_take(
        scope=CLIENT_SCOPE,
        subject=client,
        count=settings.SIGN_IN_FAILURES_PER_CLIENT,
        period=period,
        now=attempt.taken_at,
    ):
        limits.limit_give_back(
            scope=ACCOUNT_SCOPE, subject=email, period=period, taken_at=attempt.taken_at
        )
        raise Refused("client")
    return attempt


CODE_SCOPE = "two-step-failed-account"


@dataclass
class CodeAttempt:
    """The failure one two-step code check has taken, to give back if the code was right."""

    user_id: int
    taken_at: datetime = field(default_factory=timezone.now)

    def succeeded(self) -> None:
        limits.limit_give_back(
            scope=CODE_SCOPE, subject=str(self.user_id), period=_period(), taken_at=self.taken_at
        )


def code_attempt_begin(user: User) -> CodeAttempt:
    """Count a check of a two-step code (after the right password) as a failure of the account,
    or refuse it: the same budget and pause as for passwords, in the database."""
    attempt = CodeAttempt(user_id=user.pk)
    if not limits.limit_take(
        scope=CODE_SCOPE,
        subject=str(user.pk),
        count=settings.SIGN_IN_FAILURES_PER_ACCOUNT,
        period=_period(),
        now=attempt.taken_at,
    ):
        raise Refused("account")
    return attempt


def account_unlock(email: str) -> None:
    """Forget an address's failures: she proved she owns it by choosing a new password through
    the link mailed to it."""
    limits.limit_clear(scope=ACCOUNT_SCOPE, subject=email.strip().lower())
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        limits.limit_clear(scope=CODE_SCOPE, subject=str(user.pk))
