"""`kunnskap worker`: the task worker, which first makes sure the daily tasks are queued."""

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorker

from kunnskap.schedule import ensure_daily


class Command(DbWorker):
    help = "Run the background worker (e-mail, reminders, digests); queues the daily tasks."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = ensure_daily()
        if queued:
            self.stdout.write(f"Queued {queued} daily task(s).")
        super().handle(*args, **options)
