"""A real OpenID provider for the sign-in tests: node-oidc-provider in a child process.

`install()` puts the locked npm packages (package-lock.json beside this file) into a cache
folder under var/ once (`npm ci`); `make test` runs it before pytest, and the fixture runs it
again when the folder is missing, under a file lock so parallel test processes install once.
`start()` starts the provider on a free port and waits until it answers. Nothing is skipped: if
Node or the packages are missing, the fixture fails and says why.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CACHE = Path(os.environ.get("OIDC_PROVIDER_CACHE", ROOT / "var" / "oidc-provider"))
FILES = ("package.json", "package-lock.json", "provider.mjs")


def _lock_digest() -> str:
    return hashlib.sha256((HERE / "package-lock.json").read_bytes()).hexdigest()


def install() -> Path:
    """`npm ci` into the cache folder unless it already holds this lock file's packages."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        raise RuntimeError("The sign-in tests need Node.js and npm (Debian: nodejs, npm).")
    CACHE.mkdir(parents=True, exist_ok=True)
    stamp = CACHE / "installed-lock.sha256"
    with (CACHE / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for name in FILES:
            shutil.copyfile(HERE / name, CACHE / name)
        if not stamp.exists() or stamp.read_text() != _lock_digest():
            started = time.monotonic()
            subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                cwd=CACHE,
                check=True,
            )
            stamp.write_text(_lock_digest())
            print(f"oidc-provider installed in {time.monotonic() - started:.1f} s ({CACHE})")
    return CACHE


@dataclass
class OidcProvider:
    """The running provider: its issuers, and the test people who may sign in there."""

    url: str
    process: subprocess.Popen
    clients: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def idporten_issuer(self) -> str:
        return f"{self.url}/idporten"

    @property
    def entra_issuer(self) -> str:
        return f"{self.url}/entra/organizations/v2.0"

    def add_person(
        self, sub: str, *, acr: str | None = None, forge: str | None = None, **claims: Any
    ) -> str:
        """Someone who can sign in at the provider; `forge` spoils her ID token ("signature"
        or "nonce") to show that the app checks it."""
        account = {"id": sub, "claims": claims, "acr": acr, "forge": forge}
        requests.post(f"{self.url}/_test/accounts", json=account, timeout=10).raise_for_status()
        return sub

    def sign_in(self, browser: requests.Session, authorize_url: str, person: str) -> str:
        """Follow the app's redirect to the provider, sign in as the person, and return the
        URL the provider sends the browser back to (the app's callback)."""
        answer = browser.get(authorize_url, allow_redirects=False, timeout=10)
        while answer.status_code in (302, 303) and answer.headers["Location"].startswith(
            ("/", self.url)
        ):
            target = answer.headers["Location"]
            target = target if target.startswith("http") else self.url + target
            if "/interaction/" in target and browser.get(target, timeout=10).ok:
                answer = browser.post(
                    target, data={"account": person}, allow_redirects=False, timeout=10
                )
            else:
                answer = browser.get(target, allow_redirects=False, timeout=10)
        if answer.status_code not in (302, 303):
            raise AssertionError(f"The provider answered {answer.status_code}: {answer.text}")
        return answer.headers["Location"]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(timeout=10)


def start(*, clients: dict[str, dict[str, Any]], log: Path) -> OidcProvider:
    """Install if needed, start on a free port, wait until it answers (at most 30 s)."""
    from tests.processes import free_port

    folder = install()
    port = free_port()
    process = subprocess.Popen(
        ["node", str(folder / "provider.mjs"), str(port), json.dumps({"clients": clients})],
        cwd=folder,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    provider = OidcProvider(url=f"http://127.0.0.1:{port}", process=process, clients=clients)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The OpenID provider stopped: {log.read_text()[-2000:]}")
        try:
            discovery = f"{provider.idporten_issuer}/.well-known/openid-configuration"
            if requests.get(discovery, timeout=2).ok:
                return provider
        except requests.ConnectionError:
            time.sleep(0.1)
    provider.stop()
    raise RuntimeError(f"The OpenID provider did not answer in 30 s: {log.read_text()[-2000:]}")
