"""Follow-up in the statistics, their exports and the open data."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from kunnskap.followup import services
from kunnskap.library import services as library
from kunnskap.taxonomy.models import PublicationKind


def test_the_statistics_export_the_follow_up_tables(client_for, berit, frida, product):
    adoption = services.adoption_record(
        publication=product,
        municipality=frida.municipality,
        actor=frida,
        status="in_use",
        on=timezone.localdate() - timedelta(days=30),
    )
    services.evaluation_record(
        adoption=adoption, actor=frida, verdict="too_early", old_practice="continues"
    )
    client = client_for(berit)
    csv = b"".join(client.get("/innsikt/tabell/followup_publication.csv").streaming_content)
    assert product.title.encode() in csv
    xlsx = client.get("/innsikt/tabell/followup_summary.xlsx")
    assert xlsx.status_code == 200
    assert client_for(frida).get("/innsikt/tabell/followup_summary.csv").status_code == 403


def test_the_open_data_hold_adoptions_and_pilots_without_notes_or_names(frida, product):
    services.adoption_record(
        publication=product,
        municipality=frida.municipality,
        actor=frida,
        status="considering",
        note="Hemmelig merknad",
    )
    services.pilot_register(
        data=services.PilotInput(
            title="Sensorer om natten",
            description="Vi prøver.",
            municipality=frida.municipality,
            started_on=timezone.localdate(),
            contact_role="FoU-kontakt",
        ),
        actor=frida,
    )
    adoptions = b"".join(Client().get("/innsikt/apne-data/implementeringer.csv").streaming_content)
    assert b"considering" in adoptions and b"Hemmelig" not in adoptions
    pilots = b"".join(Client().get("/innsikt/apne-data/piloter.json").streaming_content)
    assert b"Sensorer om natten" in pilots and b"frida" not in pilots.lower()


def test_a_mini_htas_municipality_records_its_decision_on_the_page(client_for, frida, otto):
    publication = library.publication_create(
        data=library.PublicationInput(
            title="Digitalt tilsyn (MMV)",
            kind=PublicationKind.MINI_HTA,
            summary="Mini-metodevurdering.",
            municipality=frida.municipality,
            published_on=timezone.localdate() - timedelta(days=10),
        ),
        actor=None,
    )
    path = f"/nyttiggjort/mmv/{publication.pk}/vedtak/"
    assert client_for(otto).get(path).status_code == 403
    response = client_for(frida).post(
        path,
        {
            "decision": "not_adopt",
            "meeting": "Ledermøte",
            "decided_by": "Kommunalsjef",
            "decided_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    page = Client().get(publication.get_absolute_url()).content.decode()
    assert "Ledermøte" in page and "Kommunalsjef" in page
