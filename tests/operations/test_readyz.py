"""/readyz tells monitoring whether the service can work: database, cache, workers, mail."""

from datetime import timedelta

from django.utils import timezone

from kunnskap import mail
from kunnskap.operations.models import MessageStatus, OutboxMessage, WorkerBeat


def beat(minutes_ago: float) -> None:
    seen = timezone.now() - timedelta(minutes=minutes_ago)
    WorkerBeat.objects.update_or_create(
        worker_id="w1",
        defaults={"last_seen": seen},
        create_defaults={"hostname": "h", "pid": 1, "started_at": seen, "last_seen": seen},
    )


def test_ready_when_the_database_cache_and_a_recent_worker_answer(client, db):
    beat(minutes_ago=1)
    mail.send(to=["frida@bergen.kommune.no"], template="welcome", context={"name": "F", "url": "u"})
    failed = mail.send(to=["a@b.no"], template="welcome", context={"name": "A", "url": "u"})
    OutboxMessage.objects.filter(pk=failed.pk).update(
        status=MessageStatus.FAILED, failed_at=timezone.now()
    )

    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert (body["database"], body["cache"], body["storage"], body["worker"]) == ("ok",) * 4
    assert body["failed_mails_last_day"] == 1
    assert body["oldest_waiting_task_seconds"] >= 0
    assert "frida" not in response.content.decode() and "a@b.no" not in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")


def test_not_ready_when_no_worker_has_been_seen_for_five_minutes(client, db):
    response = client.get("/readyz")
    assert (response.status_code, response.json()["worker"]) == (503, "unavailable")
    beat(minutes_ago=6)
    assert client.get("/readyz").status_code == 503
    beat(minutes_ago=4)
    assert client.get("/readyz").status_code == 200


def test_not_ready_when_the_cache_is_down(client, db, settings):
    beat(minutes_ago=0)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
        }
    }
    response = client.get("/readyz")
    assert (response.status_code, response.json()["cache"]) == (503, "unavailable")


def test_the_oldest_waiting_task_is_measured_from_when_it_became_due(client, db):
    from django_tasks_db.models import DBTaskResult

    beat(minutes_ago=0)
    mail.send(to=["a@b.no"], template="welcome", context={"name": "A", "url": "u"})
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))
    assert client.get("/readyz").json()["oldest_waiting_task_seconds"] >= 600
