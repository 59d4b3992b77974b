"""National-scale benchmarks, run by bench/run.py in a fresh database per size and engine.

For each size the database gets N needs and N publications from `kunnskap generate`, then:
- search and similar-needs latency (median and p95, server side) over the test-set questions;
- the public and the staff statistics pages (median and p95 of whole requests through Django's
  test client, and the first request after a change, which computes the tables anew);
- the query count of each list page (for the smallest sizes);
- at the largest size: requests per second and p95 of the library search page, the staff
  proposal list, both statistics pages and the follow-up pages under load, against gunicorn
  with 2 workers on loopback, in the same run as a minimal view (/ping), and the peak memory
  of a web worker and of the background worker;
- at the largest size, every search path measured from one client over HTTP, one request at a
  time, beside `/healthz` in the same run: the search API, the library page with a query no
  cache holds, and similar needs, over the library test set's questions and short queries.
"""

from __future__ import annotations

import http.client
import io
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 3
LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "8"))
LOAD_CLIENTS = 8


def _timed(call: Any, queries: list[str]) -> dict[str, float]:
    for query in queries[:5]:
        call(query)  # warm up
    timings = []
    for _ in range(REPEATS):
        for query in queries:
            started = time.perf_counter()
            call(query)
            timings.append((time.perf_counter() - started) * 1000)
    return {
        "median ms": round(statistics.median(timings), 2),
        "p95 ms": round(statistics.quantiles(timings, n=20)[-1], 2),
    }


def latency() -> dict[str, Any]:
    from kunnskap.library import testset
    from kunnskap.library.selectors import LibraryQuery, library_search
    from kunnskap.proposals.selectors import similar

    questions = [query for query, _relevant in testset.queries()]

    def library(query: str) -> None:
        list(library_search(LibraryQuery(q=query)).page.object_list)

    return {
        "library search": _timed(library, questions),
        "similar needs": _timed(lambda query: similar(query, limit=5), questions),
        **followup_latency(questions),
    }


def followup_latency(questions: list[str]) -> dict[str, dict[str, float]]:
    """The pilot register's search (a page of results, as the page shows it) and the
    accountability page, rendered whole by the test client, for each hub and year filter."""
    from django.core.paginator import Paginator
    from django.test import Client

    from kunnskap.followup.selectors import pilot_list, similar_pilots
    from kunnskap.organisations.models import Hub

    def pilots(query: str) -> None:
        list(Paginator(pilot_list(q=query), 25).get_page(1).object_list)

    client = Client()
    filters = ["", "?year=2024", "?year=2021"] + [
        f"?hub={pk}" for pk in Hub.objects.order_by("pk").values_list("pk", flat=True)[:7]
    ]

    def accountability(query: str) -> None:
        assert client.get(f"/nyttiggjort/vedtak/{query}").status_code == 200

    return {
        "pilot search": _timed(pilots, questions),
        "similar pilots": _timed(lambda query: similar_pilots(query), questions),
        "accountability page": _timed(accountability, filters),
    }


STATISTICS_PAGES = {"public statistics": "/statistikk/", "staff statistics": "/innsikt/"}


def statistics_latency(requests: int = 40) -> dict[str, Any]:
    """Each statistics page: `requests` whole requests once its tables are kept, and three
    requests each right after a change (the generation bumped, as a saved need does)."""
    from django.test import Client

    from kunnskap.insights.cache import statistics as tables_cache

    staff = Client()
    staff.force_login(staff_user())
    result = {}
    for name, path in STATISTICS_PAGES.items():
        client = staff if name.startswith("staff") else Client()

        def get(client: Any = client, path: str = path) -> float:
            started = time.perf_counter()
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            return (time.perf_counter() - started) * 1000

        after_change = []
        for _ in range(3):
            tables_cache.bump()
            after_change.append(get())
        timings = [get() for _ in range(requests)]
        result[name] = {
            "median ms": round(statistics.median(timings), 2),
            "p95 ms": round(statistics.quantiles(timings, n=20)[-1], 2),
            "after a change ms": round(statistics.median(after_change), 1),
        }
    return result


LIST_PAGES = {
    "proposal list (public)": ("/kunnskapsbehov/", False),
    "proposal list (staff)": ("/kunnskapsbehov/", True),
    "screening queue": ("/sekretariat/vurdering/", True),
    "library": ("/bibliotek/", False),
    "library search": ("/bibliotek/?q=demens", False),
    "rounds": ("/runder/", False),
    "decision log": ("/runder/vedtak/", False),
    "commissions": ("/bestillinger/", True),
    "research needs": ("/forskningsbehov/", False),
    "municipalities": ("/kommuner/", False),
    "pilot register": ("/nyttiggjort/", False),
    "pilot search": ("/nyttiggjort/?q=demens", False),
    "accountability": ("/nyttiggjort/vedtak/", False),
    "overdue evaluations": ("/nyttiggjort/forfalte/", True),
}


def staff_user() -> Any:
    from kunnskap.accounts.models import User

    return User.objects.filter(email="bench-admin@generert.example").first() or (
        User.objects.create_superuser(email="bench-admin@generert.example", password=None)
    )


def query_counts() -> dict[str, int]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kunnskap.library.models import Publication

    word = Publication.objects.order_by("pk").values_list("title", flat=True).first().split()[0]
    LIST_PAGES["library search"] = (f"/bibliotek/?q={word}", False)
    staff = Client()
    staff.force_login(staff_user())
    anonymous = Client()
    counts = {}
    for name, (path, as_staff) in LIST_PAGES.items():
        client = staff if as_staff else anonymous
        client.get(path)  # warm caches that are per process, not per request
        cache.clear()  # but count a page rendered anew, not one the result cache holds
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts[name] = len(queries)
    path = LIST_PAGES["library search"][0]
    anonymous.get(path)  # renders the result list and keeps it
    with CaptureQueriesContext(connection) as queries:
        anonymous.get(path)
    counts["library search, cached"] = len(queries)
    return counts


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _load(port: int, path: str, cookie: str = "", *, fresh: bool = False) -> dict[str, float]:
    """LOAD_CLIENTS threads, each on its own keep-alive connection, for LOAD_SECONDS. With
    `fresh`, every request adds a parameter of its own, so no cached result list can answer."""
    timings: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.perf_counter() + LOAD_SECONDS
    headers = {"Cookie": cookie} if cookie else {}

    def client(number: int) -> None:
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        sent = 0
        while time.perf_counter() < stop:
            started = time.perf_counter()
            sent += 1
            target = f"{path}&fresh={number}-{sent}" if fresh else path
            try:
                connection.request("GET", target, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            if ok:
                mine.append((time.perf_counter() - started) * 1000)
            else:
                with lock:
                    errors += 1
        with lock:
            timings.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(LOAD_CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "requests/s": round(len(timings) / LOAD_SECONDS, 1),
        "p95 ms": round(statistics.quantiles(timings, n=20)[-1], 1) if len(timings) > 20 else 0.0,
        "errors": errors,
    }


LIBRARY_PAGE = "/bibliotek/?q=demens+uro"
ACCOUNTABILITY_PAGE = "/nyttiggjort/vedtak/"
PILOT_PAGE = "/nyttiggjort/?q=demens+uro"
HTTP_ROUNDS = 3  # times each query of the test sets is sent per path


def _http_queries() -> list[str]:
    from kunnskap.library import testset

    # Two common words first, as the issue measured; then the questions and the short queries.
    return [
        "eldre hjemmetjenesten",
        *(query for query, _relevant in testset.queries()),
        *(q.query for q in testset.short_queries()),
    ]


def _http_latency(port: int) -> dict[str, dict[str, float]]:
    """Client-side latency of each search path, one request at a time on a keep-alive
    connection, beside `/healthz`; each request carries a number of its own, so no cached
    result list answers it."""
    from urllib.parse import quote

    queries = _http_queries()
    paths = {
        "/healthz": lambda q, n: "/healthz",
        "API search": lambda q, n: f"/api/v1/publications/search?q={quote(q)}&limit=10&n={n}",
        "library page": lambda q, n: f"/bibliotek/?q={quote(q)}&n={n}",
        "similar needs": lambda q, n: f"/api/v1/similar?text={quote(q)}&limit=5&n={n}",
    }
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    results = {}
    sent = 0
    for name, path in paths.items():
        timings = []
        for round_ in range(HTTP_ROUNDS + 1):
            for query in queries:
                sent += 1
                started = time.perf_counter()
                connection.request("GET", path(query, sent))
                response = connection.getresponse()
                response.read()
                assert response.status == 200, (name, query, response.status)
                if round_:  # the first round warms the workers
                    timings.append((time.perf_counter() - started) * 1000)
        results[name] = {
            "median ms": round(statistics.median(timings), 1),
            "p95 ms": round(statistics.quantiles(timings, n=20)[-1], 1),
            "requests": len(timings),
        }
    connection.close()
    return results


def _until_ok(port: int, path: str, cookie: str) -> None:
    """Wait for the workers to boot, and warm each page once on every worker."""
    for _ in range(200):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            if connection.getresponse().status == 200:
                break
        except OSError:
            pass
        time.sleep(0.1)


def _peak_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def web_load() -> dict[str, Any]:
    """gunicorn, 2 workers, the minimal view and the two heavy list pages, one after another."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    user = staff_user()
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    port = _free_port()
    # As docs/deployment.md runs it: persistent database connections, not one per request.
    environment = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1", "DATABASE_CONN_MAX_AGE": "60"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kunnskap.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environment,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        for path, with_cookie in (
            ("/ping", False),
            (LIBRARY_PAGE, False),
            ("/kunnskapsbehov/", False),
            ("/kunnskapsbehov/", True),
            (ACCOUNTABILITY_PAGE, False),
            (PILOT_PAGE, False),
            ("/statistikk/", False),
            ("/innsikt/", True),
        ):
            _until_ok(port, path, cookie if with_cookie else "")
        http_latency = _http_latency(port)
        results = {
            "minimal view": _load(port, "/ping"),
            "library search page": _load(port, LIBRARY_PAGE),
            "library search page, uncached": _load(port, LIBRARY_PAGE, fresh=True),
            "proposal list": _load(port, "/kunnskapsbehov/"),
            "staff proposal list": _load(port, "/kunnskapsbehov/", cookie),
            "staff proposal list, uncached": _load(port, "/kunnskapsbehov/?", cookie, fresh=True),
            "accountability page": _load(port, ACCOUNTABILITY_PAGE),
            "pilot search page": _load(port, PILOT_PAGE, fresh=True),
            "public statistics": _load(port, "/statistikk/"),
            "staff statistics": _load(port, "/innsikt/", cookie),
        }
        workers = [
            int(pid)
            for pid in subprocess.run(
                ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
            ).stdout.split()
        ]
        web_peak = max((_peak_kb(pid) for pid in workers), default=0)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    failed = {name: figures["errors"] for name, figures in results.items() if figures["errors"]}
    if failed:  # a page that answers with an error measures nothing
        raise SystemExit(f"Pages answered with errors under load: {failed}")
    minimal = results["minimal view"]["requests/s"] or 1
    for name in results:
        results[name]["ratio"] = round(results[name]["requests/s"] / minimal, 2)
    return {
        "load": results,
        "http": http_latency,
        "web worker peak MB": round(web_peak / 1024, 1),
    }


def worker_memory(messages: int = 300) -> float:
    """Queue `messages` e-mails and run the background worker until the queue is empty; its
    peak resident memory in MB."""
    from django.db import transaction

    from kunnskap import mail

    with transaction.atomic():
        for n in range(messages):
            mail.send(
                to=[f"m{n}@generert.example"],
                template="welcome",
                context={"name": f"Person {n}", "email": f"m{n}@generert.example", "url": "x"},
            )
    # VmHWM, not ru_maxrss: on Linux ru_maxrss keeps the forking parent's peak across exec.
    probe = (
        "import sys\n"
        "from kunnskap.__main__ import main\n"
        "sys.argv = ['kunnskap', 'worker', '--batch', '--interval', '0', '--no-startup-delay']\n"
        "try:\n    main()\n"
        "finally:\n"
        "    status = open('/proc/self/status').read().split('VmHWM:')[1].split()[0]\n"
        "    print(status, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**os.environ, "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"},
        capture_output=True,
        text=True,
        check=False,
    )
    return round(int(done.stderr.strip().splitlines()[-1]) / 1024, 1)


def run(size: int, *, load: bool) -> dict[str, Any]:
    from django.core.management import call_command

    call_command("collectstatic", "--no-input", verbosity=0)  # pages render with DEBUG off
    started = time.perf_counter()
    call_command(
        "generate", "--proposals", str(size), "--publications", str(size), stdout=io.StringIO()
    )
    result: dict[str, Any] = {"generate s": round(time.perf_counter() - started, 1)}
    if size >= 1_000:
        result["latency"] = latency() | statistics_latency()
    if size <= 1_000:
        result["queries"] = query_counts()
    if load:
        result |= web_load()
        result["background worker peak MB"] = worker_memory()
    result["bench process peak MB"] = round(_peak_kb(os.getpid()) / 1024, 1)
    return result
