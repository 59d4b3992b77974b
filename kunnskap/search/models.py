"""The text index shared by proposals and the library: documents and their vocabulary.

The owning apps keep their own rows; this index holds a copy of the searchable text, written by
`services.document_index` in the same transaction as the owner's change. Each database engine
keeps its own index structures beside these tables (see `engines.py` and the migrations).
"""

from django.db import models

# The stem under which SearchStem counts all documents (no word has an empty stem).
ALL_DOCUMENTS = ""


class SearchDocument(models.Model):
    """One searchable text (a proposal, a publication) known by its owner's kind and key."""

    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    title = models.TextField()
    body = models.TextField(blank=True)
    public = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The analysed terms (Norwegian stems without stop words), space-separated, so ranking reads
    # them instead of analysing every candidate again.
    title_terms = models.TextField(blank=True, editable=False)
    body_terms = models.TextField(blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="search_document_kind_key"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


class SearchStem(models.Model):
    """How many documents contain a stem (for its weight); the empty stem counts all documents."""

    stem = models.CharField(max_length=64, unique=True)
    documents = models.IntegerField(default=0)

    def __str__(self) -> str:
        return self.stem


class SearchWord(models.Model):
    """A word form seen in the documents, for spelling correction and compound look-ups."""

    word = models.CharField(max_length=64, unique=True)
    stem = models.CharField(max_length=64, db_index=True)
    documents = models.IntegerField(default=0)

    def __str__(self) -> str:
        return self.word
