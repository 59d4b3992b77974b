"""Adoption steps, evaluations, a mini-HTA's decision and usefulness: the rules and their rows."""

from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kunnskap.followup import services
from kunnskap.followup.models import (
    Adoption,
    AdoptionStatus,
    AdoptionStep,
    Evaluation,
    HtaDecision,
    Measure,
    Usefulness,
)
from kunnskap.library import services as library
from kunnskap.library.models import PublicationStatus
from kunnskap.operations.models import OutboxMessage
from kunnskap.taxonomy.models import PublicationKind
from tests.conftest import municipality


def _record(product, actor, status, **kw):
    return services.adoption_record(
        publication=product,
        municipality=kw.pop("municipality", None) or actor.municipality,
        actor=actor,
        status=status,
        **kw,
    )


def test_a_municipality_records_its_steps_with_history(product, frida, long_ago):
    adoption = _record(product, frida, "decided_to_adopt", on=long_ago, note="Vedtatt i ledermøtet")
    adoption = _record(product, frida, "in_use", on=long_ago + timedelta(days=30))
    assert adoption.status == AdoptionStatus.IN_USE
    assert adoption.contact == frida
    assert adoption.first_adopted_on == long_ago
    assert adoption.evaluation_due == services.default_evaluation_due(long_ago + timedelta(days=30))
    assert list(adoption.steps.values_list("status", flat=True)) == ["decided_to_adopt", "in_use"]
    assert adoption.history.count() == 2
    assert adoption.history.first().history_user == frida


def test_another_municipality_cannot_record_for_bergen(product, otto, bergen):
    with pytest.raises(PermissionDenied):
        _record(product, otto, "considering", municipality=bergen)
    assert not Adoption.objects.exists()


def test_the_hubs_staff_may_correct_a_member_municipality(product, berit):
    osteroy = municipality("4630")
    adoption = _record(product, berit, "considering", municipality=osteroy)
    assert adoption.municipality == osteroy


def test_a_step_before_the_previous_one_is_refused(product, frida, long_ago):
    _record(product, frida, "decided_to_adopt", on=long_ago)
    with pytest.raises(ValidationError) as error:
        _record(product, frida, "in_use", on=long_ago - timedelta(days=1))
    assert "decided_on" in error.value.message_dict
    assert AdoptionStep.objects.count() == 1


def test_an_evaluation_date_before_use_is_refused(product, frida, long_ago):
    with pytest.raises(ValidationError) as error:
        _record(product, frida, "in_use", on=long_ago, evaluation_due=long_ago)
    assert "evaluation_due" in error.value.message_dict
    assert not Adoption.objects.exists()


def test_not_adopted_needs_a_reason(product, frida):
    with pytest.raises(ValidationError) as error:
        _record(product, frida, "not_adopted")
    assert "reason" in error.value.message_dict
    adoption = _record(product, frida, "not_adopted", reason="too_costly")
    assert adoption.reason == "too_costly"


def test_an_unpublished_product_cannot_be_adopted(product, frida, ada):
    library.publication_withdraw(publication=product, actor=ada, reason="Feil")
    product.refresh_from_db()
    assert product.status == PublicationStatus.WITHDRAWN
    with pytest.raises(ValidationError) as error:
        _record(product, frida, "considering")
    assert "publication" in error.value.message_dict


def test_evaluation_before_use_is_refused(product, frida):
    adoption = _record(product, frida, "decided_to_adopt")
    with pytest.raises(ValidationError) as error:
        services.evaluation_record(
            adoption=adoption, actor=frida, verdict="worked", old_practice="stopped"
        )
    assert "status" in error.value.message_dict
    assert not Evaluation.objects.exists()


def test_an_evaluation_with_measures_marks_the_use_evaluated(product, frida, long_ago):
    adoption = _record(product, frida, "in_use", on=long_ago)
    evaluation = services.evaluation_record(
        adoption=adoption,
        actor=frida,
        verdict="worked",
        old_practice="stopped",
        cost="2 årsverk frigjort",
        measures=[services.MeasureInput(what="Fall om natten", before=12, after=5, unit="per år")],
    )
    adoption.refresh_from_db()
    assert adoption.status == AdoptionStatus.EVALUATED
    assert adoption.evaluation_due is None
    assert Measure.objects.get(evaluation=evaluation).after == 5
    assert adoption.steps.last().status == AdoptionStatus.EVALUATED
    assert evaluation.history.count() == 1


def test_an_evaluation_before_the_use_began_is_refused(product, frida, long_ago):
    adoption = _record(product, frida, "in_use", on=long_ago)
    with pytest.raises(ValidationError) as error:
        services.evaluation_record(
            adoption=adoption,
            actor=frida,
            verdict="worked",
            old_practice="stopped",
            evaluated_on=long_ago - timedelta(days=2),
        )
    assert "evaluated_on" in error.value.message_dict


def test_a_measure_without_a_name_is_refused_by_field(product, frida, long_ago):
    adoption = _record(product, frida, "in_use", on=long_ago)
    with pytest.raises(ValidationError) as error:
        services.evaluation_record(
            adoption=adoption,
            actor=frida,
            verdict="worked",
            old_practice="stopped",
            measures=[services.MeasureInput(what="", before=1, after=2)],
        )
    assert "measures.0.what" in error.value.message_dict
    assert not Evaluation.objects.exists()


def test_the_reminder_goes_to_the_contact_once(product, frida, long_ago):
    adoption = _record(product, frida, "in_use", on=long_ago)
    due = adoption.evaluation_due
    assert services.evaluation_reminders_send(today=due - timedelta(days=31)) == 0
    assert services.evaluation_reminders_send(today=due - timedelta(days=10)) == 1
    assert services.evaluation_reminders_send(today=due) == 0
    message = OutboxMessage.objects.get(key__startswith="evaluation_due:")
    assert message.to == [frida.email]
    assert product.title in message.subject


def test_a_mini_htas_municipality_records_its_decision(frida, otto, long_ago):
    publication = library.publication_create(
        data=library.PublicationInput(
            title="Digitalt tilsyn (MMV)",
            kind=PublicationKind.MINI_HTA,
            summary="Mini-metodevurdering.",
            municipality=frida.municipality,
            published_on=long_ago,
        ),
        actor=None,
    )
    with pytest.raises(PermissionDenied):
        services.hta_decision_record(
            publication=publication,
            actor=otto,
            decision="adopt",
            meeting="Ledermøte",
            decided_by="Kommunedirektøren",
            decided_on=timezone.localdate(),
        )
    with pytest.raises(ValidationError) as error:
        services.hta_decision_record(
            publication=publication,
            actor=frida,
            decision="adopt_with_conditions",
            meeting="Ledermøte",
            decided_by="Kommunedirektøren",
            decided_on=timezone.localdate(),
        )
    assert "conditions" in error.value.message_dict
    decision = services.hta_decision_record(
        publication=publication,
        actor=frida,
        decision="adopt",
        meeting="Ledermøte 3. mars",
        decided_by="Kommunedirektørens ledergruppe",
        decided_on=timezone.localdate(),
    )
    assert HtaDecision.objects.get() == decision
    adoption = Adoption.objects.get(publication=publication)
    assert adoption.status == AdoptionStatus.DECIDED_TO_ADOPT


def test_usefulness_is_one_answer_per_reader(product, frida):
    services.usefulness_answer(publication=product, actor=frida, useful=True)
    services.usefulness_answer(publication=product, actor=frida, useful=False, comment="For smalt")
    row = Usefulness.objects.get()
    assert (row.useful, row.comment) == (False, "For smalt")


def test_a_question_about_a_pilot_reaches_the_secretariat(frida, berit, hov_hub):
    pilot = services.pilot_register(
        data=services.PilotInput(
            title="Sensorer i sykehjem",
            description="Vi prøver sensorer om natten.",
            municipality=frida.municipality,
            started_on=timezone.localdate(),
            contact_role="FoU-kontakt",
        ),
        actor=frida,
    )
    assert services.pilot_contact(
        pilot=pilot,
        name="Nora",
        email="nora@voss.kommune.no",
        message="Hvordan gikk det?",
        client="test-client",
    )
    message = OutboxMessage.objects.get(subject__contains="Sensorer")
    assert message.to == [berit.email]
    assert "nora@voss.kommune.no" in message.text
    assert django_mail.outbox == []  # queued, sent by the worker


def test_pilot_dates_in_the_wrong_order_are_refused(frida):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        services.pilot_register(
            data=services.PilotInput(
                title="Sensorer",
                description="Prøver",
                municipality=frida.municipality,
                started_on=today,
                evaluation_due=today - timedelta(days=1),
                contact_role="FoU-kontakt",
            ),
            actor=frida,
        )
    assert "evaluation_due" in error.value.message_dict
