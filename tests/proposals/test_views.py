"""The form, the receipt and status page, the public list, endorsements and the queue."""

import csv
import io
import re

import pytest
from django.core import mail as outbox
from django_tasks_db.models import DBTaskResult

from kunnskap.organisations.models import Municipality
from kunnskap.proposals.choices import Status
from kunnskap.proposals.models import Endorsement, Proposal

FORM = {
    "title": "Sårbehandling med honning",
    "question": "Gir honning raskere tilheling av sår enn vanlige bandasjer?",
    "municipality": "Bergen",
    "submitter_name": "Frida Forslagsstiller",
    "submitter_email": "frida@bergen.kommune.no",
    "submitted_for": "myself",
    "criterion_reach": "many",
}


def test_the_form_page_offers_every_municipality(client, hov_hub):
    page = client.get("/kunnskapsbehov/nytt/").content.decode()
    assert page.count('<option value="') >= 357
    assert 'value="Guovdageaidnu (Kautokeino)"' in page


def test_submitting_the_form_shows_the_receipt_on_the_status_page(client, hov_hub):
    response = client.post("/kunnskapsbehov/nytt/", FORM, follow=True)
    proposal = Proposal.objects.get()
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/kunnskapsbehov/status/")
    assert proposal.public_id in page
    assert "Sårbehandling med honning" in page
    assert proposal.criteria == {"reach": "many"}
    assert DBTaskResult.objects.count() == 1  # the receipt, waiting for the worker


def test_the_municipality_is_found_by_its_norwegian_name(client, hov_hub):
    client.post("/kunnskapsbehov/nytt/", {**FORM, "municipality": "Kautokeino"})
    assert Proposal.objects.get().municipality.number == "5612"


def test_an_invalid_form_names_each_field_and_stores_nothing(client, hov_hub):
    response = client.post(
        "/kunnskapsbehov/nytt/",
        {**FORM, "question": "", "submitter_email": "feil", "municipality": "Atlantis"},
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert set(errors) >= {"question", "submitter_email", "municipality"}
    page = response.content.decode()
    assert 'id="id_question_error"' in page
    assert 'aria-describedby="id_question_helptext id_question_error"' in page
    assert not Proposal.objects.exists()


def test_the_honeypot_stops_robots(client, hov_hub):
    response = client.post("/kunnskapsbehov/nytt/", {**FORM, "website": "http://spam.example"})
    assert response.status_code == 422
    assert not Proposal.objects.exists()


def test_the_form_is_rate_limited(client, hov_hub, settings):
    settings.PROPOSAL_RATE_LIMIT_PER_HOUR = 1
    client.post("/kunnskapsbehov/nytt/", FORM)
    response = client.post("/kunnskapsbehov/nytt/", {**FORM, "title": "Honning igjen"})
    assert response.status_code == 422
    assert Proposal.objects.count() == 1


def test_sending_the_same_need_again_within_the_hour_asks_first(client, hov_hub):
    assert client.post("/kunnskapsbehov/nytt/", FORM).status_code == 302
    earlier = Proposal.objects.get()

    again = client.post("/kunnskapsbehov/nytt/", FORM)  # back, and send again

    assert again.status_code == 200
    assert Proposal.objects.count() == 1
    page = again.content.decode()
    assert 'id="repeat-warning"' in page and earlier.public_id in page
    assert again.context["form"]["repeat_confirmed"].value()
    # Confirmed (the form now carries it), the second one is stored.
    assert (
        client.post("/kunnskapsbehov/nytt/", {**FORM, "repeat_confirmed": "on"}).status_code == 302
    )
    assert Proposal.objects.count() == 2


def test_a_different_text_or_another_client_is_no_repeat(client, hov_hub, settings):
    client.post("/kunnskapsbehov/nytt/", FORM)
    other_text = {**FORM, "question": "Gir honning færre infeksjoner i sår?"}
    assert client.post("/kunnskapsbehov/nytt/", other_text).status_code == 302
    elsewhere = client.post("/kunnskapsbehov/nytt/", FORM, REMOTE_ADDR="192.0.2.77")
    assert elsewhere.status_code == 302
    assert Proposal.objects.count() == 3


def test_an_hour_later_the_same_text_is_stored_without_asking(client, hov_hub):
    from datetime import timedelta

    from django.utils import timezone

    client.post("/kunnskapsbehov/nytt/", FORM)
    Proposal.objects.update(submitted_at=timezone.now() - timedelta(minutes=61))
    assert client.post("/kunnskapsbehov/nytt/", FORM).status_code == 302
    assert Proposal.objects.count() == 2


def test_the_form_is_filled_in_for_a_signed_in_person(client_for, ulf, hov_hub):
    browser = client_for(ulf)
    form = browser.get("/kunnskapsbehov/nytt/").context["form"]
    assert form["submitter_name"].value() == "Ulf Utvalg"
    assert form["submitter_email"].value() == ulf.email
    assert form["municipality"].value() == ulf.municipality.display_name
    assert {unit.municipality_id for unit in form.fields["unit"].queryset} <= {"4630"}
    # Her own repeat is asked about too, though she is not rate-limited.
    data = {**FORM, "municipality": "Osterøy", "submitter_email": ulf.email}
    assert browser.post("/kunnskapsbehov/nytt/", data).status_code == 302
    assert "repeat-warning" in browser.post("/kunnskapsbehov/nytt/", data).content.decode()
    assert Proposal.objects.count() == 1


def test_a_wrong_status_link_is_a_404(client, db):
    assert client.get("/kunnskapsbehov/status/gjettet/").status_code == 404


def test_the_submitter_edits_through_her_link_until_screening(client, submit):
    proposal, token = submit()
    page = client.get(f"/kunnskapsbehov/status/{token}/endre/")
    assert page.status_code == 200
    data = {**FORM, "title": "Endret tittel", "municipality": "Bergen"}
    client.post(f"/kunnskapsbehov/status/{token}/endre/", data)
    proposal.refresh_from_db()
    assert proposal.title == "Endret tittel"

    Proposal.objects.filter(pk=proposal.pk).update(status=Status.SCREENING)
    response = client.get(f"/kunnskapsbehov/status/{token}/endre/")
    assert response.status_code == 302


def test_an_unscreened_need_is_invisible_to_the_public_everywhere(client, submit):
    proposal, _ = submit()
    assert client.get(f"/kunnskapsbehov/{proposal.public_id}/").status_code == 404
    assert proposal.public_id not in client.get("/kunnskapsbehov/").content.decode()
    assert proposal.public_id not in client.get(
        "/kunnskapsbehov/kunnskapsbehov.csv"
    ).getvalue().decode("utf-8-sig")


def test_an_accepted_need_is_public_without_personal_data(client, submit, accept):
    proposal, _ = submit()
    accept(proposal)
    page = client.get(f"/kunnskapsbehov/{proposal.public_id}/").content.decode()
    assert proposal.title in page
    assert "frida@bergen.kommune.no" not in page
    assert "Frida Forslagsstiller" not in page
    listing = client.get("/kunnskapsbehov/").content.decode()
    assert proposal.public_id in listing


def test_the_csv_has_the_list_without_personal_data(client, submit, accept):
    accept(submit()[0])
    body = client.get("/kunnskapsbehov/kunnskapsbehov.csv").getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:4] == ["ID", "Tittel", "Spørsmål", "Status"]  # the Norwegian interface
    # A byte-order mark, so Excel reads UTF-8 and shows æ, ø and å.
    assert client.get("/kunnskapsbehov/kunnskapsbehov.csv").getvalue().startswith(b"\xef\xbb\xbf")
    assert len(rows) == 2
    assert "frida" not in body.lower()


def test_a_screener_of_the_hub_sees_the_unscreened_need_and_the_submitter(
    client_for, submit, berit
):
    proposal, _ = submit()
    page = client_for(berit).get(f"/kunnskapsbehov/{proposal.public_id}/").content.decode()
    assert "frida@bergen.kommune.no" in page


def test_the_list_searches_and_filters(client, submit, accept):
    accept(submit()[0])
    accept(submit(title="Velferdsteknologi", question="Gevinster av velferdsteknologi?")[0])
    found = client.get("/kunnskapsbehov/?q=velferdsteknologi").context["page"].object_list
    assert [p.title for p in found] == ["Velferdsteknologi"]
    assert client.get("/kunnskapsbehov/?status=submitted").context["page"].paginator.count == 0


def test_a_submitter_endorses_a_similar_need_with_her_link(client, submit, accept):
    other, _ = submit(municipality=Municipality.objects.get(number="4630"))
    accept(other)
    _mine, token = submit()
    response = client.post(f"/kunnskapsbehov/{other.public_id}/tilslutning/", {"token": token})
    assert response.status_code == 302
    assert Endorsement.objects.filter(proposal=other, municipality__number="4601").exists()


def test_a_signed_in_user_endorses_for_her_own_municipality_only(client_for, submit, accept, ulf):
    proposal, _ = submit()  # from Bergen
    accept(proposal)
    browser = client_for(ulf)  # Ulf works in Osterøy
    url = f"/kunnskapsbehov/{proposal.public_id}/tilslutning/"
    page = browser.get(url)
    assert "municipality" not in page.context["form"].fields  # fixed: shown, not asked
    assert "Osterøy" in page.content.decode()
    # A municipality sent anyway is not hers to choose: the endorsement is Osterøy's.
    response = browser.post(url, {"municipality": "Alver", "comment": "Samme behov hos oss"})
    assert response.status_code == 302
    endorsement = Endorsement.objects.get(proposal=proposal, user=ulf)
    assert endorsement.municipality.number == "4630"


def test_the_unit_list_holds_the_units_of_one_s_own_municipality(
    client_for, submit, accept, ulf, usht
):
    from kunnskap.organisations.models import Unit

    osteroy = Municipality.objects.get(number="4630")
    home_care = Unit.objects.create(municipality=osteroy, name="Heimetenesta")
    proposal, _ = submit()  # Bergen's
    accept(proposal)
    url = f"/kunnskapsbehov/{proposal.public_id}/tilslutning/"
    browser = client_for(ulf)
    units = list(browser.get(url).context["form"].fields["unit"].queryset)
    assert units == [home_care]
    # USHT is Bergen's: not a unit Ulf can endorse with.
    assert browser.post(url, {"unit": usht.pk}).status_code == 422
    assert browser.post(url, {"unit": home_care.pk}).status_code == 302
    assert Endorsement.objects.get(proposal=proposal, user=ulf).unit == home_care


def test_a_municipality_endorses_once_with_or_without_a_unit(
    client_for, submit, accept, ulf, usht, berit
):
    proposal, _ = submit(municipality=Municipality.objects.get(number="4630"))  # Osterøy's
    accept(proposal)
    url = f"/kunnskapsbehov/{proposal.public_id}/tilslutning/"
    from kunnskap.organisations.models import Unit

    home_care = Unit.objects.create(
        municipality=Municipality.objects.get(number="4630"), name="Heimetenesta"
    )
    again = client_for(ulf).post(url, {"unit": home_care.pk})
    assert again.status_code == 422
    assert "Osterøy" in str(again.context["form"].non_field_errors())
    assert proposal.endorsements.count() == 1
    page = client_for(berit).get(proposal.get_absolute_url())
    assert [e.municipality.number for e in page.context["endorsements"]] == ["4630"]


def test_an_administrator_chooses_the_municipality_and_its_units(
    client_for, submit, accept, ada, usht
):
    proposal, _ = submit(municipality=Municipality.objects.get(number="4630"))
    accept(proposal)
    url = f"/kunnskapsbehov/{proposal.public_id}/tilslutning/"
    browser = client_for(ada)
    form = browser.get(url).context["form"]
    assert "municipality" in form.fields and not form.fields["unit"].queryset.exists()
    options = browser.get(
        "/kunnskapsbehov/nytt/enheter/", {"municipality": "Bergen"}
    ).content.decode()
    assert usht.name in options
    wrong = browser.post(url, {"municipality": "Alver", "unit": usht.pk})
    assert wrong.status_code == 422 and "unit" in wrong.context["form"].errors
    assert browser.post(url, {"municipality": "Bergen", "unit": usht.pk}).status_code == 302
    assert Endorsement.objects.get(proposal=proposal, municipality__number="4601").unit == usht


def test_someone_without_a_municipality_is_told_why_she_cannot_endorse(
    client_for, submit, accept, rita
):
    proposal, _ = submit()
    accept(proposal)
    url = f"/kunnskapsbehov/{proposal.public_id}/tilslutning/"
    page = client_for(rita).get(url)
    assert page.status_code == 200 and page.context["form"] is None
    assert client_for(rita).post(url, {"municipality": "Bergen"}).status_code == 403
    assert proposal.endorsements.count() == 1


def test_an_endorsement_through_a_fresh_link_counts_once_its_own_need_is_accepted(
    client, submit, accept
):
    other, _ = submit(municipality=Municipality.objects.get(number="4630"))
    accept(other)
    mine, token = submit()  # Bergen, not yet screened
    client.post(f"/kunnskapsbehov/{other.public_id}/tilslutning/", {"token": token})
    counted = Proposal.objects.with_endorsement_counts().get(pk=other.pk)
    assert counted.endorsing_municipalities == 1
    shown = client.get(f"/kunnskapsbehov/{other.public_id}/").context["endorsements"]
    assert [e.municipality.name for e in shown] == ["Osterøy"]
    accept(mine)
    counted = Proposal.objects.with_endorsement_counts().get(pk=other.pk)
    assert counted.endorsing_municipalities == 2


def test_an_anonymous_visitor_is_asked_to_sign_in_to_endorse(client, submit, accept):
    proposal, _ = submit()
    accept(proposal)
    response = client.get(f"/kunnskapsbehov/{proposal.public_id}/tilslutning/")
    assert response.status_code == 302
    assert "/konto/logg-inn/" in response["Location"]


def test_the_similar_panel_lists_public_needs(client, submit, accept):
    proposal, _ = submit()
    accept(proposal)
    page = client.get(
        "/kunnskapsbehov/nytt/likner/?title=musikkterapi&question=demens"
    ).content.decode()
    assert proposal.get_absolute_url() in page


def test_the_unit_list_narrows_to_the_municipality(client, usht):
    page = client.get("/kunnskapsbehov/nytt/enheter/?municipality=Bergen").content.decode()
    assert "USHT Hordaland" in page
    assert (
        "USHT Hordaland"
        not in client.get("/kunnskapsbehov/nytt/enheter/?municipality=Osterøy").content.decode()
    )


def test_the_queue_shows_the_screener_her_hub_oldest_first(client_for, submit, berit, vilde):
    first, _ = submit()
    second, _ = submit(title="Nummer to")
    page = client_for(berit).get("/sekretariat/vurdering/")
    assert [p.public_id for p, _days in page.context["rows"]] == [first.public_id, second.public_id]
    assert client_for(vilde).get("/sekretariat/vurdering/").context["rows"] == []


def test_the_queue_is_closed_to_others(client, client_for, otto):
    assert client_for(otto).get("/sekretariat/vurdering/").status_code == 403
    assert client.get("/sekretariat/vurdering/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_receipt_mail_arrives_through_the_worker(client, hov_hub, run_worker):
    client.post("/kunnskapsbehov/nytt/", FORM)
    run_worker()
    assert len(outbox.outbox) == 1
    link = re.search(r"/kunnskapsbehov/status/[\w-]+/", outbox.outbox[0].body).group(0)
    assert client.get(link).status_code == 200


def test_the_submitter_answers_a_question_on_her_status_page(client, submit, berit):
    from kunnskap.proposals import services

    proposal, token = submit()
    services.proposal_request_clarification(proposal=proposal, actor=berit, question="Hvilke sår?")
    page = client.get(f"/kunnskapsbehov/status/{token}/")
    assert "Hvilke sår?" in page.content.decode()
    assert client.post(f"/kunnskapsbehov/status/{token}/", {"answer": ""}).status_code == 422
    client.post(f"/kunnskapsbehov/status/{token}/", {"answer": "Leggsår"})
    proposal.refresh_from_db()
    assert proposal.status == Status.SCREENING


def test_the_resend_page_says_the_same_whoever_asks(client, submit):
    submit()
    known = client.post("/kunnskapsbehov/lenke/", {"email": "frida@bergen.kommune.no"}, follow=True)
    unknown = client.post("/kunnskapsbehov/lenke/", {"email": "ingen@example.no"}, follow=True)
    assert [str(m) for m in known.context["messages"]] == [
        str(m) for m in unknown.context["messages"]
    ]


def test_behind_a_proxy_each_client_has_its_own_limit(client, hov_hub, settings):
    settings.TRUSTED_PROXIES = 1
    settings.PROPOSAL_RATE_LIMIT_PER_HOUR = 1
    first = {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    second = {"HTTP_X_FORWARDED_FOR": "198.51.100.9"}
    assert client.post("/kunnskapsbehov/nytt/", FORM, **first).status_code == 302
    another = {**FORM, "title": "Honning igjen"}
    assert client.post("/kunnskapsbehov/nytt/", another, **first).status_code == 422
    assert client.post("/kunnskapsbehov/nytt/", FORM, **second).status_code == 302
    assert Proposal.objects.count() == 2


def test_the_csv_defuses_formulas(client, submit, accept):
    accept(submit(title='=HYPERLINK("http://evil")')[0])
    body = client.get("/kunnskapsbehov/kunnskapsbehov.csv").getvalue().decode("utf-8-sig")
    assert "'=HYPERLINK" in body


def test_the_submitter_does_not_see_the_secretariat_s_internal_notes(client, submit, berit):
    from kunnskap.screening import services as screening

    proposal, token = submit()
    screening.proposal_assign(proposal=proposal, assignee=berit, actor=berit)
    page = client.get(f"/kunnskapsbehov/status/{token}/").content.decode()
    assert "Berit Bibliotekar" not in page
