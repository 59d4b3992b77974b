"""Benchmarks, run by `make bench`: each benchmark on SQLite and, when it answers, PostgreSQL.

The runner starts itself once per engine with DATABASE_URL pointing at a scratch database
(var/bench/bench.sqlite3, and the PostgreSQL database of BENCH_POSTGRES_URL, by default
kunnskap_bench on 127.0.0.1:5432), builds it from the migrations, and runs every function of
BENCHMARKS there. It prints one table per benchmark and writes the figures to
var/bench/results.json. A benchmark is a function that loads what it needs into the fresh
database and returns {"metrics": {...}} (printed) and optionally {"details": ...} (compared
across engines, not printed).
"""

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", ROOT / "var")) / "bench"
SQLITE_FILE = VAR_DIR / "bench.sqlite3"
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/kunnskap_bench"
)
RESULTS_FILE = VAR_DIR / "results.json"
REPEATS = 5  # timed runs of each query, after one warm-up run

Result = dict[str, dict]


# -- Benchmarks: each runs in a child process, inside a configured Django, on a fresh database.


def quality_result(figures: dict, timings: list[float], details: list) -> Result:
    """A test set's figures and its queries' latency, as both quality benchmarks report them."""
    return {
        "metrics": {
            "recall@1": round(figures["recall@1"], 3),
            "recall@3": round(figures["recall@3"], 3),
            "MRR": round(figures["mrr"], 3),
            "median ms": round(statistics.median(timings), 2),
            "p95 ms": round(statistics.quantiles(timings, n=20)[-1], 2),
            "queries": figures["queries"],
        },
        "details": details,
    }


def search_quality() -> Result:
    """Recall@1, recall@3 and MRR of the search test set, and the latency of its queries."""
    from kunnskap.search import quality, testset
    from kunnskap.search.selectors import search

    testset.load()
    pairs = testset.pairs()
    figures = quality.evaluate(pairs)
    for pair in pairs:  # warm up caches and connections
        search(pair.query)
    timings = []
    for _ in range(REPEATS):
        for pair in pairs:
            started = time.perf_counter()
            search(pair.query)
            timings.append((time.perf_counter() - started) * 1000)
    details = [
        [(hit.key, hit.score) for hit in search(pair.query, public_only=False)] for pair in pairs
    ]
    return quality_result(figures, timings, details)


def library_quality() -> Result:
    """The library's test set imported with import-publications and searched the public way."""
    from kunnskap.library import testset
    from kunnskap.search.models import SearchDocument
    from kunnskap.search.services import document_remove

    # The shared engine's own test set is in the index from the benchmark before: take it out.
    for kind, key in SearchDocument.objects.values_list("kind", "key"):
        document_remove(kind=kind, key=key)
    testset.load()
    figures = testset.evaluate()
    timings = []
    for _ in range(REPEATS):
        for query, _relevant in testset.queries():
            started = time.perf_counter()
            testset.ranked(query)
            timings.append((time.perf_counter() - started) * 1000)
    details = [testset.ranked(query) for query, _relevant in testset.queries()]
    return quality_result(figures, timings, details)


def library_short() -> Result:
    """Short queries (abbreviations, forms, spellings, nynorsk, thesaurus) and off-topic ones
    over the library's test set, searched the public way (the set library_quality loaded)."""
    from kunnskap.library import testset

    figures = testset.evaluate_short()
    details = [testset.ranked(q.query) for q in testset.short_queries()] + [
        testset.ranked(query) for query in testset.offtopic_queries()
    ]
    return {
        "metrics": {
            "recall@3": round(figures["recall@3"], 3),
            "queries": figures["queries"],
            "off-topic with results": f"{figures['off-topic with results']}/{figures['off-topic']}",
            "unrelated per 10 complete": round(figures["unrelated per 10"], 2),
            "complete": figures["complete"],
        },
        "details": details,
    }


def round_ranking() -> Result:
    """Ranking a round of 500 needs scored by 12 members on 12 criteria (72,000 scores)."""
    import random

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from kunnskap.accounts.models import User
    from kunnskap.organisations.models import Hub, Municipality
    from kunnskap.proposals.models import Proposal
    from kunnskap.rounds import services
    from kunnskap.rounds.models import Entry, Member, Score, Scorecard
    from kunnskap.rounds.selectors import ranking

    needs, members, criteria = 500, 12, 12
    rng = random.Random(2026)
    hub = Hub.objects.get(level="national")
    admin = User.objects.create_user(email="bench@example.no", password=None, is_superuser=True)
    round_ = services.round_create(
        hub=hub,
        name="Bench",
        actor=admin,
        capacity=40,
        criteria=[services.CriterionInput(f"c{n}", f"Criterion {n}") for n in range(criteria)],
    )
    municipalities = list(Municipality.objects.all())
    now = timezone.now()
    proposals = Proposal.objects.bulk_create(
        Proposal(
            public_id=f"KB2026-{n:05d}",
            year=2026,
            number=n,
            hub=hub,
            status="in_round",
            title=f"Behov {n}",
            question=f"Spørsmål {n}?",
            municipality=rng.choice(municipalities),
            source="import",
            submitted_at=now,
            accepted_at=now,
        )
        for n in range(1, needs + 1)
    )
    entries = Entry.objects.bulk_create(Entry(round=round_, proposal=p) for p in proposals)
    users = User.objects.bulk_create(
        User(email=f"member{n}@example.no", full_name=f"Member {n}") for n in range(members)
    )
    people = Member.objects.bulk_create(
        Member(round=round_, user=user, submitted_at=now) for user in users
    )
    cards = Scorecard.objects.bulk_create(
        Scorecard(entry=entry, member=member, recused=rng.random() < 0.02)
        for entry in entries
        for member in people
    )
    columns = list(round_.criteria.all())
    Score.objects.bulk_create(
        (
            Score(scorecard=card, criterion=criterion, value=rng.choice([1, 2, 3, 4, 5, None]))
            for card in cards
            if not card.recused
            for criterion in columns
        ),
        batch_size=5_000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The statistics and hint bits a live database has, as `kunnskap generate` leaves.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    ranking(round_)  # warm up
    timings = []
    for _ in range(REPEATS):
        gc.collect()  # each run pays for its own garbage, not for the runs before it
        started = time.perf_counter()
        ranked = ranking(round_)
        timings.append((time.perf_counter() - started) * 1000)
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        ranking(round_)
    return {
        "metrics": {
            "needs": len(ranked),
            "scores": Score.objects.count(),
            "median ms": round(statistics.median(timings), 1),
            "max ms": round(max(timings), 1),
            "queries": len(queries),
        }
    }


BENCHMARKS: list[Callable[[], Result]] = [
    search_quality,
    library_quality,
    library_short,
    round_ranking,
]


# -- The child: one engine.


def fresh_database(engine: str, url: str) -> None:
    if engine == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    # Never drop a database that is not meant for benchmarks.
    if not name.endswith("_bench"):
        sys.exit(f"BENCH_POSTGRES_URL must name a database ending in _bench, not {name!r}.")
    with psycopg.connect(maintenance_url(url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10,1000,10000,100000").split(",")]


def run_engine(engine: str, url: str, output: Path, size: int | None = None) -> None:
    fresh_database(engine, url)
    os.environ["DATABASE_URL"] = url
    # Measure as production runs: no query log, no debug cursor.
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    # Plain HTTP on loopback: in production the proxy in front ends TLS and the redirect to
    # HTTPS never happens; here it would answer every page with a 301.
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kunnskap.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    if size is not None:
        import scale

        output.write_text(json.dumps(scale.run(size, load=size == max(SIZES))))
        return
    results = {benchmark.__name__: benchmark() for benchmark in BENCHMARKS}
    output.write_text(json.dumps(results))


# -- The parent: every engine, one table per benchmark.


def maintenance_url(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def postgres_answers(url: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(maintenance_url(url), connect_timeout=3):
            return True
    except Exception:
        return False


def engines() -> list[tuple[str, str]]:
    found = [("sqlite", f"sqlite:///{SQLITE_FILE}")]
    if postgres_answers(POSTGRES_URL):
        found.append(("postgresql", POSTGRES_URL))
    else:
        print(f"PostgreSQL does not answer at {POSTGRES_URL}: SQLite only.\n")
    return found


def table(rows: dict[str, dict]) -> str:
    columns = list(next(iter(rows.values())))
    header = ["engine", *columns]
    lines = [[engine, *(str(metrics[c]) for c in columns)] for engine, metrics in rows.items()]
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in [header, *lines]
    )


def agreement(details: dict[str, object]) -> str | None:
    """How many items (queries) every engine answered the same."""
    values = list(details.values())
    if len(values) < 2 or not all(isinstance(v, list) for v in values):
        return None
    items = list(zip(*values, strict=True))
    same = sum(1 for item in items if all(answer == item[0] for answer in item))
    return f"{same}/{len(items)} identical across engines (keys and scores)"


def child(engine: str, url: str, size: int | None = None) -> dict:
    output = VAR_DIR / f"{engine}-{size}.json"
    output.unlink(missing_ok=True)
    extra = ["--size", str(size)] if size is not None else []
    subprocess.run(
        [sys.executable, __file__, "--engine", engine, url, str(output), *extra],
        check=True,
        env={**os.environ, "DATABASE_URL": url},
    )
    result = json.loads(output.read_text())
    output.unlink()
    return result


def scale_report(found: list[tuple[str, str]]) -> dict[str, object]:
    """Latency by size, query counts at 10 and 1,000 rows, load and memory at the largest."""
    by_size = {size: {engine: child(engine, url, size) for engine, url in found} for size in SIZES}
    print("search latency by size (N needs and N publications; server side, ms):")
    rows = {}
    for size, engines_ in by_size.items():
        for engine, result in engines_.items():
            if "latency" in result:
                rows[f"{engine} {size:>7,}"] = {
                    f"{what} {figure}": value
                    for what, figures in result["latency"].items()
                    for figure, value in figures.items()
                } | {"generate s": result["generate s"]}
    if rows:
        print(table(rows) + "\n")
    counts = {
        f"{engine} {size:,} rows": result["queries"]
        for size, engines_ in by_size.items()
        for engine, result in engines_.items()
        if "queries" in result
    }
    if counts:
        print("queries per list page:")
        pages = list(next(iter(counts.values())))
        print(table({page: {k: v[page] for k, v in counts.items()} for page in pages}) + "\n")
    largest = by_size[max(SIZES)]
    for engine, result in largest.items():
        if "load" in result:
            print(f"load on {engine} at {max(SIZES):,} (gunicorn, 2 workers, {LOAD}):")
            print(table(result["load"]))
            print(
                f"web worker peak {result['web worker peak MB']} MB, background worker peak "
                f"{result['background worker peak MB']} MB\n"
            )
        if "http" in result:
            print(
                f"search over HTTP on {engine} at {max(SIZES):,} (one client, gunicorn, "
                "2 workers; a new query on every request):"
            )
            print(table(result["http"]) + "\n")
    return {str(size): engines_ for size, engines_ in by_size.items()}


LOAD = "8 clients on loopback"


def main() -> None:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    found = engines()
    by_engine: dict[str, dict[str, Result]] = {engine: child(engine, url) for engine, url in found}
    report: dict[str, object] = {"generated": datetime.now(UTC).isoformat(timespec="seconds")}
    for benchmark in BENCHMARKS:
        name = benchmark.__name__
        metrics = {engine: results[name]["metrics"] for engine, results in by_engine.items()}
        agreed = agreement(
            {engine: results[name].get("details") for engine, results in by_engine.items()}
        )
        print(f"{name}: {(benchmark.__doc__ or '').strip()}\n{table(metrics)}")
        if agreed:
            print(agreed)
        print()
        report[name] = {"engines": metrics, "agreement": agreed}
    if SIZES != [0]:
        report["scale"] = scale_report(found)
    RESULTS_FILE.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"Written to {RESULTS_FILE}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", nargs=3, metavar=("ENGINE", "URL", "OUTPUT"))
    parser.add_argument("--size", type=int, default=None)
    arguments = parser.parse_args()
    if arguments.engine:
        engine, url, output = arguments.engine
        run_engine(engine, url, Path(output), arguments.size)
    else:
        main()
