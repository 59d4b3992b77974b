"""A need goes to its municipality's cluster hub, else its region's, else the national hub."""

from kunnskap.organisations.models import Municipality
from kunnskap.organisations.selectors import hub_for_municipality, wider_hubs


def test_a_cluster_member_goes_to_the_cluster_hub(hov_hub, vest_hub):
    assert hub_for_municipality(Municipality.objects.get(number="4630")) == hov_hub


def test_a_municipality_outside_the_cluster_goes_to_its_region(hov_hub, vest_hub):
    assert hub_for_municipality(Municipality.objects.get(number="4621")) == vest_hub  # Voss


def test_without_a_regional_hub_the_need_goes_to_the_national_hub(hov_hub, national_hub):
    assert hub_for_municipality(Municipality.objects.get(number="5001")) == national_hub


def test_an_inactive_cluster_hub_is_skipped(hov_hub, vest_hub):
    hov_hub.is_active = False
    hov_hub.save()
    assert hub_for_municipality(Municipality.objects.get(number="4601")) == vest_hub


def test_a_cluster_hub_forwards_to_its_region_then_the_nation(hov_hub, vest_hub, national_hub):
    assert wider_hubs(hov_hub) == [vest_hub, national_hub]
    assert wider_hubs(vest_hub) == [national_hub]
    assert wider_hubs(national_hub) == []
