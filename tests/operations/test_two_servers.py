"""Two app servers and a worker on one PostgreSQL, one Redis and one S3-compatible store (moto):
whatever one server does, the other sees at once."""

import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from kunnskap.accounts.models import Role
from kunnskap.library.models import Publication
from kunnskap.operations.models import MessageStatus, OutboxMessage
from tests.conftest import PASSWORD, make_person, totp_code, two_step_secret
from tests.processes import (
    ROOT,
    child_env,
    free_port,
    is_postgresql,
    start_worker,
    stop,
    wait_until,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

GUNICORN = [sys.executable, "-m", "gunicorn", "kunnskap.wsgi:application"]
REDIS_URL = "redis://127.0.0.1:6379/4"
BUCKET = "kunnskap-test"
PDF = b"%PDF-1.7\n% Kunnskapsstotte test\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def shared_services(tmp_path) -> Iterator[dict[str, str]]:
    """Skip unless PostgreSQL and Redis answer; start moto's S3 server; empty our Redis database."""
    if not is_postgresql():
        pytest.skip("two app servers need PostgreSQL: SQLite is one machine's file")
    if not redis_answers():
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    import boto3
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # our own test database number only
    port = free_port()
    moto = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=(tmp_path / "moto.log").open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: answers(endpoint), timeout=60, what="moto's S3 server")
        keys = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **keys)
        s3.create_bucket(Bucket=BUCKET)
        yield {
            "REDIS_URL": REDIS_URL,
            "S3_BUCKET": BUCKET,
            "S3_ENDPOINT_URL": endpoint,
            "S3_ACCESS_KEY_ID": "test",
            "S3_SECRET_ACCESS_KEY": "test",
            "S3_REGION": "us-east-1",
            "PROPOSAL_RATE_LIMIT_PER_HOUR": "2",
            "MEDIA_ROOT": str(tmp_path / "no-media-here"),
        }
    finally:
        stop(moto)


def answers(url: str) -> bool:
    try:
        requests.get(url, timeout=1)
    except requests.RequestException:
        return False
    return True


@pytest.fixture
def servers(shared_services, tmp_path) -> Iterator[list[str]]:
    """Two gunicorn servers (two processes each) and one worker."""
    processes = []
    urls = []
    for number in (1, 2):
        port = free_port()
        log = (tmp_path / f"gunicorn-{number}.log").open("wb")
        processes.append(
            subprocess.Popen(
                [*GUNICORN, "--bind", f"127.0.0.1:{port}", "--workers", "2"],
                cwd=ROOT,
                env=child_env(**shared_services),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    processes.append(start_worker(tmp_path / "worker.log", **shared_services))
    try:
        for url in urls:
            wait_until(lambda url=url: answers(f"{url}/ping"), timeout=90, what=url)
        yield urls
    finally:
        for process in processes:
            stop(process)


def csrf_token(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    assert page.status_code == 200, page.status_code
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def test_two_servers_share_writes_cached_lists_sessions_files_and_rate_limits(
    servers, shared_services, national_hub, hov_hub
):
    one, two = servers
    editor = make_person("rita@ksf.example", "Rita Redaktør", None, Role.EDITOR, national_hub)
    # The servers know the production hashers, not the tests' fast MD5.
    editor.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    editor.save(update_fields=["password"])
    secret = two_step_secret(editor)

    # A visitor's cached library list on server 2, before anything is published.
    visitor = requests.Session()
    assert "Hverdagsrehabilitering" not in visitor.get(f"{two}/bibliotek/", timeout=30).text
    import redis

    assert redis.Redis.from_url(REDIS_URL).dbsize() > 0  # the page went to the shared cache

    # Rita signs in on server 1; her session works on server 2.
    rita = requests.Session()
    token = csrf_token(rita, f"{one}/konto/logg-inn/")
    signed_in = rita.post(
        f"{one}/konto/logg-inn/",
        {"login": "rita@ksf.example", "password": PASSWORD, "csrfmiddlewaretoken": token},
        timeout=30,
        allow_redirects=False,
    )
    assert signed_in.status_code == 302, signed_in.text[:2000]
    # An editor signs in in two steps: the code from her app (tests/accounts/test_two_step.py).
    assert signed_in.headers["Location"] == "/konto/totrinn/kode/"
    token = csrf_token(rita, f"{one}/konto/totrinn/kode/")
    coded = rita.post(
        f"{one}/konto/totrinn/kode/",
        {"code": totp_code(secret), "csrfmiddlewaretoken": token},
        timeout=30,
        allow_redirects=False,
    )
    assert coded.status_code == 302, coded.text[:2000]
    assert "Rita Redaktør" in rita.get(f"{two}/konto/min-side/", timeout=30).text

    # She publishes with a PDF on server 1 ...
    token = csrf_token(rita, f"{one}/bibliotek/ny/")
    saved = rita.post(
        f"{one}/bibliotek/ny/",
        data={
            "csrfmiddlewaretoken": token,
            "title": "Hverdagsrehabilitering",
            "kind": "short_summary",
            "status": "published",
            "summary": "Hverdagsrehabilitering bedrer trolig funksjon.",
        },
        files={"pdf": ("rapport.pdf", PDF, "application/pdf")},
        timeout=30,
        allow_redirects=False,
    )
    assert saved.status_code == 302, saved.text[:3000]
    publication = Publication.objects.get(title="Hverdagsrehabilitering")
    # ... the visitor's list on server 2 shows it at once, and the PDF downloads from server 2,
    # out of the object store (the servers have no media folder).
    assert "Hverdagsrehabilitering" in visitor.get(f"{two}/bibliotek/", timeout=30).text
    download = visitor.get(f"{two}/bibliotek/{publication.pk}/publikasjon.pdf", timeout=30)
    assert (download.status_code, download.content) == (200, PDF)
    import boto3

    s3 = boto3.client(
        "s3",
        endpoint_url=shared_services["S3_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    stored = s3.get_object(Bucket=BUCKET, Key=publication.pdf.name)["Body"].read()
    assert stored == PDF

    # Submissions from one address count on both servers together (limit 2 an hour) ...
    need = {
        "title": "Musikkterapi mot uro ved demens",
        "question": "Reduserer musikkterapi uro hos sykehjemsbeboere med demens?",
        "municipality": "4601",
        "submitter": {"name": "Frida Forslagsstiller", "email": "frida@bergen.kommune.no"},
    }
    statuses = [
        requests.post(f"{server}/api/v1/proposals", json=need, timeout=30).status_code
        for server in (one, two, one)
    ]
    assert statuses == [201, 201, 429]
    # ... and the worker sends both receipts.
    wait_until(
        lambda: OutboxMessage.objects.filter(status=MessageStatus.SENT).count() == 2,
        timeout=60,
        what="the worker to send the receipts",
    )
