"""Rita edits the library; a few publications to search and filter."""

from datetime import date

import pytest

from kunnskap.accounts.models import Role
from kunnskap.commissions.models import Producer
from kunnskap.library import services
from kunnskap.taxonomy.models import Theme
from tests.conftest import make_person


@pytest.fixture
def rita(db, national_hub):
    return make_person("rita@ksf.example", "Rita Redaktør", None, Role.EDITOR, national_hub)


@pytest.fixture
def publish(db):
    def make(**overrides):
        values = {
            "title": "Musikkterapi mot agitasjon hos personer med demens",
            "kind": "short_summary",
            "summary": "Individuelt tilpasset musikk reduserer trolig agitasjon ved demens.",
            "producer": Producer.objects.get(short_name="FHI"),
            "published_on": date(2025, 3, 1),
        }
        themes = overrides.pop("themes", ["demens-behandling"])
        values.update(overrides)
        data = services.PublicationInput(
            **values, themes=list(Theme.objects.filter(key__in=themes))
        )
        return services.publication_create(data=data, actor=None)

    return make
