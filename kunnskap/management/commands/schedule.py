"""`kunnskap schedule`: start the periodic jobs that are due (for cron; workers do it anyway)."""

from typing import Any

from django.core.management.base import BaseCommand

from kunnskap import schedule


class Command(BaseCommand):
    help = "Queue the periodic jobs that are due and have not run for this period."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = schedule.tick()
        self.stdout.write(f"Queued: {', '.join(queued)}" if queued else "Nothing due.")
