"""Every service that writes asks the policy module: an actor without the permission is refused.

The services are found, not listed: every public function of every app's `services` module. A
function with an `actor` parameter needs a refusal case below; any other public function must be
named in `WITHOUT_ACTOR` with the reason it takes none. A new service therefore fails this test
until someone decides who may call it. Each refusal asserts that nothing was written: the row
count of every model, history tables and the task queue included, is the same afterwards.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

import kunnskap
from kunnskap.assessments import services as assessments
from kunnskap.commissions import services as commissions
from kunnskap.followup import services as followup
from kunnskap.learning import services as learning
from kunnskap.library import services as library
from kunnskap.newsletter import services as newsletter
from kunnskap.proposals import services as proposals
from kunnskap.rounds import services as rounds
from kunnskap.screening import services as screening
from kunnskap.screening.models import LiteratureSource
from kunnskap.taxonomy.models import PublicationKind


def service_modules() -> list[Any]:
    found = []
    for info in pkgutil.iter_modules(kunnskap.__path__):
        if info.ispkg:
            try:
                found.append(importlib.import_module(f"kunnskap.{info.name}.services"))
            except ModuleNotFoundError:
                continue
    return found


def public_functions() -> dict[str, Callable[..., Any]]:
    functions = {}
    for module in service_modules():
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                functions[f"{module.__name__.split('.')[1]}.{name}"] = function
    return functions


def takes_actor(function: Callable[..., Any]) -> bool:
    return "actor" in inspect.signature(inspect.unwrap(function)).parameters


# Public functions that take no actor, and why.
WITHOUT_ACTOR = {
    # Operators' tools: commands and the admin site, which has its own permissions.
    "accounts.user_create": "operator (commands, admin site)",
    "accounts.role_grant": "operator; rounds call it after their own check",
    "accounts.role_revoke": "operator (commands, admin site)",
    "organisations.cluster_create": "operator (commands, admin site)",
    "organisations.unit_create": "operator (commands, admin site)",
    "organisations.hub_create": "operator (commands, admin site)",
    "library.publications_import": "operator (kunnskap import-publications)",
    # Personal data (operations.personal_data): the admin site's erase action and the schedule's
    # retention rule; the admin site asks its own permissions.
    "accounts.user_anonymise": "operator (personal_data_erase, admin action)",
    "proposals.submitter_erase": "operator (personal_data_erase, admin action)",
    "proposals.submitter_data_expire": "the retention rule (daily task)",
    "newsletter.subscriber_erase": "operator (personal_data_erase, admin action)",
    # The signed-in person acts on her own tokens; the token proves who calls.
    "accounts.token_create": "for oneself (the view passes request.user)",
    "accounts.user_language_set": "for oneself (the language switch passes request.user)",
    "accounts.token_revoke": "for oneself (the view looks the token up among her own)",
    "accounts.token_authenticate": "sign-in by token",
    "accounts.entra_roles_sync": "sign-in: the provider's verified ID token names the person",
    # Anyone, or whoever holds the private status link or the signed newsletter link.
    "proposals.proposal_submit": "anyone may submit (rate-limited)",
    "proposals.proposal_update_by_submitter": "the holder of the status link",
    "proposals.proposal_answer_clarification": "the holder of the status link",
    "proposals.proposal_endorse": "a signed-in person for her own municipality "
    "(policy.may_endorse_for in the view) or the holder of a status link",
    "proposals.status_link_create": "a step inside a checked service",
    "proposals.proposal_lock": "a step inside a checked service (reads, locks the row)",
    "proposals.proposal_index": "a step inside a checked service (search index)",
    "proposals.status_links_resend": "anyone; mails only the address given",
    "proposals.proposal_import": "operator (kunnskap import-proposals)",
    "newsletter.subscribe": "anyone; double opt-in",
    "newsletter.subscription_confirm": "the holder of the signed link",
    "newsletter.unsubscribe": "the holder of the signed link",
    # The schedule (daily tasks) and the search index, which other services call.
    "commissions.overdue_reminders_send": "the daily task",
    "followup.evaluation_reminders_send": "the daily task",
    "followup.pilot_contact": "anyone; limited by the mail budgets per client and recipient",
    "followup.secretariat_emails": "read",
    "followup.default_evaluation_due": "helper",
    "newsletter.digest_make": "the daily task",
    "newsletter.digests_due": "the daily task",
    "search.document_index": "a step inside a checked service",
    "search.document_remove": "a step inside a checked service",
    "search.documents_add": "bulk indexing (imports, generated data)",
    "search.index_rebuild": "operator (kunnskap reindex)",
    "limits.counters_purge": "the daily task",
    # Limits count requests, whoever makes them; they write only their own counters.
    "limits.limit_take": "a request's budget, before any permission applies",
    "limits.limit_give_back": "a request's budget: a use that did not count (a right password)",
    "limits.limit_clear": "a budget its subject proved to own (a new password through the link)",
    "limits.mail_slot_take": "a request's mail budget, before any permission applies",
    # Reads and helpers that write nothing.
    "commissions.secretariat_emails": "read",
    "proposals.client_fingerprint": "helper",
    "proposals.status_url": "helper",
    "proposals.parse_public_id": "helper",
    "proposals.open_question": "read",
    "library.check_pdf": "helper",
    "library.input_from": "helper",
    "library.ordered_entry_for": "read",
    "newsletter.confirm_url": "helper",
    "newsletter.unsubscribe_url": "helper",
    "newsletter.subscriber_from": "read",
    "newsletter.items_for": "read",
    "newsletter.choices_from": "read (the signed link's choices)",
    "newsletter.digest_subject": "helper (a digest's subject in the active language)",
    "newsletter.issue_subject": "read (an issue's subject in the reader's language)",
    "limits.client_address": "read (the request)",
    "limits.limit_reached": "read (a budget)",
    "limits.client_key": "read (the request)",
    "limits.requester_key": "read (the request)",
    "rounds.default_criteria": "helper",
    # Kunnskapsbroen: anyone registers (rate-limited); the cancel link's holder cancels.
    "learning.registration_create": "anyone may register (rate-limited per client)",
    "learning.registration_cancel_by_token": "the holder of the cancel link",
    "learning.registration_for_token": "read (the cancel link)",
    "learning.waiting_position": "read",
    "learning.reminders_send": "the daily task",
    "learning.registrations_erase": "operator (personal_data_erase)",
    "rounds.seed_criteria": "helper",
}

# Steps that take the acting person for the record only: they run inside a service that has
# asked the policy already, and are not called by views or the API.
RECORDING_ONLY = {
    "proposals.proposal_move": "the transition of a need, inside rounds, commissions, library",
    "proposals.endorsements_publish": "inside screening's acceptance of the endorser's need",
    "proposals.proposal_note": "a step on the timeline, inside a checked service",
}


def _pub_input(**changes: Any) -> library.PublicationInput:
    values: dict[str, Any] = {
        "title": "Honning på sår",
        "kind": PublicationKind.SHORT_SUMMARY,
        "summary": "Kort oppsummert.",
    }
    return library.PublicationInput(**(values | changes))


def _pilot_input(municipality: Any) -> followup.PilotInput:
    return followup.PilotInput(
        title="Sensorer om natten",
        description="Vi prøver sensorer.",
        municipality=municipality,
        started_on=date.today(),
        contact_role="FoU-kontakt",
    )


# name → the attempt of someone without the permission, made ready (`partial`: everything it
# needs exists before the rows are counted). `get` returns a fixture's value.
REFUSALS: dict[str, Callable[[Callable[[str], Any]], Callable[[], Any]]] = {
    # Rounds: Vilde screens and manages rounds for KSF Vest, not for the cluster.
    "rounds.round_create": lambda get: partial(
        rounds.round_create, hub=get("hov_hub"), name="Ny", actor=get("vilde")
    ),
    "rounds.round_update": lambda get: partial(
        rounds.round_update, round_=get("the_round"), actor=get("vilde"), changes={"capacity": 9}
    ),
    "rounds.member_add": lambda get: partial(
        rounds.member_add, round_=get("the_round"), user=get("otto"), actor=get("vilde")
    ),
    "rounds.member_remove": lambda get: partial(
        rounds.member_remove, member=get("committee")["tor"], actor=get("vilde")
    ),
    "rounds.entry_add": lambda get: partial(
        rounds.entry_add, round_=get("the_round"), proposal=get("eligible")(), actor=get("vilde")
    ),
    "rounds.entry_remove": lambda get: partial(
        rounds.entry_remove, entry=get("ordered"), actor=get("vilde"), reason="Nei"
    ),
    "rounds.scoring_open": lambda get: partial(
        rounds.scoring_open, round_=get("the_round"), actor=get("vilde")
    ),
    "rounds.scoring_close": lambda get: partial(
        rounds.scoring_close, round_=get("the_round"), actor=get("vilde")
    ),
    # A member scores for herself: Unni cannot save or submit Ulf's card.
    "rounds.scorecard_save": lambda get: partial(
        rounds.scorecard_save,
        member=get("committee")["ulf"],
        actor=get("unni"),
        entry=get("ordered"),
        scores={"benefit": 1},
    ),
    "rounds.scores_submit": lambda get: partial(
        rounds.scores_submit, member=get("committee")["ulf"], actor=get("unni")
    ),
    "rounds.scores_reopen": lambda get: partial(
        rounds.scores_reopen, member=get("committee")["ulf"], actor=get("unni")
    ),
    "rounds.recommendation_freeze": lambda get: partial(
        rounds.recommendation_freeze, round_=get("the_round"), actor=get("unni"), choices={}
    ),
    "rounds.decision_record": lambda get: partial(
        rounds.decision_record,
        entry=get("ordered"),
        actor=get("ulf"),
        decision="commissioned",
        rationale="Nei",
        decided_on=date(2026, 11, 7),
    ),
    # Commissions: the cluster's secretariat orders; its producers report.
    "commissions.commission_create": lambda get: partial(
        commissions.commission_create,
        entry=get("ordered"),
        actor=get("vilde"),
        producer=get("commission").producer,
        question="?",
        due_on=date(2027, 1, 1),
    ),
    "commissions.commission_change_scope": lambda get: partial(
        commissions.commission_change_scope,
        commission=get("commission"),
        actor=get("per"),
        question="Annet",
        reason="Fordi",
    ),
    "commissions.milestone_plan": lambda get: partial(
        commissions.milestone_plan,
        commission=get("commission"),
        actor=get("per"),
        kind="draft",
        due_on=date(2027, 1, 1),
    ),
    "commissions.milestone_report": lambda get: partial(
        commissions.milestone_report,
        commission=get("commission"),
        actor=get("vilde"),
        kind="started",
        done_on=date.today(),
    ),
    # Publishing the product closes the order: the product's writers only.
    "commissions.commission_complete": lambda get: partial(
        commissions.commission_complete, commission=get("commission"), actor=get("vilde")
    ),
    # The library: editors, or the secretariat of the product's commission.
    "library.publication_create": lambda get: partial(
        library.publication_create, data=_pub_input(), actor=get("berit")
    ),
    "library.publication_update": lambda get: partial(
        library.publication_update,
        publication=get("commission").publication,
        data=_pub_input(title="Endret"),
        actor=get("vilde"),
        note="",
    ),
    "library.publication_withdraw": lambda get: partial(
        library.publication_withdraw,
        publication=get("commission").publication,
        actor=get("vilde"),
        reason="Feil",
    ),
    "newsletter.issue_write": lambda get: partial(
        newsletter.issue_write, actor=get("berit"), subject="Hei", body="Tekst"
    ),
    # Corrections in the admin site: administrators and staff with the model's right.
    "proposals.proposal_edit": lambda get: partial(
        proposals.proposal_edit,
        proposal=get("submit")()[0],
        actor=get("berit"),
        changes={"title": "Endret"},
    ),
    # Screening: Vilde screens for KSF Vest, not the cluster's needs.
    "proposals.proposal_request_clarification": lambda get: partial(
        proposals.proposal_request_clarification,
        proposal=get("submit")()[0],
        actor=get("vilde"),
        question="Hvem?",
    ),
    "screening.proposal_assign": lambda get: partial(
        screening.proposal_assign, proposal=get("submit")()[0], assignee=None, actor=get("vilde")
    ),
    "screening.proposal_update_working_copy": lambda get: partial(
        screening.proposal_update_working_copy,
        proposal=get("submit")()[0],
        actor=get("vilde"),
        changes={"working_question": "Hjelper det?"},
    ),
    "screening.literature_search_add": lambda get: partial(
        screening.literature_search_add,
        proposal=get("submit")()[0],
        actor=get("vilde"),
        source=LiteratureSource.objects.first(),
        query="music therapy",
        searched_on=date.today(),
    ),
    "screening.literature_hit_add": lambda get: partial(
        screening.literature_hit_add,
        proposal=get("submit")()[0],
        actor=get("vilde"),
        title="En oversikt",
        kind="other",
    ),
    "screening.publication_link": lambda get: partial(
        screening.publication_link,
        proposal=get("submit")()[0],
        publication=library.publication_create(data=_pub_input(), actor=None),
        actor=get("vilde"),
    ),
    "screening.proposal_forward": lambda get: partial(
        screening.proposal_forward,
        proposal=get("submit")()[0],
        hub=get("national_hub"),
        actor=get("vilde"),
        reason="Nasjonalt",
    ),
    "screening.proposal_screen": lambda get: partial(
        screening.proposal_screen,
        proposal=get("submit")()[0],
        actor=get("vilde"),
        outcome="eligible",
    ),
    "screening.screening_vote": lambda get: partial(
        screening.screening_vote,
        proposal=get("submit")()[0],
        actor=get("vilde"),
        outcome="eligible",
    ),
    "screening.proposal_unmerge": lambda get: partial(
        screening.proposal_unmerge,
        proposal=screening.proposal_screen(
            proposal=get("submit")()[0],
            actor=get("berit"),
            outcome="duplicate",
            duplicate_of=get("eligible")(),
        ),
        actor=get("vilde"),
    ),
    "screening.research_gap_update": lambda get: partial(
        screening.research_gap_update,
        gap=screening.proposal_screen(
            proposal=get("submit")()[0],
            actor=get("berit"),
            outcome="research_gap",
            note="Ingen studier.",
        ).research_gap,
        actor=get("vilde"),
        status="taken_up",
        contact="forsker@uib.no",
    ),
    # Mini-HTAs: Otto (Oslo) has no part in Bergen's; the reviewer does not lead.
    "assessments.assessment_start": lambda get: partial(
        assessments.assessment_start, title="Ny", municipality=get("bergen"), actor=get("otto")
    ),
    "assessments.assessment_update": lambda get: partial(
        assessments.assessment_update,
        assessment=get("group"),
        actor=get("reviewer"),
        title="X",
        expected_on=None,
        summary="",
    ),
    "assessments.participant_invite": lambda get: partial(
        assessments.participant_invite,
        assessment=get("group"),
        email="ny@bergen.kommune.no",
        role="member",
        actor=get("member"),
    ),
    "assessments.participant_remove": lambda get: partial(
        assessments.participant_remove,
        participant=get("group").participants.get(user=get("member")),
        actor=get("reviewer"),
    ),
    "assessments.section_save": lambda get: partial(
        assessments.section_save,
        assessment=get("group"),
        section=get("group").template.sections.first(),
        values={},
        base_revision=0,
        actor=get("reviewer"),
    ),
    "assessments.comment_add": lambda get: partial(
        assessments.comment_add,
        assessment=get("group"),
        section=get("group").template.sections.first(),
        text="Hei",
        actor=get("otto"),
    ),
    "assessments.comment_resolve": lambda get: partial(
        assessments.comment_resolve,
        comment=assessments.comment_add(
            assessment=get("group"),
            section=get("group").template.sections.first(),
            text="Sjekk kilden",
            actor=get("reviewer"),
        ),
        actor=get("otto"),
    ),
    "assessments.review_request": lambda get: partial(
        assessments.review_request, assessment=get("group"), actor=get("member")
    ),
    "assessments.review_revised": lambda get: partial(
        assessments.review_revised, assessment=get("group"), actor=get("reviewer")
    ),
    "assessments.review_return": lambda get: partial(
        assessments.review_return, assessment=get("group"), actor=get("lead"), comment="Mer"
    ),
    "assessments.assessment_approve": lambda get: partial(
        assessments.assessment_approve, assessment=get("group"), actor=get("lead")
    ),
    "assessments.assessment_publish": lambda get: partial(
        assessments.assessment_publish, assessment=get("group"), actor=get("member")
    ),
    "assessments.assessment_new_version": lambda get: partial(
        assessments.assessment_new_version, assessment=get("group"), actor=get("reviewer")
    ),
    # Kunnskapsbroen: Vilde organises for KSF Vest, not the cluster; Otto is in no team.
    "learning.team_create": lambda get: partial(
        learning.team_create,
        hub=get("hov_hub"),
        actor=get("vilde"),
        data=learning.TeamInput(name="Nytt lag", municipality=get("bergen")),
    ),
    "learning.member_add": lambda get: partial(
        learning.member_add,
        team=get("kbp_team"),
        email="ny@bergen.kommune.no",
        role="member",
        actor=get("otto"),
    ),
    "learning.member_remove": lambda get: partial(
        learning.member_remove,
        membership=get("kbp_team").memberships.first(),
        actor=get("rune"),
    ),
    "learning.case_open": lambda get: partial(
        learning.case_open, team=get("kbp_team"), actor=get("rune"), title="X", question="Y"
    ),
    "learning.case_search_add": lambda get: partial(
        learning.case_search_add,
        case=get("team_case"),
        actor=get("otto"),
        source=LiteratureSource.objects.first(),
        query="fall",
        searched_on=date(2026, 3, 1),
    ),
    "learning.case_finding_add": lambda get: partial(
        learning.case_finding_add, case=get("team_case"), actor=get("otto"), title="X", kind="other"
    ),
    "learning.case_note_add": lambda get: partial(
        learning.case_note_add, case=get("team_case"), actor=get("otto"), text="Hei"
    ),
    "learning.case_mentor_assign": lambda get: partial(
        learning.case_mentor_assign, case=get("team_case"), actor=get("otto"), mentor=get("rune")
    ),
    "learning.case_close_found": lambda get: partial(
        learning.case_close_found, case=get("team_case"), actor=get("rune"), conclusion="Funnet"
    ),
    "learning.case_submit_as_need": lambda get: partial(
        learning.case_submit_as_need, case=get("team_case"), actor=get("rune"), conclusion="Mangler"
    ),
    "learning.event_create": lambda get: partial(
        learning.event_create,
        hub=get("hov_hub"),
        actor=get("vilde"),
        kind="course",
        title="Kurs",
        capacity=5,
        registration_deadline=get("an_event").registration_deadline,
        sessions=[],
    ),
    "learning.event_update": lambda get: partial(
        learning.event_update, event=get("an_event"), actor=get("vilde"), capacity=50
    ),
    "learning.session_add": lambda get: partial(
        learning.session_add,
        event=get("an_event"),
        actor=get("otto"),
        session=learning.SessionInput(
            get("an_event").registration_deadline,
            get("an_event").registration_deadline + timedelta(hours=1),
            "Bergen",
        ),
    ),
    "learning.registration_cancel": lambda get: partial(
        learning.registration_cancel,
        registration=get("an_event").registrations.first(),
        actor=get("otto"),
    ),
    "learning.attendance_set": lambda get: partial(
        learning.attendance_set,
        session=get("an_event").sessions.first(),
        actor=get("vilde"),
        present=list(get("an_event").registrations.all()),
    ),
    "learning.participants_mail": lambda get: partial(
        learning.participants_mail, event=get("an_event"), actor=get("otto"), subject="S", text="T"
    ),
    "learning.course_assessment_link": lambda get: partial(
        learning.course_assessment_link,
        event=get("an_event"),
        assessment=get("group"),
        actor=get("otto"),
    ),
    "learning.resource_add": lambda get: partial(
        learning.resource_add,
        hub=get("hov_hub"),
        actor=get("otto"),
        kind="guide",
        title="Veileder",
        url="https://example.no/veileder",
    ),
    # Only the person who has just submitted a need attaches her team's work to it.
    "screening.team_work_attach": lambda get: partial(
        screening.team_work_attach,
        proposal=get("submit")()[0],
        actor=get("otto"),
        searches=[],
        hits=[],
    ),
    "assessments.template_copy": lambda get: partial(
        assessments.template_copy, template=get("group").template, actor=get("berit")
    ),
    # Follow-up: a municipality records for itself; Otto (Oslo) cannot record for Bergen.
    "followup.adoption_record": lambda get: partial(
        followup.adoption_record,
        publication=library.publication_create(data=_pub_input(), actor=None),
        municipality=get("bergen"),
        actor=get("otto"),
        status="considering",
    ),
    "followup.evaluation_record": lambda get: partial(
        followup.evaluation_record,
        adoption=followup.adoption_record(
            publication=library.publication_create(data=_pub_input(), actor=None),
            municipality=get("bergen"),
            actor=get("frida"),
            status="in_use",
        ),
        actor=get("otto"),
        verdict="worked",
        old_practice="stopped",
    ),
    "followup.hta_decision_record": lambda get: partial(
        followup.hta_decision_record,
        publication=library.publication_create(
            data=_pub_input(kind=PublicationKind.MINI_HTA, municipality=get("bergen")), actor=None
        ),
        actor=get("otto"),
        decision="adopt",
        meeting="Ledermøte",
        decided_by="Kommunedirektøren",
        decided_on=date.today(),
    ),
    "followup.pilot_register": lambda get: partial(
        followup.pilot_register, data=_pilot_input(get("bergen")), actor=get("otto")
    ),
    "followup.pilot_update": lambda get: partial(
        followup.pilot_update,
        pilot=followup.pilot_register(data=_pilot_input(get("bergen")), actor=get("frida")),
        data=_pilot_input(get("bergen")),
        actor=get("otto"),
    ),
    # Only a signed-in reader answers "was this useful?".
    "followup.usefulness_answer": lambda get: partial(
        followup.usefulness_answer,
        publication=library.publication_create(data=_pub_input(), actor=None),
        actor=AnonymousUser(),
        useful=True,
    ),
    "assessments.template_publish": lambda get: partial(
        assessments.template_publish, template=get("group").template, actor=get("berit")
    ),
}


def test_every_public_service_function_is_classified():
    unclassified = [
        name
        for name, function in public_functions().items()
        if name not in WITHOUT_ACTOR
        and name not in RECORDING_ONLY
        and not (takes_actor(function) and name in REFUSALS)
    ]
    assert not unclassified, (
        "New service functions: give each an `actor` and a refusal case in REFUSALS, "
        f"or say in WITHOUT_ACTOR why it needs none: {unclassified}"
    )
    stale = sorted(
        (set(WITHOUT_ACTOR) | set(RECORDING_ONLY) | set(REFUSALS)) - public_functions().keys()
    )
    assert not stale, f"Listed but gone: {stale}"


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_an_actor_without_the_permission_is_refused_and_nothing_is_written(name, request, db):
    attempt = REFUSALS[name](request.getfixturevalue)
    before = row_counts()
    with pytest.raises(PermissionDenied):
        attempt()
    assert row_counts() == before
