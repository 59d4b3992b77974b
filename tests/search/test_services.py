"""The index follows its documents: added, replaced and removed in the caller's transaction."""

import pytest
from django.db import transaction

from kunnskap.search.models import SearchDocument, SearchStem, SearchWord
from kunnskap.search.selectors import search
from kunnskap.search.services import document_index, document_remove

from .conftest import keys


def test_an_indexed_document_is_found(index):
    index("7", "Honning ved behandling av sår", "Medisinsk honning på kroniske sår.")
    [hit] = search("honning")
    assert (hit.kind, hit.key, hit.title) == ("publication", "7", "Honning ved behandling av sår")
    assert 0 < hit.score <= 1


def test_indexing_again_replaces_the_text(index):
    index("7", "Honning på sår", "Medisinsk honning.")
    index("7", "Trykksår hos sengeliggende", "Stillingsendring forebygger trykksår.")
    assert SearchDocument.objects.count() == 1
    assert search("honning") == []
    assert keys(search("stillingsendring")) == ["7"]
    assert not SearchWord.objects.filter(word="honning").exists()
    assert SearchStem.objects.get(stem="").documents == 1


def test_the_same_key_of_another_kind_is_another_document(index):
    index("7", "Fall hos eldre", kind="publication")
    index("7", "Fall hos eldre", kind="proposal")
    assert sorted(hit.kind for hit in search("fall")) == ["proposal", "publication"]


def test_a_removed_document_is_not_found_and_leaves_no_words(index):
    index("7", "Honning på sår", "Medisinsk honning.")
    document_remove(kind="publication", key="7")
    assert search("honning") == []
    assert not SearchDocument.objects.exists()
    assert not SearchWord.objects.exists()
    assert not SearchStem.objects.exists()


def test_removing_an_absent_document_does_nothing(db):
    document_remove(kind="publication", key="missing")


def test_word_counts_follow_the_documents(index):
    index("1", "Demens", "Musikk mot uro ved demens.")
    index("2", "Demens og søvn", "Søvn hos personer med demens.")
    assert SearchWord.objects.get(word="demens").documents == 2
    document_remove(kind="publication", key="1")
    assert SearchWord.objects.get(word="demens").documents == 1
    assert not SearchWord.objects.filter(word="musikk").exists()


def test_a_rolled_back_change_leaves_nothing_in_the_index(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        document_index(kind="proposal", key="KB2026-001", title="Sansehager", body="Hager.")
        raise RuntimeError("the owner's change failed")
    assert search("sansehager") == []
    assert not SearchWord.objects.exists()


def test_a_document_needs_a_title(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        document_index(kind="publication", key="1", title="", body="Tekst uten tittel.")


def test_a_nul_character_in_the_text_becomes_a_space(index):
    index("7", "Honning\x00", "Medisinsk\x00honning.")
    assert SearchDocument.objects.get().body == "Medisinsk honning."
    assert keys(search("honning")) == ["7"]


def test_adding_in_bulk_gives_the_index_one_by_one_gives(db):
    """documents_add (imports, generated data) leaves the same rows, counts and hits."""
    from kunnskap.search import testset
    from kunnskap.search.engines import engine
    from kunnskap.search.models import SearchDocument, SearchStem, SearchWord
    from kunnskap.search.selectors import search
    from kunnskap.search.services import NewDocument, documents_add

    def snapshot():
        return (
            sorted(SearchDocument.objects.values_list("kind", "key", "title_terms", "body_terms")),
            sorted(SearchStem.objects.values_list("stem", "documents")),
            sorted(SearchWord.objects.values_list("word", "stem", "documents")),
            [
                [(hit.key, round(hit.score, 6)) for hit in search(pair.query, public_only=False)]
                for pair in testset.pairs()
            ],
        )

    testset.load()
    one_by_one = snapshot()
    for document_id in SearchDocument.objects.values_list("pk", flat=True):
        engine().unindex(document_id)  # the engine's own tables follow the rows
    engine().words_removed(list(SearchWord.objects.values_list("pk", flat=True)))
    SearchDocument.objects.all().delete()
    SearchStem.objects.all().delete()
    SearchWord.objects.all().delete()

    documents = testset.documents()
    assert documents_add(
        NewDocument(kind=d.kind, key=d.key, title=d.title, body=d.body) for d in documents
    ) == len(documents)
    assert snapshot() == one_by_one


def test_a_rebuild_gives_the_index_that_indexing_with_the_new_analysis_gives(db, monkeypatch):
    """After the analysis changes (here: no folding of forms and spellings), `kunnskap reindex`
    leaves the rows, counts and hits that indexing anew with the new analysis leaves."""
    from django.core.management import call_command

    from kunnskap.search import analysis, testset
    from kunnskap.search.models import SearchDocument, SearchStem, SearchWord
    from kunnskap.search.selectors import search

    def snapshot():
        return (
            sorted(SearchDocument.objects.values_list("kind", "key", "title_terms", "body_terms")),
            sorted(SearchStem.objects.values_list("stem", "documents")),
            sorted(SearchWord.objects.values_list("word", "stem", "documents")),
            [
                [(hit.key, round(hit.score, 6)) for hit in search(pair.query, public_only=False)]
                for pair in testset.pairs()
            ],
        )

    testset.load()
    current = snapshot()
    # The index an older analysis wrote: "sjukeheim" and "sykehjem" were two terms.
    monkeypatch.setattr(analysis, "folding", lambda: {})
    analysis.stem.cache_clear()
    call_command("reindex", verbosity=0)
    unfolded = snapshot()
    assert unfolded != current
    monkeypatch.undo()
    analysis.stem.cache_clear()

    call_command("reindex", verbosity=0)
    assert snapshot() == current
