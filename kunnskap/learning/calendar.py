"""Events as iCalendar (RFC 5545, with the icalendar library) and as an Atom feed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from kunnskap.lib.text import xml_safe
from kunnskap.library.feeds import TextSummaryAtom1Feed
from kunnskap.organisations.models import Hub

from .models import Event


def calendar_for(events: Iterable[Event], name: str) -> bytes:
    """One VEVENT per session; no participant's data is in it."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Kunnskapsbroen//NO")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", xml_safe(name))
    for event in events:
        url = settings.SITE_URL + event.get_absolute_url()
        for session in event.sessions.all():
            item = CalendarEvent()
            item.add("uid", f"learning-session-{session.pk}@{settings.SITE_URL.split('//')[-1]}")
            item.add("summary", xml_safe(event.title))
            item.add("dtstart", session.starts_at)
            item.add("dtend", session.ends_at)
            item.add("dtstamp", event.created_at)
            item.add("location", xml_safe(session.place))
            item.add("description", xml_safe(f"{event.description}\n\n{url}".strip()))
            item.add("url", url)
            if event.is_cancelled:
                item.add("status", "CANCELLED")
            calendar.add_component(item)
    return calendar.to_ical()


class EventFeed(Feed):
    """Upcoming events, of one hub or of all."""

    feed_type = TextSummaryAtom1Feed

    def get_object(self, request: HttpRequest, hub_id: int | None = None) -> Hub | None:
        if hub_id is None:
            return None
        return Hub.objects.filter(pk=hub_id).first()

    def title(self, obj: Hub | None) -> str:
        return _("%(where)s: workshops and courses") % {
            "where": obj.name if obj else settings.SITE_NAME
        }

    def link(self, obj: Hub | None) -> str:
        return reverse("learning:events")

    def items(self, obj: Hub | None) -> Any:
        from .selectors import upcoming_events

        return upcoming_events(obj)[:50]

    def item_title(self, item: Event) -> str:
        return xml_safe(f"{item.title} ({item.get_kind_display()})")

    def item_description(self, item: Event) -> str:
        return xml_safe(item.description)

    def item_pubdate(self, item: Event) -> Any:
        return item.created_at
