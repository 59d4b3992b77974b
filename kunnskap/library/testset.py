"""The library's test set: a publication list imported like any other, and real questions.

data/testset.csv is loaded through `kunnskap import-publications`; data/testset_queries.json
names, for each question, the source ids of the publications that answer it. `evaluate` runs the
questions through the library's own search (the public page's path) and gives recall@1,
recall@3 and MRR; `make bench` reports them for SQLite and PostgreSQL.

data/testset_short.json holds short queries as people type them in a search box (one to three
words: abbreviations, inflections, spelling variants, nynorsk, synonyms, narrower terms) and
off-topic queries that must find nothing; `evaluate_short` measures them the same way.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.management import call_command

from .models import Publication
from .selectors import LibraryQuery, library_search

DATA = Path(__file__).parent / "data"
PUBLICATIONS = DATA / "testset.csv"
QUERIES = DATA / "testset_queries.json"
SHORT_QUERIES = DATA / "testset_short.json"


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


@dataclass(frozen=True)
class ShortQuery:
    query: str
    kind: str  # abbreviation, inflection, spelling variant, nynorsk, synonym, narrower, compound
    relevant: tuple[str, ...]
    complete: bool  # whether `relevant` names every publication that may be listed


@cache
def _short() -> dict:
    return json.loads(SHORT_QUERIES.read_text(encoding="utf-8"))


def short_queries() -> list[ShortQuery]:
    return [
        ShortQuery(q["query"], q["kind"], tuple(q["relevant"]), q.get("complete", False))
        for q in _short()["queries"]
    ]


def offtopic_queries() -> list[str]:
    return list(_short()["offtopic"])


def evaluate_short() -> dict[str, float]:
    """Recall@3 of the short queries; how many off-topic queries found anything; and how many
    unrelated publications the queries with complete answers listed, per ten queries."""
    pairs = short_queries()
    hits3 = sum(any(key in q.relevant for key in ranked(q.query)[:3]) for q in pairs)
    complete = [q for q in pairs if q.complete]
    unrelated = sum(sum(1 for key in ranked(q.query) if key not in q.relevant) for q in complete)
    offtopic = offtopic_queries()
    return {
        "recall@3": hits3 / len(pairs),
        "queries": len(pairs),
        "off-topic with results": sum(1 for query in offtopic if ranked(query)),
        "off-topic": len(offtopic),
        "unrelated per 10": 10 * unrelated / len(complete),
        "complete": len(complete),
    }
