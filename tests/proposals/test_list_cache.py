"""The lists of needs are kept rendered (kunnskap/caching.py): per what a reader may see, and
stale the moment anything they show changes."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kunnskap.organisations.models import Municipality, Unit
from kunnskap.proposals.models import Endorsement


def _titles(response) -> str:
    return response.content.decode()


def test_each_reader_sees_the_needs_she_may_see_however_the_list_was_cached(
    client, client_for, submit, accept, berit, otto
):
    accept(submit(title="Akseptert behov")[0])
    submit(title="Behov under vurdering")  # not yet screened: only the hub's staff see it
    staff = client_for(berit)
    outsider = client_for(otto)
    for _ in range(2):  # the first visit renders and keeps, the second reads
        assert "Behov under vurdering" in _titles(staff.get("/kunnskapsbehov/"))
        assert "Behov under vurdering" not in _titles(outsider.get("/kunnskapsbehov/"))
        assert "Behov under vurdering" not in _titles(client.get("/kunnskapsbehov/"))
        assert "Akseptert behov" in _titles(client.get("/kunnskapsbehov/"))


def test_a_second_visit_reads_no_needs_and_every_change_shows_at_once(
    client, client_for, submit, accept, berit
):
    proposal, _ = submit(title="Fallforebygging hjemme")
    accept(proposal)
    staff = client_for(berit)
    staff.get("/kunnskapsbehov/")
    with CaptureQueriesContext(connection) as queries:
        again = staff.get("/kunnskapsbehov/")
    assert "Fallforebygging hjemme" in again.content.decode()
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert "proposals_proposal" not in read  # the list came from the cache
    assert len(queries) <= 4  # session, user, roles, generation

    # A new title: any save sends the signal, the admin's too.
    proposal.title = "Fallforebygging i eget hjem"
    proposal.save()
    assert "Fallforebygging i eget hjem" in client.get("/kunnskapsbehov/").content.decode()
    assert "Fallforebygging i eget hjem" in staff.get("/kunnskapsbehov/").content.decode()

    # An endorsement changes the count on the card.
    assert "1 kommune" in client.get("/kunnskapsbehov/").content.decode()
    Endorsement.objects.create(
        proposal=proposal, municipality=Municipality.objects.get(number="4630")
    )
    assert "2 kommuner" in client.get("/kunnskapsbehov/").content.decode()

    # A unit's new name.
    unit = Unit.objects.create(municipality=proposal.municipality, name="Hjemmetjenesten Nord")
    proposal.unit = unit
    proposal.save()
    assert "Hjemmetjenesten Nord" in client.get("/kunnskapsbehov/").content.decode()
    unit.name = "Hjemmetjenesten Sør"
    unit.save()
    assert "Hjemmetjenesten Sør" in client.get("/kunnskapsbehov/").content.decode()


def test_a_filter_answered_by_htmx_is_only_the_results(client, submit, accept):
    accept(submit(title="Velferdsteknologi", question="Gevinster av velferdsteknologi?")[0])
    for _ in range(2):
        response = client.get(
            "/kunnskapsbehov/?q=velferdsteknologi", headers={"HX-Request": "true"}
        )
        body = response.content.decode()
        assert body.lstrip().startswith('<div id="results"')
        assert "Velferdsteknologi" in body and "<html" not in body
    page = client.get("/kunnskapsbehov/?q=velferdsteknologi").content.decode()
    assert "<html" in page and "Velferdsteknologi" in page
