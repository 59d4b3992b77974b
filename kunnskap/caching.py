"""Rendered lists kept in the cache, and made stale by a generation number.

The busiest pages are lists over 100,000 rows: searching, counting and rendering them is most of
their cost, and their content changes far less often than it is read. A `ListCache` keeps the
rendered HTML under a key that holds the language, the query string, what the reader may see,
and a generation number: a one-row table that signals bump in the transaction of every change
the list shows. A change made on one server is thus seen by all at once, and an entry lives at
most `LIST_CACHE_SECONDS` (which also bounds what no signal sees, such as the word statistics a
search ranks by).

Two layers use the same key:
- a part of a page (the facets and results, or the filter form and results), shared by every
  reader of one scope (what she may see), with each reader's own page frame around it. The part
  is made by `render_shared` from the scope and the query alone: no request goes in, so nothing
  of one reader (her name, her permissions, her CSRF token) can reach another, whatever a
  template asks for;
- the whole page, for visitors who are not signed in (`for_visitors`): their frame is the same
  for all, so a repeated visit costs one query, the generation.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template.loader import render_to_string
from django.utils import translation

type View = Callable[..., HttpResponse]


class ListCache:
    def __init__(self, name: str, counter: Callable[[], type[models.Model]]) -> None:
        self.name = name
        self._counter = counter  # the one-row model, found when first used (apps load late)

    def generation(self) -> int:
        # Read on every request the cache answers, so in plain SQL: the ORM's query building
        # cost more than the query.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT value FROM {self._counter()._meta.db_table} WHERE id = 1")
            row = cursor.fetchone()
        return row[0] if row else 0

    def bump(self, **_signal: Any) -> None:
        """Make every cached rendering stale (called in the changing transaction)."""
        counter = self._counter()
        if not counter._default_manager.filter(pk=1).update(value=F("value") + 1):
            counter._default_manager.get_or_create(pk=1, defaults={"value": 1})

    def key(self, request: HttpRequest, *, layer: str = "part", scope: str = "") -> str:
        query = sorted((k, v) for k, values in request.GET.lists() for v in values)
        digest = hashlib.sha256(repr((scope, query)).encode()).hexdigest()[:32]
        language = translation.get_language()
        # Read once per request: a page and its kept part share the number.
        read: dict[str, int] = request.__dict__.setdefault("_list_generations", {})
        if self.name not in read:
            read[self.name] = self.generation()
        return f"{self.name}-{layer}:{language}:{read[self.name]}:{digest}"

    def get(self, key: str) -> Any:
        return cache.get(key) if settings.LIST_CACHE_SECONDS else None

    def put(self, key: str, value: Any) -> None:
        if settings.LIST_CACHE_SECONDS:
            cache.set(key, value, settings.LIST_CACHE_SECONDS)

    def for_visitors(self, view: View) -> View:
        """Keep the whole page for visitors who are not signed in."""

        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not settings.LIST_CACHE_SECONDS or not _is_visitor(request):
                return view(request, *args, **kwargs)
            page_key = self.key(request, layer="page")
            kept = cache.get(page_key)
            if kept is not None:
                content, content_type = kept
                return HttpResponse(content, content_type=content_type)
            response = view(request, *args, **kwargs)
            if _is_shareable(request, response):
                self.put(page_key, (response.content, response["Content-Type"]))
            return response

        return wrapper

    def connect(self, senders: Iterable[type[models.Model]]) -> None:
        """Bump on every save or delete of these models, and on changes of these many-to-many
        tables (their `through` models)."""
        for model in senders:
            uid = f"{self.name}-{model._meta.label}"
            if model._meta.auto_created:  # a many-to-many table
                m2m_changed.connect(self.bump, sender=model, dispatch_uid=uid)
            else:
                post_save.connect(self.bump, sender=model, dispatch_uid=f"{uid}-save")
                post_delete.connect(self.bump, sender=model, dispatch_uid=f"{uid}-delete")


def render_shared(template_name: str, context: dict[str, Any], *, params: QueryDict) -> str:
    """Render a fragment that many readers share from the given context alone.

    Without a request no context processor runs and templates see no `user`, `request` or
    `csrf_token`; `params` stands in for the query string (`{% querystring params ... %}`).
    """
    return render_to_string(template_name, {**context, "params": params})


def _is_visitor(request: HttpRequest) -> bool:
    """Not signed in, and nothing of her own to show: no session and no pending messages. Read
    from the cookies alone, so deciding costs no query."""
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "HX-Request" not in request.headers
    )


def _is_shareable(request: HttpRequest, response: HttpResponse) -> bool:
    """A page is the same for every visitor only if making it touched nothing of hers: no
    cookie, no CSRF token (which would set one), no session."""
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
        and not getattr(response, "streaming", False)
    )
