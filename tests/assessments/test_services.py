"""The life of a mini-HTA through its services: start (listed in the library at once), the
group, saving sections without losing text, review, publication and new versions."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from kunnskap.assessments import services
from kunnskap.assessments.models import (
    Assessment,
    SectionRevision,
    SectionText,
    Status,
    Template,
)
from kunnskap.library.models import PublicationStatus
from kunnskap.library.selectors import LibraryQuery, library_search

pytestmark = pytest.mark.django_db


def section(assessment, key):
    return assessment.template.sections.get(key=key)


def save(assessment, key, values, base, actor):
    return services.section_save(
        assessment=assessment,
        section=section(assessment, key),
        values=values,
        base_revision=base,
        actor=actor,
    )


def test_a_started_assessment_is_an_ongoing_mini_hta_in_the_library_at_once(assessment, lead):
    publication = assessment.publication
    assert publication.kind == "mini_hta"
    assert publication.status == PublicationStatus.ONGOING
    assert publication.municipality_id == "4601"
    assert publication.authors == "Frøydis FoU"
    result = library_search(LibraryQuery(q="nattilsyn sensorer"))
    assert [p.pk for p in result.page.object_list][:1] == [publication.pk]
    assert assessment.template == Template.objects.current()


def test_only_ones_own_municipality(lead, db):
    from kunnskap.organisations.models import Municipality

    with pytest.raises(PermissionDenied):
        services.assessment_start(
            title="x", municipality=Municipality.objects.get(number="0301"), actor=lead
        )


def test_invite_by_email_makes_a_user_and_mails_a_password_link(assessment, lead):
    participant = services.participant_invite(
        assessment=assessment,
        email="Ny.Person@Voss.kommune.no",
        role="method",
        actor=lead,
        full_name="Ny Person",
    )
    assert participant.user.email == "ny.person@voss.kommune.no"
    assert not participant.user.has_usable_password()
    from kunnskap.operations.models import OutboxMessage

    args = list(OutboxMessage.objects.values("to", "text"))
    invitation = next(a for a in args if a["to"] == ["ny.person@voss.kommune.no"])
    assert "/konto/" in invitation["text"] and f"/mmv/{assessment.pk}/" in invitation["text"]
    with pytest.raises(ValidationError) as error:
        services.participant_invite(
            assessment=assessment, email="ny.person@voss.kommune.no", role="member", actor=lead
        )
    assert "email" in error.value.message_dict


def test_a_reviewer_comes_from_another_municipality_or_the_method_team(
    assessment, lead, member, berit
):
    with pytest.raises(ValidationError):
        services.participant_invite(
            assessment=assessment, email=member.email, role="reviewer", actor=lead
        )
    # Berit is from Bergen too, but screens for the hub: the method team.
    services.participant_invite(
        assessment=assessment, email=berit.email, role="reviewer", actor=lead
    )


def test_only_the_lead_invites(group, member):
    with pytest.raises(PermissionDenied):
        services.participant_invite(assessment=group, email="x@y.no", role="member", actor=member)


def test_saves_count_revisions_and_record_who_changed_what(group, lead, member):
    first = save(group, "tiltaket", {"measure": "Sensorer i boligen"}, 0, lead)
    assert first.text.revision == 1 and first.changed == ["measure"]
    second = save(group, "tiltaket", {"target_group": "Beboere med demens"}, 1, member)
    assert second.text.revision == 2
    assert second.text.data["measure"] == "Sensorer i boligen"
    rows = SectionRevision.objects.filter(assessment=group).order_by("at", "pk")
    assert [(r.by, r.changed) for r in rows] == [(lead, ["measure"]), (member, ["target_group"])]
    unchanged = save(group, "tiltaket", {"measure": "Sensorer i boligen"}, 2, lead)
    assert unchanged.text.revision == 2 and unchanged.changed == []


def test_two_edits_of_different_questions_on_one_revision_are_merged(group, lead, member):
    save(group, "tiltaket", {"measure": "Sensorer"}, 0, lead)
    save(group, "tiltaket", {"measure": "Sensorer", "practice": "Tilsyn hver time"}, 1, lead)
    merged = save(group, "tiltaket", {"measure": "Sensorer", "new": "Ingen vekking"}, 1, member)
    assert merged.merged and merged.conflict is None
    assert merged.text.data["practice"] == "Tilsyn hver time"
    assert merged.text.data["new"] == "Ingen vekking"


def test_two_edits_of_the_same_question_keep_both_texts(group, lead, member):
    save(group, "tiltaket", {"measure": "Sensorer"}, 0, lead)
    save(group, "tiltaket", {"measure": "Sensorer på soverommet"}, 1, lead)
    clash = save(group, "tiltaket", {"measure": "Sensorer og kamera"}, 1, member)
    assert clash.conflict is not None and clash.conflicting == ["measure"]
    text = SectionText.objects.get(assessment=group, section=section(group, "tiltaket"))
    assert text.data["measure"] == "Sensorer på soverommet"
    assert clash.conflict.data["measure"] == "Sensorer og kamera"
    assert clash.conflict.conflict and clash.conflict.by == member


def test_answers_are_checked_per_kind(group, lead):
    with pytest.raises(ValidationError) as error:
        save(
            group,
            "okonomi",
            {"costs": [{"item": "Sensorer", "amounts": ["12 000", "tusen"]}], "cost_per_user": "x"},
            0,
            lead,
        )
    assert set(error.value.message_dict) == {"costs", "cost_per_user"}
    saved = save(
        group,
        "okonomi",
        {
            "costs": [
                {
                    "item": "Sensorer",
                    "category": "Investering",
                    "amounts": ["120 000", "", "", "", ""],
                },
                {
                    "item": "Færre nattevakter",
                    "category": "Personell",
                    "amounts": [0, -300000, -300000],
                },
                {"item": "", "category": "", "amounts": ["", ""]},
            ]
        },
        0,
        lead,
    )
    costs = saved.text.data["costs"]
    assert len(costs) == 2
    assert costs[0]["amounts"] == [120000, None, None, None, None]
    assert costs[1]["amounts"] == [0, -300000, -300000, None, None]


def test_a_reviewer_reads_and_comments_but_does_not_write(group, reviewer):
    with pytest.raises(PermissionDenied):
        save(group, "tiltaket", {"measure": "x"}, 0, reviewer)
    comment = services.comment_add(
        assessment=group,
        section=section(group, "kunnskap"),
        text="Søk også i Cochrane.",
        actor=reviewer,
    )
    assert comment.resolved_at is None


def publish_ready(assessment, lead, reviewer):
    save(assessment, "tiltaket", {"measure": "Sensorer"}, 0, lead)
    services.review_request(assessment=assessment, actor=lead)
    services.assessment_approve(assessment=assessment, actor=reviewer)


def test_review_revision_approval_and_publication(group, lead, member, reviewer):
    with pytest.raises(ValidationError):
        services.review_revised(assessment=group, actor=lead)  # still a draft
    services.review_request(assessment=group, actor=lead)
    comment = services.comment_add(
        assessment=group,
        section=section(group, "okonomi"),
        text="Mangler opplæring.",
        actor=reviewer,
    )
    with pytest.raises(ValidationError):
        services.review_revised(assessment=group, actor=lead)  # an open comment
    save(group, "okonomi", {"others": "Opplæring: 2 dager"}, 0, member)
    services.comment_resolve(comment=comment, actor=member)
    services.review_revised(assessment=group, actor=lead)
    with pytest.raises(ValidationError):
        save(group, "okonomi", {"others": "låst"}, 1, member)  # locked while revised
    services.review_return(assessment=group, actor=reviewer, comment="Regn ut per bruker.")
    assert Assessment.objects.get(pk=group.pk).status == Status.IN_REVIEW
    services.comment_resolve(comment=group.comments.get(text="Regn ut per bruker."), actor=lead)
    services.review_revised(assessment=group, actor=lead)
    services.assessment_approve(assessment=group, actor=reviewer)
    with pytest.raises(PermissionDenied):
        services.assessment_publish(assessment=group, actor=reviewer)
    published = services.assessment_publish(assessment=group, actor=lead)
    assert published.status == Status.PUBLISHED
    publication = published.publication
    publication.refresh_from_db()
    assert (publication.kind, publication.status) == ("mini_hta", "published")
    version = published.versions.get()
    assert version.version == 1
    assert any(q["value"] == "Opplæring: 2 dager" for s in version.content for q in s["questions"])


def test_an_update_is_a_new_version_in_the_library(group, lead, reviewer):
    publish_ready(group, lead, reviewer)
    services.assessment_publish(assessment=group, actor=lead)
    services.assessment_new_version(assessment=group, actor=lead)
    group.refresh_from_db()
    assert (group.status, group.version) == (Status.DRAFT, 2)
    assert group.publication.status == "published"  # the published text stays meanwhile
    save(group, "tiltaket", {"measure": "Sensorer, nå også på bad"}, 1, lead)
    services.review_request(assessment=group, actor=lead)
    services.assessment_approve(assessment=group, actor=reviewer)
    with pytest.raises(ValidationError):
        services.assessment_publish(assessment=group, actor=lead)  # no note
    services.assessment_publish(assessment=group, actor=lead, note="Bad tatt med.")
    group.publication.refresh_from_db()
    assert group.publication.version == 2
    assert list(group.versions.values_list("version", flat=True)) == [2, 1]
    assert group.publication.versions.first().note == "Bad tatt med."


def test_a_new_template_version_leaves_work_under_way_alone(assessment, lead, bergen, ada):
    old = assessment.template
    draft = services.template_copy(template=old, actor=ada)
    assert draft.published_at is None and draft.version == old.version + 1
    first = draft.sections.first()
    first.questions.create(
        position=99, key="budget_owner", label="Hvem eier budsjettet?", kind="text"
    )
    services.template_publish(template=draft, actor=ada)
    assert Template.objects.current() == draft
    assessment.refresh_from_db()
    assert assessment.template == old
    assert not old.sections.first().questions.filter(key="budget_owner").exists()
    newer = services.assessment_start(title="Ny", municipality=bergen, actor=lead)
    assert newer.template == draft
    with pytest.raises(ValidationError):
        services.template_publish(template=draft, actor=ada)


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_one_question_at_the_same_instant_lose_neither_text(bergen, hov_hub):
    """Two threads save the same question on the same revision, many times over: every round,
    exactly one text becomes current and the other is kept as a conflict."""
    from tests.conftest import make_person

    lead = make_person("lead@bergen.kommune.no", "Lead", "4601")
    other = make_person("other@bergen.kommune.no", "Other", "4601")
    assessment = services.assessment_start(title="Samtidig", municipality=bergen, actor=lead)
    services.participant_invite(assessment=assessment, email=other.email, role="member", actor=lead)
    key = "tiltaket"
    for round_number in range(10):
        base = (
            SectionText.objects.filter(assessment=assessment)
            .values_list("revision", flat=True)
            .first()
            or 0
        )
        barrier = threading.Barrier(2)
        results: dict[str, object] = {}

        def write(user, text, barrier=barrier, results=results, base=base):
            try:
                barrier.wait()
                results[text] = save(
                    Assessment.objects.get(pk=assessment.pk), key, {"measure": text}, base, user
                )
            except Exception as error:
                results[text] = error
            finally:
                connection.close()

        texts = [f"A{round_number}", f"B{round_number}"]
        threads = [
            threading.Thread(target=write, args=(user, text))
            for user, text in zip([lead, other], texts, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        outcomes = [results[t] for t in texts]
        assert all(isinstance(o, services.Saved) for o in outcomes), outcomes
        winners = [o for o in outcomes if o.conflict is None]
        losers = [o for o in outcomes if o.conflict is not None]
        assert len(winners) == 1 and len(losers) == 1
        current = SectionText.objects.get(assessment=assessment).data["measure"]
        kept = losers[0].conflict.data["measure"]
        assert {current, kept} == set(texts)


def test_a_started_assessment_is_in_the_next_digest_as_started(assessment):
    from datetime import timedelta

    from django.utils import timezone

    from kunnskap.newsletter.models import Subscriber
    from kunnskap.newsletter.services import digest_make, items_for

    subscriber = Subscriber.objects.create(
        email="leser@voss.kommune.no",
        frequency="weekly",
        kinds=["mini_hta"],
        confirmed_at=timezone.now(),
    )
    issue = digest_make(frequency="weekly", end=timezone.localdate() + timedelta(days=1))
    assert issue is not None
    new, started = items_for(subscriber, issue)
    assert (new, started) == ([], [assessment.publication])
