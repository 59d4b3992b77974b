"""Edits in the admin go through the services: history, the timeline, search and the lists."""

from kunnskap.proposals import selectors
from kunnskap.proposals.models import ListGeneration
from tests.admin_forms import change_data


def test_an_admin_edit_of_a_need_s_title_is_found_by_search(client_for, ada, submit, accept):
    proposal = accept(submit()[0])
    generation = ListGeneration.objects.get().value
    assert proposal.public_id not in [item.id for item in selectors.similar("kaldtvannsbading")]

    response = client_for(ada).post(
        f"/admin/proposals/proposal/{proposal.pk}/change/",
        change_data(proposal, ada, title="Kaldtvannsbading mot depresjon"),
    )

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Kaldtvannsbading mot depresjon"
    assert proposal.public_id in [item.id for item in selectors.similar("kaldtvannsbading")]
    assert proposal.history.first().title == "Kaldtvannsbading mot depresjon"
    assert proposal.history.first().history_user == ada
    note = proposal.events.last()
    assert (note.actor, note.staff_only, note.to_status) == (ada, True, "")
    assert note.note.endswith(": tittel.")  # the one field changed, named in bokmål
    assert ListGeneration.objects.get().value > generation


def test_the_admin_adds_no_needs(client_for, ada, db):
    assert client_for(ada).get("/admin/proposals/proposal/add/").status_code == 403
