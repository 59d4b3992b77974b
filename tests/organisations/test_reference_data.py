"""The shipped reference data: every municipality, county and KSF region, kept editable."""

from kunnskap.organisations.models import County, Hub, Municipality, Region
from kunnskap.organisations.reference import load_reference_data


def test_all_357_municipalities_and_15_counties_are_loaded(db):
    assert Municipality.objects.count() == 357
    assert County.objects.count() == 15
    assert all(m.number[:2] == m.county_id for m in Municipality.objects.all())


def test_the_seven_ksf_regions_have_their_host_municipalities(db):
    hosts = dict(Region.objects.values_list("name", "host__name"))
    assert hosts == {
        "KSF Vest": "Bergen",
        "KSF Midt": "Trondheim",
        "KSF Nord": "Bodø",
        "KSF Innlandet": "Gjøvik",
        "KSF Sør-Øst": "Drammen",
        "KSF Sør": "Kristiansand",
        "KSF Øst": "Lillestrøm",
    }


def test_every_county_belongs_to_a_region(db):
    assert not County.objects.filter(region__isnull=True).exists()
    assert Municipality.objects.get(number="4601").region.name == "KSF Vest"
    assert Municipality.objects.get(number="5612").region.name == "KSF Nord"


def test_sami_municipalities_are_found_by_both_names(db):
    for text in ("Guovdageaidnu", "Kautokeino", "kautokeino"):
        assert list(Municipality.objects.search(text).values_list("number", flat=True)) == ["5612"]
    assert Municipality.objects.get(number="5612").display_name == "Guovdageaidnu (Kautokeino)"


def test_reloading_changes_nothing_and_keeps_a_membership_edited_in_the_admin(db):
    oslo = County.objects.get(number="03")
    oslo.region = Region.objects.get(name="KSF Vest")  # Oslo's KSF membership is uncertain
    oslo.save()

    load_reference_data(County, Municipality, Region)

    assert Municipality.objects.count() == 357
    assert Region.objects.count() == 7
    assert County.objects.get(number="03").region.name == "KSF Vest"


def test_there_is_one_national_hub(db):
    assert list(Hub.objects.values_list("level", flat=True)) == ["national"]
