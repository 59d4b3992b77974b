"""`kunnskap serve`: the development server with a background worker beside it."""

import os
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the site for development, with a task worker so e-mail and tasks run too."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-worker", action="store_true", help="Do not start a worker.")
        parser.add_argument("--noreload", action="store_true", help="Do not reload on changes.")

    def handle(
        self, *args: Any, addrport: str, no_worker: bool, noreload: bool, **options: Any
    ) -> None:
        worker = None
        # The autoreloader runs this command again in a child (RUN_MAIN=true): one worker only.
        if not no_worker and os.environ.get("RUN_MAIN") != "true":
            worker = subprocess.Popen([sys.executable, "-m", "kunnskap", "worker"])
            self.stdout.write(f"Task worker started (pid {worker.pid}).")
        try:
            call_command("runserver", addrport, use_reloader=not noreload)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
