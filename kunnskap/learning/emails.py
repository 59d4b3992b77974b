"""The mails of Kunnskapsbroen, one function each, through the outbox (`kunnskap.mail.send`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from kunnskap import mail


def _url(name: str, *args: Any) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def team_invited(*, membership: Any, inviter: Any, new_account: bool) -> None:
    context: dict[str, Any] = {
        "team": membership.team,
        "role": membership.get_role_display(),
        "inviter": inviter.full_name or inviter.email,
        "url": _url("learning:team", membership.team_id),
    }
    if new_account:
        from kunnskap.accounts.forms import password_link_context

        context["password"] = password_link_context(membership.user)
    mail.send(to=[membership.user.email], template="learning_team_invited", context=context)


def _registration_context(registration: Any, token: str = "") -> dict[str, Any]:
    event = registration.event
    return {
        "registration": registration,
        "event": event,
        "sessions": list(event.sessions.all()),
        "name": registration.name,
        "event_url": _url("learning:event", event.pk),
        "ics_url": _url("learning:event_ics", event.pk),
        "cancel_url": _url("learning:cancel", token) if token else "",
    }


def registration_confirmed(*, registration: Any, token: str) -> None:
    """Registered, or on the waiting list; with the cancel link and the calendar file's link."""
    from .services import waiting_position

    context = _registration_context(registration, token)
    context["position"] = waiting_position(registration)
    mail.send(
        to=[registration.email],
        template="learning_registered",
        language=registration.language,
        key=f"learning_registered:{registration.pk}",
        context=context,
    )


def registration_promoted(*, registration: Any) -> None:
    mail.send(
        to=[registration.email],
        template="learning_promoted",
        language=registration.language,
        key=f"learning_promoted:{registration.pk}",
        context=_registration_context(registration),
    )


def event_reminder(*, registration: Any, session: Any) -> None:
    context = _registration_context(registration)
    context["session"] = session
    mail.send(
        to=[registration.email],
        template="learning_reminder",
        language=registration.language,
        key=f"learning_reminder:{registration.pk}",
        context=context,
    )


def participants_message(*, registration: Any, subject: str, text: str, sender: Any) -> None:
    context = _registration_context(registration)
    context.update({"subject": subject, "text": text, "sender": sender.full_name or sender.email})
    mail.send(
        to=[registration.email],
        template="learning_message",
        language=registration.language,
        context=context,
    )
