"""`kunnskap reindex`: analyse every searchable text again and rebuild the search index.

Needed after a change to the analysis: the stemming rules, kunnskap/search/data/forms.txt,
variants.txt or stopwords-nn.txt (the thesaurus is read at query time and needs no reindex).
"""

import time
from typing import Any

from django.core.management.base import BaseCommand

from kunnskap.search.services import index_rebuild


class Command(BaseCommand):
    help = "Analyse every searchable text again and rebuild the search index."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        count = index_rebuild()
        self.stdout.write(f"Reindexed {count} documents in {time.perf_counter() - started:.1f} s.")
