"""The restore drill of docs/deployment.md, run for real: dump the database with pg_dump and the
uploaded files with tar, restore both into a new database and folder, and serve from them."""

import subprocess
import sys
import tarfile
from collections.abc import Iterator
from datetime import date

import psycopg
import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from kunnskap.commissions.models import Producer
from kunnskap.library import services as library
from kunnskap.taxonomy.models import Theme
from tests.processes import (
    ROOT,
    child_env,
    current_database_url,
    free_port,
    is_postgresql,
    stop,
    wait_until,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PDF = b"%PDF-1.7\n% restored\n%%EOF\n"


def dsn(name: str) -> str:
    """The test database's address with another database name."""
    return f"{current_database_url().rsplit('/', 1)[0]}/{name}"


def row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.fixture
def restored_name() -> Iterator[str]:
    if not is_postgresql():
        pytest.skip("the drill uses pg_dump and pg_restore: PostgreSQL only")
    name = f"{connection.settings_dict['NAME']}_restored"
    admin = dsn("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    yield name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_dump_restores_into_a_new_database_with_search_status_links_and_files(
    submit, settings, tmp_path, restored_name
):
    settings.MEDIA_ROOT = tmp_path / "media"
    proposal, token = submit(title="Sårbehandling med honning")
    publication = library.publication_create(
        data=library.PublicationInput(
            title="Hverdagsrehabilitering etter hjemkomst",
            kind="short_summary",
            summary="Hverdagsrehabilitering bedrer trolig funksjon hos eldre.",
            producer=Producer.objects.get(short_name="FHI"),
            published_on=date(2025, 3, 1),
            themes=list(Theme.objects.all()[:1]),
        ),
        actor=None,
        pdf=SimpleUploadedFile("rapport.pdf", PDF, content_type="application/pdf"),
    )

    # The backup: the database in pg_dump's custom format, the files as a tar archive.
    source = dsn(connection.settings_dict["NAME"])
    dump = tmp_path / "kunnskap.dump"
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", source], check=True)
    with tarfile.open(tmp_path / "media.tar.gz", "w:gz") as archive:
        archive.add(settings.MEDIA_ROOT, arcname="media")

    # The restore, into a database and a folder that did not exist.
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", restored_name], check=True)
    target = dsn(restored_name)
    subprocess.run(["pg_restore", "--no-owner", f"--dbname={target}", str(dump)], check=True)
    restored_files = tmp_path / "restored"
    with tarfile.open(tmp_path / "media.tar.gz") as archive:
        archive.extractall(restored_files, filter="data")

    assert row_counts(target) == row_counts(source)

    # A server on the restored copy finds the need by its link, the library by search, the PDF.
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kunnskap.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=child_env(DATABASE_URL=target, MEDIA_ROOT=restored_files / "media"),
        stdout=(tmp_path / "gunicorn.log").open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: ping(url), timeout=90, what="the restored server")
        status = requests.get(f"{url}/kunnskapsbehov/status/{token}/", timeout=30)
        assert status.status_code == 200 and proposal.public_id in status.text
        found = requests.get(
            f"{url}/bibliotek/", params={"q": "hverdagsrehabilitering"}, timeout=30
        )
        assert "Hverdagsrehabilitering etter hjemkomst" in found.text
        download = requests.get(f"{url}/bibliotek/{publication.pk}/publikasjon.pdf", timeout=30)
        assert (download.status_code, download.content) == (200, PDF)
    finally:
        stop(server)


def ping(url: str) -> bool:
    try:
        return requests.get(f"{url}/ping", timeout=1).status_code == 200
    except requests.RequestException:
        return False
