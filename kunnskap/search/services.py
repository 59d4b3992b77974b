"""Writes to the search index. The owning apps call these in the transaction of their change."""

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import batched

from django.db import connection, transaction

from .analysis import Analysis, analyse
from .engines import engine
from .models import ALL_DOCUMENTS, SearchDocument, SearchStem, SearchWord

BATCH = 400
NEW_BATCH = 2_000


@dataclass(frozen=True)
class NewDocument:
    kind: str
    key: str
    title: str
    body: str
    public: bool = True


@transaction.atomic
def document_index(*, kind: str, key: str, title: str, body: str, public: bool = True) -> None:
    """Add or replace one document in the index, in the caller's transaction."""
    # PostgreSQL text cannot hold NUL, and it means nothing in a title or a body.
    title, body = title.replace("\x00", " ").strip(), body.replace("\x00", " ")
    document = SearchDocument.objects.select_for_update().filter(kind=kind, key=key).first()
    before = analyse(document.title, document.body) if document else None
    unchanged = document is not None and (document.title, document.body) == (title, body)
    if document is None:
        document = SearchDocument(kind=kind, key=key)
    after = analyse(title, body)
    document.title, document.body, document.public = title, body, public
    document.title_terms = " ".join(after.title_terms)
    document.body_terms = " ".join(after.body_terms)
    document.full_clean()
    document.save()
    if unchanged:
        return  # only the visibility changed
    _count(before, after)
    engine().index(document.pk, after)


@transaction.atomic
def document_remove(*, kind: str, key: str) -> None:
    """Take one document out of the index; removing one that is not there does nothing."""
    document = SearchDocument.objects.select_for_update().filter(kind=kind, key=key).first()
    if document is None:
        return
    _count(analyse(document.title, document.body), None)
    engine().unindex(document.pk)
    document.delete()


def documents_add(documents: Iterable[NewDocument]) -> int:
    """Add many documents that are not in the index yet (imports, generated data), in batches:
    the same rows and counts as document_index, in a few statements per batch."""
    added = 0
    for batch in batched(documents, NEW_BATCH):
        with transaction.atomic():
            analyses = [analyse(doc.title, doc.body) for doc in batch]
            rows = SearchDocument.objects.bulk_create(
                SearchDocument(
                    kind=doc.kind,
                    key=doc.key,
                    title=doc.title.replace("\x00", " ").strip(),
                    body=doc.body.replace("\x00", " "),
                    public=doc.public,
                    title_terms=" ".join(analysis.title_terms),
                    body_terms=" ".join(analysis.body_terms),
                )
                for doc, analysis in zip(batch, analyses, strict=True)
            )
            _count_changes([(None, analysis) for analysis in analyses])
            engine().index_new([(row.pk, a) for row, a in zip(rows, analyses, strict=True)])
        added += len(batch)
    return added


def index_rebuild(*, batch: int = NEW_BATCH) -> int:
    """Analyse every document again and rebuild the counters and the engine's index from them;
    returns how many documents. For when the analysis changed (a new stemming rule, a change to
    data/forms.txt, variants.txt or the stop words): `kunnskap reindex` runs it. One
    transaction: searches see the old index until it commits."""
    with transaction.atomic():
        SearchStem.objects.all().delete()
        removed = list(SearchWord.objects.values_list("pk", flat=True))
        SearchWord.objects.all().delete()
        engine().words_removed(removed)
        ids = list(SearchDocument.objects.order_by("pk").values_list("pk", flat=True))
        for chunk in batched(ids, batch):
            documents = list(
                SearchDocument.objects.filter(pk__in=chunk).only("pk", "title", "body")
            )
            analyses = [analyse(document.title, document.body) for document in documents]
            for document, analysis in zip(documents, analyses, strict=True):
                document.title_terms = " ".join(analysis.title_terms)
                document.body_terms = " ".join(analysis.body_terms)
                engine().unindex(document.pk)
            SearchDocument.objects.bulk_update(documents, ["title_terms", "body_terms"])
            _count_changes([(None, analysis) for analysis in analyses])
            engine().index_new([(d.pk, a) for d, a in zip(documents, analyses, strict=True)])
        return len(ids)


def _count(before: Analysis | None, after: Analysis | None) -> None:
    """Move the document and word frequencies from one version of a document to the next."""
    _count_changes([(before, after)])


def _count_changes(changes: Sequence[tuple[Analysis | None, Analysis | None]]) -> None:
    stems: Counter[str] = Counter()
    words: Counter[str] = Counter()
    stem_of: dict[str, str] = {}
    for analysis, sign in (
        (analysis, sign)
        for before, after in changes
        for analysis, sign in ((before, -1), (after, 1))
    ):
        if analysis is None:
            continue
        stems[ALL_DOCUMENTS] += sign
        for stem in analysis.stems:
            stems[stem] += sign
        for word, stem in analysis.vocabulary.items():
            words[word] += sign
            stem_of[word] = stem
    _add_stems({stem: n for stem, n in stems.items() if n})
    _add_words({word: (stem_of[word], n) for word, n in words.items() if n})


def _batches[T](items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _add_stems(deltas: dict[str, int]) -> None:
    # Sorted, so that concurrent writers lock the counter rows in one order and never deadlock.
    table = SearchStem._meta.db_table
    with connection.cursor() as cursor:
        for batch in _batches(sorted(deltas.items())):
            cursor.execute(
                f"INSERT INTO {table} (stem, documents) VALUES "
                + ", ".join(["(%s, %s)"] * len(batch))
                + f" ON CONFLICT (stem) DO UPDATE"
                f" SET documents = {table}.documents + excluded.documents",
                [value for row in batch for value in row],
            )
        gone = [stem for stem, n in deltas.items() if n < 0]
        for names in _batches(gone):
            cursor.execute(
                f"DELETE FROM {table} WHERE documents <= 0 AND stem IN ("
                + ", ".join(["%s"] * len(names))
                + ")",
                list(names),
            )


def _add_words(deltas: dict[str, tuple[str, int]]) -> None:
    table = SearchWord._meta.db_table
    added: list[tuple[int, str]] = []
    removed: list[int] = []
    with connection.cursor() as cursor:
        for batch in _batches(sorted(deltas.items())):
            cursor.execute(
                f"INSERT INTO {table} (word, stem, documents) VALUES "
                + ", ".join(["(%s, %s, %s)"] * len(batch))
                + f" ON CONFLICT (word) DO UPDATE"
                f" SET documents = {table}.documents + excluded.documents, stem = excluded.stem"
                " RETURNING id, word, documents",
                [value for word, (stem, n) in batch for value in (word, stem, n)],
            )
            # A word whose count is just what was added was not in the vocabulary before.
            added += [
                (id_, word)
                for id_, word, n in cursor.fetchall()
                if deltas[word][1] > 0 and n == deltas[word][1]
            ]
        gone = [word for word, (_, n) in deltas.items() if n < 0]
        for names in _batches(gone):
            cursor.execute(
                f"DELETE FROM {table} WHERE documents <= 0 AND word IN ("
                + ", ".join(["%s"] * len(names))
                + ") RETURNING id",
                list(names),
            )
            removed += [id_ for (id_,) in cursor.fetchall()]
    engine().words_added(added)
    engine().words_removed(removed)
