"""All mail goes through the worker; a mail-server outage delays it and loses nothing."""

from datetime import timedelta

import pytest
from django.core import mail as outbox
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kunnskap import mail

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


def test_no_message_is_queued_when_the_change_it_reports_is_rolled_back(run_worker):
    with pytest.raises(RuntimeError), transaction.atomic():
        mail.welcome(email="frida@bergen.kommune.no", context={"name": "Frida", "url": "u"})
        raise RuntimeError("the change failed")

    run_worker()

    assert queued() == []
    assert outbox.outbox == []


def test_a_mail_outage_schedules_a_retry_and_the_message_arrives_later(settings, run_worker):
    settings.MAILERS = REFUSING_SMTP
    mail.welcome(email="frida@bergen.kommune.no", context={"name": "Frida", "url": "u"})

    run_worker()

    first, retry = queued()
    assert first.status == "FAILED"
    assert retry.status == "READY"
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after > timezone.now() + timedelta(seconds=30)

    # The server is back; the retry's time comes.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()

    assert len(outbox.outbox) == 1
    assert DBTaskResult.objects.get(pk=retry.pk).status == "SUCCESSFUL"


def test_the_last_attempt_fails_without_scheduling_another(settings, run_worker):
    settings.MAILERS = REFUSING_SMTP
    settings.MAIL_MAX_ATTEMPTS = 1
    mail.welcome(email="frida@bergen.kommune.no", context={"name": "Frida", "url": "u"})

    run_worker()

    assert [task.status for task in queued()] == ["FAILED"]


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
    )
    mail.proposal_receipt(proposal=proposal, status_url="https://x/?a=1&b=2")
    run_worker()
    message = outbox.outbox[0]
    assert "Sår & trykk <b>" in message.body
    assert "https://x/?a=1&b=2" in message.body
    assert "&amp;" not in message.subject
    assert "Sår &amp; trykk &lt;b&gt;" in message.alternatives[0].content
