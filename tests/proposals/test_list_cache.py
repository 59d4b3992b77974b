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


def test_signed_in_readers_of_one_scope_share_the_list_and_keep_their_own_frame(
    submit, accept, berit, hov_hub
):
    """Two screeners of the same hub see the same needs: the second reads the first one's list
    from the cache, inside a frame made for her, with a CSRF token of her own."""
    import re

    from django.test import Client

    from kunnskap.accounts.models import Role
    from tests.conftest import make_person

    accept(submit(title="Fallforebygging hjemme")[0])
    bente = make_person("bente@bibliotek.example", "Bente B", "4601", Role.SCREENER, hov_hub)
    first = Client(enforce_csrf_checks=True)
    first.force_login(berit)
    second = Client(enforce_csrf_checks=True)
    second.force_login(bente)
    assert "Fallforebygging hjemme" in first.get("/kunnskapsbehov/").content.decode()
    second.get("/mine-oppgaver/")  # her own task count in the menu is counted once, and kept
    with CaptureQueriesContext(connection) as queries:
        page = second.get("/kunnskapsbehov/")
    assert "proposals_proposal" not in " ".join(q["sql"] for q in queries.captured_queries)
    body = page.content.decode()
    assert "Fallforebygging hjemme" in body and "/konto/logg-ut/" in body
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    assert second.post("/konto/logg-ut/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert "_auth_user_id" not in second.session  # she is signed out, with her own token


def test_a_reader_with_a_message_waiting_gets_a_page_made_for_her(client_for, berit):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    browser = client_for(berit)
    browser.get("/kunnskapsbehov/")  # kept
    storage = CookieStorage(RequestFactory().get("/"))
    browser.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "Lagret.")])
    page = browser.get("/kunnskapsbehov/")
    assert page.templates and "Lagret." in page.content.decode()
    assert "Lagret." not in browser.get("/kunnskapsbehov/").content.decode()  # shown once
