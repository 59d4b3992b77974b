"""Library pages, the API, the import command and the feeds."""

import json

import pytest
from django.core.management import CommandError, call_command

from kunnskap.library.models import Publication


def test_the_library_page_searches_and_filters(client, publish):
    publish()
    publish(
        title="Fall hos eldre", summary="Trening mot fall.", kind="research_commentary", themes=[]
    )
    page = client.get("/bibliotek/", {"q": "demens"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Musikkterapi" in html and "Fall hos eldre" not in html
    assert "<mark>" in html  # the snippet highlights the match
    filtered = client.get("/bibliotek/", {"type": "research_commentary"})
    assert "Fall hos eldre" in filtered.content.decode()
    assert "Musikkterapi" not in filtered.content.decode()
    assert client.get("/bibliotek/", {"type": "nonsense", "ar": "x"}).status_code == 200
    assert 'type="application/atom+xml"' in client.get("/").content.decode()


def test_a_publication_page_shows_the_needs_and_who_asked(client, publish, submit, accept):
    proposal, _ = submit()
    accept(proposal)
    publication = publish(proposals=[proposal])
    html = client.get(publication.get_absolute_url()).content.decode()
    assert proposal.public_id in html and "Bergen" in html
    assert client.get("/bibliotek/999999/").status_code == 404


def test_editors_create_and_withdraw_through_the_pages(client_for, rita, otto):
    assert client_for(otto).get("/bibliotek/ny/").status_code == 403
    editor = client_for(rita)
    bad = editor.post(
        "/bibliotek/ny/", {"title": "", "kind": "short_summary", "status": "published"}
    )
    assert bad.status_code == 422
    response = editor.post(
        "/bibliotek/ny/",
        {
            "title": "Hverdagsrehabilitering",
            "kind": "short_summary",
            "status": "published",
            "summary": "Hverdagsrehabilitering bedrer trolig funksjon.",
            "proposals": "KB1999-001",
        },
    )
    assert response.status_code == 422 and "KB1999-001" in response.content.decode()
    response = editor.post(
        "/bibliotek/ny/",
        {
            "title": "Hverdagsrehabilitering",
            "kind": "short_summary",
            "status": "published",
            "summary": "Hverdagsrehabilitering bedrer trolig funksjon.",
        },
    )
    publication = Publication.objects.get()
    assert response.status_code == 302 and response.url == publication.get_absolute_url()
    editor.post(f"/bibliotek/{publication.pk}/trekk-tilbake/", {"withdraw-reason": "Feil."})
    publication.refresh_from_db()
    assert publication.status == "withdrawn"


def test_the_api_creates_for_editors_and_searches_for_anyone(client, client_for, rita, frida):
    body = {
        "title": "Søvn på sykehjem",
        "kind": "short_summary",
        "summary": "Søvnhygiene hjelper.",
        "themes": ["sovn"],
        "producer": "FHI",
    }
    anonymous = client.post("/api/v1/publications", body, content_type="application/json")
    assert anonymous.status_code == 401
    assert (
        client_for(frida)
        .post("/api/v1/publications", body, content_type="application/json")
        .status_code
        == 403
    )
    wrong = client_for(rita).post(
        "/api/v1/publications", body | {"themes": ["ukjent"]}, content_type="application/json"
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "themes"
    created = client_for(rita).post("/api/v1/publications", body, content_type="application/json")
    assert created.status_code == 201
    item = created.json()
    assert (item["themes"], item["producer"], item["status"]) == (
        ["sovn"],
        "Folkehelseinstituttet",
        "published",
    )
    found = client.get(
        "/api/v1/publications/search", {"q": "søvnhygienen på sykehjemmet", "kind": "short_summary"}
    ).json()
    assert (
        found["count"] == 1
        and found["items"][0]["id"] == item["id"]
        and "<mark>" in found["items"][0]["snippet"]
    )
    assert (
        client.get("/api/v1/publications/search", {"q": "x", "offset": 3, "limit": 2}).status_code
        == 422
    )
    assert client.get(f"/api/v1/publications/{item['id']}").json()["title"] == "Søvn på sykehjem"
    assert client.get("/api/v1/publications").json()["count"] == 1
    similar = client.get("/api/v1/similar", {"text": "søvn på sykehjem"}).json()["items"]
    assert similar[0]["type"] == "publication"


def test_the_import_checks_every_row_first(db, tmp_path):
    good = {"title": "A", "kind": "short_summary", "summary": "Om a.", "source_id": "a"}
    path = tmp_path / "list.json"
    path.write_text(json.dumps([good, {"title": "B", "kind": "nope", "summary": "b"}, good]))
    with pytest.raises(CommandError) as error:
        call_command("import_publications", str(path))
    message = str(error.value)
    assert "row 2: kind" in message and "row 3: source_id" in message
    assert Publication.objects.count() == 0
    path.write_text(json.dumps([good]))
    call_command("import_publications", str(path))
    path.write_text(json.dumps([good | {"summary": "Om a, oppdatert."}]))
    call_command("import_publications", str(path))  # the same source id updates
    assert Publication.objects.get().summary == "Om a, oppdatert."


def test_feeds_for_all_a_kind_and_a_theme(client, publish):
    publish()
    for path in (
        "/bibliotek/feed/",
        "/bibliotek/feed/type/short_summary/",
        "/bibliotek/feed/tema/demens-behandling/",
    ):
        response = client.get(path)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        assert "Musikkterapi" in response.content.decode()
    assert "Musikkterapi" not in client.get("/bibliotek/feed/tema/sovn/").content.decode()
    assert client.get("/bibliotek/feed/type/nonsense/").status_code == 404


def test_the_result_list_is_cached_and_a_change_shows_at_once(
    db, client, django_assert_max_num_queries
):
    """A second visit reads the list from the cache; any write to a publication bumps the
    library's generation in its transaction, so the next visit renders anew."""
    from kunnskap.library import services
    from kunnskap.library.models import Publication

    services.publication_create(
        data=services.PublicationInput(
            title="Fallforebygging i sykehjem", kind="short_summary", summary="Trening."
        ),
        actor=None,
    )
    first = client.get("/bibliotek/?q=fall")
    assert "Fallforebygging i sykehjem" in first.content.decode()
    with django_assert_max_num_queries(
        2
    ):  # the generation, and the session's language cookie needs none
        again = client.get("/bibliotek/?q=fall")

    def results(response):  # the page around it carries a fresh CSRF token each time
        body = response.content.decode()
        return body[body.index('<div class="library">') : body.index("</section>\n</div>")]

    assert results(again) == results(first)
    publication = Publication.objects.get()
    services.publication_update(
        publication=publication,
        data=services.input_from(publication, title="Fallforebygging på sykehjem"),
        actor=None,
        note="Ny tittel.",
    )
    after = client.get("/bibliotek/?q=fall").content.decode()
    assert "Fallforebygging på sykehjem" in after and "i sykehjem" not in after
    Publication.objects.filter(pk=publication.pk).update(title="Endret utenom tjenestene")
    assert "Endret utenom" not in client.get("/bibliotek/?q=fall").content.decode()  # no signal
    publication.refresh_from_db()
    publication.save()  # a save anywhere, the admin's too, sends one
    assert "Endret utenom tjenestene" in client.get("/bibliotek/?q=fall").content.decode()


def test_a_visitor_gets_the_whole_page_from_the_cache_and_a_signed_in_editor_her_own(
    db, client, client_for, berit, django_assert_num_queries
):
    """Not signed in, the page frame is the same for everyone: a repeated search is one query
    (the generation) and sets no cookie. Signed in, the frame is hers, around the cached list."""
    from kunnskap.library import services

    services.publication_create(
        data=services.PublicationInput(
            title="Fallforebygging i sykehjem", kind="short_summary", summary="Trening."
        ),
        actor=None,
    )
    first = client.get("/bibliotek/?q=fall")
    assert not first.cookies  # no CSRF token, no session: shareable
    with django_assert_num_queries(1):
        again = client.get("/bibliotek/?q=fall")
    assert again.content == first.content
    assert first.templates and not again.templates  # the page came whole from the cache
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Vary"] == "Cookie"

    # The other language is another page.
    client.cookies["kunnskap_language"] = "en"
    english = client.get("/bibliotek/?q=fall").content.decode()
    assert '<html lang="en"' in english

    # A signed-in editor sees her own menu around the same list, never a visitor's page.
    editor = client_for(berit).get("/bibliotek/?q=fall").content.decode()
    assert "Fallforebygging i sykehjem" in editor
    assert "/konto/logg-ut/" in editor

    # A change shows at once for visitors too.
    del client.cookies["kunnskap_language"]
    publication = services.publication_create(
        data=services.PublicationInput(
            title="Fallforebygging hjemme", kind="short_summary", summary="Trening."
        ),
        actor=None,
    )
    assert publication.title in client.get("/bibliotek/?q=fall").content.decode()


def test_a_visitor_with_a_message_waiting_gets_a_page_made_for_her(db, client):
    """A message (say, after unsubscribing) lives in a cookie: her page is hers alone, and no
    other visitor gets it."""
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import Client, RequestFactory

    assert "Du er meldt av" not in client.get("/bibliotek/").content.decode()  # now cached
    storage = CookieStorage(RequestFactory().get("/"))
    her = Client()
    her.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "Du er meldt av.")])
    assert "Du er meldt av." in her.get("/bibliotek/").content.decode()
    assert "Du er meldt av." not in Client().get("/bibliotek/").content.decode()
