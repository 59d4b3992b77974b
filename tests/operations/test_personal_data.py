"""A person's data by the rules: exported whole on request; after erasure nothing anywhere —
page, API, export, feed, search index, history table — holds her name, address or position."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from kunnskap.newsletter import services as newsletter
from kunnskap.operations.personal_data import personal_data_retention
from kunnskap.organisations.models import Municipality
from kunnskap.proposals import services as proposals
from kunnskap.proposals.choices import Status
from kunnskap.proposals.models import Proposal
from kunnskap.screening.services import proposal_screen

NAME = "Frida Forslagsstiller"
EMAIL = "frida@bergen.kommune.no"
POSITION = "Fagutviklingssykepleier i hjemmetjenesten"
HER = [NAME, EMAIL, POSITION, "Frida", "frida@"]


def every_stored_text() -> str:
    """Every value of every row of every table, as one string: history, search index and all."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            values.extend(f"{table}: {row!r}" for row in cursor.fetchall())
    return "\n".join(values)


def export(email: str = EMAIL) -> dict:
    out = io.StringIO()
    call_command("personal_data", "export", email, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db(transaction=True)
def test_export_then_erase_leaves_nothing_of_her_anywhere(
    submit, frida, berit, ada, client, client_for, run_worker
):
    frida.position = POSITION
    frida.save()
    mine, token = submit(submitter_position=POSITION)
    other, _ = submit(
        title="Velferdsteknologi i hjemmetjenesten",
        submitter_name="Unni Utvalg",
        submitter_email="unni@alver.kommune.no",
        municipality=Municipality.objects.get(number="4631"),
    )
    for need in (mine, other):
        proposal_screen(proposal=need, actor=berit, outcome="eligible")
    proposals.proposal_endorse(
        proposal=other,
        municipality=Municipality.objects.get(number="4601"),
        name=NAME,
        email=EMAIL,
        comment="Vi har også dette behovet i Bergen.",
    )
    newsletter.subscribe(email=EMAIL, frequency="weekly", themes=[], kinds=[])
    run_worker()  # the receipts and the confirmation go out and stay in the outbox
    assert NAME in every_stored_text()

    data = export()
    assert data["account"]["full_name"] == NAME and data["account"]["position"] == POSITION
    (need,) = data["proposals"]
    assert (need["id"], need["submitter_email"], need["submitter_position"]) == (
        mine.public_id,
        EMAIL,
        POSITION,
    )
    # Her own need's endorsement (made by submitting) and the one she gave another municipality's.
    assert sorted(e["proposal"] for e in data["endorsements"]) == [mine.public_id, other.public_id]
    assert data["subscriptions"][0]["frequency"] == "weekly"
    assert len(data["mail"]) >= 2

    out = io.StringIO()
    call_command("personal_data", "erase", EMAIL, stdout=out)
    assert "proposals: 1" in out.getvalue()

    # The need stays, public history and all, under "Innsender slettet".
    mine.refresh_from_db()
    assert (mine.status, mine.submitter_name) == (Status.ELIGIBLE, "Innsender slettet")
    assert mine.events.count() >= 2
    # Nothing stored holds her: rows, history tables, search index, outbox, task queue.
    stored = every_stored_text()
    for trace in HER:
        assert trace not in stored, trace
    # Nor does any page, API answer, feed or export.
    staff = client_for(berit)
    admin = client_for(ada)
    pages = [
        client.get(f"/kunnskapsbehov/{mine.public_id}/"),
        client.get(f"/kunnskapsbehov/{other.public_id}/"),
        client.get(f"/api/v1/proposals/{mine.public_id}"),
        client.get("/api/v1/proposals"),
        client.get("/kunnskapsbehov/"),
        client.get("/kunnskapsbehov/kunnskapsbehov.csv"),
        client.get("/bibliotek/feed/"),
        staff.get(f"/sekretariat/vurdering/{mine.public_id}/"),
        staff.get("/kunnskapsbehov/"),
        staff.get(f"/api/v1/proposals/{mine.public_id}"),
        admin.get(f"/admin/proposals/proposal/{mine.pk}/change/"),
        admin.get(f"/admin/proposals/proposal/{mine.pk}/history/"),
        admin.get(f"/admin/accounts/user/{frida.pk}/history/"),
    ]
    for response in pages:
        assert response.status_code == 200, response.wsgi_request.path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        for trace in HER:
            assert trace not in text, (response.wsgi_request.path, trace)
    assert "Innsender slettet" in staff.get(f"/sekretariat/vurdering/{mine.public_id}/").text
    assert client.get(f"/kunnskapsbehov/status/{token}/").status_code == 404
    after = export()
    del after["exported_at"]
    assert after == {
        "account": None,
        "proposals": [],
        "endorsements": [],
        "subscriptions": [],
        "event_registrations": [],
        "mail": [],
    }


def test_the_daily_retention_anonymises_only_needs_closed_long_enough(submit, berit, settings):
    settings.SUBMITTER_DATA_RETENTION_DAYS = 30
    old, _ = submit()
    recent, _ = submit(title="Et nyere behov")
    still_open, _ = submit(title="Et åpent behov")
    for need in (old, recent):
        proposal_screen(proposal=need, actor=berit, outcome="out_of_scope", note="Utenfor.")
    old.events.update(at=timezone.now() - timedelta(days=31))
    still_open.events.update(at=timezone.now() - timedelta(days=400))

    assert personal_data_retention.call() == "1 need(s) anonymised"

    names = dict(Proposal.objects.values_list("pk", "submitter_name"))
    assert names == {
        old.pk: "Innsender slettet",
        recent.pk: NAME,
        still_open.pk: NAME,
    }
    assert not Proposal.history.filter(id=old.pk, submitter_email=EMAIL).exists()
    assert personal_data_retention.call() == "0 need(s) anonymised"


def test_only_administrators_may_erase_from_the_admin(client_for, berit, ada, submit):
    proposal, _ = submit()
    url = "/admin/proposals/proposal/"
    form = {"action": "erase_personal_data", "_selected_action": [proposal.pk]}
    client_for(berit).post(url, form)
    proposal.refresh_from_db()
    assert proposal.submitter_name == "Frida Forslagsstiller"
    client_for(ada).post(url, form)
    proposal.refresh_from_db()
    assert proposal.submitter_name == "Innsender slettet"
