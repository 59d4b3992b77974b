"""`/readyz`: whether this server and the service behind it can do their work. No personal data."""

import logging
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from . import selectors

logger = logging.getLogger(__name__)

WORKER_SILENCE_LIMIT = timedelta(minutes=5)


def _check(name: str, probe: Any) -> str:
    try:
        probe()
    except Exception:
        # The error may name hosts and users: it goes to the log, not to the caller.
        logger.exception("Readiness: %s did not answer", name)
        return "unavailable"
    return "ok"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not keep a value")
    cache.delete(key)


def _storage() -> None:
    default_storage.exists("readyz-probe")


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """503 when the database or the cache is down, or no worker has been seen for 5 minutes."""
    now = timezone.now()
    body: dict[str, Any] = {
        "database": _check("the database", _database),
        "cache": _check("the cache", _cache),
        "storage": _check("the file storage", _storage),
    }
    worker_seen = oldest = failed = None
    if body["database"] == "ok":
        worker_seen = selectors.worker_last_seen()
        oldest = selectors.oldest_waiting_task_age(now=now)
        failed = selectors.failed_mail_count(since=now - timedelta(days=1))
    worker_ok = worker_seen is not None and now - worker_seen <= WORKER_SILENCE_LIMIT
    body.update(
        {
            "worker_last_seen": worker_seen.isoformat() if worker_seen else None,
            "worker": "ok" if worker_ok else "unavailable",
            "oldest_waiting_task_seconds": round(oldest.total_seconds()) if oldest else 0,
            "failed_mails_last_day": failed,
            "heartbeat_timeout_seconds": settings.WORKER_HEARTBEAT_TIMEOUT,
        }
    )
    ready = body["database"] == "ok" and body["cache"] == "ok" and worker_ok
    body["status"] = "ok" if ready else "error"
    return JsonResponse(body, status=200 if ready else 503)
