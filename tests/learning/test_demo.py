"""`kunnskap demo` holds a Kunnskapsbroen-like cluster and KSF Agder's mini-HTA course."""

import io

from django.core.management import call_command

from kunnskap.learning.models import Case, CaseStatus, Event, RegistrationStatus, Team
from kunnskap.proposals.choices import Status


def test_the_demo_has_teams_a_closed_case_of_each_kind_and_the_course(db, settings):
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())
    assert Team.objects.filter(hub__name="Klyngen i Sør-Rogaland").count() == 4
    found = Case.objects.get(status=CaseStatus.KNOWLEDGE_FOUND)
    assert found.publications.exists() and found.mentor is not None
    need = Case.objects.get(status=CaseStatus.RESEARCH_NEED)
    assert need.proposal.status == Status.SUBMITTED
    assert need.proposal.literature_searches.exists()
    course = Event.objects.get(kind="course")
    assert course.hub.name == "KSF Sør"
    assert course.sessions.count() == 5
    assert course.registrations.filter(status=RegistrationStatus.REGISTERED).count() == 23
    assert course.course_assessments.filter(assessment__status="published").exists()
    call_command("demo", stdout=io.StringIO())  # idempotent
    assert Team.objects.count() == 4
