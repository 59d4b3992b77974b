"""All e-mail leaves through here: rendered at once, kept in the outbox, delivered by the worker.

A message becomes an outbox row (`OutboxMessage`, queued → sent | failed) and a task row in the
same database transaction as the change it reports, so it exists exactly when the change does.
The worker claims the row before it talks to the mail server, so a message is sent at most once
per key even when two workers hold a task for it (a task of a dead worker is queued again, see
`kunnskap.operations.worker`). If the mail server fails, the row waits for another attempt with a
growing delay; after the last attempt it is `failed`, where staff see it (admin, /readyz).
One function per kind of message (`password_reset`, ...) keeps subjects and templates together.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import TaskContext, task
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kunnskap.operations.models import MessageStatus, OutboxMessage

logger = logging.getLogger(__name__)


def recipient_language(to: list[str]) -> str:
    """The language a recipient chose on her account, when one recipient has chosen one."""
    from kunnskap.accounts.models import User

    if len(to) != 1:
        return ""
    return User.objects.filter(email__iexact=to[0]).values_list("language", flat=True).first() or ""


def send(
    *,
    to: list[str],
    template: str,
    context: dict[str, Any],
    language: str = "",
    key: str = "",
) -> OutboxMessage:
    """Render `emails/<template>.{subject,txt,html}` in the recipient's language into the outbox
    and queue its delivery.

    The language is decided here, when the message is rendered, not when the worker sends it:
    the one given (an anonymous submitter's or subscriber's, stored when she wrote), else the one
    the recipient chose on her account, else the language of the page whose action sends the mail.
    `key` names the message once and for all (a receipt per need, say): asking again for a key
    that exists queues nothing. Without one, every call is a message of its own.
    """
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    language = (
        language or recipient_language(to) or translation.get_language() or settings.LANGUAGE_CODE
    )
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{template}.subject", context).split())
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    return outbox_add(
        key=key or f"{template}:{uuid.uuid4()}", to=to, subject=subject, text=text, html=html
    )


def outbox_add(
    *, key: str, to: list[str], subject: str, text: str, html: str = "", headers: dict | None = None
) -> OutboxMessage:
    """Keep one message under its key and queue its first attempt (nothing when the key exists)."""
    with transaction.atomic():
        message, created = OutboxMessage.objects.get_or_create(
            key=key,
            defaults={
                "to": to,
                "subject": subject,
                "text": text,
                "html": html,
                "headers": headers or {},
            },
        )
        if created:
            deliver_message.enqueue(message_id=message.pk)
    return message


def retry_delay(attempt: int) -> timedelta:
    """1, 2, 4, 8 … times the base delay, capped at six hours."""
    seconds = settings.MAIL_RETRY_BASE_SECONDS * 2 ** (attempt - 1)
    return timedelta(seconds=min(seconds, 6 * 3600))


def message_claim(*, message_id: int, worker_id: str) -> OutboxMessage | None:
    """Take the message for sending, unless it is done or a live worker is sending it."""
    from kunnskap.operations.selectors import worker_is_alive

    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status in (MessageStatus.SENT, MessageStatus.FAILED):
            return None
        if message.status == MessageStatus.SENDING and worker_is_alive(
            worker_id=message.claimed_by, since=message.claimed_at
        ):
            return None
        message.status = MessageStatus.SENDING
        message.claimed_by = worker_id
        message.claimed_at = timezone.now()
        message.attempts += 1
        message.save(update_fields=["status", "claimed_by", "claimed_at", "attempts"])
    return message


@task(takes_context=True)
def deliver_message(context: TaskContext, *, message_id: int) -> str:
    """Hand one outbox message to the mail server; on failure queue the next attempt, and after
    the last one mark it failed and fail loudly."""
    worker_ids = context.task_result.worker_ids
    message = message_claim(message_id=message_id, worker_id=worker_ids[-1] if worker_ids else "")
    if message is None:
        return "nothing to do: sent, failed or being sent by another worker"
    email = EmailMultiAlternatives(
        subject=message.subject, body=message.text, to=message.to, headers=message.headers
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    try:
        email.send()
    except (OSError, smtplib.SMTPException) as error:
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        message.claimed_by = ""
        if message.attempts < settings.MAIL_MAX_ATTEMPTS:
            message.status = MessageStatus.QUEUED
            message.next_attempt_at = timezone.now() + retry_delay(message.attempts)
            deliver_message.using(run_after=message.next_attempt_at).enqueue(message_id=message.pk)
            logger.warning(
                "Mail %s failed (attempt %d): %s; next attempt at %s",
                message.key,
                message.attempts,
                error,
                message.next_attempt_at.isoformat(),
            )
        else:
            message.status = MessageStatus.FAILED
            message.failed_at = timezone.now()
            logger.error(
                "Mail %s failed for the last time (attempt %d): %s",
                message.key,
                message.attempts,
                error,
            )
        message.save(
            update_fields=["status", "claimed_by", "next_attempt_at", "last_error", "failed_at"]
        )
        raise
    message.status = MessageStatus.SENT
    message.sent_at = timezone.now()
    message.save(update_fields=["status", "sent_at"])
    return f"sent to {len(message.to)} recipient(s) on attempt {message.attempts}"


def password_reset(*, email: str, context: dict[str, Any]) -> None:
    send(to=[email], template="password_reset", context=context)


def sign_in_locked(*, email: str, context: dict[str, Any]) -> None:
    """Tell the owner of an account that signing in is paused after failed attempts."""
    send(to=[email], template="sign_in_locked", context=context)


def email_confirmation(*, email: str, context: dict[str, Any]) -> None:
    send(to=[email], template="email_confirmation", context={"email": email, **context})


def welcome(*, email: str, context: dict[str, Any]) -> None:
    send(to=[email], template="welcome", context=context)


def proposal_receipt(*, proposal: Any, status_url: str) -> None:
    send(
        to=[proposal.submitter_email],
        template="proposal_receipt",
        key=f"proposal_receipt:{proposal.public_id}",
        language=proposal.submitter_language,
        context={"proposal": proposal, "status_url": status_url, "name": proposal.submitter_name},
    )


def proposal_clarification(*, proposal: Any, question: str, status_url: str) -> None:
    send(
        to=[proposal.submitter_email],
        template="proposal_clarification",
        language=proposal.submitter_language,
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
        language=proposal.submitter_language,
        context={"proposal": proposal, "status_url": status_url, "name": proposal.submitter_name},
    )


def scoring_open(*, round_: Any, emails: list[str]) -> None:
    """Each member of the committee hears that scoring has opened, in a message of her own."""
    for email in emails:
        send(to=[email], template="scoring_open", context={"round": round_})


def proposal_decided(
    *, proposal: Any, entry: Any, to: str, name: str, status_url: str, language: str = ""
) -> None:
    send(
        to=[to],
        template="proposal_decided",
        language=language,
        context={"proposal": proposal, "entry": entry, "name": name, "status_url": status_url},
    )


def milestones_overdue(*, emails: list[str], milestones: list[Any], today: Any) -> None:
    """Each of the secretariat gets a message of her own, in her own language."""
    for email in emails:
        send(
            to=[email],
            template="milestones_overdue",
            context={"milestones": milestones, "today": today},
        )


@task()
def deliver_email(*, to: list[str], subject: str, text: str, html: str, attempt: int) -> str:
    """A message queued before the outbox existed: moved into it, so an upgrade loses none."""
    message = outbox_add(
        key=f"queued-before-outbox:{uuid.uuid4()}", to=to, subject=subject, text=text, html=html
    )
    return f"moved to the outbox as {message.key}"
