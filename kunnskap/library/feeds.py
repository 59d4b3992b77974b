"""Atom feeds of the library: everything, one kind, one theme."""

from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from kunnskap.lib.text import xml_safe
from kunnskap.taxonomy.models import PublicationKind, Theme

from .models import Publication
from .selectors import latest


class TextSummaryAtom1Feed(Atom1Feed):
    """Atom whose summaries are plain text (`type="text"`), not HTML: a feed reader shows a
    summary's `<img onerror=…>` as the characters anyone typed, never as markup."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        description = item.get("description")
        super().add_item_elements(handler, {**item, "description": None})
        if description is not None:
            handler.addQuickElement("summary", description, {"type": "text"})


class LatestFeed(Feed):
    feed_type = TextSummaryAtom1Feed

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Any:
        return None

    def title(self, obj: Any) -> str:
        return _("%(site)s: new in the library") % {"site": settings.SITE_NAME}

    def subtitle(self, obj: Any) -> str:
        return _("Knowledge products for the municipalities, published and under way.")

    def link(self, obj: Any) -> str:
        return reverse("library:list")

    def items(self, obj: Any) -> Any:
        return latest()

    def item_title(self, item: Publication) -> str:
        kind, status = item.get_kind_display(), item.get_status_display().lower()
        return xml_safe(f"{item.title} ({kind}, {status})")

    def item_description(self, item: Publication) -> str:
        return xml_safe(item.summary)

    def item_pubdate(self, item: Publication) -> Any:
        return item.created_at

    def item_updateddate(self, item: Publication) -> Any:
        return item.updated_at

    def item_author_name(self, item: Publication) -> str:
        return xml_safe(item.producer.name if item.producer else item.authors)


class KindFeed(LatestFeed):
    def get_object(self, request: HttpRequest, **kwargs: Any) -> Any:
        if kwargs["kind"] not in PublicationKind.values:
            raise Http404
        return PublicationKind(kwargs["kind"])

    def title(self, obj: Any) -> str:
        return _("%(site)s: %(kind)s") % {"site": settings.SITE_NAME, "kind": obj.label}

    def link(self, obj: Any) -> str:
        return reverse("library:list") + f"?type={obj.value}"

    def items(self, obj: Any) -> Any:
        return latest(kind=obj.value)


class ThemeFeed(LatestFeed):
    def get_object(self, request: HttpRequest, **kwargs: Any) -> Any:
        theme = Theme.objects.filter(key=kwargs["key"]).first()
        if theme is None:
            raise Http404
        return theme

    def title(self, obj: Any) -> str:
        return _("%(site)s: %(theme)s") % {"site": settings.SITE_NAME, "theme": obj.label}

    def link(self, obj: Any) -> str:
        return reverse("library:list") + f"?tema={obj.key}"

    def items(self, obj: Any) -> Any:
        return latest(theme=obj.key)
