"""Search quality on query → relevant-document pairs, measured with the engine in use."""

from collections.abc import Iterable

from .selectors import search
from .testset import QueryPair

DEPTH = 10  # how far down the list a relevant document still counts for the MRR


def rank(pair: QueryPair) -> int | None:
    """The position (1-based) of the first relevant document for the query, or None."""
    hits = search(pair.query, limit=DEPTH, public_only=False)
    relevant = set(pair.relevant)
    return next((i for i, hit in enumerate(hits, start=1) if hit.key in relevant), None)


def evaluate(pairs: Iterable[QueryPair]) -> dict[str, float]:
    """Recall at 1 and at 3 (share of queries with a relevant document that high) and MRR."""
    ranks = [rank(pair) for pair in pairs]
    count = len(ranks)
    if not count:
        return {"recall@1": 0.0, "recall@3": 0.0, "mrr": 0.0, "queries": 0}
    return {
        "recall@1": sum(1 for r in ranks if r == 1) / count,
        "recall@3": sum(1 for r in ranks if r is not None and r <= 3) / count,
        "mrr": sum(1 / r for r in ranks if r is not None) / count,
        "queries": count,
    }
