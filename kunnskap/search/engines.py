"""The two index engines: SQLite FTS5 and PostgreSQL full-text search with pg_trgm.

An engine does only what needs the database's own index structures: it keeps the document
index and the vocabulary's trigram index in step with the tables, finds the documents that
contain any of a set of stems (best first by the engine's own rank), or, for a broad query,
the newest documents that contain all of them, and finds the vocabulary words that contain a
fragment. Ranking is done in Python on the analysed terms (`selectors.py`), the same way on both
engines.
"""

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from .analysis import Analysis

# The names the migrations give the structures that live outside Django's models.
DOCUMENTS = "search_searchdocument"
WORDS = "search_searchword"
STEMS = "search_searchstem"
SQLITE_DOCUMENT_INDEX = "search_document_fts"
SQLITE_WORD_INDEX = "search_word_trigram"
POSTGRES_CONFIGURATION = "kunnskap_norwegian"

# What the queries here pass to the database driver.
type SqlParam = bool | int | float | str | list[str] | None


@dataclass(frozen=True)
class Candidate:
    """A document the index found, with the terms ranking needs."""

    id: int
    kind: str
    key: str
    title: str
    title_terms: str
    body_terms: str


class Engine(Protocol):
    def index(self, document_id: int, analysis: Analysis) -> None: ...

    def index_new(self, documents: Sequence[tuple[int, Analysis]]) -> None: ...

    def unindex(self, document_id: int) -> None: ...

    def words_added(self, rows: Sequence[tuple[int, str]]) -> None: ...

    def words_removed(self, ids: Sequence[int]) -> None: ...

    def containing(self, fragment: str, *, limit: int) -> list[tuple[str, str]]: ...

    def frequencies(self, stems: Collection[str]) -> dict[str, int]: ...

    def word_stems(self, words: Collection[str]) -> list[tuple[str, str]]: ...

    def candidates(
        self,
        stems: Collection[str],
        *,
        kinds: Sequence[str] | None,
        public_only: bool,
        limit: int,
    ) -> list[Candidate]: ...

    def recent(
        self,
        stems: Collection[str],
        *,
        kinds: Sequence[str] | None,
        public_only: bool,
        limit: int,
    ) -> list[Candidate]: ...


def _candidates(sql: str, params: Sequence[SqlParam]) -> list[Candidate]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [Candidate(*row) for row in cursor.fetchall()]


class Lookups:
    """Look-ups by many values at once (a typo has hundreds of neighbours), as one parameter."""

    def _values(self, values: Collection[str]) -> tuple[str, SqlParam]:
        """A table expression of the values, with one column named value, and its parameter."""
        raise NotImplementedError

    def frequencies(self, stems: Collection[str]) -> dict[str, int]:
        """How many documents hold each of the stems that any document holds."""
        if not stems:
            return {}
        values, param = self._values(stems)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT s.stem, s.documents FROM {values} JOIN {STEMS} s ON s.stem = v.value",
                [param],
            )
            return dict(cursor.fetchall())

    def word_stems(self, words: Collection[str]) -> list[tuple[str, str]]:
        """The words of the vocabulary among these, with their stems."""
        if not words:
            return []
        values, param = self._values(words)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT w.word, w.stem FROM {values} JOIN {WORDS} w ON w.word = v.value",
                [param],
            )
            return [(word, stem) for word, stem in cursor.fetchall()]


class SQLiteEngine(Lookups):
    """FTS5: one table of stemmed title and body, one trigram table over the vocabulary."""

    def _values(self, values: Collection[str]) -> tuple[str, SqlParam]:
        return "json_each(%s) v", json.dumps(list(values))

    def index(self, document_id: int, analysis: Analysis) -> None:
        with connection.cursor() as cursor:
            # Deleting first also clears a row left behind by a flush that emptied the tables.
            cursor.execute(f"DELETE FROM {SQLITE_DOCUMENT_INDEX} WHERE rowid = %s", [document_id])
            cursor.execute(
                f"INSERT INTO {SQLITE_DOCUMENT_INDEX} (rowid, title, body) VALUES (%s, %s, %s)",
                [document_id, " ".join(analysis.title_terms), " ".join(analysis.body_terms)],
            )

    def index_new(self, documents: Sequence[tuple[int, Analysis]]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {SQLITE_DOCUMENT_INDEX} (rowid, title, body) VALUES (%s, %s, %s)",
                [
                    (id_, " ".join(analysis.title_terms), " ".join(analysis.body_terms))
                    for id_, analysis in documents
                ],
            )

    def unindex(self, document_id: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {SQLITE_DOCUMENT_INDEX} WHERE rowid = %s", [document_id])

    def words_added(self, rows: Sequence[tuple[int, str]]) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                f"DELETE FROM {SQLITE_WORD_INDEX} WHERE rowid = %s", [(id_,) for id_, _ in rows]
            )
            cursor.executemany(
                f"INSERT INTO {SQLITE_WORD_INDEX} (rowid, word) VALUES (%s, %s)", rows
            )

    def words_removed(self, ids: Sequence[int]) -> None:
        if not ids:
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                f"DELETE FROM {SQLITE_WORD_INDEX} WHERE rowid = %s", [(id_,) for id_ in ids]
            )

    def containing(self, fragment: str, *, limit: int) -> list[tuple[str, str]]:
        # A quoted phrase on a trigram table matches every word holding it as a substring.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT w.word, w.stem FROM {SQLITE_WORD_INDEX} t"
                f" JOIN {WORDS} w ON w.id = t.rowid"
                f" WHERE {SQLITE_WORD_INDEX} MATCH %s"
                " ORDER BY w.documents DESC, w.word LIMIT %s",
                [_fts_phrase(fragment), limit],
            )
            return [(word, stem) for word, stem in cursor.fetchall()]

    def candidates(
        self,
        stems: Collection[str],
        *,
        kinds: Sequence[str] | None,
        public_only: bool,
        limit: int,
    ) -> list[Candidate]:
        # Every term is quoted, so nothing a user types is read as FTS5 syntax.
        match = " OR ".join(_fts_phrase(stem) for stem in sorted(stems))
        order = f"bm25({SQLITE_DOCUMENT_INDEX}, 2.0, 1.0), d.id"
        return self._matching(match, order, kinds=kinds, public_only=public_only, limit=limit)

    def recent(
        self,
        stems: Collection[str],
        *,
        kinds: Sequence[str] | None,
        public_only: bool,
        limit: int,
    ) -> list[Candidate]:
        # FTS5 walks its index in rowid order and stops at the limit: no match is ranked.
        match = " AND ".join(_fts_phrase(stem) for stem in sorted(stems))
        order = f"{SQLITE_DOCUMENT_INDEX}.rowid DESC"
        return self._matching(match, order, kinds=kinds, public_only=public_only, limit=limit)

    def _matching(
        self,
        match: str,
        order: str,
        *,
        kinds: Sequence[str] | None,
        public_only: bool,
        limit: int,
    ) -> list[Candidate]:
        sql = (
            "SELECT d.id, d.kind, d.key, d.title, d.title_terms, d.body_terms"
            f" FROM {SQLITE_DOCUMENT_INDEX} JOIN {DOCUMENTS} d"
            f" ON d.id = {SQLITE_DOCUMENT_INDEX}.rowid"
            f" WHERE {SQLITE_DOCUMENT_INDEX} MATCH %s"
        )
        params: list[SqlParam] = [match]
        if public_only:
            sql += " AND d.public"
        if kinds is not None:
            sql += " AND d.kind IN (SELECT value FROM json_each(%s))"
            params.append(json.dumps(list(kinds)))
        sql += f" ORDER BY {order} LIMIT %s"
        params.append(limit)
        return _candidates(sql, params)


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


class PostgreSQLEngine(Lookups):
    """A weighted tsvector (title A, body B) with GIN, and pg_trgm's GIN over the vocabulary."""

    def _values(self, values: Collection[str]) -> tuple[str, SqlParam]:
        # One string, split by the database: a typo's one-edit spellings are thousands of
        # values, and psycopg quotes an array element by element (several ms per search).
        # Words never hold a space: the analysis splits on everything but letters and digits.
        # The empty stem (all documents) would vanish in the split, so it goes as an array.
        if "" in values:
            return "unnest(%s::text[]) v(value)", list(values)
        return "unnest(string_to_array(%s, ' ')) v(value)", " ".join(values)

    def index(self, document_id: int, analysis: Analysis) -> None:
        # The configuration is `norwegian` without its stop-word list: the analysis already left
        # out the function words, and the built-in list would drop domain words such as "me".
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {DOCUMENTS} SET search_vector ="
                f" setweight(to_tsvector('{POSTGRES_CONFIGURATION}', %s), 'A')"
                f" || setweight(to_tsvector('{POSTGRES_CONFIGURATION}', %s), 'B')"
                " WHERE id = %s",
                [" ".join(analysis.title_words), " ".join(analysis.body_words), document_id],
            )

    def index_new(self, documents: Sequence[tuple[int, Analysis]]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {DOCUMENTS} SET search_vector ="
                f" setweight(to_tsvector('{POSTGRES_CONFIGURATION}', %s), 'A')"
                f" || setweight(to_tsvector('{POSTGRES_CONFIGURATION}', %s), 'B')"
                " WHERE id = %s",
                [
                    (" ".join(analysis.title_words), " ".join(analysis.body_words), id_)
                    for id_, analysis in documents
                ],
            )

    def unindex(self, document_id: int) -> None:
        pass  # the vector goes with its row

    def words_added(self, rows: Sequence[tuple[int, str]]) -> None:
        pass  # the trigram index follows the table

    def words_removed(self, ids: Sequence[int]) -> None:
        pass

    def containing(self, fragment: str, *, limit: int) -> list[tuple[str, str]]:
        pattern = "%" + fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT word, stem FROM {WORDS} WHERE word LIKE %s"
                " ORDER BY documents DESC, word LIMIT %s",
                [pattern + "%", limit],
            )
            return [(word, stem) for word, stem in cursor.fetchall()]

    def candidates(
        self,
        stems: Collection[str],
        *,
        kinds: Sequence[str] | None,
        public_only: bool,
        limit: int,
    ) -> list[Candidate]:
        # PostgreSQL stems some words apart that our analysis joins ("sykehjemmet" → sykehjemm,
        # "sykehjem" → sykehjem), so the query asks for every word of the vocabulary that has
        # one of our stems, stemmed by PostgreSQL: exactly the documents that hold those stems.
        sql = (
            "WITH q AS (SELECT to_tsquery("
            f"'{POSTGRES_CONFIGURATION}', string_agg(quote_literal(w.word), ' | ')) AS query"
            f" FROM unnest(%s::text[]) v(value) JOIN {WORDS} w ON w.stem = v.value)"
            " SELECT d.id, d.kind, d.key, d.title, d.title_terms, d.body_terms"
            f" FROM {DOCUMENTS} d, q WHERE d.search_vector @@ q.query"
        )
        # ts_rank, not ts_rank_cd: cover density costs four times as much on a query of many
        # stems (175 of 210 ms for 4,500 matches of 50 stems), and an OR of variants has no
        # covers worth measuring.
        order = "ts_rank(d.search_vector, q.query) DESC, d.id"
        return _filtered(sql, [sorted(stems)], order, kinds, public_only, limit)

    def recent(
        self,
        stems: Collection[str],
        *,
        kinds: Sequence[str] | None,
        public_only: bool,
        limit: int,
    ) -> list[Candidate]:
        # The query goes in as a constant, so the planner sees how common its words are: for a
        # word in a tenth of the documents it walks the primary key backwards and stops at the
        # limit; for a rare combination it intersects the text index.
        words: dict[str, list[str]] = {}
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT stem, word FROM {WORDS} WHERE stem = ANY(%s) ORDER BY word",
                [sorted(stems)],
            )
            for stem, word in cursor.fetchall():
                words.setdefault(stem, []).append(word)
        if len(words) < len(set(stems)):
            return []  # a stem no document holds
        query = " & ".join(
            "(" + " | ".join(_tsquery_word(word) for word in words[stem]) + ")"
            for stem in sorted(words)
        )
        sql = (
            "SELECT d.id, d.kind, d.key, d.title, d.title_terms, d.body_terms"
            f" FROM {DOCUMENTS} d"
            f" WHERE d.search_vector @@ to_tsquery('{POSTGRES_CONFIGURATION}', %s)"
        )
        return _filtered(sql, [query], "d.id DESC", kinds, public_only, limit)


def _filtered(
    sql: str,
    params: list[SqlParam],
    order: str,
    kinds: Sequence[str] | None,
    public_only: bool,
    limit: int,
) -> list[Candidate]:
    """PostgreSQL's candidate query narrowed to public documents and kinds, ordered, limited."""
    if public_only:
        sql += " AND d.public"
    if kinds is not None:
        sql += " AND d.kind = ANY(%s)"
        params = [*params, list(kinds)]
    return _candidates(f"{sql} ORDER BY {order} LIMIT %s", [*params, limit])


def _tsquery_word(word: str) -> str:
    """A word quoted for to_tsquery, which then stems it as the index did."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


_ENGINES: dict[str, Engine] = {"sqlite": SQLiteEngine(), "postgresql": PostgreSQLEngine()}


def engine() -> Engine:
    """The engine of the database in use."""
    try:
        return _ENGINES[connection.vendor]
    except KeyError:
        raise ImproperlyConfigured(
            f"Search supports SQLite and PostgreSQL, not {connection.vendor}."
        ) from None
