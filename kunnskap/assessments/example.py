"""The worked example for first-timers: a whole mini-HTA (digital night supervision with sensors
in sheltered housing) written, reviewed and published through the services, for the demo data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kunnskap.taxonomy.models import Theme

from . import services
from .models import Assessment

EXAMPLE = Path(__file__).parent / "data" / "example-nattilsyn.json"


def example_load(*, lead: Any, method: Any, reviewer: Any) -> Assessment:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    assessment = services.assessment_start(
        title=data["title"],
        municipality=lead.municipality,
        actor=lead,
        summary=data["summary"],
        # Digital night supervision is welfare technology in home care.
        themes=Theme.objects.filter(
            key__in=["velferdsteknologi", "hjemmeboende-vanlige-tilstander"]
        ),
    )
    services.participant_invite(
        assessment=assessment, email=method.email, role="method", actor=lead
    )
    services.participant_invite(
        assessment=assessment, email=reviewer.email, role="reviewer", actor=lead
    )
    for section in assessment.template.sections.all():
        services.section_save(
            assessment=assessment,
            section=section,
            values=data["sections"].get(section.key, {}),
            base_revision=0,
            actor=lead,
        )
    services.review_request(assessment=assessment, actor=lead)
    services.assessment_approve(assessment=assessment, actor=reviewer)
    return services.assessment_publish(assessment=assessment, actor=lead)
