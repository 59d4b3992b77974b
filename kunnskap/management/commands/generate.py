"""`kunnskap generate --proposals N --publications M --seed S` (see kunnskap/generate.py)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kunnskap.generate import Generator


class Command(BaseCommand):
    help = "Generate realistic synthetic data for benchmarks: needs, endorsements, rounds, scores."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--proposals", type=int, default=1_000, help="How many needs.")
        parser.add_argument("--publications", type=int, default=0, help="How many publications.")
        parser.add_argument("--seed", type=int, default=2026, help="The same seed, the same data.")

    def handle(
        self, *args: Any, proposals: int, publications: int, seed: int, **options: Any
    ) -> None:
        started = time.perf_counter()

        def progress(step: str) -> None:
            self.stdout.write(f"{time.perf_counter() - started:7.1f} s  {step}")

        report = Generator(seed=seed, progress=progress).run(
            proposals=proposals, publications=publications
        )
        progress("done")
        for name, value in vars(report).items():
            self.stdout.write(f"  {name:<13} {value:>9,}")
