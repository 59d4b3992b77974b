"""Pages that belong to the site as a whole: the front page, privacy, errors, health."""

import logging

from django.conf import settings
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from kunnskap.lib.http import HtmxHttpRequest
from kunnskap.organisations import selectors as organisations
from kunnskap.rounds import selectors as rounds

logger = logging.getLogger(__name__)


def home(request: HtmxHttpRequest) -> HttpResponse:
    """What the service is, for a municipal employee arriving for the first time."""
    return render(
        request,
        "home.html",
        {
            "is_home": True,
            "regions": organisations.region_list(),
            "municipality_count": organisations.municipality_count(),
            "windows": rounds.submission_windows(),
        },
    )


def privacy(request: HtmxHttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy.html",
        {
            "retention_years": round(settings.SUBMITTER_DATA_RETENTION_DAYS / 365),
            "mail_days": settings.OPERATIONS_RETENTION_DAYS,
        },
    )


@never_cache
def ping(request: HtmxHttpRequest) -> HttpResponse:
    """Liveness: the process answers, without touching the database (healthz checks that).
    Also the minimal view that `make bench` measures the pages against."""
    return HttpResponse("ok", content_type="text/plain")


def healthz(request: HtmxHttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # The error text may name hosts and users: it goes to the log, not to the caller.
        logger.exception("Health check: the database did not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def permission_denied(request: HtmxHttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HtmxHttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)
