import pytest

from kunnskap.assessments import services
from kunnskap.assessments.models import Assessment
from tests.conftest import make_person


@pytest.fixture
def lead(db, hov_hub):
    """Frøydis, R&D contact in Bergen, leads the mini-HTA."""
    return make_person("froydis@bergen.kommune.no", "Frøydis FoU", "4601")


@pytest.fixture
def member(db):
    return make_person("magne@bergen.kommune.no", "Magne Medlem", "4601")


@pytest.fixture
def reviewer(db):
    """Reidun from Alver reviews: another municipality."""
    return make_person("reidun@alver.kommune.no", "Reidun Fagfelle", "4631")


@pytest.fixture
def assessment(lead, bergen) -> Assessment:
    return services.assessment_start(
        title="Digitalt nattilsyn med sensorer i omsorgsbolig",
        municipality=bergen,
        actor=lead,
        summary="Kan sensorer erstatte fysisk tilsyn om natten?",
    )


@pytest.fixture
def group(assessment, lead, member, reviewer):
    services.participant_invite(
        assessment=assessment, email=member.email, role="member", actor=lead
    )
    services.participant_invite(
        assessment=assessment, email=reviewer.email, role="reviewer", actor=lead
    )
    return assessment
