"""What waits for whom: each role's tasks, read in a bounded number of queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kunnskap.accounts import services as accounts
from kunnskap.accounts.models import Role
from kunnskap.assessments import services as assessments
from kunnskap.commissions import services as commissions
from kunnskap.commissions.models import Producer
from kunnskap.inbox import counts
from kunnskap.inbox.selectors import Flag, Kind, task_count, tasks_for
from kunnskap.proposals.models import Proposal
from kunnskap.rounds import services as rounds
from kunnskap.screening.services import proposal_assign
from tests.conftest import make_person


def kinds(user):
    return [task.kind for task in tasks_for(user)]


def test_a_screener_sees_her_own_and_unassigned_needs_oldest_first(submit, berit, hov_hub):
    colleague = make_person(
        "kari@bibliotek.example", "Kari Kollega", "4601", Role.SCREENER, hov_hub
    )
    old, _ = submit(title="Fall hos eldre")
    Proposal.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=20))
    mine, _ = submit(title="Ernæring i sykehjem")
    proposal_assign(proposal=mine, assignee=berit, actor=berit)
    theirs, _ = submit(title="Ensomhet blant unge")
    proposal_assign(proposal=theirs, assignee=colleague, actor=berit)

    tasks = tasks_for(berit)

    assert [t.title for t in tasks] == [
        f"{old.public_id} Fall hos eldre",
        f"{mine.public_id} Ernæring i sykehjem",
    ]
    assert tasks[0].flags == (Flag.UNASSIGNED, Flag.WAITING_LONG)
    assert tasks[1].flags == (Flag.MINE,)
    assert tasks[0].url == f"/sekretariat/vurdering/{old.public_id}/"
    assert tasks[0].hub == hov_hub.name
    assert [t.kind for t in tasks_for(colleague)] == [Kind.SCREEN, Kind.SCREEN]


def test_a_screener_of_another_hub_sees_nothing_of_this_one(submit, vilde):
    submit()
    assert tasks_for(vilde) == []


def test_a_committee_member_sees_the_round_to_score_with_her_progress(scoring, committee, ulf):
    entry = scoring.entries.first()
    rounds.scorecard_save(
        member=committee["ulf"],
        actor=ulf,
        entry=entry,
        scores={"benefit": 4, "resources": 3, "severity": 2},
    )
    [task] = tasks_for(ulf)
    assert task.kind == Kind.SCORE
    assert task.detail == "1 av 2 behov vurdert"
    assert task.due == date(2026, 10, 22)
    assert task.url == f"/runder/{scoring.pk}/vurdering/"

    rounds.scorecard_save(
        member=committee["ulf"],
        actor=ulf,
        entry=scoring.entries.last(),
        scores={},
        recused=True,
        recusal_reason="Jeg har skrevet behovet selv.",
    )
    assert tasks_for(ulf)[0].detail == "2 av 2 behov vurdert"
    rounds.scores_submit(member=committee["ulf"], actor=ulf)
    assert tasks_for(ulf) == []


def test_the_chair_freezes_and_the_steering_group_decides(
    scoring, committee, berit, ulf, unni, sigrid
):
    rounds.scoring_close(round_=scoring, actor=berit)
    assert kinds(ulf) == [Kind.RECOMMEND]  # the chair
    assert kinds(unni) == []
    assert Kind.RECOMMEND in kinds(berit)  # the secretariat may record it
    assert kinds(sigrid) == []

    rounds.recommendation_freeze(round_=scoring, actor=ulf, choices={})
    assert kinds(ulf) == []
    [decide] = tasks_for(sigrid)
    assert decide.kind == Kind.DECIDE
    assert decide.detail == "2 behov uten vedtak"
    assert decide.url == f"/runder/{scoring.pk}/vedtak/"


def test_an_order_waits_for_the_secretariat_then_the_producer(ordered, berit, per, sigrid):
    [order] = [t for t in tasks_for(berit) if t.kind == Kind.ORDER]
    assert order.url == f"/bestillinger/ny/{ordered.pk}/"
    assert tasks_for(per) == []
    assert tasks_for(sigrid) == []

    commission = commissions.commission_create(
        entry=ordered,
        actor=berit,
        producer=Producer.objects.get(short_name="FHI"),
        question=ordered.proposal.question,
        due_on=timezone.localdate() + timedelta(days=60),
    )
    assert Kind.ORDER not in kinds(berit)
    [start] = tasks_for(per)
    assert start.kind == Kind.MILESTONE
    assert start.url == f"/bestillinger/{commission.pk}/"
    assert "oppstart" in start.detail

    commissions.milestone_report(
        commission=commission, actor=per, kind="started", done_on=timezone.localdate()
    )
    assert tasks_for(per) == []  # delivery is two months away


def test_an_overdue_milestone_waits_for_producer_and_secretariat(ordered, berit, per):
    commission = commissions.commission_create(
        entry=ordered,
        actor=berit,
        producer=Producer.objects.get(short_name="FHI"),
        question=ordered.proposal.question,
        due_on=timezone.localdate() + timedelta(days=60),
        milestones={
            "started": timezone.localdate() - timedelta(days=30),
            "protocol": timezone.localdate() - timedelta(days=3),
        },
    )
    commissions.milestone_report(
        commission=commission, actor=per, kind="started", done_on=timezone.localdate()
    )
    [task] = tasks_for(per)
    assert task.flags == (Flag.OVERDUE,)
    assert "Protokoll" in task.detail
    assert Kind.MILESTONE in kinds(berit)


def test_a_delivered_product_waits_for_the_editor(ordered, berit, per, rita):
    commission = commissions.commission_create(
        entry=ordered,
        actor=berit,
        producer=Producer.objects.get(short_name="FHI"),
        question=ordered.proposal.question,
        due_on=timezone.localdate() + timedelta(days=60),
    )
    assert tasks_for(rita) == []
    commissions.milestone_report(
        commission=commission, actor=per, kind="delivered", done_on=timezone.localdate()
    )
    [task] = tasks_for(rita)
    assert task.kind == Kind.PUBLISH
    assert task.url == f"/bibliotek/{commission.publication.pk}/endre/"


def test_mini_hta_writers_reviewers_and_the_lead(group, lead, member, reviewer, rita):
    from kunnskap.assessments.models import Section

    [write] = tasks_for(member)
    assert write.kind == Kind.WRITE
    first = Section.objects.filter(template=group.template).order_by("position").first()
    assert write.url == f"/mmv/{group.pk}/seksjon/{first.key}/"
    assert tasks_for(reviewer) == []

    assessments.review_request(assessment=group, actor=lead)
    assert kinds(reviewer) == [Kind.REVIEW]
    assessments.comment_add(assessment=group, section=first, text="Mangler kilder.", actor=reviewer)
    assert Kind.COMMENTS in kinds(lead)
    assert Kind.COMMENTS not in kinds(reviewer)

    comment = group.comments.get()
    assessments.comment_resolve(comment=comment, actor=lead)
    assessments.assessment_approve(assessment=group, actor=reviewer)
    assert kinds(lead) == [Kind.PUBLISH]
    assert kinds(rita) == [Kind.PUBLISH]  # the library's editors may publish it too
    assert kinds(reviewer) == []


def test_a_signed_in_submitter_follows_her_needs(hov_hub, frida, client_for):
    from kunnskap.proposals import services as proposals
    from kunnskap.proposals.choices import Source
    from tests.conftest import need

    proposals.proposal_submit(data=need(), source=Source.WEB, user=frida)
    [task] = tasks_for(frida)
    assert task.kind == Kind.OWN_NEED
    assert task.detail == "Mottatt"
    assert task_count(tasks_for(frida)) == 0  # news, not a task

    response = client_for(frida).get(task.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/kunnskapsbehov/status/")
    assert client_for(frida).get(response["Location"]).status_code == 200


def test_nobody_opens_anothers_need_through_the_inbox(submit, otto, client_for):
    proposal, _ = submit()
    assert client_for(otto).get(f"/mine-oppgaver/behov/{proposal.public_id}/").status_code == 404


def test_someone_with_nothing_to_do_sees_nothing_waits_and_her_usual_pages(client_for, sigrid):
    page = client_for(sigrid).get("/mine-oppgaver/").content.decode()
    assert "Ingenting venter på deg nå." in page
    assert 'href="/runder/vedtak/"' in page


def test_signing_in_lands_on_my_tasks(client, frida):
    from tests.conftest import PASSWORD

    response = client.post("/konto/logg-inn/", {"login": frida.email, "password": PASSWORD})
    assert response["Location"] == "/mine-oppgaver/"


def test_the_page_and_the_api_list_the_same_tasks(submit, berit, client_for):
    submit(title="Fall hos eldre")
    submit(title="Ernæring i sykehjem")
    browser = client_for(berit)
    body = browser.get("/api/v1/me/tasks").json()
    assert body["count"] == 2
    assert [item["kind"] for item in body["items"]] == ["screen", "screen"]
    assert set(body["items"][0]) >= {"kind", "title", "url", "due", "hub"}
    assert body["items"][0]["url"].startswith("http://testserver/sekretariat/vurdering/KB")
    page = browser.get("/mine-oppgaver/").content.decode()
    for item in body["items"]:
        assert item["title"] in page
    assert client_for(berit).get("/api/v1/me/tasks?limit=1").json()["items"][0] == body["items"][0]


def test_the_api_asks_who_you_are(client):
    assert client.get("/api/v1/me/tasks").status_code == 401


def test_a_token_reads_the_same_list(submit, berit, client):
    submit()
    _token, raw = accounts.token_create(user=berit, name="Integrasjon")
    body = client.get("/api/v1/me/tasks", headers={"Authorization": f"Bearer {raw}"}).json()
    assert body["count"] == 1


def queries_for(user) -> int:
    with CaptureQueriesContext(connection) as captured:
        tasks_for(user)
    return len(captured)


@pytest.mark.parametrize("many", [1, 6])
def test_the_number_of_queries_does_not_grow_with_the_tasks(
    many, submit, ada, django_assert_max_num_queries
):
    """An administrator holds every permission, so every kind is read: at most 16 queries,
    for one need or six."""
    for n in range(many):
        submit(title=f"Behov nummer {n}")
    user = type(ada).objects.get(pk=ada.pk)  # roles not yet read
    with django_assert_max_num_queries(16):
        tasks = tasks_for(user)
    assert len([t for t in tasks if t.kind == Kind.SCREEN]) == many


def test_one_or_many_rows_of_every_kind_cost_the_same_queries(ordered, submit, group, lead, ada):
    from kunnskap.assessments.models import Section

    assessments.participant_invite(assessment=group, email=ada.email, role="member", actor=lead)
    user = type(ada).objects.get(pk=ada.pk)
    before = queries_for(user)
    # More of everything the administrator sees: needs to screen, comments to answer.
    for n in range(3):
        submit(title=f"Behov nummer {n}")
    for text in ("En", "To", "Tre"):
        assessments.comment_add(
            assessment=group,
            section=Section.objects.filter(template=group.template).first(),
            text=text,
            actor=lead,
        )
    user = type(ada).objects.get(pk=ada.pk)
    assert queries_for(user) == before


def test_the_menu_count_is_kept_and_follows_changes(
    submit, berit, client_for, django_assert_max_num_queries
):
    browser = client_for(berit)
    submit()
    assert "(1 oppgave)" in browser.get("/kunnskapsbehov/").content.decode()
    assert counts.count_for(berit) == 1
    with django_assert_max_num_queries(0):
        counts.count_for(berit)  # kept
    submit(title="Et behov til")  # a change: the kept count is stale
    assert counts.count_for(berit) == 2
    assert "(2 oppgaver)" in browser.get("/kunnskapsbehov/").content.decode()


def test_an_evaluation_shows_for_its_contact_a_month_before_and_for_the_secretariat_once_late(
    frida, berit, client_for
):
    """Knowledge in use (the follow-up app): the person who put it in use is reminded to
    evaluate it; once the date has passed, the secretariat of her hub sees it too."""
    from kunnskap.followup import services as followup
    from kunnskap.followup.models import AdoptionStatus
    from kunnskap.library import services as library
    from kunnskap.taxonomy.models import PublicationKind

    today = timezone.localdate()
    publication = library.publication_create(
        data=library.PublicationInput(
            title="Digitalt nattilsyn i sykehjem",
            kind=PublicationKind.SHORT_SUMMARY,
            summary="Kameraer og sensorer i stedet for fysisk tilsyn om natten.",
            published_on=today - timedelta(days=400),
        ),
        actor=None,
    )
    adoption = followup.adoption_record(
        publication=publication,
        municipality=frida.municipality,
        actor=frida,
        status=AdoptionStatus.IN_USE,
        on=today - timedelta(days=300),
        evaluation_due=today + timedelta(days=45),
    )

    def evaluations(person, day):
        return [
            (task.title, task.flags, task.url)
            for task in tasks_for(person, today=day)
            if task.kind == Kind.EVALUATE
        ]

    url = f"/nyttiggjort/bruk/{adoption.pk}/evaluering/"
    assert evaluations(frida, today) == []  # 45 days ahead: not yet
    assert evaluations(frida, today + timedelta(days=20)) == [(publication.title, (), url)]
    assert evaluations(berit, today + timedelta(days=20)) == []  # not late: hers alone
    late = today + timedelta(days=50)
    for person in (frida, berit):
        assert evaluations(person, late) == [(publication.title, (Flag.OVERDUE,), url)]
    assert client_for(frida).get(url).status_code == 200
