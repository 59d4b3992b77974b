"""Fragments that the cache shares between readers are made from the reader's scope alone.

Two people of one scope who differ in everything else (name, e-mail, municipality, other roles,
administration rights they do not use here) must get byte-identical fragments, and neither may
find the other's name or address in them. Each fragment is made anew for each of them.
"""

import pytest
from django.core.cache import cache
from django.http import QueryDict

from kunnskap.accounts.models import Role
from kunnskap.caching import render_shared
from kunnskap.library.forms import SearchForm
from kunnskap.library.views import _results
from kunnskap.proposals import selectors
from kunnskap.proposals.views import list_part
from tests.conftest import make_person

pytestmark = pytest.mark.django_db

QUERIES = ["", "q=demens&status=eligible", "page=2"]


@pytest.fixture
def two_screeners(hov_hub, vest_hub):
    """Same scope for the needs (screeners of the HOV hub); otherwise as different as can be."""
    first = make_person(
        "berit@bibliotek.example", "Berit Bibliotekar", "4601", Role.SCREENER, hov_hub
    )
    second = make_person(
        "sara@askoy.kommune.no", "Sara Saksbehandler", "4627", Role.SCREENER, hov_hub
    )
    from kunnskap.accounts import services as accounts

    accounts.role_grant(user=second, role=Role.COMMITTEE, hub=vest_hub)
    accounts.role_grant(user=second, role=Role.EDITOR, hub=hov_hub)
    return first, second


@pytest.fixture
def needs(submit, accept):
    for number in range(20):
        accept(submit(title=f"Fallforebygging {number}")[0])
    accept(submit(title="Musikkterapi ved demens")[0])
    submit(title="Behov under vurdering")  # only the hub's staff see it


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("part", ["content", "results"])
def test_the_needs_list_is_the_same_for_two_readers_of_one_scope(two_screeners, needs, query, part):
    scopes = [selectors.reader_scope(person) for person in two_screeners]
    assert scopes[0] == scopes[1] and scopes[0].hub_ids  # one scope, with private needs
    made = []
    for scope in scopes:
        cache.clear()
        made.append(list_part(scope=scope, params=QueryDict(query), part=part))
    assert made[0] == made[1]
    for person in two_screeners:
        assert person.email not in made[0] and person.get_full_name() not in made[0]
    if not query:
        assert "Behov under vurdering" in made[0]


def test_the_needs_list_page_holds_the_same_list_for_both(client_for, two_screeners, needs):
    """Through the view and its cache: each reader's page frame differs, the list does not."""
    pages = []
    for person in two_screeners:
        cache.clear()
        body = client_for(person).get("/kunnskapsbehov/").content.decode()
        pages.append(body[body.index("<main") : body.index("</main>")])
    assert pages[0] == pages[1]


@pytest.mark.parametrize("query", ["", "q=demens", "kind=short_summary", "sort=newest"])
def test_the_library_results_are_the_same_for_every_reader(rf, two_screeners, otto, query):
    made = []
    for person in [*two_screeners, otto]:
        cache.clear()
        request = rf.get(f"/bibliotek/?{query}")
        request.user = person
        made.append(_results(request, SearchForm(request.GET).query()))
    assert made[0] == made[1] == made[2]


def test_a_shared_fragment_cannot_see_the_reader(rf, berit, settings):
    """A template that asks for the reader gets her when rendered for a request, and nothing
    when rendered to be shared."""
    from django.template.loader import render_to_string

    probe = "[{{ user }}][{{ request.user }}][{{ csrf_token }}][{% if may_screen %}x{% endif %}]"
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "APP_DIRS": False,
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "loaders": [("django.template.loaders.locmem.Loader", {"probe.html": probe})],
            },
        }
    ]
    request = rf.get("/")
    request.user = berit
    assert render_to_string("probe.html", request=request).startswith("[Berit Bibliotekar]")
    assert render_shared("probe.html", {}, params=QueryDict()) == "[][][][]"
