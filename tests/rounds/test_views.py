"""The round's pages through the web client: set-up, scoring, ranking, recommendation, decision."""

import io

import pytest
from django.core import mail
from docx import Document

from kunnskap.proposals.choices import Status
from kunnskap.rounds import services as rounds
from kunnskap.rounds.models import Entry, Round, Stage
from kunnskap.taxonomy.models import PublicationKind


@pytest.fixture
def needs(eligible):
    return [
        eligible(title="Musikkterapi mot uro ved demens"),
        eligible(title="Velferdsteknologi og økonomisk gevinst"),
    ]


def manage(client, round_, **data):
    return client.post(f"/runder/{round_.pk}/administrer/", data)


def test_the_secretariat_creates_and_sets_up_a_round(client_for, berit, ulf, needs, hov_hub):
    client = client_for(berit)
    page = client.get("/runder/ny/")
    assert page.status_code == 200
    form = {
        "hub": hov_hub.pk,
        "name": "Høst 2026",
        "capacity": 4,
        "agreement_threshold": "0.5",
        "criteria_set": "seed-001",
        "proposals_close": "2026-09-26",
        "committee_meeting": "2026-09-01",
        **{f"cost_{kind.value}": 2 for kind in PublicationKind},
    }
    response = client.post("/runder/ny/", form)
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["committee_meeting"]

    response = client.post("/runder/ny/", form | {"committee_meeting": "2026-10-22"})
    round_ = Round.objects.get(name="Høst 2026")
    assert response.status_code == 302
    assert round_.criteria.count() == 10
    assert round_.cost_of("systematic_review") == 2

    assert (
        manage(client, round_, action="member", **{"member-email": "nobody@x.no"}).status_code
        == 422
    )
    assert manage(client, round_, action="member", **{"member-email": ulf.email}).status_code == 302
    response = manage(
        client,
        round_,
        action="entry",
        **{"entry-proposal": needs[0].pk, "entry-product_kind": "short_summary"},
    )
    assert response.status_code == 302
    assert round_.entries.count() == 1
    needs[0].refresh_from_db()
    assert needs[0].status == Status.IN_ROUND
    entry = round_.entries.get()
    assert (
        manage(
            client, round_, action="remove_entry", entry=entry.pk, **{"remove-reason": ""}
        ).status_code
        == 422
    )
    assert (
        manage(
            client, round_, action="remove_entry", entry=entry.pk, **{"remove-reason": "Feil runde"}
        ).status_code
        == 302
    )
    needs[0].refresh_from_db()
    assert needs[0].status == Status.ELIGIBLE

    page = client.get(f"/runder/{round_.pk}/administrer/")
    assert page.status_code == 200
    assert "Ulf Utvalg" in page.content.decode()


def test_pages_refuse_people_without_a_part(client_for, the_round, otto, committee):
    client = client_for(otto)
    for path in ("administrer/", "vurdering/", "rangering/", "innstilling/", "vedtak/"):
        assert client.get(f"/runder/{the_round.pk}/{path}").status_code == 403
    assert client.get(f"/runder/{the_round.pk}/").status_code == 200
    assert client.get("/runder/").status_code == 200


@pytest.mark.django_db(transaction=True)  # the task worker sees committed rows only
def test_a_whole_round_through_the_pages(
    client_for, client, the_round, committee, needs, berit, ulf, unni, tor, sigrid, run_worker
):
    entries = [rounds.entry_add(round_=the_round, proposal=p, actor=berit) for p in needs]
    run_worker()  # the screening e-mails
    mail.outbox.clear()
    staff = client_for(berit)
    assert manage(staff, the_round, action="open").status_code == 302
    the_round.refresh_from_db()
    assert the_round.stage == Stage.SCORING
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([ulf.email, unni.email, tor.email])

    criteria = list(the_round.criteria.all())
    scores = {"ulf": (5, 4), "unni": (4, 2), "tor": (3, 2)}
    for name, person in (("ulf", ulf), ("unni", unni), ("tor", tor)):
        member_client = client_for(person)
        page = member_client.get(f"/runder/{the_round.pk}/vurdering/")
        assert page.status_code == 200
        # Before submitting: the blind view, not the others' scores.
        blind = member_client.get(f"/runder/{the_round.pk}/rangering/")
        assert "rounds/blind.html" in [template.name for template in blind.templates]
        for entry, value in zip(entries, scores[name], strict=True):
            data = {"action": "save", "entry": entry.pk}
            for criterion in criteria:
                data[f"e{entry.pk}-c_{criterion.pk}"] = str(value)
            response = member_client.post(
                f"/runder/{the_round.pk}/vurdering/", data, HTTP_HX_REQUEST="true"
            )
            assert response.status_code == 200
            assert entry.proposal.public_id in response.content.decode()
        response = member_client.post(f"/runder/{the_round.pk}/vurdering/", {"action": "submit"})
        assert response.status_code == 302
        ranking = member_client.get(f"/runder/{the_round.pk}/rangering/")
        assert ranking.status_code == 200
        assert "Ulf Utvalg" in ranking.content.decode()

    # An invalid score is refused at the field.
    bad = client_for(ulf).post(
        f"/runder/{the_round.pk}/vurdering/",
        {"action": "save", "entry": entries[0].pk, f"e{entries[0].pk}-c_{criteria[0].pk}": "9"},
    )
    assert bad.status_code == 422

    assert manage(staff, the_round, action="close").status_code == 302
    page = client_for(ulf).get(f"/runder/{the_round.pk}/innstilling/")  # Ulf chairs
    assert page.status_code == 200
    first, second = entries
    response = client_for(ulf).post(
        f"/runder/{the_round.pk}/innstilling/",
        {f"recommend_{first.pk}": "on", f"recommend_{second.pk}": "on", "note": "Enstemmig."},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.rank, first.recommended, second.rank, second.recommended) == (1, True, 2, True)
    assert first.total == pytest.approx((4 - 1) / 4 * 100)

    docx = client_for(sigrid).get(f"/runder/{the_round.pk}/innstilling.docx")
    assert docx.status_code == 200
    document = Document(io.BytesIO(docx.content))
    table_text = [cell.text for row in document.tables[0].rows for cell in row.cells]
    assert first.proposal.public_id in table_text and second.proposal.public_id in table_text
    assert table_text.index(first.proposal.public_id) < table_text.index(second.proposal.public_id)
    pdf = client_for(sigrid).get(f"/runder/{the_round.pk}/innstilling.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")

    mail.outbox.clear()
    decide = client_for(sigrid)
    response = decide.post(
        f"/runder/{the_round.pk}/vedtak/",
        {
            "entry": first.pk,
            f"d{first.pk}-decision": "commissioned",
            f"d{first.pk}-rationale": "",
            f"d{first.pk}-decided_on": "2026-11-07",
        },
    )
    assert response.status_code == 422
    response = decide.post(
        f"/runder/{the_round.pk}/vedtak/",
        {
            "entry": first.pk,
            f"d{first.pk}-decision": "commissioned",
            f"d{first.pk}-rationale": "Bestilles som kort oppsummering fra FHI.",
            f"d{first.pk}-decided_on": "2026-11-07",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    first.proposal.refresh_from_db()
    assert (first.decision, first.proposal.status) == ("commissioned", Status.COMMISSIONED)
    run_worker()
    assert [m.to for m in mail.outbox] == [[first.proposal.submitter_email]]
    assert "Bestilles som kort oppsummering" in mail.outbox[0].body

    log = client.get("/runder/vedtak/")
    assert log.status_code == 200
    assert first.proposal.public_id in log.content.decode()
    status_page = client.get(first.proposal.get_absolute_url())
    assert "Bestilles som kort oppsummering" in status_page.content.decode()


def test_decision_log_takes_the_same_queries_for_few_and_many(
    client, the_round, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        assert client.get("/runder/vedtak/").status_code == 200
    assert Entry.objects.count() == 0


def test_deferring_offers_a_new_round_and_then_the_one_it_made(
    client_for, the_round, frozen, sigrid, hov_hub
):
    first, _second = frozen
    client = client_for(sigrid)
    page = client.get(f"/runder/{the_round.pk}/vedtak/").content.decode()
    assert "- Select an option -" not in page and "---------" not in page
    assert f"En ny runde i {hov_hub.name}, opprettes i planlegging" in page

    response = client.post(
        f"/runder/{the_round.pk}/vedtak/",
        {
            "entry": first.pk,
            f"d{first.pk}-decision": "deferred",
            f"d{first.pk}-rationale": "Tas opp igjen i neste runde.",
            f"d{first.pk}-decided_on": "2026-11-07",
            f"d{first.pk}-deferred_to": "",
        },
        follow=True,
    )

    created = Round.objects.exclude(pk=the_round.pk).get()
    assert (created.hub, created.stage) == (hov_hub, Stage.PLANNING)
    first.refresh_from_db()
    assert first.deferred_to == created
    text = response.content.decode()
    assert created.name == f"Neste runde etter {the_round.name}"  # the deciding person's language
    assert f"Det er utsatt til {created.name}." in text
    assert f'href="{created.get_absolute_url()}"' in text
    # The next need is offered the round just made, chosen already.
    assert f'<option value="{created.pk}" selected>{created.name}</option>' in text
    assert "opprettes i planlegging</option>" not in text


def test_a_round_offered_for_deferral_is_ignored_when_the_need_is_ordered(
    client_for, the_round, frozen, sigrid, berit, hov_hub
):
    later = rounds.round_create(hub=hov_hub, name="Vår 2027", actor=berit)
    first, _second = frozen
    response = client_for(sigrid).post(
        f"/runder/{the_round.pk}/vedtak/",
        {
            "entry": first.pk,
            f"d{first.pk}-decision": "commissioned",
            f"d{first.pk}-rationale": "Bestilles.",
            f"d{first.pk}-decided_on": "2026-11-07",
            f"d{first.pk}-deferred_to": later.pk,  # the select always sends the next round
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.decision, first.deferred_to) == ("commissioned", None)
