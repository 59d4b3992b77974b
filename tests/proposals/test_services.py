"""Submitting a need: ids, the submitter's endorsement, history, receipt and rate limits."""

import pytest
from django.core.exceptions import ValidationError
from django_tasks_db.models import DBTaskResult

from kunnskap.lib.tokens import hash_token
from kunnskap.operations.models import OutboxMessage
from kunnskap.organisations.models import Municipality, Unit
from kunnskap.proposals import services
from kunnskap.proposals.choices import Source, Status
from kunnskap.proposals.models import Endorsement, Proposal, ProposalEvent
from tests.conftest import need


def test_a_need_gets_the_next_id_of_the_year(submit):
    first, _ = submit()
    second, _ = submit(title="Velferdsteknologi og gevinster")
    year = first.submitted_at.year
    assert first.public_id == f"KB{year}-001"
    assert second.public_id == f"KB{year}-002"


def test_a_need_goes_to_its_municipality_s_hub_with_the_submitter_s_endorsement(submit, hov_hub):
    proposal, _token = submit()
    assert proposal.hub == hov_hub
    assert proposal.status == Status.SUBMITTED
    endorsement = Endorsement.objects.get(proposal=proposal)
    assert endorsement.is_original
    assert endorsement.municipality.number == "4601"


def test_submission_writes_a_history_row_and_queues_the_receipt(submit):
    proposal, token = submit()
    event = ProposalEvent.objects.get(proposal=proposal)
    assert (event.from_status, event.to_status) == ("", Status.SUBMITTED)
    receipt = OutboxMessage.objects.get()
    assert receipt.key == f"proposal_receipt:{proposal.public_id}"
    assert receipt.to == ["frida@bergen.kommune.no"]
    assert token in receipt.text
    assert proposal.public_id in receipt.subject
    assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {"message_id": receipt.pk}


def test_only_the_hash_of_the_status_token_is_stored(submit):
    proposal, token = submit()
    link = proposal.status_links.get()
    assert token not in link.token_hash
    assert link.token_hash == hash_token(token)


def test_a_unit_of_another_municipality_is_refused_and_nothing_is_stored(hov_hub):
    other = Unit.objects.create(name="Helse og omsorg", municipality_id="4630")
    with pytest.raises(ValidationError) as error:
        services.proposal_submit(data=need(unit=other), source=Source.WEB)
    assert "unit" in error.value.message_dict
    assert not Proposal.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_unknown_criteria_answers_are_refused(hov_hub):
    with pytest.raises(ValidationError) as error:
        services.proposal_submit(data=need(criteria={"reach": "everyone"}), source=Source.WEB)
    assert "criteria" in error.value.message_dict


def test_too_long_a_question_is_refused(hov_hub):
    with pytest.raises(ValidationError) as error:
        services.proposal_submit(data=need(question="x" * 4001), source=Source.WEB)
    assert "question" in error.value.message_dict


def test_the_rate_limit_counts_submissions_per_client(hov_hub, settings):
    settings.PROPOSAL_RATE_LIMIT_PER_HOUR = 2
    for _ in range(2):
        services.proposal_submit(data=need(), source=Source.WEB, client_hash="abc")
    with pytest.raises(services.RateLimitExceeded):
        services.proposal_submit(data=need(), source=Source.WEB, client_hash="abc")
    services.proposal_submit(data=need(), source=Source.WEB, client_hash="another")
    assert Proposal.objects.count() == 3


def test_the_submitter_edits_until_screening_starts(submit):
    proposal, _ = submit()
    services.proposal_update_by_submitter(proposal=proposal, changes={"title": "Ny tittel"})
    proposal.refresh_from_db()
    assert proposal.title == "Ny tittel"
    assert proposal.events.last().note

    Proposal.objects.filter(pk=proposal.pk).update(status=Status.SCREENING)
    with pytest.raises(ValidationError):
        services.proposal_update_by_submitter(proposal=proposal, changes={"title": "Igjen"})
    proposal.refresh_from_db()
    assert proposal.title == "Ny tittel"


def test_each_municipality_endorses_once(submit):
    proposal, _ = submit()
    osteroy = Municipality.objects.get(number="4630")
    services.proposal_endorse(proposal=proposal, municipality=osteroy, name="Ulf")
    with pytest.raises(ValidationError):
        services.proposal_endorse(proposal=proposal, municipality=osteroy)
    bergen = Municipality.objects.get(number="4601")
    with pytest.raises(ValidationError):  # the submitter's own municipality counts already
        services.proposal_endorse(proposal=proposal, municipality=bergen)
    assert proposal.endorsements.count() == 2


def test_a_unit_does_not_endorse_beside_its_municipality(submit, usht):
    proposal, _ = submit()  # Bergen's own
    with pytest.raises(ValidationError):
        services.proposal_endorse(proposal=proposal, municipality=usht.municipality, unit=usht)
    counted = Proposal.objects.with_endorsement_counts().get(pk=proposal.pk)
    assert proposal.endorsements.count() == 1
    assert counted.endorsing_municipalities == 1


def test_a_municipality_that_endorsed_with_a_unit_does_not_endorse_again(submit, usht):
    proposal, _ = submit(municipality=Municipality.objects.get(number="4630"))
    services.proposal_endorse(proposal=proposal, municipality=usht.municipality, unit=usht)
    with pytest.raises(ValidationError) as error:
        services.proposal_endorse(proposal=proposal, municipality=usht.municipality)
    assert usht.name in str(error.value)
    assert list(proposal.endorsements.values_list("municipality__number", "unit")) == [
        ("4630", None),
        ("4601", usht.pk),
    ]


def test_a_question_to_the_submitter_and_her_answer_go_round_the_queue(submit, berit):
    proposal, _ = submit()
    services.proposal_request_clarification(
        proposal=proposal, actor=berit, question="Gjelder det kroniske sår?"
    )
    proposal.refresh_from_db()
    assert proposal.status == Status.NEEDS_CLARIFICATION
    assert services.open_question(proposal).note == "Gjelder det kroniske sår?"
    # The question goes out with a fresh link, besides the receipt's.
    mails = OutboxMessage.objects.order_by("pk")
    assert "Gjelder det kroniske sår?" in mails.last().text
    assert proposal.status_links.count() == 2

    services.proposal_answer_clarification(proposal=proposal, answer="Ja, leggsår.")
    proposal.refresh_from_db()
    assert proposal.status == Status.SCREENING
    steps = [(e.from_status, e.to_status, e.is_public) for e in proposal.events.all()]
    assert steps == [
        ("", "submitted", True),
        ("submitted", "needs_clarification", False),
        ("needs_clarification", "screening", False),
    ]
    with pytest.raises(ValidationError):
        services.proposal_answer_clarification(proposal=proposal, answer="Igjen")


def test_an_empty_answer_is_refused(submit, berit):
    proposal, _ = submit()
    services.proposal_request_clarification(proposal=proposal, actor=berit, question="Hvem?")
    with pytest.raises(ValidationError):
        services.proposal_answer_clarification(proposal=proposal, answer="  ")
    proposal.refresh_from_db()
    assert proposal.status == Status.NEEDS_CLARIFICATION


def test_lost_links_are_resent_at_most_every_ten_minutes(submit):
    first, _ = submit()
    submit(title="Et annet behov")
    OutboxMessage.objects.all().delete()
    from datetime import timedelta

    from django.utils import timezone

    from kunnskap.proposals.models import StatusLink

    StatusLink.objects.update(created_at=timezone.now() - timedelta(hours=1))
    assert services.status_links_resend(email="FRIDA@bergen.kommune.no") == 2
    text = OutboxMessage.objects.get().text
    assert first.public_id in text
    assert services.status_links_resend(email="frida@bergen.kommune.no") == 0
    assert services.status_links_resend(email="ukjent@example.no") == 0
    assert OutboxMessage.objects.count() == 1
