"""The index structures each engine keeps beside the tables, created only on its own database.

SQLite: an FTS5 table of the analysed (stemmed) title and body, and an FTS5 trigram table over
the vocabulary for compound and spelling look-ups. PostgreSQL: pg_trgm, a text-search
configuration that is the built-in `norwegian` without its stop-word list (the analysis removes
function words itself, and that list drops domain words such as "me" of ME/CFS), a weighted
tsvector column with a GIN index, and a trigram GIN index over the vocabulary.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

SQLITE_FORWARDS = [
    "CREATE VIRTUAL TABLE search_document_fts USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE VIRTUAL TABLE search_word_trigram USING fts5(word, tokenize = 'trigram')",
]
SQLITE_BACKWARDS = [
    "DROP TABLE IF EXISTS search_word_trigram",
    "DROP TABLE IF EXISTS search_document_fts",
]
POSTGRESQL_FORWARDS = [
    "CREATE TEXT SEARCH DICTIONARY kunnskap_norwegian_stem"
    " (TEMPLATE = snowball, LANGUAGE = norwegian)",
    "CREATE TEXT SEARCH CONFIGURATION kunnskap_norwegian (COPY = pg_catalog.norwegian)",
    "ALTER TEXT SEARCH CONFIGURATION kunnskap_norwegian ALTER MAPPING FOR"
    " asciiword, asciihword, hword_asciipart, word, hword, hword_part"
    " WITH kunnskap_norwegian_stem",
    "ALTER TABLE search_searchdocument"
    " ADD COLUMN search_vector tsvector NOT NULL DEFAULT ''::tsvector",
    "CREATE INDEX search_document_vector ON search_searchdocument USING gin (search_vector)",
    "CREATE INDEX search_word_trigram ON search_searchword USING gin (word gin_trgm_ops)",
]
POSTGRESQL_BACKWARDS = [
    "DROP INDEX IF EXISTS search_word_trigram",
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS kunnskap_norwegian",
    "DROP TEXT SEARCH DICTIONARY IF EXISTS kunnskap_norwegian_stem",
]


def run(statements: dict[str, list[str]]):
    def operation(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        TrigramExtension(),  # does nothing outside PostgreSQL
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARDS, "postgresql": POSTGRESQL_FORWARDS}),
            run({"sqlite": SQLITE_BACKWARDS, "postgresql": POSTGRESQL_BACKWARDS}),
        ),
    ]
