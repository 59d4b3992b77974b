"""Writes of the newsletter: subscribe (double opt-in), confirm, unsubscribe, make and send issues.

Links in messages carry signed tokens (the subscriber's id, signed with SECRET_KEY and a salt
per purpose), so nothing secret is stored and an unsubscribe link works for as long as it is
needed. Every message is a Delivery row written in the transaction that makes the issue, and a
task per delivery sends it, with retries and the outcome in the row.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kunnskap import mail
from kunnskap.accounts import policy
from kunnskap.library.models import Publication, PublicationStatus
from kunnskap.limits import services as limits
from kunnskap.taxonomy.models import PublicationKind, Theme

from .models import Delivery, Frequency, Issue, IssueKind, Subscriber

if TYPE_CHECKING:
    from kunnskap.accounts.models import User

CONFIRM_SALT = "newsletter-confirm"
UNSUBSCRIBE_SALT = "newsletter-unsubscribe"
CONFIRM_MAX_AGE = timedelta(days=7)


def confirm_url(subscriber: Subscriber, choices: dict | None = None) -> str:
    """The link that confirms the subscription, with the choices it confirms (a change of a
    confirmed subscription carries its new choices here and is stored only when confirmed)."""
    payload = subscriber.pk if choices is None else {"id": subscriber.pk, **choices}
    token = signing.dumps(payload, salt=CONFIRM_SALT)
    return settings.SITE_URL + reverse("newsletter:confirm", args=[token])


def unsubscribe_url(subscriber: Subscriber) -> str:
    token = signing.dumps(subscriber.pk, salt=UNSUBSCRIBE_SALT)
    return settings.SITE_URL + reverse("newsletter:unsubscribe", args=[token])


def _payload(token: str, salt: str, max_age: timedelta | None) -> dict | None:
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
    payload = {"id": payload} if isinstance(payload, int) else payload
    return payload if isinstance(payload, dict) and isinstance(payload.get("id"), int) else None


def subscriber_from(
    token: str, *, salt: str, max_age: timedelta | None = None
) -> Subscriber | None:
    payload = _payload(token, salt, max_age)
    return None if payload is None else Subscriber.objects.filter(pk=payload["id"]).first()


def choices_from(token: str) -> dict | None:
    """The choices a confirmation link carries, if it carries any."""
    payload = _payload(token, CONFIRM_SALT, CONFIRM_MAX_AGE) or {}
    keys = ("frequency", "themes", "kinds", "language")
    return {key: payload[key] for key in keys if key in payload} or None


@transaction.atomic
def subscribe(
    *, email: str, frequency: str, themes: list[Theme], kinds: list[str], client: str = ""
) -> Subscriber:
    """Mail a confirmation link that carries the choices; nothing changes until it is followed.

    A new address is stored unconfirmed. The answer is the same whoever asks, so nobody learns
    who subscribes; one address gets at most one such message an hour, and every message draws
    on the mail limits of the address and of the client (`limits.mail_slot_take`).
    """
    email = email.strip().lower()
    unknown = [kind for kind in kinds if kind not in PublicationKind.values]
    if unknown:
        raise ValidationError({"kinds": _("Unknown kinds: %(k)s.") % {"k": ", ".join(unknown)}})
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": _("Choose weekly or monthly.")})
    # The language of the page she writes on: her messages use it once she confirms.
    language = translation.get_language() or settings.LANGUAGE_CODE
    choices = {
        "frequency": frequency,
        "themes": sorted(theme.pk for theme in themes),
        "kinds": list(dict.fromkeys(kinds)),
        "language": language,
    }
    subscriber, created = Subscriber.objects.get_or_create(
        email=email,
        defaults={"frequency": frequency, "kinds": choices["kinds"], "language": language},
    )
    if created:
        subscriber.full_clean()
        subscriber.themes.set(themes)
    once_an_hour = limits.limit_take(
        scope="newsletter-confirm", subject=email, count=1, period=limits.HOUR
    )
    if once_an_hour and limits.mail_slot_take(client=client, recipient=email):
        mail.send(
            to=[email],
            template="newsletter_change" if subscriber.is_active else "newsletter_confirm",
            language=language,
            context={"confirm_url": confirm_url(subscriber, choices), "subscriber": subscriber},
        )
    return subscriber


@transaction.atomic
def subscription_confirm(*, subscriber: Subscriber, choices: dict | None = None) -> Subscriber:
    """Confirm the subscription from its mailed link, with the choices the link carries."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    subscriber.confirmed_at = subscriber.confirmed_at or timezone.now()
    subscriber.unsubscribed_at = None
    if choices:
        subscriber.frequency = choices.get("frequency", subscriber.frequency)
        subscriber.kinds = choices.get("kinds", subscriber.kinds)
        subscriber.language = choices.get("language", subscriber.language)
        subscriber.full_clean()
        subscriber.themes.set(Theme.objects.filter(pk__in=choices.get("themes", [])))
    subscriber.save()
    return subscriber


@transaction.atomic
def unsubscribe(*, subscriber: Subscriber) -> Subscriber:
    """Stop every message at once; queued ones are skipped when their turn comes."""
    if subscriber.unsubscribed_at is None:
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["unsubscribed_at"])
    return subscriber


def items_for(subscriber: Subscriber, issue: Issue) -> tuple[list[Publication], list[Publication]]:
    """(new, started) of the issue that match the subscriber's themes and kinds."""
    publications = issue.publications.all()
    if subscriber.kinds:
        publications = publications.filter(kind__in=subscriber.kinds)
    theme_ids = [theme.pk for theme in subscriber.themes.all()]
    if theme_ids:
        publications = publications.filter(themes__in=theme_ids).distinct()
    rows = list(publications.select_related("producer").order_by("-published_on", "title"))
    new = [p for p in rows if p.status == PublicationStatus.PUBLISHED]
    started = [p for p in rows if p.status == PublicationStatus.ONGOING]
    return new, started


def _period_items(start: date, end: date) -> list[Publication]:
    """Published in the period, or started in it (ongoing work first listed then)."""
    published = Publication.objects.filter(
        status=PublicationStatus.PUBLISHED, published_on__gte=start, published_on__lt=end
    )
    started = Publication.objects.filter(
        status=PublicationStatus.ONGOING, created_at__date__gte=start, created_at__date__lt=end
    )
    return list(published) + list(started)


def _queue(issue: Issue, subscribers: list[Subscriber]) -> int:
    from .tasks import deliver_issue

    deliveries = Delivery.objects.bulk_create(
        Delivery(issue=issue, subscriber=subscriber) for subscriber in subscribers
    )
    for delivery in deliveries:
        deliver_issue.enqueue(delivery_id=delivery.pk, attempt=1)
    return len(deliveries)


def digest_subject(*, start: date, end: date) -> str:
    """A digest's subject in the active language (the period runs from `start` until `end`)."""
    return _("New in the library %(start)s–%(end)s") % {
        "start": start.strftime("%d.%m."),
        "end": (end - timedelta(days=1)).strftime("%d.%m.%Y"),
    }


def issue_subject(issue: Issue) -> str:
    """The subject in the active language: a digest's is made for each reader's language, an
    issue an editor wrote keeps her words."""
    if issue.kind == IssueKind.DIGEST and issue.period_start and issue.period_end:
        return digest_subject(start=issue.period_start, end=issue.period_end)
    return issue.subject


@transaction.atomic
def digest_make(*, frequency: str, end: date) -> Issue | None:
    """The digest of the period before `end` (a week or a month) for the subscribers who chose
    that frequency, each getting only the items of her themes and kinds; nobody gets an empty
    digest. Making the same digest twice does nothing."""
    start = end - timedelta(days=7) if frequency == Frequency.WEEKLY else _month_before(end)
    if Issue.objects.filter(kind=IssueKind.DIGEST, frequency=frequency, period_end=end).exists():
        return None
    items = _period_items(start, end)
    try:
        with transaction.atomic():
            issue = Issue.objects.create(
                kind=IssueKind.DIGEST,
                frequency=frequency,
                subject=digest_subject(start=start, end=end),
                period_start=start,
                period_end=end,
            )
    except IntegrityError:
        return None  # another worker made it at the same moment
    issue.publications.set(items)
    receivers = [
        subscriber
        for subscriber in Subscriber.objects.filter(
            frequency=frequency, confirmed_at__isnull=False, unsubscribed_at__isnull=True
        ).prefetch_related("themes")
        if any(items_for(subscriber, issue))
    ]
    _queue(issue, receivers)
    return issue


def _month_before(end: date) -> date:
    previous = end - timedelta(days=1)
    return previous.replace(day=1)


@transaction.atomic
def issue_write(*, actor: User, subject: str, body: str, include_days: int = 0) -> Issue:
    """An issue an editor writes, to every confirmed subscriber, with the new and started work
    of the last days if she wants it."""
    policy.require(policy.may_write_newsletter(actor))
    subject, body = subject.strip(), body.strip()
    errors = {}
    if not subject:
        errors["subject"] = _("Write a subject.")
    if not body:
        errors["body"] = _("Write the text of the issue.")
    if errors:
        raise ValidationError(errors)
    issue = Issue.objects.create(
        kind=IssueKind.MANUAL, subject=subject, body=body, created_by=actor
    )
    if include_days:
        end = timezone.localdate() + timedelta(days=1)
        issue.period_start, issue.period_end = end - timedelta(days=include_days), end
        issue.save(update_fields=["period_start", "period_end"])
        issue.publications.set(_period_items(issue.period_start, end))
    _queue(
        issue,
        list(Subscriber.objects.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)),
    )
    return issue


def digests_due(*, today: date) -> list[Issue]:
    """The daily task's work: Monday makes the weekly digest, the 1st the monthly one."""
    made = []
    if today.weekday() == 0:
        made.append(digest_make(frequency=Frequency.WEEKLY, end=today))
    if today.day == 1:
        made.append(digest_make(frequency=Frequency.MONTHLY, end=today))
    return [issue for issue in made if issue is not None]


@transaction.atomic
def subscriber_erase(*, email: str) -> int:
    """Forget a subscriber (GDPR), her send log with her; returns how many rows went."""
    subscribers = Subscriber.objects.filter(email__iexact=email.strip())
    Delivery.objects.filter(subscriber__in=subscribers).delete()
    count, _ = subscribers.delete()
    return count
