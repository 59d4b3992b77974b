"""A published product (a short summary on night supervision), Bergen's people and Oslo's
outsider: Frida records for Bergen, Otto (Oslo) may not, Berit corrects for the cluster."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from kunnskap.library import services as library
from kunnskap.library.models import Publication
from kunnskap.taxonomy.models import PublicationKind, Theme


@pytest.fixture
def product(db) -> Publication:
    return library.publication_create(
        data=library.PublicationInput(
            title="Digitalt nattilsyn i sykehjem",
            kind=PublicationKind.SHORT_SUMMARY,
            summary="Kameraer og sensorer i stedet for fysisk tilsyn om natten.",
            published_on=timezone.localdate() - timedelta(days=400),
            themes=list(Theme.objects.all()[:1]),
        ),
        actor=None,
    )


@pytest.fixture
def long_ago() -> date:
    return timezone.localdate() - timedelta(days=300)
