"""The follow-up API: adoptions, evaluations, pilots and their search, the statistics."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from kunnskap.followup import services
from kunnskap.followup.models import Adoption, AdoptionStep, Evaluation, Pilot


def _post(client, path, body):
    return client.post(path, body, content_type="application/json")


def test_a_municipality_records_adoption_and_evaluation_through_the_api(
    client_for, frida, product, long_ago
):
    client = client_for(frida)
    path = f"/api/v1/publications/{product.pk}/adoptions"
    response = _post(client, path, {"status": "in_use", "decided_on": long_ago.isoformat()})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["municipality"] == "4601"
    assert body["status"] == "in_use"
    assert body["evaluation_due"] == services.default_evaluation_due(long_ago).isoformat()
    assert [step["status"] for step in body["history"]] == ["in_use"]
    response = _post(
        client,
        f"/api/v1/adoptions/{body['id']}/evaluations",
        {
            "verdict": "partly",
            "old_practice": "partly",
            "measures": [{"what": "Fall", "before": 10, "after": 7, "unit": "per år"}],
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["measures"][0]["after"] == 7
    assert Adoption.objects.get().status == "evaluated"


def test_another_municipality_cannot_write_for_bergen(client_for, otto, product, frida):
    response = _post(
        client_for(otto),
        f"/api/v1/publications/{product.pk}/adoptions",
        {"status": "considering", "municipality": "4601"},
    )
    assert response.status_code == 403
    adoption = services.adoption_record(
        publication=product, municipality=frida.municipality, actor=frida, status="in_use"
    )
    response = _post(
        client_for(otto),
        f"/api/v1/adoptions/{adoption.pk}/evaluations",
        {"verdict": "worked", "old_practice": "stopped"},
    )
    assert response.status_code == 403
    assert not Evaluation.objects.exists()


def test_anonymous_readers_see_only_the_public_fields(client_for, frida, product):
    services.adoption_record(
        publication=product,
        municipality=frida.municipality,
        actor=frida,
        status="considering",
        note="Internt: budsjett mangler",
    )
    path = f"/api/v1/publications/{product.pk}/adoptions"
    public = Client().get(path).json()
    assert public["count"] == 1
    item = public["items"][0]
    assert item["note"] is None and item["history"][0]["note"] is None
    assert "Internt" not in str(public)
    own = client_for(frida).get(path).json()["items"][0]
    assert own["note"] == "Internt: budsjett mangler"
    assert (
        Client().post(path, {"status": "considering"}, content_type="application/json").status_code
        == 401
    )


def test_dates_in_the_wrong_order_are_a_422_naming_the_field(client_for, frida, product, long_ago):
    client = client_for(frida)
    path = f"/api/v1/publications/{product.pk}/adoptions"
    response = _post(
        client,
        path,
        {
            "status": "in_use",
            "decided_on": long_ago.isoformat(),
            "evaluation_due": (long_ago - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "evaluation_due"
    assert not Adoption.objects.exists() and not AdoptionStep.objects.exists()


def test_an_evaluation_before_use_is_a_422(client_for, frida, product):
    adoption = services.adoption_record(
        publication=product, municipality=frida.municipality, actor=frida, status="considering"
    )
    response = _post(
        client_for(frida),
        f"/api/v1/adoptions/{adoption.pk}/evaluations",
        {"verdict": "worked", "old_practice": "stopped"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"
    assert not Evaluation.objects.exists()


def test_an_unknown_product_is_a_404_or_a_422_naming_the_field(client_for, frida):
    client = client_for(frida)
    assert (
        _post(
            client, "/api/v1/publications/999999/adoptions", {"status": "considering"}
        ).status_code
        == 404
    )
    response = _post(
        client,
        "/api/v1/pilots",
        {
            "title": "Sensorer",
            "description": "Prøver",
            "started_on": timezone.localdate().isoformat(),
            "contact_role": "FoU-kontakt",
            "publications": [999999],
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "publications"
    assert not Pilot.objects.exists()


def test_a_pilot_is_registered_and_found_by_a_similar_title(client_for, frida, product, otto):
    response = _post(
        client_for(frida),
        "/api/v1/pilots",
        {
            "title": "Digitalt nattilsyn med sensorer på sykehjem",
            "description": "Vi prøver sensorer i stedet for fysisk tilsyn om natten.",
            "started_on": timezone.localdate().isoformat(),
            "contact_role": "FoU-kontakt",
            "publications": [product.pk],
        },
    )
    assert response.status_code == 201, response.content
    pilot = response.json()
    assert pilot["municipality"] == "4601" and pilot["publications"] == [product.pk]
    found = Client().get("/api/v1/pilots/search", {"q": "nattilsyn sykehjem"}).json()
    assert [item["id"] for item in found["items"]] == [pilot["id"]]
    listed = Client().get("/api/v1/pilots").json()
    assert listed["count"] == 1
    assert (
        _post(
            client_for(otto),
            "/api/v1/pilots",
            {**pilot, "municipality": "4601", "publications": []},
        ).status_code
        == 403
    )


def test_the_adoption_statistics(client_for, frida, product, long_ago):
    adoption = services.adoption_record(
        publication=product,
        municipality=frida.municipality,
        actor=frida,
        status="in_use",
        on=long_ago,
    )
    services.evaluation_record(
        adoption=adoption, actor=frida, verdict="worked", old_practice="stopped"
    )
    body = Client().get("/api/v1/stats/adoptions", {"by": "publication"}).json()
    assert body["items"] == [{"key": str(product.pk), "label": product.title, "count": 1}]
    assert body["summary"]["evaluated_share"] == 1.0
    assert (
        body["summary"]["median_days_to_first_adoption"] == (long_ago - product.published_on).days
    )
    verdicts = Client().get("/api/v1/stats/adoptions", {"by": "verdict"}).json()
    assert {"key": "worked", "label": "Det virket", "count": 1} in verdicts["items"]
    assert Client().get("/api/v1/stats/adoptions", {"by": "nonsense"}).status_code == 422
