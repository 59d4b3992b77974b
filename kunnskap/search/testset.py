"""The search test set: documents of the municipal health and care domain, and real questions.

The data is in data/testset.json. Each query names its relevant documents, the most relevant
first; the queries are written as people ask: paraphrases, synonyms, compounds, inflections,
typos and whole questions. `quality.evaluate` runs them; `make bench` reports the figures.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .services import document_index

TESTSET_FILE = Path(__file__).parent / "data" / "testset.json"


@dataclass(frozen=True)
class Document:
    kind: str
    key: str
    title: str
    body: str


@dataclass(frozen=True)
class QueryPair:
    query: str
    relevant: tuple[str, ...]  # document keys, the most relevant first


@cache
def _data() -> dict:
    return json.loads(TESTSET_FILE.read_text(encoding="utf-8"))


def documents() -> list[Document]:
    return [Document(**document) for document in _data()["documents"]]


def pairs() -> list[QueryPair]:
    return [QueryPair(q["query"], tuple(q["relevant"])) for q in _data()["queries"]]


def load() -> int:
    """Index every document of the test set; returns how many."""
    loaded = documents()
    for document in loaded:
        document_index(
            kind=document.kind, key=document.key, title=document.title, body=document.body
        )
    return len(loaded)
