"""Headers: a Content-Security-Policy without inline script or style, a Permissions-Policy,
no-store on every page with private data, and `check --deploy` clean in production."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kunnskap.accounts import services as accounts

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parent.parent / "kunnskap" / "templates"
# Rendered for e-mail or for WeasyPrint only, never served to a browser.
NOT_SERVED = {"emails", "assessments/print_pdf.html", "rounds/recommendation_print.html"}


def test_every_page_has_a_strict_csp_and_a_permissions_policy(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_no_served_template_has_inline_script_style_or_handlers():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        name = str(path.relative_to(TEMPLATES))
        if name in NOT_SERVED or name.split("/")[0] in NOT_SERVED:
            continue
        text = path.read_text()
        inline_script = re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text)
        if inline_script or "<style" in text or re.search(r"\sstyle=|\son[a-z]+=", text):
            offenders.append(name)
    assert offenders == []


def test_the_private_status_page_is_never_stored(client, submit):
    _proposal, token = submit()
    response = client.get(f"/kunnskapsbehov/status/{token}/")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("path", ["/sekretariat/vurdering/", "/konto/min-side/", "/"])
def test_signed_in_pages_are_never_stored(client_for, berit, path):
    response = client_for(berit).get(path)
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    assert "private" in response.headers["Cache-Control"]


def test_the_screening_workbench_and_scoring_are_never_stored(
    client_for, berit, submit, the_round, committee, ulf
):
    proposal, _token = submit()
    workbench = client_for(berit).get(f"/sekretariat/vurdering/{proposal.public_id}/")
    scoring = client_for(ulf).get(f"/runder/{the_round.pk}/vurdering/")
    for response in (workbench, scoring):
        assert "no-store" in response.headers["Cache-Control"]


def test_api_answers_to_a_token_are_never_stored(client, berit):
    _token, raw = accounts.token_create(user=berit, name="test")
    response = client.get("/api/v1/proposals", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    # The browser tests' fixtures allow async-unsafe ORM calls in this process; a server never does.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 64 + "-production-like-secret-for-the-deploy-check",
        "ALLOWED_HOSTS": "kunnskap.example.no",
        "EMAIL_HOST": "smtp.example.no",
        "VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "kunnskap", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
