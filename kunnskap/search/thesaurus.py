"""The thesaurus query expansion reads: data/thesaurus.txt and the librarians' own entries.

The entries are read from the database once and kept in Django's cache (shared by every process
when it is Redis) until an entry changes, and at most THESAURUS_SECONDS, so an edit in the admin
takes effect without a reindex. The parsed thesaurus is kept per process for each distinct set
of entries.
"""

from functools import lru_cache
from typing import Any

from django.core.cache import cache
from django.db import transaction

from .analysis import Thesaurus, data_lines, thesaurus_file, thesaurus_parse

CACHE_KEY = "search:thesaurus:entries"
THESAURUS_SECONDS = 60


def thesaurus() -> Thesaurus:
    """The thesaurus in force: the file's lines and the librarians' entries."""
    lines = cache.get(CACHE_KEY)
    if lines is None:
        from .models import ThesaurusEntry

        lines = tuple(entry.line() for entry in ThesaurusEntry.objects.order_by("pk"))
        cache.set(CACHE_KEY, lines, THESAURUS_SECONDS)
    if not lines:
        return thesaurus_file()
    return _with_entries(tuple(lines))


@lru_cache(maxsize=4)
def _with_entries(lines: tuple[str, ...]) -> Thesaurus:
    return thesaurus_parse([*data_lines("thesaurus.txt"), *lines])


def entries_changed(**_signal: Any) -> None:
    """Forget the cached entries, now and when the changing transaction commits (a search in
    between may have cached the old ones)."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
