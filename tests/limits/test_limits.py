"""Limits that hold: the client key behind proxies and over IPv6, fixed windows that never let
more than the limit through in any hour, and mail that is never a weapon."""

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import RequestFactory
from django_tasks_db.models import DBTaskResult

from kunnskap.limits import services as limits
from kunnskap.limits.models import Counter
from kunnskap.newsletter.models import Subscriber
from kunnskap.operations.models import OutboxMessage
from kunnskap.taxonomy.models import Theme

HOUR = timedelta(hours=1)


def request_from(remote: str, forwarded: str = ""):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_connection_is_the_client(settings):
    settings.TRUSTED_PROXIES = 0
    request = request_from("192.0.2.10", forwarded="203.0.113.1")
    assert limits.client_key(request) == "192.0.2.10"


def test_the_client_is_the_entry_the_trusted_proxies_appended(settings):
    settings.TRUSTED_PROXIES = 2
    # The client wrote "1.1.1.1" herself; the outer proxy saw 203.0.113.7, the inner one the
    # outer proxy (10.0.0.2), and the connection comes from the inner proxy.
    request = request_from("10.0.0.3", forwarded="1.1.1.1, 203.0.113.7, 10.0.0.2")
    assert limits.client_key(request) == "203.0.113.7"
    settings.TRUSTED_PROXIES = 1
    assert limits.client_key(request) == "10.0.0.2"


def test_fewer_entries_than_proxies_take_the_leftmost(settings):
    settings.TRUSTED_PROXIES = 2
    assert limits.client_key(request_from("10.0.0.3", forwarded="203.0.113.7")) == "203.0.113.7"


def test_ipv6_clients_are_counted_per_64(settings):
    settings.TRUSTED_PROXIES = 0
    one = limits.client_key(request_from("2001:db8:1:2::1"))
    other = limits.client_key(request_from("2001:db8:1:2:ffff:ffff:ffff:ffff"))
    elsewhere = limits.client_key(request_from("2001:db8:1:3::1"))
    assert one == other == "2001:db8:1:2::/64"
    assert elsewhere != one
    assert limits.client_key(request_from("::ffff:192.0.2.1")) == "192.0.2.1"


@pytest.mark.django_db
def test_no_hour_holds_more_than_the_limit_across_a_window_edge():
    def take(at: datetime) -> bool:
        return limits.limit_take(scope="t", subject="s", count=3, period=HOUR, now=at)

    late = datetime(2026, 12, 3, 10, 50, tzinfo=UTC)
    assert [take(late) for _ in range(4)] == [True, True, True, False]
    # Ten minutes later a new window has begun, but the last hour already holds three.
    assert not take(datetime(2026, 12, 3, 11, 0, 1, tzinfo=UTC))
    assert take(datetime(2026, 12, 3, 12, 0, 1, tzinfo=UTC))
    # Refused uses are not counted: the row of 10:00 holds 3, not 4.
    assert sorted(Counter.objects.values_list("count", flat=True)) == [1, 3]


@pytest.mark.django_db
def test_expired_counters_are_purged():
    old = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    limits.limit_take(scope="t", subject="s", count=3, period=HOUR, now=old)
    limits.limit_take(scope="t", subject="s", count=3, period=HOUR)
    assert limits.counters_purge() == 1
    assert Counter.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_takes_give_exactly_the_limit():
    def take(_: int) -> bool:
        try:
            return limits.mail_slot_take(client="", recipient="mål@example.no")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(take, range(50)))
    assert results.count(True) == 3
    assert Counter.objects.get().count == 3


def mails_to(address: str) -> int:
    """Mails queued to this address: each is one outbox row, whichever task sends it."""
    return sum(1 for row in OutboxMessage.objects.all() if row.to == [address])


@pytest.mark.django_db
def test_fifty_sign_ups_and_fifty_resets_queue_at_most_three_mails(client, frida):
    for number in range(50):
        # Each request from another client: the recipient's own limit is what holds.
        remote = {"REMOTE_ADDR": f"198.51.100.{number + 1}"}
        client.post("/nyhetsbrev/", {"email": frida.email, "frequency": "weekly"}, **remote)
        response = client.post("/konto/glemt-passord/", {"email": frida.email}, **remote)
        assert response.status_code == 302
    assert mails_to(frida.email) == 3


@pytest.mark.django_db
def test_one_client_cannot_mail_many_addresses(client, settings):
    settings.MAIL_LIMIT_PER_CLIENT_PER_HOUR = 5
    for number in range(20):
        client.post("/nyhetsbrev/", {"email": f"offer{number}@example.no", "frequency": "weekly"})
    assert DBTaskResult.objects.count() == 5


@pytest.mark.django_db
def test_a_reset_answers_the_same_for_a_known_and_an_unknown_address(client, frida):
    known = client.post("/konto/glemt-passord/", {"email": frida.email})
    unknown = client.post("/konto/glemt-passord/", {"email": "ingen@example.no"})
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert mails_to(frida.email) == 1
    assert mails_to("ingen@example.no") == 0


@pytest.mark.django_db
def test_an_unconfirmed_repeat_sign_up_resends_once_an_hour(client):
    for _ in range(5):
        response = client.post("/nyhetsbrev/", {"email": "ny@example.no", "frequency": "weekly"})
        assert response.status_code == 200
    assert mails_to("ny@example.no") == 1


@pytest.mark.django_db(transaction=True)
def test_a_confirmed_subscription_changes_only_through_the_mailed_link(client, run_worker):
    sovn = Theme.objects.get(key="sovn")
    client.post("/nyhetsbrev/", {"email": "les@example.no", "frequency": "weekly"})
    run_worker()
    link = re.search(r"/nyhetsbrev/bekreft/\S+/", mail.outbox[-1].body).group(0)
    client.post(link)
    Counter.objects.all().delete()  # an hour later
    mail.outbox.clear()

    answer = client.post(
        "/nyhetsbrev/", {"email": "les@example.no", "frequency": "monthly", "themes": [sovn.pk]}
    )
    assert answer.status_code == 200
    subscriber = Subscriber.objects.get(email="les@example.no")
    assert (subscriber.frequency, list(subscriber.themes.all())) == ("weekly", [])

    run_worker()
    (message,) = mail.outbox
    assert message.subject.startswith("Bekreft endringen")
    change = re.search(r"/nyhetsbrev/bekreft/\S+/", message.body).group(0)
    assert client.get(change).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.frequency == "weekly"  # a link scanner's GET changes nothing
    assert client.post(change).status_code == 200
    subscriber.refresh_from_db()
    assert (subscriber.frequency, list(subscriber.themes.all())) == ("monthly", [sovn])
    assert subscriber.is_active
