"""The commission pages: ordering from the decision page, reporting, changing the question."""

from kunnskap.commissions.models import Commission, Producer


def test_the_secretariat_orders_and_the_producer_reports(
    client_for, client, ordered, berit, per, otto
):
    staff = client_for(berit)
    decisions = staff.get(f"/runder/{ordered.round_id}/vedtak/")
    assert f"/bestillinger/ny/{ordered.pk}/" in decisions.content.decode()

    page = staff.get(f"/bestillinger/ny/{ordered.pk}/")
    assert page.status_code == 200
    fhi = Producer.objects.get(short_name="FHI")
    bad = staff.post(
        f"/bestillinger/ny/{ordered.pk}/",
        {"producer": fhi.pk, "question": "", "product_kind": "short_summary", "due_on": ""},
    )
    assert bad.status_code == 422
    assert set(bad.context["form"].errors) == {"question", "due_on"}
    response = staff.post(
        f"/bestillinger/ny/{ordered.pk}/",
        {
            "producer": fhi.pk,
            "question": "Hvilke tiltak for sårbehandling har effekt?",
            "product_kind": "short_summary",
            "due_on": "2027-03-01",
            "milestone_protocol": "2026-12-01",
        },
    )
    commission = Commission.objects.get()
    assert response.status_code == 302 and response.url == commission.get_absolute_url()
    assert staff.get(f"/bestillinger/ny/{ordered.pk}/").url == commission.get_absolute_url()

    producer = client_for(per)
    assert producer.get("/bestillinger/").status_code == 200
    response = producer.post(
        commission.get_absolute_url(),
        {
            "action": "report",
            "report-kind": "started",
            "report-done_on": "2026-11-25",
            "report-note": "Oppstartsmøte holdt.",
        },
    )
    assert response.status_code == 302
    commission.refresh_from_db()
    assert commission.status == "in_production"
    # Only the secretariat changes the question.
    assert (
        producer.post(
            commission.get_absolute_url(),
            {"action": "scope", "scope-question": "x", "scope-reason": "y"},
        ).status_code
        == 403
    )
    # Someone outside the hub is told the commission is not there, as for a missing one.
    assert client_for(otto).get(commission.get_absolute_url()).status_code == 404
    assert client.get("/bestillinger/").status_code == 302  # to sign in

    need_page = client.get(commission.proposal.get_absolute_url())
    assert "Oppstartsmøte holdt." in need_page.content.decode()


def test_the_list_takes_the_same_queries_for_one_and_many(
    client_for, berit, ordered, django_assert_max_num_queries
):
    staff = client_for(berit)
    staff.get("/mine-oppgaver/")  # her task count in the menu is counted there, and kept
    # The list, and one query for the decisions waiting for an order.
    with django_assert_max_num_queries(12):
        assert staff.get("/bestillinger/").status_code == 200


def test_an_editor_opens_the_order_and_publishes_its_entry(client_for, ordered, berit, rita):
    from datetime import date

    from kunnskap.commissions import services
    from kunnskap.library.models import Publication

    commission = services.commission_create(
        entry=ordered,
        actor=berit,
        producer=Producer.objects.get(short_name="FHI"),
        question="Hvilken effekt har honning på sårtilheling?",
        due_on=date(2027, 3, 1),
    )
    editor = client_for(rita)
    listing = editor.get("/bestillinger/")
    assert listing.status_code == 200
    assert commission.get_absolute_url() in listing.content.decode()
    page = editor.get(commission.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    entry = Publication.objects.get()
    assert f"/bibliotek/{entry.pk}/endre/?publish=1" in text
    assert "Report a milestone" not in text  # the producer's and the secretariat's
    assert (
        editor.post(
            commission.get_absolute_url(),
            {"action": "report", "report-kind": "started", "report-done_on": "2026-11-25"},
        ).status_code
        == 403
    )
    form = editor.get(f"/bibliotek/{entry.pk}/endre/?publish=1")
    assert form.context["form"]["status"].value() == "published"
    assert commission.get_absolute_url() in editor.get(entry.get_absolute_url()).content.decode()


def test_the_list_links_the_decisions_waiting_for_an_order(client_for, ordered, berit, per):
    text = client_for(berit).get("/bestillinger/").content.decode()
    assert 'id="waiting-heading"' in text
    assert f"/bestillinger/ny/{ordered.pk}/" in text
    # A producer cannot order: she sees no such list.
    assert (
        f"/bestillinger/ny/{ordered.pk}/"
        not in client_for(per).get("/bestillinger/").content.decode()
    )
