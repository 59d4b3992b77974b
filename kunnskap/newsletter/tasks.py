"""The worker's part: deliver one issue to one subscriber, and the daily digests."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kunnskap import mail

from .models import Delivery, DeliveryStatus

logger = logging.getLogger(__name__)


@task()
def deliver_issue(*, delivery_id: int, attempt: int) -> str:
    """Send one issue to one subscriber, with her items and a one-click unsubscribe; record the
    outcome in the send log and try again later when the mail server fails."""
    from .services import issue_subject, items_for, unsubscribe_url

    delivery = Delivery.objects.select_related("issue", "subscriber").get(pk=delivery_id)
    subscriber, issue = delivery.subscriber, delivery.issue
    if delivery.status == DeliveryStatus.SENT:
        return "sent already"
    if not subscriber.is_active:
        delivery.status = DeliveryStatus.SKIPPED
        delivery.save(update_fields=["status", "updated_at"])
        return "skipped: unsubscribed"
    new, started = items_for(subscriber, issue)
    leave = unsubscribe_url(subscriber)
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "issue": issue,
        "new": new,
        "started": started,
        "unsubscribe_url": leave,
    }
    with translation.override(subscriber.language or settings.LANGUAGE_CODE):
        subject = issue_subject(issue)
        context["subject"] = subject
        text = render_to_string("emails/newsletter_issue.txt", context)
        html = render_to_string("emails/newsletter_issue.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{leave}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    delivery.attempts = attempt
    try:
        message.send()
    except (OSError, smtplib.SMTPException) as error:
        delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
        if attempt < settings.MAIL_MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.RETRYING
            deliver_issue.using(run_after=timezone.now() + mail.retry_delay(attempt)).enqueue(
                delivery_id=delivery_id, attempt=attempt + 1
            )
        else:
            delivery.status = DeliveryStatus.FAILED
            logger.error("Newsletter %s to %s failed for good: %s", issue.pk, subscriber, error)
        delivery.save(update_fields=["status", "attempts", "last_error", "updated_at"])
        raise
    delivery.status = DeliveryStatus.SENT
    delivery.sent_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "sent_at", "updated_at"])
    return f"sent on attempt {attempt}"


@task()
def send_digests() -> str:
    from .services import digests_due

    made = digests_due(today=timezone.localdate())
    return f"{len(made)} digest(s) made"
