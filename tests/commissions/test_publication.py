"""An ordered product is published in the library entry its order made: one record per product,
whichever way the editor publishes it, and the order is then done."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from kunnskap.commissions import services
from kunnskap.commissions.models import CommissionStatus, Producer
from kunnskap.library import services as library
from kunnskap.library.models import Publication, PublicationStatus
from kunnskap.proposals.choices import Status
from kunnskap.taxonomy.models import PublicationKind


@pytest.fixture
def commission(ordered, berit):
    return services.commission_create(
        entry=ordered,
        actor=berit,
        producer=Producer.objects.get(short_name="FHI"),
        question="Hvilken effekt har honning på sårtilheling?",
        due_on=date(2027, 3, 1),
    )


def published(**changes):
    values = {
        "title": "Honning på sår – kort oppsummert",
        "kind": PublicationKind.SHORT_SUMMARY,
        "summary": "Honning kan gi raskere tilheling av brannsår.",
    }
    return library.PublicationInput(**(values | changes))


def test_a_new_publication_for_an_ordered_need_completes_the_ongoing_entry(commission, rita):
    ongoing = commission.publication
    need = commission.proposal

    product = library.publication_create(data=published(proposals=[need]), actor=rita)

    assert product.pk == ongoing.pk
    assert Publication.objects.count() == 1
    product.refresh_from_db()
    assert product.status == PublicationStatus.PUBLISHED
    assert product.title == "Honning på sår – kort oppsummert"
    # What the order knew stays where the editor said nothing of it.
    assert product.producer.short_name == "FHI"
    assert product.expected_on == date(2027, 3, 1)
    assert product.question == "Hvilken effekt har honning på sårtilheling?"
    assert list(product.proposals.all()) == [need]
    assert sorted(product.versions.values_list("status", flat=True)) == [
        PublicationStatus.ONGOING,
        PublicationStatus.PUBLISHED,
    ]
    need.refresh_from_db()
    assert need.status == Status.PUBLISHED
    commission.refresh_from_db()
    assert commission.status == CommissionStatus.DELIVERED
    assert commission.delivered_on is not None
    assert commission.history.first().status == CommissionStatus.DELIVERED


def test_publishing_the_ongoing_entry_itself_closes_the_order(commission, rita):
    ongoing = commission.publication
    library.publication_update(
        publication=ongoing,
        data=library.input_from(ongoing, status=PublicationStatus.PUBLISHED, summary="Ferdig."),
        actor=rita,
        note="",
    )
    commission.refresh_from_db()
    assert commission.status == CommissionStatus.DELIVERED
    assert Publication.objects.count() == 1


def test_a_delivered_order_keeps_its_delivery_date_when_published(commission, per, rita):
    services.milestone_report(
        commission=commission, actor=per, kind="delivered", done_on=date(2027, 2, 1)
    )
    library.publication_create(data=published(proposals=[commission.proposal]), actor=rita)
    commission.refresh_from_db()
    assert (commission.status, commission.delivered_on) == (
        CommissionStatus.DELIVERED,
        date(2027, 2, 1),
    )


def test_an_ongoing_product_or_one_for_other_needs_is_a_new_entry(commission, rita, eligible):
    other = eligible(title="Sansehage mot uro")
    library.publication_create(data=published(proposals=[other]), actor=rita)
    library.publication_create(
        data=published(status=PublicationStatus.ONGOING, proposals=[commission.proposal]),
        actor=rita,
    )
    assert Publication.objects.count() == 3
    commission.refresh_from_db()
    assert commission.status == CommissionStatus.ORDERED


def test_only_the_product_s_writers_complete_the_order(commission, vilde):
    with pytest.raises(PermissionDenied):
        services.commission_complete(commission=commission, actor=vilde)
    commission.refresh_from_db()
    assert commission.status == CommissionStatus.ORDERED
