"""A KBP team works a need: a case, its searches and findings, and how it ends."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kunnskap.accounts.models import Role
from kunnskap.learning import services
from kunnskap.learning.models import Case, CaseStatus, Membership, StepKind, Team
from kunnskap.library import services as library
from kunnskap.operations.models import OutboxMessage
from kunnskap.proposals.choices import Status
from kunnskap.screening.models import LiteratureHit, LiteratureSearch, LiteratureSource
from kunnskap.screening.selectors import screening_queue
from kunnskap.taxonomy.models import PublicationKind
from tests.conftest import make_person


def open_case(team, lena) -> Case:
    return services.case_open(
        team=team,
        actor=lena,
        title="Velferdsteknologi mot fall",
        question="Reduserer sensorer fall hos hjemmeboende eldre?",
        population="Hjemmeboende eldre over 75",
        intervention="Fallsensorer",
    )


def test_a_new_member_without_an_account_gets_one_and_an_e_mail(kbp_team, berit):
    membership = services.member_add(
        team=kbp_team, email="Ny@Bergen.kommune.no", role="member", actor=berit, full_name="Nora"
    )
    assert membership.user.email == "ny@bergen.kommune.no"
    message = OutboxMessage.objects.get(to=["ny@bergen.kommune.no"])
    assert "KBP-lag hjemmetjenesten Bergen" in message.text
    assert "/konto/nytt-passord/" in message.text


def test_a_person_may_be_in_several_teams_but_once_in_each(kbp_team, researchers, berit, lena):
    services.member_add(team=researchers, email=lena.email, role="leader", actor=berit)
    assert Membership.objects.filter(user=lena).count() == 2
    with pytest.raises(ValidationError) as error:
        services.member_add(team=kbp_team, email=lena.email, role="member", actor=berit)
    assert "email" in error.value.message_dict


def test_a_kbp_team_needs_a_municipality(hov_hub, berit):
    with pytest.raises(ValidationError) as error:
        services.team_create(hub=hov_hub, actor=berit, data=services.TeamInput(name="Uten kommune"))
    assert "municipality" in error.value.message_dict
    assert not Team.objects.filter(name="Uten kommune").exists()


def test_only_the_team_leader_or_the_hub_opens_a_case(kbp_team, otto, rune):
    for outsider in (otto, rune):
        with pytest.raises(PermissionDenied):
            open_case(kbp_team, outsider)
    assert not Case.objects.exists()


def test_a_research_need_is_submitted_with_the_team_s_work_and_waits_for_screening(
    kbp_team, lena, berit, rune
):
    case = open_case(kbp_team, lena)
    source = LiteratureSource.objects.first()
    services.case_search_add(
        case=case,
        actor=rune,
        source=source,
        query="fall AND sensor*",
        searched_on=date(2026, 3, 1),
        results=12,
    )
    services.case_finding_add(
        case=case, actor=lena, title="Sensorer i hjemmet – en oversikt", kind=PublicationKind.OTHER
    )
    services.case_note_add(
        case=case, actor=lena, text="Ingen studier fra kommunal praksis.", decision=True
    )
    services.case_mentor_assign(case=case, actor=rune, mentor=rune)

    case = services.case_submit_as_need(case=case, actor=lena, conclusion="Vi fant ingen RCT-er.")

    assert case.status == CaseStatus.RESEARCH_NEED
    proposal = case.proposal
    assert proposal.status == Status.SUBMITTED
    assert proposal.population == "Hjemmeboende eldre over 75"
    assert proposal.submitted_by == lena
    assert proposal.hub == kbp_team.hub
    assert LiteratureSearch.objects.get(proposal=proposal).query == "fall AND sensor*"
    assert LiteratureSearch.objects.get(proposal=proposal).searched_by == rune
    assert LiteratureHit.objects.get(proposal=proposal).title == "Sensorer i hjemmet – en oversikt"
    assert proposal in screening_queue(user=berit)
    assert list(case.steps.values_list("kind", flat=True)) == [
        StepKind.OPENED,
        StepKind.SEARCH,
        StepKind.FINDING,
        StepKind.DECISION,
        StepKind.MENTOR,
        StepKind.SUBMITTED,
    ]
    assert case.history.count() >= 2
    with pytest.raises(ValidationError):
        services.case_submit_as_need(case=case, actor=lena, conclusion="Igjen")


def test_the_secretariat_registers_a_research_gap_at_once_and_a_leader_may_not(
    kbp_team, lena, berit
):
    case = open_case(kbp_team, lena)
    with pytest.raises(PermissionDenied):
        services.case_submit_as_need(case=case, actor=lena, conclusion="Mangler", register_gap=True)
    assert not Case.objects.get(pk=case.pk).proposal
    case = services.case_submit_as_need(
        case=case, actor=berit, conclusion="Mangler", register_gap=True
    )
    assert case.proposal.status == Status.RESEARCH_GAP
    assert case.research_gap is not None


def test_knowledge_found_links_publications(kbp_team, lena, national_hub):
    rita_editor = make_person("rita@ksf.example", "Rita", None, Role.EDITOR, national_hub)
    publication = library.publication_create(
        data=library.PublicationInput(
            title="Fallforebygging",
            kind=PublicationKind.SHORT_SUMMARY,
            summary="Kort.",
            status="published",
        ),
        actor=rita_editor,
    )
    case = open_case(kbp_team, lena)
    with pytest.raises(ValidationError) as error:
        services.case_close_found(case=case, actor=lena, conclusion="Funnet")
    assert "publications" in error.value.message_dict
    case = services.case_close_found(
        case=case, actor=lena, conclusion="Funnet", publications=[publication]
    )
    assert case.status == CaseStatus.KNOWLEDGE_FOUND
    assert list(case.publications.all()) == [publication]


def test_the_researcher_team_sees_the_cases_its_teams_bring(kbp_team, lena, rune, otto):
    case = open_case(kbp_team, lena)
    assert case in Case.objects.visible_to(rune)
    assert case not in Case.objects.visible_to(otto)
    assert kbp_team not in Team.objects.visible_to(otto)


def test_the_public_sees_results_but_not_a_need_screening_has_not_accepted(
    client, kbp_team, lena, berit
):
    case = open_case(kbp_team, lena)
    case = services.case_submit_as_need(case=case, actor=lena, conclusion="Mangler studier.")
    assert "Velferdsteknologi mot fall" not in client.get("/kunnskapsbroen/").content.decode()
    from kunnskap.screening.services import proposal_screen

    proposal_screen(proposal=case.proposal, actor=berit, outcome=Status.ELIGIBLE)
    page = client.get("/kunnskapsbroen/").content.decode()
    assert "Velferdsteknologi mot fall" in page and case.proposal.public_id in page


def test_an_open_case_waits_in_its_leaders_inbox_until_it_ends(kbp_team, lena, client_for):
    from kunnskap.inbox.selectors import Kind, tasks_for

    case = open_case(kbp_team, lena)

    def cases():
        return [(t.title, t.url, t.detail) for t in tasks_for(lena) if t.kind == Kind.CASE]

    assert cases() == [(case.title, f"/kunnskapsbroen/sak/{case.pk}/", kbp_team.name)]
    assert client_for(lena).get(cases()[0][1]).status_code == 200
    services.case_finding_add(
        case=case, actor=lena, title="Sensorer i hjemmet – en oversikt", kind=PublicationKind.OTHER
    )
    services.case_close_found(case=case, actor=lena, conclusion="Sensorer reduserer fall.")
    assert cases() == []
