"""The funnel, the time per stage, endorsements and the filters, on needs that went through the
real services; and who may see the statistics."""

from datetime import timedelta

from django.utils import timezone

from kunnskap.insights import selectors
from kunnskap.insights.selectors import Filters
from kunnskap.organisations.models import Municipality, Region
from kunnskap.proposals import services as proposals
from kunnskap.proposals.models import Proposal, ProposalEvent


def test_the_funnel_counts_each_stage_a_need_reached(journey):
    assert Proposal.objects.get(pk=journey["ordered"].pk).status == "commissioned"
    assert Proposal.objects.get(pk=journey["not_recommended"].pk).status == "not_commissioned"
    steps = {step.key: step.count for step in selectors.funnel(Filters())}
    assert steps == {
        "received": 5,
        "screened": 4,
        "answered": 1,
        "eligible": 2,
        "recommended": 1,  # from its history: it is "commissioned" now
        "commissioned": 1,
        "delivered": 0,
        "published": 0,
    }
    share = selectors.answered_share(selectors.funnel(Filters()))
    assert (share.count, share.of, share.percent) == (1, 4, 25.0)


def test_median_days_come_from_the_history(journey):
    """Screening took 2, 4 and 9 days for three needs and 6 for the fourth: the median is 5."""
    now = timezone.now()
    days = {"ordered": 2, "not_recommended": 4, "answered": 9, "out_of_scope": 6}
    for name, spent in days.items():
        need = journey[name]
        Proposal.objects.filter(pk=need.pk).update(submitted_at=now - timedelta(days=30))
        ProposalEvent.objects.filter(
            proposal=need, to_status__in=selectors.SCREENING_OUTCOMES
        ).update(at=now - timedelta(days=30 - spent))
    durations = {d.key: d for d in selectors.stage_days(Filters())}
    assert durations["screening"].needs == 4
    assert durations["screening"].median_days == 5.0
    # Both ranked needs went from eligible to a recommendation, and on to a decision.
    assert durations["prioritisation"].needs == 2
    assert durations["decision"].needs == 2
    assert durations["production"].needs == 0
    assert durations["production"].median_days is None


def test_endorsements_are_counted_per_need(journey):
    proposals.proposal_endorse(
        proposal=journey["ordered"], municipality=Municipality.objects.get(pk="4631")
    )
    proposals.proposal_endorse(
        proposal=journey["ordered"], municipality=Municipality.objects.get(pk="4624")
    )
    proposals.proposal_endorse(
        proposal=journey["answered"], municipality=Municipality.objects.get(pk="4630")
    )
    result = selectors.endorsements(Filters())
    assert [(row.key, row.count) for row in result.rows] == [("1", 3), ("2", 1), ("3", 1)]
    assert result.needs == 5
    assert result.mean == round((3 + 2 + 3) / 5, 2)


def test_filters_narrow_by_period_place_and_round(journey, the_round, hov_hub):
    vest = Region.objects.get(name="KSF Vest")
    assert selectors.proposals_by("municipality", Filters(region=vest)).total == 5
    assert (
        selectors.proposals_by(
            "municipality", Filters(region=Region.objects.exclude(pk=vest.pk).first())
        ).total
        == 0
    )
    osteroy = Municipality.objects.get(pk="4630")
    counted = selectors.proposals_by("municipality", Filters(municipality=osteroy))
    assert [(row.key, row.count) for row in counted.rows] == [("4630", 1)]
    assert selectors.proposals_by("status", Filters(cluster=hov_hub.cluster)).total == 5
    # The round (no opening date, deadline 26 September 2026): its entries, plus what the hub
    # received up to the deadline.
    in_round = selectors.proposals_by("status", Filters(round=the_round))
    today = timezone.localdate()
    assert in_round.total == (5 if today <= the_round.proposals_close else 2)
    Proposal.objects.filter(pk=journey["waiting"].pk).update(
        submitted_at=timezone.now() - timedelta(days=400)
    )
    last_year = Filters(end=today - timedelta(days=300))
    assert selectors.proposals_by("status", last_year).total == 1
    assert selectors.proposals_by("status", Filters(start=today)).total == 4


def test_the_secretariat_leaders_and_administrators_see_the_statistics(
    client, journey, berit, vilde, ada, otto, sigrid, ulf, client_for
):
    assert client.get("/innsikt/").status_code == 302  # to the sign-in page
    assert client.get("/innsikt/tabell/theme.csv").status_code == 302
    for person in (otto, ulf):  # no role; a committee member
        assert client_for(person).get("/innsikt/").status_code == 403
        assert client_for(person).get("/innsikt/tabell/theme.csv").status_code == 403
        assert client_for(person).get("/api/v1/stats/proposals?by=theme").status_code == 403
    for person in (berit, vilde, sigrid, ada):
        assert client_for(person).get("/innsikt/").status_code == 200
    assert client.get("/api/v1/stats/proposals?by=theme").status_code == 401
    # The menu shows the page to those who may open it.
    assert "/innsikt/" in client_for(berit).get("/").content.decode()
    assert "/innsikt/" not in client_for(otto).get("/").content.decode()


def test_the_api_names_what_is_wrong(journey, berit, client_for):
    client = client_for(berit)
    response = client.get("/api/v1/stats/proposals?by=colour")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "by"
    response = client.get("/api/v1/stats/proposals?by=theme&round=999999")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "round", "message": "Det finnes ingen runde med denne id-en."}
    ]
    response = client.get("/api/v1/stats/proposals")
    assert response.status_code == 422


def test_the_page_shows_every_statistic_with_chart_and_table(journey, berit, client_for):
    response = client_for(berit).get("/innsikt/?municipality=4601")
    html = response.content.decode()
    assert response.status_code == 200
    # The needs' ten, and the follow-up tables that have rows without any record: the summary,
    # the records by status and the evaluations by verdict (zeros).
    assert html.count("<figure") == html.count("<table") == 13
    assert html.count("<figcaption>") == 13
    assert "Stolpediagram: Hvor langt behovene kom" in html
    assert response.context["tables"][0].rows[0] == ["Mottatt", 3, 100.0]
    response = client_for(berit).get("/innsikt/?start=2026-12-01&end=2026-01-01")
    assert "Sluttdatoen kan ikke være før startdatoen." in response.content.decode()
