"""An edit in the admin goes through the library's services: a version, the search index."""

from kunnskap.proposals import selectors as proposal_selectors
from tests.admin_forms import change_data


def test_an_admin_edit_of_a_publication_is_versioned_and_found_by_search(client_for, ada, publish):
    publication = publish()
    assert publication.version == 1
    assert str(publication.pk) not in [hit.id for hit in proposal_selectors.similar("kaldtvann")]

    response = client_for(ada).post(
        f"/admin/library/publication/{publication.pk}/change/",
        change_data(publication, ada, title="Kaldtvannsbading mot depresjon"),
    )

    assert response.status_code == 302
    publication.refresh_from_db()
    assert (publication.title, publication.version) == ("Kaldtvannsbading mot depresjon", 2)
    latest = publication.versions.order_by("-version").first()
    assert (latest.version, latest.title, latest.by) == (2, publication.title, ada)
    assert str(publication.pk) in [hit.id for hit in proposal_selectors.similar("kaldtvann")]
    assert list(publication.themes.values_list("key", flat=True)) == ["demens-behandling"]


def test_a_withdrawn_publication_cannot_be_changed_in_the_admin(client_for, ada, publish):
    from kunnskap.library import services

    publication = services.publication_withdraw(publication=publish(), actor=ada, reason="Feil.")

    page = client_for(ada).post(
        f"/admin/library/publication/{publication.pk}/change/",
        change_data(publication, ada, title="Ny tittel"),
    )

    assert page.status_code == 403
    publication.refresh_from_db()
    assert publication.title != "Ny tittel"
