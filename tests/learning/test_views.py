"""The pages of Kunnskapsbroen through the test client: forms, permissions, exports."""

import io
import re

from openpyxl import load_workbook

from kunnskap.learning.models import Attendance, Case, CaseStatus, Event, Team
from kunnskap.library import services as library
from kunnskap.operations.models import OutboxMessage
from kunnskap.taxonomy.models import PublicationKind

from .conftest import register


def test_an_organiser_creates_a_team_and_adds_a_member(client_for, berit, hov_hub, otto):
    assert client_for(otto).get("/kunnskapsbroen/lag/ny/").status_code == 403
    client = client_for(berit)
    response = client.post(
        "/kunnskapsbroen/lag/ny/",
        {"hub": hov_hub.pk, "kind": "kbp", "name": "KBP-lag Alver", "municipality": "Alver"},
    )
    team = Team.objects.get(name="KBP-lag Alver")
    assert response.status_code == 302 and team.municipality_id == "4631"
    response = client.post(
        team.get_absolute_url(),
        {"action": "member", "member-email": "ny@alver.kommune.no", "member-role": "leader"},
    )
    assert response.status_code == 302
    assert team.memberships.get().user.email == "ny@alver.kommune.no"


def test_a_kbp_team_without_municipality_is_a_422_at_the_field(client_for, berit, hov_hub):
    response = client_for(berit).post(
        "/kunnskapsbroen/lag/ny/", {"hub": hov_hub.pk, "kind": "kbp", "name": "Uten"}
    )
    assert response.status_code == 422
    assert "Et KBP-lag hører til en kommune." in response.content.decode()


def test_the_team_leader_works_a_case_and_closes_it_with_a_publication(
    client_for, kbp_team, lena, national_hub, otto
):
    from kunnskap.accounts.models import Role
    from tests.conftest import make_person

    editor = make_person("rita@ksf.example", "Rita", None, Role.EDITOR, national_hub)
    publication = library.publication_create(
        data=library.PublicationInput(
            title="Fall", kind=PublicationKind.SHORT_SUMMARY, summary="K.", status="published"
        ),
        actor=editor,
    )
    client = client_for(lena)
    response = client.post(
        f"/kunnskapsbroen/lag/{kbp_team.pk}/ny-sak/",
        {"title": "Fall", "question": "Hjelper sensorer?"},
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert client_for(otto).get(case.get_absolute_url()).status_code == 404
    response = client.post(
        case.get_absolute_url(),
        {"action": "found", "found-conclusion": "Funnet", "found-publications": "999999"},
    )
    assert response.status_code == 422
    response = client.post(
        case.get_absolute_url(),
        {
            "action": "found",
            "found-conclusion": "Funnet",
            "found-publications": str(publication.pk),
        },
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.KNOWLEDGE_FOUND
    assert "Kunnskap funnet" in client.get(case.get_absolute_url()).content.decode()


def test_register_on_the_page_cancel_by_link_and_organiser_tools(
    client, client_for, make_event, berit, otto
):
    event = make_event(capacity=1)
    response = client.post(
        event.get_absolute_url(),
        {"name": "Anne", "email": "anne@alver.kommune.no", "municipality": "Alver"},
    )
    assert response.status_code == 302
    again = client.post(
        event.get_absolute_url(),
        {"name": "Anne", "email": "anne@alver.kommune.no", "municipality": "Alver"},
    )
    assert again.status_code == 422
    assert "allerede påmeldt" in again.content.decode()
    register(event, 2)

    manage = f"/arrangementer/{event.pk}/deltakere/"
    assert client_for(otto).get(manage).status_code == 403
    organiser = client_for(berit)
    page = organiser.get(manage).content.decode()
    assert "Anne" in page and "Deltaker 2" in page
    anne = event.registrations.get(email="anne@alver.kommune.no")
    session = event.sessions.first()
    organiser.post(manage, {"action": "attendance", "session": session.pk, "present": [anne.pk]})
    assert Attendance.objects.get().registration == anne
    csv = b"".join(organiser.get(f"/arrangementer/{event.pk}/deltakere.csv").streaming_content)
    assert b"anne@alver.kommune.no" in csv
    workbook = load_workbook(
        io.BytesIO(organiser.get(f"/arrangementer/{event.pk}/deltakere.xlsx").content)
    )
    assert workbook.active["A2"].value in ("Anne", "Deltaker 2")
    assert client_for(otto).get(f"/arrangementer/{event.pk}/deltakere.csv").status_code == 403
    organiser.post(
        manage, {"action": "mail", "mail-subject": "Velkommen", "mail-text": "Ta med PC."}
    )
    assert OutboxMessage.objects.filter(subject="Velkommen").count() == 1  # not the waiting one
    response = organiser.post(
        manage,
        {
            "action": "update",
            "update-title": "Kurs",
            "update-capacity": "0",
            "update-registration_deadline": "2020-01-01T10:00",
        },
    )
    assert response.status_code == 422

    text = OutboxMessage.objects.get(
        to=["anne@alver.kommune.no"], subject__startswith="Du er påmeldt"
    ).text
    link = re.search(r"/arrangementer/avmelding/[^/\s]+/", text).group(0)
    assert "Vil du melde deg av" in client.get(link).content.decode()
    assert event.registrations.get(pk=anne.pk).status == "registered"  # GET changes nothing
    client.post(link)
    assert event.registrations.get(pk=anne.pk).status == "cancelled"
    assert event.registrations.get(email="deltaker2@bergen.kommune.no").status == "registered"


def test_insights_are_for_the_secretariat(client_for, berit, otto, kbp_team, make_event):
    make_event()
    assert client_for(otto).get("/kunnskapsbroen/innsikt/").status_code == 403
    page = client_for(berit).get("/kunnskapsbroen/innsikt/").content.decode()
    assert "Kurs i mini-metodevurdering" in page and "Bergen" in page


def test_the_event_list_links_its_feed_and_calendar(client, make_event):
    make_event()
    page = client.get("/arrangementer/").content.decode()
    assert 'type="application/atom+xml"' in page and "/arrangementer/kalender.ics" in page
    feed = client.get("/arrangementer/feed/").content.decode()
    assert "Kurs i mini-metodevurdering" in feed
    assert Event.objects.count() == 1


def test_a_course_mini_hta_shows_its_course(client_for, make_event, berit):
    from kunnskap.assessments import services as assessments
    from kunnskap.learning import services

    event = make_event()
    assessment = assessments.assessment_start(
        title="Nattilsyn", municipality=berit.municipality, actor=berit
    )
    services.course_assessment_link(event=event, assessment=assessment, actor=berit)
    page = client_for(berit).get(f"/mmv/{assessment.pk}/").content.decode()
    assert "Kurs i mini-metodevurdering" in page
    manage = client_for(berit).get(f"/arrangementer/{event.pk}/deltakere/").content.decode()
    assert "Nattilsyn" in manage


def test_a_registered_participant_links_her_own_mini_hta(client_for, make_event, berit, otto):
    from kunnskap.assessments import services as assessments

    event = make_event()
    assessment = assessments.assessment_start(
        title="Nattilsyn", municipality=berit.municipality, actor=berit
    )
    client = client_for(berit)
    assert "Nattilsyn" not in client.get(event.get_absolute_url()).content.decode()
    register(event, 1, email=berit.email, user=berit)
    assert "Nattilsyn" in client.get(event.get_absolute_url()).content.decode()
    outsider = client_for(otto).post(
        event.get_absolute_url(), {"action": "course", "assessment": assessment.pk}
    )
    assert outsider.status_code == 404
    client.post(event.get_absolute_url(), {"action": "course", "assessment": assessment.pk})
    assert assessment.course_link.event == event


def test_an_organiser_creates_an_event_for_an_audience_on_the_page(client_for, berit, hov_hub):
    from datetime import timedelta

    from django.utils import timezone

    from kunnskap.organisations.models import Region

    start = timezone.localtime() + timedelta(days=20)
    stamp = "%Y-%m-%dT%H:%M"
    data = {
        "hub": hov_hub.pk,
        "kind": "workshop",
        "title": "Kompetanseverksted",
        "capacity": "30",
        "registration_deadline": (start - timedelta(days=3)).strftime(stamp),
        "regions": [Region.objects.get(name="KSF Vest").pk],
        "municipalities": "Alver, 4601",
        "sessions-TOTAL_FORMS": "3",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "1",
        "sessions-MAX_NUM_FORMS": "20",
        "sessions-0-starts_at": start.strftime(stamp),
        "sessions-0-ends_at": (start + timedelta(hours=2)).strftime(stamp),
        "sessions-0-place": "Alver rådhus",
    }
    response = client_for(berit).post("/arrangementer/ny/", data)
    event = Event.objects.get()
    assert response.status_code == 302
    assert sorted(event.municipalities.values_list("number", flat=True)) == ["4601", "4631"]
    page = client_for(berit).get(event.get_absolute_url()).content.decode()
    assert "KSF Vest" in page and "Alver" in page
