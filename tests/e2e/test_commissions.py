"""From a decision to an order and its milestones, as the secretariat, the producer and the
submitter see it."""

from datetime import date

import pytest
from playwright.sync_api import expect

from kunnskap.accounts.models import Role
from kunnskap.rounds import services as rounds
from tests.conftest import make_person


@pytest.fixture
def decided(the_round, committee, submit, berit, sigrid):
    from kunnskap.screening.services import proposal_screen

    proposal, token = submit(title="Honning på sår")
    proposal_screen(proposal=proposal, actor=berit, outcome="eligible")
    entry = rounds.entry_add(round_=the_round, proposal=proposal, actor=berit)
    rounds.scoring_open(round_=the_round, actor=berit)
    rounds.scorecard_save(
        member=committee["ulf"],
        actor=committee["ulf"].user,
        entry=entry,
        scores={"benefit": 4, "resources": 4, "severity": 4},
    )
    rounds.scoring_close(round_=the_round, actor=berit)
    rounds.recommendation_freeze(round_=the_round, actor=berit, choices={})
    rounds.decision_record(
        entry=entry,
        actor=sigrid,
        decision="commissioned",
        rationale="Bestilles som lettere oppsummering.",
        decided_on=date(2026, 11, 7),
    )
    return entry, token


def test_from_decision_to_order_to_published_product(
    visit, check_accessibility, sign_in, page, decided, berit, hov_hub, rita_editor
):
    entry, token = decided
    sign_in(berit)
    page = visit(f"/runder/{entry.round_id}/vedtak/")
    page.get_by_role("link", name="Bestill produktet").click()
    check_accessibility()
    page.get_by_label("Produsent").select_option(label="Folkehelseinstituttet")
    page.get_by_label("Avtalt spørsmål").fill("Hvilke tiltak for sårbehandling har effekt?")
    page.get_by_role("button", name="Bestill", exact=True).click()
    expect(page.locator(".ds-validation-message").first).to_be_visible()
    check_accessibility()
    page.get_by_label("Frist", exact=True).fill("2027-03-01")
    page.get_by_label("Protokoll klar").fill("2026-12-01")
    page.get_by_role("button", name="Bestill", exact=True).click()
    expect(page.locator(".ds-alert")).to_contain_text("Bestillingen er registrert")
    check_accessibility()

    page.get_by_text("Endre spørsmålet").first.click()
    page.get_by_label("Nytt spørsmål").fill(
        "Hvilke tiltak for sårbehandling i kommunene har effekt?"
    )
    page.get_by_label("Begrunnelse for endringen").fill(
        "Utvidet fra honning til sårbehandling generelt."
    )
    page.get_by_role("button", name="Endre spørsmålet").click()
    expect(page.locator("main")).to_contain_text("Utvidet fra honning")
    check_accessibility()
    commission_url = page.url

    page.context.clear_cookies()
    per = make_person("per@fhi.no", "Per Produsent", None, Role.PRODUCER, hov_hub)
    sign_in(per)
    page = visit("/bestillinger/")
    page.goto(commission_url)
    page.get_by_text("Rapporter en milepæl").click()
    page.get_by_label("Milepæl", exact=True).select_option(label="Startet")
    page.get_by_label("Merknad").fill("Oppstartsmøte med kommunene holdt.")
    page.get_by_role("button", name="Rapporter", exact=True).click()
    expect(page.locator(".ds-tag").first).to_have_text("Under arbeid")
    # The tag may read so before the report too: wait for the page the report leads to.
    expect(page.get_by_text("Oppstartsmøte med kommunene holdt.").first).to_be_visible()
    check_accessibility()

    page.get_by_text("Rapporter en milepæl").click()
    page.get_by_label("Milepæl", exact=True).select_option(label="Levert")
    page.get_by_role("button", name="Rapporter", exact=True).click()
    expect(page.locator(".ds-tag").first).to_have_text("Levert")

    # The order was listed in the library as ongoing from the start; the editor publishes it.
    page.context.clear_cookies()
    sign_in(rita_editor)
    page = visit("/bibliotek/?q=honning")
    card = page.locator(".proposal-list .ds-card").first
    expect(card).to_contain_text("pågående")
    card.get_by_role("link").click()
    page.get_by_role("link", name="Endre").click()
    check_accessibility()
    page.get_by_label("Publisert", exact=True).check()
    page.get_by_label("Sammendrag i klarspråk").fill(
        "Honning kan trolig gi raskere tilheling av brannsår; for andre sår er det usikkert."
    )
    page.get_by_role("button", name="Lagre").click()
    expect(page.locator(".ds-alert")).to_contain_text("Publikasjonen er lagret.")

    page.context.clear_cookies()
    page = visit(f"/kunnskapsbehov/status/{token}/")
    main = page.locator("main")
    expect(main).to_contain_text("Bestilles som lettere oppsummering.")  # the decision
    expect(main).to_contain_text("Folkehelseinstituttet")  # the order
    expect(main).to_contain_text("Utvidet fra honning")  # the change of scope
    expect(main).to_contain_text("Oppstartsmøte med kommunene holdt.")  # started
    expect(main).to_contain_text("Publisert i biblioteket: Honning på sår")  # published
