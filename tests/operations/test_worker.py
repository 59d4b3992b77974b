"""A task never dies with its worker: killed or stopped twice, another worker finishes it, and the
receipt it was sending reaches the submitter exactly once."""

import os
import signal
import time
from collections.abc import Iterator

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kunnskap.operations.models import MessageStatus, OutboxMessage, WorkerBeat
from kunnskap.operations.worker import tasks_requeue_lost
from tests.processes import HangingSmtpServer, SmtpServer, start_worker, stop, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

HEARTBEAT_TIMEOUT = 3


@pytest.fixture
def hanging_smtp() -> Iterator[HangingSmtpServer]:
    server = HangingSmtpServer()
    yield server
    server.close()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    yield server
    server.close()


@pytest.fixture
def workers(tmp_path):
    """Start `kunnskap worker` processes against a given mail server; all are killed at the end."""
    started = []

    def start(smtp_port: int):
        process = start_worker(
            tmp_path / f"worker-{len(started)}.log",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=smtp_port,
            EMAIL_USE_TLS=0,
            EMAIL_TIMEOUT=120,
            WORKER_HEARTBEAT_TIMEOUT=HEARTBEAT_TIMEOUT,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        stop(process)


def receipt_stuck_in_a_hanging_send(submit, hanging_smtp, workers):
    proposal, _ = submit()
    receipt = OutboxMessage.objects.get(key=f"proposal_receipt:{proposal.public_id}")
    first = workers(hanging_smtp.port)
    assert hanging_smtp.connected.wait(60), "the first worker never reached the mail server"
    receipt.refresh_from_db()
    assert receipt.status == MessageStatus.SENDING
    task = DBTaskResult.objects.get(args_kwargs__kwargs__message_id=receipt.pk)
    assert task.status == "RUNNING"
    return first, receipt, task


def delivered_once_by_a_second_worker(receipt, task, smtp, workers, first_worker_id):
    began = time.monotonic()
    workers(smtp.port)
    wait_until(lambda: smtp.messages, timeout=HEARTBEAT_TIMEOUT + 60, what="the receipt")
    assert time.monotonic() - began < HEARTBEAT_TIMEOUT + 60
    time.sleep(HEARTBEAT_TIMEOUT)  # time enough for a second copy, were one to come
    (message,) = smtp.messages
    assert message.rcpt_tos == ["frida@bergen.kommune.no"]
    assert receipt.subject.split()[0].encode() in message.content
    receipt.refresh_from_db()
    assert (receipt.status, receipt.attempts) == (MessageStatus.SENT, 2)
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert task.worker_ids[0] == first_worker_id and len(task.worker_ids) == 2


def test_a_killed_workers_receipt_is_delivered_once_by_another(submit, hanging_smtp, smtp, workers):
    first, receipt, task = receipt_stuck_in_a_hanging_send(submit, hanging_smtp, workers)
    first_worker_id = task.worker_ids[0]

    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    task.refresh_from_db()
    assert task.status == "RUNNING"  # the dead worker could not say anything

    delivered_once_by_a_second_worker(receipt, task, smtp, workers, first_worker_id)


def test_two_sigterms_give_the_task_back_and_another_worker_delivers_it(
    submit, hanging_smtp, smtp, workers
):
    first, receipt, task = receipt_stuck_in_a_hanging_send(submit, hanging_smtp, workers)
    first_worker_id = task.worker_ids[0]

    first.send_signal(signal.SIGTERM)
    time.sleep(1)
    assert first.poll() is None  # the first SIGTERM lets the running task go on
    first.send_signal(signal.SIGTERM)
    assert first.wait(timeout=20) != 0
    task.refresh_from_db()
    assert task.status == "READY"  # back in the queue, not failed
    assert WorkerBeat.objects.get(worker_id=first_worker_id).stopped_at is not None

    delivered_once_by_a_second_worker(receipt, task, smtp, workers, first_worker_id)


def test_one_sigterm_lets_the_running_task_finish(submit, smtp, workers):
    _proposal, _ = submit()
    slow = workers(smtp.port)
    wait_until(lambda: smtp.messages, timeout=60, what="the receipt")
    slow.send_signal(signal.SIGTERM)
    assert slow.wait(timeout=20) == 0
    assert OutboxMessage.objects.get().status == MessageStatus.SENT


@pytest.mark.django_db(transaction=False)
def test_a_task_of_a_live_worker_is_left_alone_and_a_lost_one_is_requeued(settings, db):
    from kunnskap import mail

    settings.WORKER_HEARTBEAT_TIMEOUT = 60
    now = timezone.now()
    long_ago = now - timezone.timedelta(minutes=5)
    WorkerBeat.objects.create(worker_id="alive", hostname="a", pid=1, started_at=now, last_seen=now)
    WorkerBeat.objects.create(
        worker_id="dead", hostname="d", pid=2, started_at=long_ago, last_seen=long_ago
    )
    for worker in ["alive", "dead", "never-beat"]:
        result = mail.deliver_email.enqueue(
            to=["a@b.no"], subject=worker, text="", html="", attempt=1
        )
        DBTaskResult.objects.filter(pk=result.id).update(
            status="RUNNING", started_at=long_ago, worker_ids=[worker]
        )
    cursed = mail.deliver_email.enqueue(to=["a@b.no"], subject="x", text="", html="", attempt=1)
    DBTaskResult.objects.filter(pk=cursed.id).update(
        status="RUNNING", started_at=long_ago, worker_ids=["dead"] * settings.TASK_MAX_CLAIMS
    )

    assert tasks_requeue_lost() == 2

    status = {
        row.worker_ids[0] if len(row.worker_ids) == 1 else "cursed": row.status
        for row in DBTaskResult.objects.all()
    }
    assert status == {
        "alive": "RUNNING",
        "dead": "READY",
        "never-beat": "READY",
        "cursed": "FAILED",
    }
