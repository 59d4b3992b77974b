"""List pages keep their query count whatever the number of rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import register


def count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_event_list_and_the_front_page_of_kunnskapsbroen(client, make_event, kbp_team):
    for _ in range(2):
        register(make_event(), 1)
    count(client, "/arrangementer/"), count(client, "/kunnskapsbroen/")  # caches filled
    few = count(client, "/arrangementer/"), count(client, "/kunnskapsbroen/")
    for _ in range(6):
        register(make_event(), 1)
    assert (count(client, "/arrangementer/"), count(client, "/kunnskapsbroen/")) == few


def test_the_organiser_s_participant_list(client_for, berit, make_event):
    event = make_event(capacity=3)
    for n in range(2):
        register(event, n)
    organiser = client_for(berit)
    count(organiser, f"/arrangementer/{event.pk}/deltakere/")  # the frame's caches filled
    few = count(organiser, f"/arrangementer/{event.pk}/deltakere/")
    for n in range(2, 12):
        register(event, n)
    assert count(organiser, f"/arrangementer/{event.pk}/deltakere/") == few


def test_the_api_s_event_list(client, make_event):
    for _ in range(2):
        register(make_event(), 1)
    few = count(client, "/api/v1/events")
    for _ in range(5):
        register(make_event(), 1)
    assert count(client, "/api/v1/events") == few
