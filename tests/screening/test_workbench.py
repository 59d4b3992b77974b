"""The workbench's seams: the submitter's classification carried into the working copy, a
library publication picked as the answer from a search inside the page, and a rejected outcome
told at the top of the page with links to the fields."""

import re

from django.conf import settings

from kunnskap.library import services as library
from kunnskap.operations.models import OutboxMessage
from kunnskap.proposals.choices import Status
from kunnskap.taxonomy.models import PublicationKind, ServiceArea, Theme


def workbench(proposal) -> str:
    return f"/sekretariat/vurdering/{proposal.public_id}/"


def honey(editor=None):
    return library.publication_create(
        data=library.PublicationInput(
            title="Honning ved behandling av brannsår",
            kind=PublicationKind.SHORT_SUMMARY,
            summary="Honning gir trolig raskere tilheling av brannsår enn vanlige bandasjer.",
        ),
        actor=editor,
    )


def test_the_working_copy_keeps_the_submitter_s_classification(client_for, submit, berit):
    area, theme = ServiceArea.objects.active().last(), Theme.objects.active().last()
    proposal, _ = submit(service_area=area, theme=theme)

    page = client_for(berit).get(workbench(proposal))

    form = page.context["forms"]["working"]
    assert (form["service_area"].value(), form["theme"].value()) == (area.key, theme.key)
    html = page.content.decode()
    assert re.search(rf'<option value="{area.key}" selected>', html)
    assert re.search(rf'<option value="{theme.key}" selected>', html)
    # Saving the working copy unchanged keeps them.
    data = {
        "action": "working",
        "working-working_question": proposal.question,
        "working-service_area": area.key,
        "working-theme": theme.key,
    }
    assert client_for(berit).post(workbench(proposal), data).status_code == 302
    proposal.refresh_from_db()
    assert (proposal.service_area, proposal.theme) == (area, theme)


def test_a_rejected_outcome_is_summed_up_at_the_top_with_links(client_for, submit, berit):
    proposal, _ = submit()
    browser = client_for(berit)

    response = browser.post(
        workbench(proposal), {"action": "outcome", "outcome-outcome": "answered"}
    )

    assert response.status_code == 422
    html = response.content.decode()
    summary = html[html.index("<ds-error-summary") : html.index("</ds-error-summary>")]
    assert html.index("<ds-error-summary") < html.index('id="original-heading"')
    # "Link the knowledge first" leads to the library search; "say what is known" to the note.
    assert 'href="#id_q"' in summary and 'href="#id_outcome-note"' in summary
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED

    missing = browser.post(workbench(proposal), {"action": "outcome"}).content.decode()
    assert 'href="#id_outcome-outcome_0"' in missing  # the first option of the group


def test_a_library_publication_is_picked_as_the_answer(client_for, submit, berit):
    proposal, _ = submit(title="Honning på sår", question="Hjelper honning på brannsår?")
    product = honey()
    browser = client_for(berit)

    found = browser.get(workbench(proposal), {"q": "honning brannsår"}, HTTP_HX_REQUEST="true")
    html = found.content.decode()
    assert found.status_code == 200 and "<html" not in html  # the partial only
    assert product.title in html
    assert f'name="pick-publication" value="{product.pk}"' in html
    without_js = browser.get(workbench(proposal), {"q": "honning"}).content.decode()
    assert "<html" in without_js and f'value="{product.pk}"' in without_js

    picked = browser.post(workbench(proposal), {"action": "pick", "pick-publication": product.pk})
    assert picked.status_code == 302
    assert list(proposal.publications.all()) == [product]
    again = browser.post(
        workbench(proposal), {"action": "pick", "pick-publication": product.pk}, follow=True
    )
    assert "svarer allerede på behovet" in again.content.decode()
    assert proposal.publications.count() == 1

    answered = browser.post(
        workbench(proposal),
        {
            "action": "outcome",
            "outcome-outcome": "answered",
            "outcome-note": "Honning gir trolig raskere tilheling av brannsår.",
        },
    )
    assert answered.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.ANSWERED
    public = client_for(berit).get(proposal.get_absolute_url()).content.decode()
    assert product.get_absolute_url() in public
    # The submitter's message carries the link.
    told = OutboxMessage.objects.order_by("-pk").values_list("text", flat=True)[0]
    assert f"{settings.SITE_URL}{product.get_absolute_url()}" in told


def test_a_withdrawn_publication_cannot_be_picked(client_for, submit, berit):
    proposal, _ = submit()
    product = honey()
    product.status = "withdrawn"
    product.save()
    response = client_for(berit).post(
        workbench(proposal), {"action": "pick", "pick-publication": product.pk}
    )
    assert response.status_code == 422
    assert 'href="#id_q"' in response.content.decode()
    assert proposal.publications.count() == 0
