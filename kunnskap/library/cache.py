"""The library's result lists are cached: searching and counting facets over 100,000
publications is the expensive part of the busiest public page, and the answer only changes when
a publication (or a label it shows) does.

The key holds the language, the query string and the library's `Generation`, which signals bump
in the transaction of every change; a write on one server thus reaches all. The ranking also
depends on word statistics that new needs change a little, so an entry lives at most
`LIBRARY_CACHE_SECONDS`.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest
from django.utils import translation

from .models import Generation, Publication

PREFIX = "library-results"


def generation() -> int:
    return Generation.objects.values_list("value", flat=True).filter(pk=1).first() or 0


def bump(**_signal: Any) -> None:
    """Make every cached list stale (called in the changing transaction)."""
    if not Generation.objects.filter(pk=1).update(value=F("value") + 1):
        Generation.objects.get_or_create(pk=1, defaults={"value": 1})


def key(request: HttpRequest) -> str:
    query = sorted((k, v) for k, values in request.GET.lists() for v in values)
    digest = hashlib.sha256(repr(query).encode()).hexdigest()[:32]
    return f"{PREFIX}:{translation.get_language()}:{generation()}:{digest}"


def get(cache_key: str) -> str | None:
    return cache.get(cache_key) if settings.LIBRARY_CACHE_SECONDS else None


def put(cache_key: str, html: str) -> None:
    if settings.LIBRARY_CACHE_SECONDS:
        cache.set(cache_key, html, settings.LIBRARY_CACHE_SECONDS)


def connect() -> None:
    """What the lists show: publications and their themes and service areas, the names of
    producers, municipalities and taxonomy terms."""
    from kunnskap.commissions.models import Producer
    from kunnskap.organisations.models import Municipality
    from kunnskap.taxonomy.models import ServiceArea, Theme

    for model in (Publication, Producer, Municipality, ServiceArea, Theme):
        post_save.connect(bump, sender=model, dispatch_uid=f"library-bump-save-{model.__name__}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"library-bump-del-{model.__name__}")
    for through in (Publication.themes.through, Publication.service_areas.through):
        m2m_changed.connect(bump, sender=through, dispatch_uid=f"library-bump-{through.__name__}")
