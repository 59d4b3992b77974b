"""The page frame: bokmål first, English on request, error pages, health, the municipalities."""

import pytest
from django.test import override_settings


def test_the_front_page_is_norwegian(client, db):
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nb"' in page
    assert "Kunnskapsstøtte" in page
    assert response["Content-Language"] == "nb"


def test_a_browser_asking_for_english_still_gets_norwegian_until_the_visitor_chooses(client, db):
    page = client.get("/", headers={"Accept-Language": "en"}).content.decode()
    assert '<html lang="nb"' in page


def test_the_language_switch_changes_the_language_and_returns_to_the_page(client, db):
    response = client.post("/sprak/", {"language": "en", "next": "/kommuner/"})
    assert response.status_code == 302
    assert response["Location"] == "/kommuner/"
    page = client.get("/kommuner/").content.decode()
    assert '<html lang="en"' in page
    assert "Municipalities" in page


def test_the_front_page_lists_the_regions_with_their_hosts(client, db):
    page = client.get("/").content.decode()
    assert "KSF Vest" in page
    assert "Bergen" in page
    assert "357" in page


def test_the_front_page_links_skip_link_footer_and_accessibility_statement(client, db, settings):
    settings.ACCESSIBILITY_STATEMENT_URL = "https://uustatus.no/nb/erklaringer/publisert/abc"
    page = client.get("/").content.decode()
    assert 'href="#main"' in page
    assert 'id="main"' in page
    assert 'href="https://uustatus.no/nb/erklaringer/publisert/abc"' in page


def test_an_unknown_page_is_a_styled_404(client, db):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    assert 'class="site-header"' in response.content.decode()


def test_a_forbidden_page_is_a_styled_403(client_for, otto):
    response = client_for(otto).get("/admin/", follow=True)
    # Otto is no staff: the admin's sign-in (which is ours, kunnskap/urls.py) refuses him.
    assert response.status_code == 403
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory

    from kunnskap.views import permission_denied

    request = RequestFactory().get("/")
    request.user = otto
    rendered = permission_denied(request, PermissionDenied())
    assert rendered.status_code == 403
    assert "site-header" in rendered.content.decode()


@override_settings(DEBUG=False)
def test_a_server_error_is_a_styled_500_in_both_languages(client, db):
    from django.template.loader import render_to_string

    page = render_to_string("500.html")
    assert '<html lang="nb"' in page
    assert 'lang="en"' in page


def test_healthz_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_fails(client, db, monkeypatch):
    from django.db import connection
    from django.db.utils import OperationalError

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    monkeypatch.undo()
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_the_municipality_list_paginates_and_finds_both_names(client, db):
    first = client.get("/kommuner/")
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.num_pages == 8
    assert "Guovdageaidnu" in client.get("/kommuner/?q=Kautokeino").content.decode()


def test_the_municipality_list_filters_by_county(client, db):
    response = client.get("/kommuner/?county=03")
    assert [m.name for m in response.context["page"].object_list] == ["Oslo"]


def test_an_unknown_county_is_a_field_error_not_a_crash(client, db):
    response = client.get("/kommuner/?county=99")
    assert response.status_code == 200
    assert response.context["form"].errors["county"]


def test_htmx_gets_only_the_results(client, db):
    response = client.get("/kommuner/?q=Bergen", headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="results"')
    assert "<html" not in page


@pytest.mark.parametrize("rows", ["?county=03", ""])
def test_the_municipality_list_queries_do_not_grow_with_rows(
    client, db, rows, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        client.get(f"/kommuner/{rows}")
