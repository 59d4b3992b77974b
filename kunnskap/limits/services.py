"""Rate limits that hold under concurrency, on SQLite and PostgreSQL, across app servers.

A limit is `count` uses per `period` for one subject (a client, a recipient). Time is cut into
fixed windows of one period; each (key, window) is one `Counter` row, taken with one statement:

    INSERT … VALUES (key, window, 1) ON CONFLICT (key, window_start)
    DO UPDATE SET count = count + 1 WHERE count < room RETURNING count

The database serialises the statements on that row (PostgreSQL's row lock, SQLite's write lock),
so no two callers see the same count: exactly `room` succeed. `room` is the limit less what the
previous window used, so no stretch of one period ever holds more than `count` uses, also across
a window's edge. A refused use does not count, so a flood ends with the period, not after it.
Inside the caller's transaction the use is undone with it (a submission that fails validation).
"""

from __future__ import annotations

import hashlib
import ipaddress
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import F, Sum
from django.http import HttpRequest
from django.utils import timezone

from .models import Counter

HOUR = timedelta(hours=1)


def client_address(request: HttpRequest) -> str:
    """The client's address: with `TRUSTED_PROXIES` = n, the n-th `X-Forwarded-For` entry from
    the right (each trusted proxy appends the address it saw; what a client writes itself stays
    to the left of them), else the address of the connection."""
    address = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXIES
    if hops > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if forwarded:
            address = forwarded[max(0, len(forwarded) - hops)]
    return address


def client_key(request: HttpRequest) -> str:
    """What one client's limits are counted by: its IPv4 address, or its IPv6 network (a /64 by
    default: one household or server gets a whole /64 and could walk through it)."""
    address = client_address(request)
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return f"raw:{address}"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        network = ipaddress.IPv6Network((ip, settings.RATE_LIMIT_IPV6_PREFIX), strict=False)
        return str(network)
    return str(ip)


def requester_key(request: HttpRequest) -> str:
    """A signed-in person is counted as herself, anyone else by her client key."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return client_key(request)


def _hashed(scope: str, subject: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{scope}:{subject}".encode()).hexdigest()


def _window(now: datetime, period: timedelta) -> datetime:
    seconds = period.total_seconds()
    start = int(now.timestamp() // seconds * seconds)
    return datetime.fromtimestamp(start, UTC)


def limit_take(
    *, scope: str, subject: str, count: int, period: timedelta, now: datetime | None = None
) -> bool:
    """Take one use of `scope` for `subject`; False when `count` uses in a period are taken."""
    now = now or timezone.now()
    key = _hashed(scope, subject)
    window = _window(now, period)
    previous = (
        Counter.objects.filter(key=key, window_start=window - period)
        .values_list("count", flat=True)
        .first()
    ) or 0
    room = count - previous
    if room <= 0:
        return False
    table = connection.ops.quote_name(Counter._meta.db_table)
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, window_start, count, expires_at) VALUES (%s, %s, 1, %s) "
            f"ON CONFLICT (key, window_start) DO UPDATE SET count = {table}.count + 1 "
            f"WHERE {table}.count < %s RETURNING count",
            [key, adapt(window), adapt(window + 2 * period), room],
        )
        return cursor.fetchone() is not None


def limit_give_back(*, scope: str, subject: str, period: timedelta, taken_at: datetime) -> None:
    """Undo one use taken at `taken_at` that turned out not to count (a sign-in with the right
    password gives back the failure it was counted as while the password was checked)."""
    Counter.objects.filter(
        key=_hashed(scope, subject), window_start=_window(taken_at, period), count__gt=0
    ).update(count=F("count") - 1)


def limit_clear(*, scope: str, subject: str) -> None:
    """Forget every use of `scope` by `subject` (the owner of an address proved she is)."""
    Counter.objects.filter(key=_hashed(scope, subject)).delete()


def limit_reached(
    *, scope: str, subject: str, count: int, period: timedelta, now: datetime | None = None
) -> bool:
    """Are the `count` uses of a period taken (the next `limit_take` would be refused)?"""
    now = now or timezone.now()
    window = _window(now, period)
    used = Counter.objects.filter(
        key=_hashed(scope, subject), window_start__in=[window, window - period]
    ).aggregate(total=Sum("count"))["total"]
    return (used or 0) >= count


def mail_slot_take(*, client: str, recipient: str) -> bool:
    """May a request from `client` make us mail `recipient`? Both have a budget per hour, shared
    by every message a requester can cause (newsletter, password reset, status links, receipts,
    invitations), so together they never send more than a handful to one address."""
    if client and not limit_take(
        scope="mail-client",
        subject=client,
        count=settings.MAIL_LIMIT_PER_CLIENT_PER_HOUR,
        period=HOUR,
    ):
        return False
    return limit_take(
        scope="mail-recipient",
        subject=recipient.strip().lower(),
        count=settings.MAIL_LIMIT_PER_RECIPIENT_PER_HOUR,
        period=HOUR,
    )


def counters_purge(*, now: datetime | None = None) -> int:
    """Delete the counters no limit reads any more (older than two periods)."""
    deleted, _by_model = Counter.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted
