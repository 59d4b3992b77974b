"""The default template, loaded from `data/template-1.json` by a data migration."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
CONFIG_KEYS = ("choices", "columns", "years", "categories")


def template_data(version: int = 1) -> dict[str, Any]:
    return json.loads((DATA / f"template-{version}.json").read_text(encoding="utf-8"))


def load_template(models: Any, data: dict[str, Any], published_at: Any) -> Any:
    """Create one template version with its sections and questions (models: an object with
    Template, Section and Question, the real ones or a migration's historical ones)."""
    template = models.Template.objects.create(
        version=data["version"],
        title=data["title"],
        note=data.get("note", ""),
        published_at=published_at,
    )
    for position, section_data in enumerate(data["sections"], start=1):
        section = models.Section.objects.create(
            template=template,
            position=position,
            key=section_data["key"],
            title=section_data["title"],
            guidance=section_data.get("guidance", ""),
        )
        models.Question.objects.bulk_create(
            models.Question(
                section=section,
                position=index,
                key=q["key"],
                label=q["label"],
                kind=q["kind"],
                guidance=q.get("guidance", ""),
                config={key: q[key] for key in CONFIG_KEYS if key in q},
            )
            for index, q in enumerate(section_data["questions"], start=1)
        )
    return template
