"""A round in the browser: a member scores blind, the chair freezes, the steering group decides."""

import re

import pytest
from playwright.sync_api import expect

from kunnskap.rounds import services as rounds


@pytest.fixture
def scoring_round(the_round, committee, eligible, berit):
    needs = [
        eligible(title="Musikkterapi mot uro ved demens"),
        eligible(title="Velferdsteknologi og økonomisk gevinst"),
    ]
    entries = [rounds.entry_add(round_=the_round, proposal=need, actor=berit) for need in needs]
    rounds.scoring_open(round_=the_round, actor=berit)
    return entries


def test_a_member_scores_blind_then_sees_the_ranking(
    visit, check_accessibility, sign_in, the_round, scoring_round, committee, unni
):
    first, second = scoring_round
    sign_in(unni)
    page = visit(f"/runder/{the_round.pk}/rangering/")
    expect(page.locator("main")).to_contain_text("når du har sendt inn dine egne")
    expect(page.locator(".ranking")).to_have_count(0)

    page = visit(f"/runder/{the_round.pk}/vurdering/")
    card = page.locator(f"#need-{first.pk}")
    for criterion, choice in (
        ("Nytte", "4 – Stor nytte"),
        ("Ressurser", "Vet ikke"),
        ("Alvorlighet", "5 – Svært alvorlig"),
    ):
        card.get_by_role("group", name=criterion).get_by_label(choice, exact=True).check()
    card.get_by_label("Kommentar").fill("Mange beboere har uro om kvelden.")
    card.get_by_role("button", name=re.compile("^Lagre")).click()
    expect(page.locator(f"#need-{first.pk} .save-status")).to_have_text(
        f"Poengene for {first.proposal.public_id} er lagret."
    )
    check_accessibility()

    card = page.locator(f"#need-{second.pk}")
    card.get_by_label("Jeg er inhabil").check()
    card.get_by_role("button", name=re.compile("^Lagre")).click()
    expect(page.locator(f"#need-{second.pk} .ds-validation-message")).to_be_visible()
    check_accessibility()
    card = page.locator(f"#need-{second.pk}")
    card.get_by_label("Begrunnelse for inhabilitet").fill(
        "Jeg leder tjenesten som sendte forslaget."
    )
    card.get_by_role("button", name=re.compile("^Lagre")).click()
    expect(page.locator(f"#need-{second.pk} .save-status")).to_contain_text("er lagret")

    page.reload()
    page.get_by_role("button", name="Send inn poengene mine").click()
    check_accessibility()
    page.get_by_role("dialog").get_by_role("button", name="Send inn poengene mine").click()
    page.wait_for_url(f"**/runder/{the_round.pk}/rangering/")
    check_accessibility()
    expect(page.locator(".ranking")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Unni Utvalg")
    expect(page.locator("main")).to_contain_text("Jeg leder tjenesten som sendte forslaget.")


def test_the_chair_freezes_and_the_steering_group_decides(
    visit,
    check_accessibility,
    sign_in,
    page,
    the_round,
    scoring_round,
    committee,
    ulf,
    sigrid,
    berit,
):
    first, second = scoring_round
    for name, values in (("ulf", (5, 2)), ("unni", (4, 3)), ("tor", (4, 2))):
        for entry, value in zip(scoring_round, values, strict=True):
            rounds.scorecard_save(
                member=committee[name],
                actor=committee[name].user,
                entry=entry,
                scores={"benefit": value, "resources": value, "severity": value},
            )
    rounds.scoring_close(round_=the_round, actor=berit)
    type(the_round).objects.filter(pk=the_round.pk).update(capacity=1)

    sign_in(ulf)
    page = visit(f"/runder/{the_round.pk}/innstilling/")
    expect(page.get_by_label(f"Innstill {first.proposal.public_id}")).to_be_checked()
    expect(page.get_by_label(f"Innstill {second.proposal.public_id}")).not_to_be_checked()
    page.get_by_label("Merknad til styringsgruppen").fill("Utvalget var enig om rekkefølgen.")
    page.get_by_role("button", name="Frys innstillingen").click()
    check_accessibility()
    page.get_by_role("dialog").get_by_role("button", name="Frys", exact=True).click()
    expect(page.locator(".ds-alert")).to_contain_text("Innstillingen er frosset.")
    check_accessibility()
    expect(page.get_by_role("link", name="Last ned som Word")).to_be_visible()
    rows = page.locator("#frozen-caption + thead + tbody tr")
    expect(rows.first).to_contain_text(first.proposal.public_id)

    page.context.clear_cookies()
    sign_in(sigrid)
    page = visit(f"/runder/{the_round.pk}/vedtak/")
    page.get_by_text(f"Registrer vedtaket om {first.proposal.public_id}").click()
    form = page.locator(f"#entry-{first.pk}")
    form.get_by_label("Bestilt", exact=True).check()
    form.get_by_label("Begrunnelse").fill("Bestilles som kort oppsummering fra FHI.")
    form.get_by_role("button", name="Registrer vedtaket").click()
    expect(page.locator(".ds-alert")).to_contain_text(first.proposal.public_id)
    check_accessibility()
    expect(page.locator(f"#entry-{first.pk}")).to_contain_text("Bestilt")

    page = visit("/runder/vedtak/")
    expect(page.locator("main")).to_contain_text("Bestilles som kort oppsummering fra FHI.")
    visit("/runder/")
    visit(f"/runder/{the_round.pk}/")
    page.context.clear_cookies()
    sign_in(berit)
    visit(f"/runder/{the_round.pk}/administrer/")
    visit("/runder/ny/")
