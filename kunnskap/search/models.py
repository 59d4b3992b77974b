"""The text index shared by proposals and the library: documents and their vocabulary.

The owning apps keep their own rows; this index holds a copy of the searchable text, written by
`services.document_index` in the same transaction as the owner's change. Each database engine
keeps its own index structures beside these tables (see `engines.py` and the migrations).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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


class ThesaurusRelation(models.TextChoices):
    SYNONYMS = "synonyms", _("Synonyms and abbreviations")
    NARROWER = "narrower", _("Narrower terms")


class ThesaurusEntry(models.Model):
    """A librarian's line of the thesaurus, added to data/thesaurus.txt at query time: a term's
    synonyms (each finds the others) or its narrower terms (the term finds them)."""

    term = models.CharField(_("term"), max_length=100, help_text=_("One word, such as KOLS."))
    relation = models.CharField(
        _("relation"),
        max_length=20,
        choices=ThesaurusRelation.choices,
        default=ThesaurusRelation.SYNONYMS,
    )
    related = models.TextField(
        _("related terms"),
        help_text=_(
            "Separated by commas; a term may be a phrase, such as kronisk obstruktiv lungesykdom."
        ),
    )
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thesaurus entry")
        verbose_name_plural = _("thesaurus")
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term

    def clean(self) -> None:
        from .analysis import content_words

        errors = {}
        if len(content_words(self.term)) != 1 or any(c in self.term for c in ",>#"):
            errors["term"] = _("Write one word (a phrase can be a related term).")
        if not [part for part in self.related.split(",") if content_words(part)]:
            errors["related"] = _("Write at least one related term.")
        elif any(c in self.related for c in ">#"):
            errors["related"] = _("Separate the terms with commas only.")
        if errors:
            raise ValidationError(errors)

    def line(self) -> str:
        """The entry as a line of data/thesaurus.txt."""
        related = " ".join(self.related.split())
        if self.relation == ThesaurusRelation.NARROWER:
            return f"{self.term} > {related}"
        return f"{self.term}, {related}"
