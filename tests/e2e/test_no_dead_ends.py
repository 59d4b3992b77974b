"""The seams between apps, walked in the browser: a steering group defers a need to a round that
does not exist yet, and an ordered product is published in the library entry its order made,
so the library holds exactly one record per product."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from kunnskap.commissions import services as commissions
from kunnskap.commissions.models import Commission, CommissionStatus, Producer
from kunnskap.library import services as library
from kunnskap.library.models import Publication, PublicationStatus
from kunnskap.proposals.choices import Status
from kunnskap.rounds import services as rounds
from kunnskap.rounds.models import Round, Stage


@pytest.fixture
def frozen_entry(the_round, committee, submit, berit):
    """One need in a round whose recommendation is frozen: the steering group's turn."""
    from kunnskap.screening.services import proposal_screen

    proposal, _token = submit(title="Honning på sår")
    proposal_screen(proposal=proposal, actor=berit, outcome="eligible")
    entry = rounds.entry_add(round_=the_round, proposal=proposal, actor=berit)
    rounds.scoring_open(round_=the_round, actor=berit)
    rounds.scorecard_save(
        member=committee["ulf"],
        actor=committee["ulf"].user,
        entry=entry,
        scores={"benefit": 3, "resources": 3, "severity": 3},
    )
    rounds.scoring_close(round_=the_round, actor=berit)
    rounds.recommendation_freeze(round_=the_round, actor=berit, choices={})
    return entry


def test_a_need_is_deferred_to_a_new_round_and_joins_it(
    visit, check_accessibility, sign_in, page, the_round, frozen_entry, sigrid, berit, hov_hub
):
    need = frozen_entry.proposal
    sign_in(sigrid)
    page = visit(f"/runder/{the_round.pk}/vedtak/")
    page.get_by_text(f"Registrer vedtaket om {need.public_id}").click()
    form = page.locator(f"#entry-{frozen_entry.pk}")
    form.get_by_label("Utsatt", exact=True).check()
    target = form.get_by_label("Utsatt til runde")
    # No round of the hub is open: the list offers the one the deferral will create.
    expect(target.locator("option")).to_have_text(
        [f"En ny runde i {hov_hub.name}, opprettes i planlegging"]
    )
    check_accessibility()
    form.get_by_label("Begrunnelse").fill("Tas opp igjen når kartleggingen i Bergen er ferdig.")
    form.get_by_role("button", name="Registrer vedtaket").click()
    expect(page.locator(".ds-alert")).to_contain_text(
        f"Det er utsatt til Neste runde etter {the_round.name}."
    )
    check_accessibility()

    later = Round.objects.exclude(pk=the_round.pk).get()
    assert (later.hub, later.stage) == (hov_hub, Stage.PLANNING)
    need.refresh_from_db()
    assert need.status == Status.DEFERRED
    page.locator(f"#entry-{frozen_entry.pk}").get_by_role("link", name=later.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(later.name)
    check_accessibility()

    # The secretariat takes the deferred need into the new round.
    page.context.clear_cookies()
    sign_in(berit)
    page = visit(f"/runder/{later.pk}/administrer/")
    page.get_by_text("Legg til et behov").click()
    page.get_by_label("Kunnskapsbehov").select_option(label=f"{need.public_id} – {need.title}")
    page.get_by_role("button", name="Legg til behovet").click()
    expect(page.locator("main")).to_contain_text("videreført")
    check_accessibility()
    need.refresh_from_db()
    assert need.status == Status.IN_ROUND
    assert later.entries.get().carried_from == frozen_entry


def test_an_ordered_product_is_published_in_its_own_entry(
    visit,
    check_accessibility,
    sign_in,
    page,
    the_round,
    frozen_entry,
    sigrid,
    berit,
    rita_editor,
):
    rounds.decision_record(
        entry=frozen_entry,
        actor=sigrid,
        decision="commissioned",
        rationale="Bestilles som kort oppsummering.",
        decided_on=date(2026, 11, 7),
    )
    need = frozen_entry.proposal

    # The secretariat finds the decision waiting on the list of orders and orders it.
    sign_in(berit)
    page = visit("/bestillinger/")
    page.get_by_role("link", name=f"Bestill {need.public_id} {need.title}").click()
    check_accessibility()
    page.get_by_label("Produsent").select_option(label="Folkehelseinstituttet")
    page.get_by_label("Frist", exact=True).fill("2027-03-01")
    page.get_by_role("button", name="Bestill", exact=True).click()
    expect(page.locator(".ds-alert")).to_contain_text("Bestillingen er registrert")
    commission = Commission.objects.get()
    assert Publication.objects.get().status == PublicationStatus.ONGOING

    # The editor opens the order from the list and publishes the product in its entry.
    page.context.clear_cookies()
    sign_in(rita_editor)
    page = visit("/bestillinger/")
    page.get_by_role("link", name=f"{need.public_id} {need.title}").click()
    expect(page).to_have_url(f"{page.url.split('/bestillinger/')[0]}/bestillinger/{commission.pk}/")
    check_accessibility()
    page.get_by_role("link", name="Publiser produktet").click()
    expect(page.get_by_label("Publisert", exact=True)).to_be_checked()
    check_accessibility()
    page.get_by_label("Sammendrag i klarspråk").fill(
        "Honning kan trolig gi raskere tilheling av brannsår; for andre sår er det usikkert."
    )
    page.get_by_role("button", name="Lagre").click()
    expect(page.locator(".ds-alert")).to_contain_text("Publikasjonen er lagret.")
    check_accessibility()

    assert Publication.objects.count() == 1
    product = Publication.objects.get()
    assert (product.pk, product.status) == (commission.publication.pk, PublicationStatus.PUBLISHED)
    page = visit("/bibliotek/?q=honning")
    expect(page.locator(".proposal-list .ds-card")).to_have_count(1)
    expect(page.locator(".proposal-list")).not_to_contain_text("pågående")
    commission.refresh_from_db()
    need.refresh_from_db()
    assert commission.status == CommissionStatus.DELIVERED
    assert need.status == Status.PUBLISHED


def test_a_product_made_as_a_new_publication_completes_the_ordered_entry(
    visit, check_accessibility, sign_in, page, frozen_entry, sigrid, berit, rita_editor
):
    rounds.decision_record(
        entry=frozen_entry,
        actor=sigrid,
        decision="commissioned",
        rationale="Bestilles som kort oppsummering.",
        decided_on=date(2026, 11, 7),
    )
    commission = commissions.commission_create(
        entry=frozen_entry,
        actor=berit,
        producer=Producer.objects.get(short_name="FHI"),
        question="Hvilken effekt har honning på sårtilheling?",
        due_on=date(2027, 3, 1),
    )
    need = frozen_entry.proposal
    ongoing = commission.publication

    sign_in(rita_editor)
    page = visit("/bibliotek/ny/")
    page.get_by_label("Tittel").fill("Honning på sår – kort oppsummert")
    page.get_by_label("Sammendrag i klarspråk").fill(
        "Honning kan gi raskere tilheling av brannsår."
    )
    page.get_by_label("Kunnskapsbehov den svarer på").fill(need.public_id)
    page.get_by_role("button", name="Lagre").click()
    expect(page.locator(".ds-alert")).to_contain_text("den pågående oppføringen er nå")
    expect(page.get_by_role("heading", level=1)).to_have_text("Honning på sår – kort oppsummert")
    check_accessibility()
    expect(page.get_by_role("link", name="Se bestillingen")).to_be_visible()

    assert list(Publication.objects.values_list("pk", "status")) == [
        (ongoing.pk, PublicationStatus.PUBLISHED)
    ]
    feed = page.request.get("/bibliotek/feed/").text()
    assert feed.count("<entry>") == 1 and "Honning på sår – kort oppsummert" in feed


def test_the_screener_is_told_what_is_missing_and_picks_the_answer_from_the_library(
    visit, check_accessibility, sign_in, page, submit, berit
):
    proposal, token = submit(title="Honning på sår", question="Hjelper honning på brannsår?")
    product = library.publication_create(
        data=library.PublicationInput(
            title="Honning ved behandling av brannsår",
            kind="short_summary",
            summary="Honning gir trolig raskere tilheling av brannsår enn vanlige bandasjer.",
        ),
        actor=None,
    )
    sign_in(berit)
    page = visit(f"/sekretariat/vurdering/{proposal.public_id}/")
    page.get_by_role("radio", name="Besvart med eksisterende kunnskap", exact=True).check()
    page.get_by_role("button", name="Registrer utfallet").click()

    summary = page.locator("ds-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Rett opp dette")
    check_accessibility()
    summary.get_by_role("link", name="Melding: Skriv med enkle ord hva som er kjent.").click()
    expect(page.get_by_label("Melding")).to_be_focused()
    summary.get_by_role("link", name="Registrer først kunnskapen som svarer på behovet.").click()
    search = page.get_by_label("Søk i biblioteket")
    expect(search).to_be_focused()

    search.fill("honning brannsår")
    results = page.locator("#library-results")
    expect(results).to_contain_text(product.title)
    check_accessibility()
    results.get_by_role("button", name=re.compile(f"^Velg som svar\\W+{product.title}$")).click()
    expect(page.locator(".ds-alert")).to_contain_text("svarer på behovet")
    expect(page.locator("main")).to_contain_text("Svar fra biblioteket")
    check_accessibility()

    page.get_by_role("radio", name="Besvart med eksisterende kunnskap", exact=True).check()
    page.get_by_label("Melding").fill("Honning gir trolig raskere tilheling av brannsår.")
    page.get_by_role("button", name="Registrer utfallet").click()
    expect(page.locator(".status-tag")).to_have_text("Besvart med eksisterende kunnskap")
    page = visit(f"/kunnskapsbehov/status/{token}/")
    expect(page.locator("main")).to_contain_text(product.title)
