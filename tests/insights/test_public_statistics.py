"""Seed 003's tables for everyone (/statistikk/): the staff page's numbers for every hub
and round, counts without personal data, kept until the next change and exact after it."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kunnskap.insights.cache import statistics
from kunnskap.organisations.models import Municipality
from kunnskap.proposals import services as proposals


def figures(html: str, slug: str) -> list[tuple[str, str]]:
    """The (label, count) rows of one statistic's table on a page."""
    section = html.split(f'id="{slug}"', 1)[1].split("</section>", 1)[0]
    if "<tbody>" not in section:
        return []
    body = section.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<th scope="row">([^<]*)</th><td class="number">([^<]*)</td>', body)


def test_a_visitor_sees_the_tables_with_the_staff_page_s_numbers(
    client, client_for, berit, journey
):
    public = client.get("/statistikk/")
    assert public.status_code == 200
    html = public.content.decode()
    staff = client_for(berit).get("/innsikt/").content.decode()
    for slug in ("organisation", "service_area", "theme", "municipality", "funnel"):
        assert f'id="{slug}"' in html, slug
    for slug in ("organisation", "municipality", "theme"):
        assert figures(html, slug) == figures(staff, slug) != [], slug
    assert figures(html, "municipality")[0] == ("Bergen", "3")
    # Counts only: never who sent a need, nor what she wrote.
    assert "Frida" not in html and "frida@" not in html
    assert "Honning på sår" not in html


def test_the_tables_narrow_to_a_hub_and_a_round(client, journey, the_round, vest_hub):
    elsewhere = client.get(f"/statistikk/?hub={vest_hub.pk}").content.decode()
    assert figures(elsewhere, "municipality") == []  # KSF Vest has received none
    in_round = client.get(f"/statistikk/?round={the_round.pk}").content.decode()
    # The round's two entries (its hub's window has no dates to add more).
    assert sum(int(n) for _label, n in figures(in_round, "municipality")) == 2
    assert client.get("/statistikk/?round=999999").status_code == 422


def test_the_tables_are_kept_until_a_need_changes_and_then_exact(client, journey):
    client.get("/statistikk/")
    with CaptureQueriesContext(connection) as kept:
        client.get("/statistikk/")
    # The generation, and the hub and round choices of the form: no aggregate over the needs.
    assert not any("GROUP BY" in query["sql"] for query in kept.captured_queries)
    before = statistics.generation()
    proposals.proposal_endorse(
        proposal=journey["ordered"], municipality=Municipality.objects.get(pk="4631")
    )
    assert statistics.generation() > before
    html = client.get("/statistikk/").content.decode()
    assert "Bergen" in dict(figures(html, "municipality"))


def test_the_page_is_linked_from_every_page(client, db):
    assert 'href="/statistikk/"' in client.get("/").content.decode()
