"""The library's test set: a publication list imported like any other, and real questions.

data/testset.csv is loaded through `kunnskap import-publications`; data/testset_queries.json
names, for each question, the source ids of the publications that answer it. `evaluate` runs the
questions through the library's own search (the public page's path) and gives recall@1,
recall@3 and MRR; `make bench` reports them for SQLite and PostgreSQL.
"""

import json
from functools import cache
from pathlib import Path

from django.core.management import call_command

from .models import Publication
from .selectors import LibraryQuery, library_search

DATA = Path(__file__).parent / "data"
PUBLICATIONS = DATA / "testset.csv"
QUERIES = DATA / "testset_queries.json"


@cache
def queries() -> list[tuple[str, tuple[str, ...]]]:
    data = json.loads(QUERIES.read_text(encoding="utf-8"))
    return [(q["query"], tuple(q["relevant"])) for q in data["queries"]]


def load() -> None:
    call_command("import_publications", str(PUBLICATIONS), verbosity=0)


def ranked(query: str, *, limit: int = 10) -> list[str | None]:
    """The source ids the library's search lists first for a question."""
    page = library_search(LibraryQuery(q=query), per_page=limit).page
    ids = [publication.pk for publication in page.object_list]
    sources = dict(Publication.objects.filter(pk__in=ids).values_list("pk", "source_id"))
    return [sources[pk] for pk in ids]


def evaluate() -> dict[str, float]:
    hits1 = hits3 = reciprocal = 0.0
    pairs = queries()
    for query, relevant in pairs:
        found = ranked(query)
        hits1 += bool(found[:1] and found[0] in relevant)
        hits3 += any(key in relevant for key in found[:3])
        rank = next((n for n, key in enumerate(found, start=1) if key in relevant), None)
        reciprocal += 1 / rank if rank else 0.0
    n = len(pairs)
    return {"recall@1": hits1 / n, "recall@3": hits3 / n, "mrr": reciprocal / n, "queries": n}
