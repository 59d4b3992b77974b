"""Each role signs in, lands on "Mine oppgaver", follows the task to where it is done, and comes
back, on a phone and on a desktop, every page checked with axe and for sideways scrolling."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kunnskap.accounts.models import Role
from kunnskap.assessments import services as assessments
from kunnskap.commissions import services as commissions
from kunnskap.commissions.models import Producer
from kunnskap.organisations.models import Hub
from kunnskap.proposals import services as proposals
from kunnskap.proposals.choices import Source
from kunnskap.rounds import services as rounds
from tests.conftest import make_person, need

SIZES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}


def _scoring(the_round, eligible, berit):
    for title in ("Honning på sår", "Velferdsteknologi i hjemmetjenesten"):
        rounds.entry_add(round_=the_round, proposal=eligible(title=title), actor=berit)
    rounds.scoring_open(round_=the_round, actor=berit)


def _ordered(request):
    the_round, berit, sigrid = (
        request.getfixturevalue(n) for n in ("the_round", "berit", "sigrid")
    )
    committee = request.getfixturevalue("committee")
    entry = rounds.entry_add(
        round_=the_round,
        proposal=request.getfixturevalue("eligible")(title="Honning på sår"),
        actor=berit,
    )
    rounds.scoring_open(round_=the_round, actor=berit)
    rounds.scorecard_save(
        member=committee["ulf"],
        actor=committee["ulf"].user,
        entry=entry,
        scores={"benefit": 4, "resources": 4, "severity": 3},
    )
    rounds.scoring_close(round_=the_round, actor=berit)
    rounds.recommendation_freeze(round_=the_round, actor=berit, choices={})
    entry = rounds.decision_record(
        entry=entry,
        actor=sigrid,
        decision="commissioned",
        rationale="Bestilles.",
        decided_on=date(2026, 11, 7),
    )
    per = make_person("per@fhi.no", "Per Produsent", None, Role.PRODUCER, the_round.hub)
    commission = commissions.commission_create(
        entry=entry,
        actor=berit,
        producer=Producer.objects.get(short_name="FHI"),
        question=entry.proposal.question,
        due_on=timezone.localdate() + timedelta(days=60),
    )
    return per, commission


def _group(request):
    lead = make_person("froydis@bergen.kommune.no", "Frøydis FoU", "4601")
    writer = make_person("magne@bergen.kommune.no", "Magne Medlem", "4601")
    reviewer = make_person("reidun@alver.kommune.no", "Reidun Fagfelle", "4631")
    assessment = assessments.assessment_start(
        title="Digitalt nattilsyn med sensorer",
        municipality=request.getfixturevalue("bergen"),
        actor=lead,
    )
    assessments.participant_invite(
        assessment=assessment, email=writer.email, role="member", actor=lead
    )
    assessments.participant_invite(
        assessment=assessment, email=reviewer.email, role="reviewer", actor=lead
    )
    return lead, writer, reviewer, assessment


def scenario(role: str, request):
    """Make the work that waits for one role: (who, the task's link text, where it leads)."""
    if role == "screener":
        proposal, _ = request.getfixturevalue("submit")(title="Fall hos eldre")
        return (
            request.getfixturevalue("berit"),
            "Fall hos eldre",
            f"/sekretariat/vurdering/{proposal.public_id}/",
        )
    if role in ("committee", "chair", "steering"):
        the_round, berit = request.getfixturevalue("the_round"), request.getfixturevalue("berit")
        request.getfixturevalue("committee")
        _scoring(the_round, request.getfixturevalue("eligible"), berit)
        if role == "committee":
            return (
                request.getfixturevalue("unni"),
                "Pilot 2.0",
                f"/runder/{the_round.pk}/vurdering/",
            )
        rounds.scoring_close(round_=the_round, actor=berit)
        if role == "chair":
            return (
                request.getfixturevalue("ulf"),
                "Pilot 2.0",
                f"/runder/{the_round.pk}/innstilling/",
            )
        rounds.recommendation_freeze(round_=the_round, actor=berit, choices={})
        return request.getfixturevalue("sigrid"), "Pilot 2.0", f"/runder/{the_round.pk}/vedtak/"
    if role == "producer":
        per, commission = _ordered(request)
        return per, "Honning på sår", f"/bestillinger/{commission.pk}/"
    if role == "editor":
        per, commission = _ordered(request)
        commissions.milestone_report(
            commission=commission, actor=per, kind="delivered", done_on=timezone.localdate()
        )
        rita = make_person(
            "rita@ksf.example",
            "Rita Redaktør",
            None,
            Role.EDITOR,
            Hub.objects.get(level="national"),
        )
        return rita, "Honning på sår", f"/bibliotek/{commission.publication.pk}/endre/"
    if role == "author":
        _lead, writer, _reviewer, assessment = _group(request)
        return writer, "Digitalt nattilsyn med sensorer", f"/mmv/{assessment.pk}/seksjon/"
    if role == "reviewer":
        lead, _writer, reviewer, assessment = _group(request)
        assessments.review_request(assessment=assessment, actor=lead)
        return reviewer, "Digitalt nattilsyn med sensorer", f"/mmv/{assessment.pk}/"
    if role == "submitter":
        frida = request.getfixturevalue("frida")
        proposals.proposal_submit(data=need(title="Musikk mot uro"), source=Source.WEB, user=frida)
        return frida, "Musikk mot uro", "/kunnskapsbehov/status/"
    raise AssertionError(role)


def assert_no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (page.url, width)


ROLES = [
    "screener",
    "committee",
    "chair",
    "steering",
    "producer",
    "editor",
    "author",
    "reviewer",
    "submitter",
]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ROLES)
def test_from_sign_in_through_my_tasks_to_the_action_and_back(
    request, page, sign_in, check_accessibility, hov_hub, role, size
):
    page.set_viewport_size(SIZES[size])
    user, title, target = scenario(role, request)

    sign_in(user)  # lands on "Mine oppgaver"
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine oppgaver")
    check_accessibility()
    assert_no_sideways_scroll(page)

    page.get_by_role("link", name=re.compile(re.escape(title))).first.click()
    expect(page).to_have_url(re.compile(re.escape(target)))
    check_accessibility()  # (every page's reflow at 320 px is the crawler's test, issue 17)

    page.get_by_role("navigation", name="Kontoen din").get_by_role(
        "link", name=re.compile("^Mine oppgaver")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine oppgaver")
    expect(page.get_by_role("link", name=re.compile(re.escape(title))).first).to_be_visible()


def test_nothing_waits_and_the_usual_pages_are_offered(page, sign_in, check_accessibility, otto):
    page.set_viewport_size(SIZES["phone"])
    sign_in(otto)
    expect(page.get_by_text("Ingenting venter på deg nå.")).to_be_visible()
    check_accessibility()
    page.get_by_role("link", name="Still et spørsmål").last.click()
    expect(page).to_have_url(re.compile("/kunnskapsbehov/nytt/$"))


def test_a_screeners_count_drops_when_she_screens_the_need(
    page, sign_in, check_accessibility, submit, berit
):
    submit(title="Fall hos eldre")
    submit(title="Ernæring i sykehjem")
    sign_in(berit)
    tasks = page.get_by_role("navigation", name="Kontoen din").get_by_role(
        "link", name=re.compile("^Mine oppgaver")
    )
    expect(tasks).to_have_accessible_name(re.compile(r"\(2 oppgaver\)"))
    page.get_by_role("link", name=re.compile("Fall hos eldre")).click()
    page.get_by_role("radio", name="Klar for prioritering i en runde", exact=True).check()
    page.get_by_role("button", name="Registrer utfallet").click()
    expect(page.locator("main")).to_contain_text("Klar for prioritering")
    tasks.click()
    expect(tasks).to_have_accessible_name(re.compile(r"\(1 oppgave\)"))
    expect(page.get_by_role("link", name=re.compile("Fall hos eldre"))).to_have_count(0)
    check_accessibility()


def test_the_staff_menu_is_one_line_at_1280_and_opens_from_a_button_on_a_phone(
    page, sign_in, check_accessibility, ada
):
    page.set_viewport_size(SIZES["desktop"])
    sign_in(ada)
    # One line: every entry's middle at the same height (the "Arbeid" button is taller).
    middles = page.locator(".site-nav__list > li:not(.site-nav__close)").evaluate_all(
        "(items) => items.map((li) => { const r = li.getBoundingClientRect();"
        " return Math.round(r.top + r.height / 2); })"
    )
    assert len(middles) >= 8 and max(middles) - min(middles) <= 2, middles
    page.get_by_role("button", name=re.compile("^Arbeid")).click()
    expect(page.locator("#work-menu").get_by_role("link", name="Vurdering")).to_be_visible()
    check_accessibility()

    page.set_viewport_size({"width": 320, "height": 640})
    page.reload()
    menu = page.locator("#site-menu")
    expect(menu.get_by_role("link", name="Bibliotek")).to_be_hidden()
    page.get_by_role("button", name="Meny").click()
    expect(menu.get_by_role("link", name="Bibliotek")).to_be_visible()
    check_accessibility()
    # The work pages are listed in the same panel on a phone.
    expect(page.locator("#work-menu").get_by_role("link", name="Innsikt")).to_be_visible()
    assert_no_sideways_scroll(page)
    page.get_by_role("button", name="Lukk menyen").click()
    expect(menu.get_by_role("link", name="Bibliotek")).to_be_hidden()
