"""A published product (a short summary on night supervision), Bergen's people and Oslo's
outsider: Frida records for Bergen, Otto (Oslo) may not, Berit corrects for the cluster."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from kunnskap.commissions import services as commissions
from kunnskap.commissions.models import Producer
from kunnskap.library import services as library
from kunnskap.library.models import Publication, PublicationStatus
from kunnskap.taxonomy.models import PublicationKind, Theme
from tests.commissions.conftest import ordered, per  # noqa: F401


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


@pytest.fixture
def published_order(ordered, berit):  # noqa: F811
    """The cluster's decision to order, its commission and its published product."""
    commission = commissions.commission_create(
        entry=ordered,
        actor=berit,
        producer=Producer.objects.get(short_name="FHI"),
        question="Hjelper honning på sår?",
        due_on=date(2027, 6, 1),
    )
    ongoing = Publication.objects.get(commission=commission)
    library.publication_update(
        publication=ongoing,
        data=library.input_from(
            ongoing,
            status=PublicationStatus.PUBLISHED,
            published_on=timezone.localdate() - timedelta(days=200),
        ),
        actor=berit,
        note="",
    )
    return Publication.objects.get(commission=commission)
