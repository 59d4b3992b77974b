"""All e-mail leaves through here: rendered at once, delivered by the worker, retried on failure.

A message is enqueued as a task row in the same database transaction as the change it reports,
so it exists exactly when the change does. The worker sends it; if the mail server is down it
schedules another attempt with a growing delay, so an outage delays mail but loses none.
One function per kind of message (`password_reset`, ...) keeps subjects and templates together.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation

logger = logging.getLogger(__name__)


def send(*, to: list[str], template: str, context: dict[str, Any], language: str = "") -> None:
    """Render `emails/<template>.{subject,txt,html}` and queue the message for delivery."""
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{template}.subject", context).split())
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    deliver_email.enqueue(to=to, subject=subject, text=text, html=html, attempt=1)


def retry_delay(attempt: int) -> timedelta:
    """1, 2, 4, 8 … times the base delay, capped at six hours."""
    seconds = settings.MAIL_RETRY_BASE_SECONDS * 2 ** (attempt - 1)
    return timedelta(seconds=min(seconds, 6 * 3600))


@task()
def deliver_email(*, to: list[str], subject: str, text: str, html: str, attempt: int) -> str:
    """Hand one message to the mail server; on failure queue the next attempt, then fail loudly."""
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except (OSError, smtplib.SMTPException) as error:
        if attempt < settings.MAIL_MAX_ATTEMPTS:
            run_after = timezone.now() + retry_delay(attempt)
            deliver_email.using(run_after=run_after).enqueue(
                to=to, subject=subject, text=text, html=html, attempt=attempt + 1
            )
            logger.warning(
                "Mail to %s failed (attempt %d): %s; next attempt at %s",
                to,
                attempt,
                error,
                run_after.isoformat(),
            )
        else:
            logger.error("Mail to %s failed for the last time (attempt %d): %s", to, attempt, error)
        raise
    return f"sent to {len(to)} recipient(s) on attempt {attempt}"


def password_reset(*, email: str, context: dict[str, Any]) -> None:
    send(to=[email], template="password_reset", context=context)


def welcome(*, email: str, context: dict[str, Any]) -> None:
    send(to=[email], template="welcome", context=context)


def proposal_receipt(*, proposal: Any, status_url: str) -> None:
    send(
        to=[proposal.submitter_email],
        template="proposal_receipt",
        context={"proposal": proposal, "status_url": status_url, "name": proposal.submitter_name},
    )


def proposal_clarification(*, proposal: Any, question: str, status_url: str) -> None:
    send(
        to=[proposal.submitter_email],
        template="proposal_clarification",
        context={
            "proposal": proposal,
            "question": question,
            "status_url": status_url,
            "name": proposal.submitter_name,
        },
    )


def status_links(*, email: str, links: list[tuple[Any, str]]) -> None:
    send(to=[email], template="status_links", context={"links": links})


def proposal_screened(*, proposal: Any, status_url: str) -> None:
    send(
        to=[proposal.submitter_email],
        template="proposal_screened",
        context={"proposal": proposal, "status_url": status_url, "name": proposal.submitter_name},
    )


def scoring_open(*, round_: Any, emails: list[str]) -> None:
    """Each member of the committee hears that scoring has opened, in a message of her own."""
    for email in emails:
        send(to=[email], template="scoring_open", context={"round": round_})


def proposal_decided(*, proposal: Any, entry: Any, to: str, name: str, status_url: str) -> None:
    send(
        to=[to],
        template="proposal_decided",
        context={"proposal": proposal, "entry": entry, "name": name, "status_url": status_url},
    )


def milestones_overdue(*, emails: list[str], milestones: list[Any], today: Any) -> None:
    send(
        to=emails,
        template="milestones_overdue",
        context={"milestones": milestones, "today": today},
    )
