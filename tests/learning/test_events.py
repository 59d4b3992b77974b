"""Events: sessions, capacity, the waiting list, cancellations, reminders, the calendar file."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from icalendar import Calendar

from kunnskap.learning import services
from kunnskap.learning.calendar import calendar_for
from kunnskap.learning.models import Event, Registration, RegistrationStatus
from kunnskap.operations.models import OutboxMessage

from .conftest import register


def statuses(event):
    return list(event.registrations.order_by("sequence").values_list("status", flat=True))


def test_a_full_event_takes_a_waiting_list_that_moves_up_in_order_on_cancellation(make_event):
    event = make_event(capacity=2)
    first, second, third, fourth = (register(event, n) for n in range(4))
    assert (first.position, second.position, third.position, fourth.position) == (None, None, 1, 2)
    assert statuses(event) == ["registered", "registered", "waiting", "waiting"]

    services.registration_cancel_by_token(token=first.token)
    services.registration_cancel_by_token(token=first.token)  # twice: moves the list once

    assert statuses(event) == ["cancelled", "registered", "registered", "waiting"]
    assert services.waiting_position(Registration.objects.get(pk=fourth.registration.pk)) == 1
    promoted = OutboxMessage.objects.filter(to=["deltaker2@bergen.kommune.no"])
    assert promoted.count() == 2  # the confirmation, then "you have a place"


def test_registering_twice_with_one_address_is_refused(make_event):
    event = make_event()
    register(event, 1)
    with pytest.raises(ValidationError) as error:
        register(event, 1, email="DELTAKER1@bergen.kommune.no")
    assert error.value.message_dict["email"] == [
        "Denne adressen er allerede påmeldt arrangementet."
    ]
    assert event.registrations.count() == 1


def test_after_a_cancellation_the_same_address_may_register_again(make_event):
    event = make_event()
    placed = register(event, 1)
    services.registration_cancel_by_token(token=placed.token)
    assert register(event, 1).registration.status == RegistrationStatus.REGISTERED


def test_sessions_ending_before_they_start_and_past_deadlines_are_refused(make_event):
    start = timezone.now() + timedelta(days=10)
    with pytest.raises(ValidationError) as error:
        make_event(sessions=[services.SessionInput(start, start - timedelta(hours=1), "Bergen")])
    assert "sessions.0.ends_at" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_event(registration_deadline=timezone.now() - timedelta(days=1))
    assert "registration_deadline" in error.value.message_dict
    assert not Event.objects.exists()


def test_capacity_below_the_registrations_is_refused_and_more_places_move_the_list(
    make_event, berit
):
    event = make_event(capacity=2)
    for n in range(4):
        register(event, n)
    with pytest.raises(ValidationError) as error:
        services.event_update(event=event, actor=berit, capacity=1)
    assert "capacity" in error.value.message_dict
    services.event_update(event=event, actor=berit, capacity=3)
    assert statuses(event) == ["registered", "registered", "registered", "waiting"]


def test_registration_after_the_deadline_is_refused(make_event, berit):
    event = make_event()
    Event.objects.filter(pk=event.pk).update(
        registration_deadline=timezone.now() - timedelta(hours=1)
    )
    event.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        register(event, 1)
    assert "registration_deadline" in error.value.message_dict


def test_only_the_hub_s_organisers_change_an_event(make_event, vilde, otto):
    event = make_event()
    for outsider in (vilde, otto):
        with pytest.raises(PermissionDenied):
            services.event_update(event=event, actor=outsider, capacity=50)


def test_a_reminder_goes_two_days_before_once(make_event, hov_hub, berit):
    start = timezone.now() + timedelta(days=2)
    event = make_event(
        registration_deadline=start - timedelta(hours=2),
        sessions=[services.SessionInput(start, start + timedelta(hours=2), "Bergen")],
    )
    register(event, 1)
    assert services.reminders_send() == 1
    assert services.reminders_send() == 0
    assert OutboxMessage.objects.filter(subject__startswith="Påminnelse").count() == 1


def test_the_calendar_file_parses_and_holds_no_participant(make_event):
    event = make_event()
    register(event, 1)
    calendar = Calendar.from_ical(calendar_for([event], event.title))
    sessions = calendar.walk("VEVENT")
    assert len(sessions) == 2
    assert str(sessions[0]["summary"]) == "Kurs i mini-metodevurdering"
    assert b"deltaker1" not in calendar.to_ical()


def test_a_participant_s_personal_data_is_exported_and_erased(make_event):
    from kunnskap.operations.personal_data import personal_data_erase, personal_data_export

    event = make_event()
    register(event, 7, name="Åse Personvern")
    exported = personal_data_export(email="deltaker7@bergen.kommune.no")
    assert exported["event_registrations"][0]["name"] == "Åse Personvern"
    personal_data_erase(email="deltaker7@bergen.kommune.no")
    registration = event.registrations.get()
    assert "deltaker7" not in registration.email and registration.name != "Åse Personvern"
    assert not registration.history.filter(email="deltaker7@bergen.kommune.no").exists()
