"""Real processes for tests that need more than one: workers, app servers, mail servers.

Each child gets the test database through DATABASE_URL, so the test and its children share rows
(the tests that use them are transactional: their writes are committed).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


WORKER_OPTIONS = ["--no-reload", "--interval", "0.2", "--no-startup-delay"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def current_database_url() -> str:
    """The URL of the database this test runs on, for a child process."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def is_postgresql() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def child_env(**extra: Any) -> dict[str, str]:
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": current_database_url(), "LOG_LEVEL": "INFO"}
    env.update({key: str(value) for key, value in extra.items()})
    return env


def start_worker(log: Path, **env: Any) -> subprocess.Popen:
    """`kunnskap worker`, polling often, in a process group of its own."""
    return subprocess.Popen(
        [sys.executable, "-m", "kunnskap", "worker", *WORKER_OPTIONS],
        cwd=ROOT,
        env=child_env(**env),
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def wait_until(condition: Callable[[], Any], *, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"Waited {timeout} s for {what}")


class HangingSmtpServer:
    """Accepts connections and never says a word: a mail server that hangs."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.connected = threading.Event()
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(conn)
            self.connected.set()

    def close(self) -> None:
        self.listener.close()
        for conn in self.connections:
            conn.close()


class SmtpServer:
    """A working mail server (aiosmtpd) that keeps what it receives."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[Any] = []
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"

    def close(self) -> None:
        self.controller.stop()
