"""Librarians keep the thesaurus in the admin; a search uses an entry at once, no reindex."""

from kunnskap.search.models import ThesaurusEntry
from kunnskap.search.selectors import search

from .conftest import keys


def test_an_entry_added_in_the_admin_finds_its_terms(client_for, ada, index):
    index("alarm", "Trygghetsalarmer for hjemmeboende", "Alarmen varsler ved fall.")
    assert search("ehelse") == []

    response = client_for(ada).post(
        "/admin/search/thesaurusentry/add/",
        {"term": "eHelse", "relation": "narrower", "related": "trygghetsalarm", "note": ""},
    )

    assert response.status_code == 302
    entry = ThesaurusEntry.objects.get()
    assert entry.history.count() == 1
    assert keys(search("ehelse")) == ["alarm"]


def test_an_entry_needs_one_word_and_a_related_term(client_for, ada):
    page = client_for(ada).post(
        "/admin/search/thesaurusentry/add/",
        {"term": "kronisk sykdom", "relation": "synonyms", "related": " , ", "note": ""},
    )

    assert page.status_code == 200
    errors = page.context["adminform"].form.errors
    assert set(errors) == {"term", "related"}
    assert not ThesaurusEntry.objects.exists()


def test_a_person_without_the_right_cannot_open_the_thesaurus(client_for, berit):
    assert client_for(berit).get("/admin/search/thesaurusentry/").status_code == 302
