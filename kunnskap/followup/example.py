"""The worked example of the demo data: the demo mini-HTA on digital night supervision, decided
by its municipality, in use there and in Bergen, evaluated once, and a pilot in Alver that
builds on it. Everything goes through the services, as a person would record it."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from kunnskap.library import services as library
from kunnskap.organisations.models import Municipality

from . import services
from .models import Pilot

if TYPE_CHECKING:
    from kunnskap.accounts.models import User
    from kunnskap.library.models import Publication


def example_load(
    *, publication: Publication, editor: User, lead: User, bergen: User, alver: User
) -> Pilot:
    """`lead` speaks for the mini-HTA's municipality, `bergen` and `alver` for theirs."""
    today = timezone.localdate()
    day = lambda n: today - timedelta(days=n)  # noqa: E731
    # The mini-HTA was published well over a year ago, so that its use has a history.
    publication = library.publication_update(
        publication=publication,
        data=library.input_from(publication, published_on=day(430)),
        actor=editor,
        note="Publiseringsdatoen i eksempeldataene.",
    )
    services.hta_decision_record(
        publication=publication,
        actor=lead,
        decision="adopt_with_conditions",
        conditions="Innføres først i to bofellesskap, med samtykke fra beboer eller pårørende.",
        meeting="Ledermøte i helse og omsorg",
        decided_by="Kommunalsjef for helse og omsorg",
        decided_on=day(400),
    )
    assert publication.municipality is not None
    own = services.adoption_record(
        publication=publication,
        municipality=publication.municipality,
        actor=lead,
        status="in_use",
        on=day(380),
        note="Sensorer i to bofellesskap; tilsynet går via responssenteret.",
    )
    services.evaluation_record(
        adoption=own,
        actor=lead,
        evaluated_on=day(10),
        verdict="worked",
        old_practice="partly",
        cost="Sensorer og responssenter: om lag 180 000 kroner det første året.",
        note=(
            "Færre uønskede oppvåkninger og færre fall om natten. Fysisk tilsyn er beholdt for "
            "beboere som ønsker det; de faste rundene er tatt bort."
        ),
        measures=[
            services.MeasureInput(what="Fall om natten", before=14, after=8, unit="per år"),
            services.MeasureInput(
                what="Fysiske tilsynsrunder om natten", before=4, after=1, unit="per beboer"
            ),
        ],
    )
    bergen_municipality = bergen.municipality or Municipality.objects.get(number="4601")
    services.adoption_record(
        publication=publication,
        municipality=bergen_municipality,
        actor=bergen,
        status="decided_to_adopt",
        on=day(200),
    )
    services.adoption_record(
        publication=publication,
        municipality=bergen_municipality,
        actor=bergen,
        status="in_use",
        on=day(150),
    )
    return services.pilot_register(
        data=services.PilotInput(
            title="Digitalt nattilsyn med sensorer i omsorgsboliger",
            description=(
                "Alver prøver sensorer og kamera med samtykke i stedet for faste tilsynsrunder om "
                "natten i omsorgsboliger, bygget på mini-metodevurderingen om digitalt nattilsyn."
            ),
            municipality=alver.municipality or Municipality.objects.get(number="4631"),
            started_on=day(90),
            evaluation_due=day(90) + timedelta(days=365),
            contact_role="FoU-kontakt i helse og velferd",
            publications=[publication],
        ),
        actor=alver,
    )
