"""A person's data, all of it: exported as JSON on request, or erased (GDPR articles 15 and 17).

Each app erases its own rows through its services (`submitter_erase`, `subscriber_erase`,
`user_anonymise`); this module adds the rows operations keeps (mail in the outbox, old task
arguments) and puts the answers together. Needs stay, with "Innsender slettet" where her name
was; so do their public history and everything the secretariat wrote.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import OutboxMessage


def _addressed_to(rows: Any, email: str, recipients: Any) -> list[Any]:
    return [row for row in rows if email in [str(r).lower() for r in recipients(row)]]


def _outbox_for(email: str) -> list[OutboxMessage]:
    # The recipients are a JSON list; compared in Python, the same on SQLite and PostgreSQL.
    return _addressed_to(OutboxMessage.objects.all(), email, lambda message: message.to)


def personal_data_export(*, email: str) -> dict[str, Any]:
    """Everything held about the person with this address, as plain JSON-ready data."""
    from kunnskap.accounts.models import User
    from kunnskap.newsletter.models import Subscriber
    from kunnskap.proposals.models import Endorsement, Proposal

    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    proposals = Proposal.objects.filter(
        Q(submitter_email__iexact=email) | Q(submitted_by__email__iexact=email)
    ).select_related("municipality", "unit")
    endorsements = Endorsement.objects.filter(
        Q(email__iexact=email) | Q(user__email__iexact=email)
    ).select_related("proposal", "municipality", "unit")
    subscribers = Subscriber.objects.filter(email__iexact=email).prefetch_related("themes")
    from kunnskap.learning.models import Registration

    registrations = Registration.objects.filter(
        Q(email__iexact=email) | Q(user__email__iexact=email)
    ).select_related("event", "municipality")
    return {
        "exported_at": timezone.now(),
        "account": None
        if user is None
        else {
            "email": user.email,
            "full_name": user.full_name,
            "position": user.position,
            "municipality": user.municipality.name if user.municipality else None,
            "is_active": user.is_active,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "roles": [
                {"role": role.role, "hub": str(role.hub)}
                for role in user.role_assignments.select_related("hub")
            ],
            "api_tokens": [
                {"name": token.name, "created_at": token.created_at}
                for token in user.api_tokens.all()
            ],
        },
        "proposals": [
            {
                "id": proposal.public_id,
                "title": proposal.title,
                "question": proposal.question,
                "status": proposal.status,
                "municipality": proposal.municipality.name,
                "unit": proposal.unit.name if proposal.unit else None,
                "submitter_name": proposal.submitter_name,
                "submitter_email": proposal.submitter_email,
                "submitter_position": proposal.submitter_position,
                "submitted_for": proposal.submitted_for,
                "contact_consent": proposal.contact_consent,
                "submitted_at": proposal.submitted_at,
                "events": [
                    {
                        "at": event.at,
                        "from": event.from_status,
                        "to": event.to_status,
                        "note": event.note,
                    }
                    for event in proposal.events.filter(staff_only=False)
                ],
            }
            for proposal in proposals
        ],
        "endorsements": [
            {
                "proposal": endorsement.proposal.public_id,
                "municipality": endorsement.municipality.name,
                "unit": endorsement.unit.name if endorsement.unit else None,
                "name": endorsement.name,
                "email": endorsement.email,
                "comment": endorsement.comment,
                "created_at": endorsement.created_at,
            }
            for endorsement in endorsements
        ],
        "subscriptions": [
            {
                "email": subscriber.email,
                "frequency": subscriber.frequency,
                "themes": [theme.key for theme in subscriber.themes.all()],
                "kinds": subscriber.kinds,
                "created_at": subscriber.created_at,
                "confirmed_at": subscriber.confirmed_at,
                "unsubscribed_at": subscriber.unsubscribed_at,
            }
            for subscriber in subscribers
        ],
        "event_registrations": [
            {
                "event": registration.event.title,
                "name": registration.name,
                "email": registration.email,
                "municipality": registration.municipality.name,
                "status": registration.status,
                "created_at": registration.created_at,
                "cancelled_at": registration.cancelled_at,
            }
            for registration in registrations
        ],
        "mail": [
            {"subject": message.subject, "status": message.status, "created_at": message.created_at}
            for message in _outbox_for(email)
        ],
    }


def personal_data_json(*, email: str) -> str:
    return json.dumps(
        personal_data_export(email=email), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )


@transaction.atomic
def personal_data_erase(*, email: str) -> dict[str, int]:
    """Erase or anonymise everything held about the person; returns what was changed, by kind."""
    from kunnskap.accounts.models import User
    from kunnskap.accounts.services import user_anonymise
    from kunnskap.learning.services import registrations_erase
    from kunnskap.newsletter.services import subscriber_erase
    from kunnskap.proposals.services import submitter_erase

    email = email.strip().lower()
    done = submitter_erase(email=email)
    done["subscriptions"] = subscriber_erase(email=email)
    done["event_registrations"] = registrations_erase(email=email)
    mails = _outbox_for(email)
    OutboxMessage.objects.filter(pk__in=[message.pk for message in mails]).delete()
    done["mails"] = len(mails)
    # Mail queued before the outbox carried its text in the task's arguments.
    old_tasks = _addressed_to(
        DBTaskResult.objects.filter(task_path="kunnskap.mail.deliver_email"),
        email,
        lambda row: row.args_kwargs.get("kwargs", {}).get("to", []),
    )
    DBTaskResult.objects.filter(pk__in=[row.pk for row in old_tasks]).delete()
    done["tasks"] = len(old_tasks)
    users = list(User.objects.filter(email__iexact=email))
    for user in users:
        user_anonymise(user=user)
    done["accounts"] = len(users)
    return done


@task()
def personal_data_retention() -> str:
    """Daily: anonymise the submitters of needs closed longer than the retention period."""
    from kunnskap.proposals.services import submitter_data_expire

    closed_before = timezone.now() - timedelta(days=settings.SUBMITTER_DATA_RETENTION_DAYS)
    count = submitter_data_expire(closed_before=closed_before)
    return f"{count} need(s) anonymised"
