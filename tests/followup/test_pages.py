"""Follow-up pages: what each shows and to whom, bad input at the field, and lists whose query
count does not grow with their rows."""

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kunnskap.followup import services
from kunnskap.followup.models import Adoption, Pilot
from kunnskap.library import services as library
from tests.conftest import make_person, municipality

CLUSTER = ["4601", "4631", "4624", "4630", "4628"]


def english(client: Client | None = None) -> Client:
    """Pages answer in Norwegian by default; these tests read the English source strings."""
    client = client or Client()
    client.cookies["kunnskap_language"] = "en"
    return client


def queries(client: Client, path: str, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200, path
    return len(captured)


def person_of(number: str):
    return make_person(f"fou@{number}.kommune.no", f"FoU {number}", number)


def pilot(actor, title="Sensorer om natten på sykehjem", **changes):
    values = {
        "title": title,
        "description": "Vi prøver digitalt nattilsyn med sensorer.",
        "municipality": actor.municipality,
        "started_on": timezone.localdate() - timedelta(days=30),
        "contact_role": "FoU-kontakt",
    }
    return services.pilot_register(data=services.PilotInput(**(values | changes)), actor=actor)


def test_the_pilot_register_lists_searches_and_does_not_grow_in_queries(frida):
    client = Client()
    pilot(frida)
    queries(client, "/nyttiggjort/", q="sensorer")  # the search's thesaurus is read once, and kept
    one, one_search = (
        queries(client, "/nyttiggjort/"),
        queries(client, "/nyttiggjort/", q="sensorer"),
    )
    for n in range(12):
        pilot(frida, title=f"Sensorer i omsorgsbolig {n}")
    assert queries(client, "/nyttiggjort/") == one
    assert queries(client, "/nyttiggjort/", q="sensorer") == one_search
    page = client.get("/nyttiggjort/", {"q": "sensorer"}).content.decode()
    assert "Sensorer om natten på sykehjem" in page
    assert "frida" not in page.lower()  # no person's name or address on public pages


def test_the_pilot_register_says_so_when_nothing_matches(db):
    page = english().get("/nyttiggjort/", {"q": "teleskop"}).content.decode()
    assert "No pilot matches “teleskop”" in page


def test_similar_pilots_are_shown_while_typing(frida):
    pilot(frida)
    page = Client().get("/nyttiggjort/piloter/lignende/", {"title": "nattilsyn sensorer"})
    assert "Sensorer om natten på sykehjem" in page.content.decode()


def test_a_pilot_form_with_dates_in_the_wrong_order_answers_422_at_the_field(client_for, frida):
    today = timezone.localdate()
    response = english(client_for(frida)).post(
        "/nyttiggjort/piloter/ny/",
        {
            "title": "Sensorer",
            "description": "Prøver",
            "municipality": "4601",
            "started_on": today.isoformat(),
            "evaluation_due": (today - timedelta(days=3)).isoformat(),
            "contact_role": "FoU-kontakt",
        },
    )
    assert response.status_code == 422
    assert "The planned evaluation must come after the start." in response.content.decode()
    assert not Pilot.objects.exists()


def test_an_anonymous_question_about_a_pilot_is_limited(frida, berit, settings):
    settings.MAIL_LIMIT_PER_CLIENT_PER_HOUR = 1
    the_pilot = pilot(frida)
    client = Client()
    form = {"name": "Nora", "email": "nora@voss.kommune.no", "message": "Hvordan gikk det?"}
    assert client.post(the_pilot.get_absolute_url(), form).status_code == 302
    second = client.post(the_pilot.get_absolute_url(), form)
    assert second.status_code == 422


def test_the_product_page_shows_who_uses_it_and_its_queries_do_not_grow(product, frida, berit):
    client = english()
    first = services.adoption_record(
        publication=product, municipality=frida.municipality, actor=frida, status="in_use"
    )
    services.evaluation_record(
        adoption=first, actor=frida, verdict="worked", old_practice="stopped"
    )
    one = queries(client, product.get_absolute_url())
    for number in CLUSTER[1:]:
        adoption = services.adoption_record(
            publication=product,
            municipality=municipality(number),
            actor=berit,
            status="in_use",
            on=timezone.localdate() - timedelta(days=20),
        )
        services.evaluation_record(
            adoption=adoption, actor=berit, verdict="worked", old_practice="stopped"
        )
    assert queries(client, product.get_absolute_url()) == one
    page = client.get(product.get_absolute_url()).content.decode()
    assert "Osterøy" in page and "It worked: 5" in page


def test_a_reader_answers_usefulness_and_the_producer_sees_the_comment(
    client_for, product, frida, sigrid
):
    response = client_for(frida).post(
        f"/nyttiggjort/produkt/{product.pk}/nytte/", {"useful": "yes", "comment": "Brukt i vedtak"}
    )
    assert response.status_code == 302
    assert "Brukt i vedtak" not in Client().get(product.get_absolute_url()).content.decode()
    assert "Brukt i vedtak" in client_for(sigrid).get(product.get_absolute_url()).content.decode()


def test_another_municipality_gets_403_on_bergens_record(client_for, product, frida, otto):
    adoption = services.adoption_record(
        publication=product, municipality=frida.municipality, actor=frida, status="in_use"
    )
    assert client_for(otto).get(f"/nyttiggjort/bruk/{adoption.pk}/evaluering/").status_code == 403
    response = client_for(otto).post(
        f"/nyttiggjort/bruk/{adoption.pk}/steg/",
        {"status": "not_adopted", "reason": "other", "on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 403
    assert Adoption.objects.get().status == "in_use"


def test_a_step_in_the_wrong_order_on_the_page_answers_422(client_for, product, frida):
    client = english(client_for(frida))
    response = client.post(
        f"/nyttiggjort/produkt/{product.pk}/",
        {"status": "considering", "on": (timezone.localdate() + timedelta(days=2)).isoformat()},
    )
    assert response.status_code == 422
    assert "The date cannot be in the future." in response.content.decode()
    assert not Adoption.objects.exists()


def test_my_follow_up_and_the_overdue_list_do_not_grow_in_queries(
    client_for, product, frida, berit
):
    long_ago = timezone.localdate() - timedelta(days=500)
    services.adoption_record(
        publication=product,
        municipality=frida.municipality,
        actor=frida,
        status="in_use",
        on=long_ago,
    )
    mine, staff = client_for(frida), client_for(berit)
    one_mine = queries(mine, "/nyttiggjort/mine/")
    one_overdue = queries(staff, "/nyttiggjort/forfalte/")
    for number in CLUSTER[1:]:
        services.adoption_record(
            publication=product,
            municipality=municipality(number),
            actor=berit,
            status="in_use",
            on=long_ago,
        )
    for n in range(3):
        other = library.publication_create(
            data=library.input_from(product, title=f"Annet produkt {n}", source_id=None),
            actor=None,
        )
        services.adoption_record(
            publication=other,
            municipality=frida.municipality,
            actor=frida,
            status="in_use",
            on=long_ago,
        )
    assert queries(mine, "/nyttiggjort/mine/") == one_mine
    assert queries(staff, "/nyttiggjort/forfalte/") == one_overdue
    overdue = staff.get("/nyttiggjort/forfalte/").content.decode()
    assert "Osterøy" in overdue
    assert client_for(frida).get("/nyttiggjort/forfalte/").status_code == 403


def test_the_accountability_page_follows_a_decision_to_its_evaluations(
    published_order, berit, client_for
):
    client = english()
    one = queries(client, "/nyttiggjort/vedtak/")
    for number in CLUSTER:
        adoption = services.adoption_record(
            publication=published_order,
            municipality=municipality(number),
            actor=berit,
            status="in_use",
            on=timezone.localdate() - timedelta(days=10),
        )
    services.evaluation_record(
        adoption=adoption, actor=berit, verdict="partly", old_practice="continues"
    )
    assert queries(client, "/nyttiggjort/vedtak/") == one
    page = client.get("/nyttiggjort/vedtak/").content.decode()
    assert "5 municipalities use it" in page and "1 evaluation" in page
    assert "100 %" in page
    entry_pk = published_order.commission.entry_id
    detail = client.get(f"/nyttiggjort/vedtak/{entry_pk}/").content.decode()
    assert "It partly worked" in detail
    year = client.get("/nyttiggjort/vedtak/", {"year": 2001}).content.decode()
    assert "No decision to order matches the filters." in year


def test_the_api_lists_do_not_grow_in_queries(product, frida, berit):
    client = Client()
    services.adoption_record(
        publication=product, municipality=frida.municipality, actor=frida, status="considering"
    )
    pilot(frida)
    path = f"/api/v1/publications/{product.pk}/adoptions"
    one, one_pilots = queries(client, path), queries(client, "/api/v1/pilots")
    for number in CLUSTER[1:]:
        services.adoption_record(
            publication=product,
            municipality=municipality(number),
            actor=berit,
            status="considering",
        )
        pilot(berit, municipality=municipality(number), publications=[product])
    assert queries(client, path) == one
    assert queries(client, "/api/v1/pilots") == one_pilots
