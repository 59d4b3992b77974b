"""All mail goes through the worker; a mail-server outage delays it and loses nothing."""

from datetime import timedelta

import pytest
from django.core import mail as outbox
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kunnskap import mail
from kunnskap.operations.models import MessageStatus, OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True)

# A real SMTP backend pointed at a port where nothing listens: the connection is refused.
REFUSING_SMTP = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": 9, "use_tls": False, "timeout": 2},
    }
}


def queued() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.order_by("enqueued_at"))


def test_a_message_is_queued_not_sent_until_the_worker_runs(run_worker):
    mail.welcome(email="frida@bergen.kommune.no", context={"name": "Frida", "url": "https://x/"})

    assert outbox.outbox == []
    assert [task.status for task in queued()] == ["READY"]

    run_worker()

    assert len(outbox.outbox) == 1
    message = outbox.outbox[0]
    assert message.to == ["frida@bergen.kommune.no"]
    assert message.subject == "Velkommen til Kunnskapsstøtte"
    assert "https://x/" in message.body
    assert message.alternatives[0].mimetype == "text/html"
    assert [task.status for task in queued()] == ["SUCCESSFUL"]
    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts, row.to) == (MessageStatus.SENT, 1, message.to)
    assert row.sent_at is not None


def test_no_message_is_queued_when_the_change_it_reports_is_rolled_back(run_worker):
    with pytest.raises(RuntimeError), transaction.atomic():
        mail.welcome(email="frida@bergen.kommune.no", context={"name": "Frida", "url": "u"})
        raise RuntimeError("the change failed")

    run_worker()

    assert queued() == []
    assert not OutboxMessage.objects.exists()
    assert outbox.outbox == []


def test_a_mail_outage_schedules_a_retry_and_the_message_arrives_later(settings, run_worker):
    settings.MAILERS = REFUSING_SMTP
    mail.welcome(email="frida@bergen.kommune.no", context={"name": "Frida", "url": "u"})

    run_worker()

    first, retry = queued()
    assert first.status == "FAILED"
    assert retry.status == "READY"
    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts) == (MessageStatus.QUEUED, 1)
    assert "refused" in row.last_error.lower() or "Errno" in row.last_error
    assert retry.args_kwargs["kwargs"] == {"message_id": row.pk}
    assert retry.run_after == row.next_attempt_at
    assert retry.run_after > timezone.now() + timedelta(seconds=30)

    # The server is back; the retry's time comes.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()

    assert len(outbox.outbox) == 1
    assert DBTaskResult.objects.get(pk=retry.pk).status == "SUCCESSFUL"
    row.refresh_from_db()
    assert (row.status, row.attempts) == (MessageStatus.SENT, 2)


def test_the_last_attempt_fails_without_scheduling_another(settings, run_worker):
    settings.MAILERS = REFUSING_SMTP
    settings.MAIL_MAX_ATTEMPTS = 1
    mail.welcome(email="frida@bergen.kommune.no", context={"name": "Frida", "url": "u"})

    run_worker()

    assert [task.status for task in queued()] == ["FAILED"]
    row = OutboxMessage.objects.get()
    assert row.status == MessageStatus.FAILED
    assert row.failed_at is not None


def test_a_message_is_sent_once_per_key_however_often_it_is_asked_for(run_worker):
    for _ in range(2):
        mail.send(to=["a@b.no"], template="welcome", context={"name": "A", "url": "u"}, key="k1")

    assert OutboxMessage.objects.count() == 1
    assert len(queued()) == 1
    run_worker()
    assert len(outbox.outbox) == 1


def test_a_second_task_for_a_sent_message_sends_nothing(run_worker):
    message = mail.send(to=["a@b.no"], template="welcome", context={"name": "A", "url": "u"})
    mail.deliver_message.enqueue(message_id=message.pk)  # as if a lost task came back

    run_worker()

    assert len(outbox.outbox) == 1
    assert [task.status for task in queued()] == ["SUCCESSFUL", "SUCCESSFUL"]


def test_a_message_another_live_worker_is_sending_is_left_to_it(run_worker):
    from kunnskap.operations.models import WorkerBeat

    message = mail.send(to=["a@b.no"], template="welcome", context={"name": "A", "url": "u"})
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="busy", hostname="h", pid=1, started_at=now, last_seen=now)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, claimed_by="busy", claimed_at=now, attempts=1
    )

    run_worker()
    assert outbox.outbox == []

    # The busy worker dies: its claim lapses with its heartbeat and the message goes out.
    WorkerBeat.objects.filter(worker_id="busy").update(stopped_at=now)
    mail.deliver_message.enqueue(message_id=message.pk)
    run_worker()
    assert len(outbox.outbox) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 2)


def test_a_task_queued_before_the_outbox_still_delivers(run_worker):
    mail.deliver_email.enqueue(to=["a@b.no"], subject="S", text="T", html="<p>T</p>", attempt=1)
    run_worker()
    assert [m.subject for m in outbox.outbox] == ["S"]
    assert OutboxMessage.objects.get().status == MessageStatus.SENT


def test_retry_delays_grow_and_are_capped(settings):
    settings.MAIL_RETRY_BASE_SECONDS = 60
    assert [mail.retry_delay(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]
    assert mail.retry_delay(20) == timedelta(hours=6)


def test_plain_text_and_subjects_are_not_html_escaped(run_worker):
    from types import SimpleNamespace

    proposal = SimpleNamespace(
        public_id="KB2026-001",
        title="Sår & trykk <b>",
        submitter_email="a@b.no",
        submitter_name="A",
        submitter_language="nb",
    )
    mail.proposal_receipt(proposal=proposal, status_url="https://x/?a=1&b=2")
    run_worker()
    message = outbox.outbox[0]
    assert "Sår & trykk <b>" in message.body
    assert "https://x/?a=1&b=2" in message.body
    assert "&amp;" not in message.subject
    assert "Sår &amp; trykk &lt;b&gt;" in message.alternatives[0].content
