"""Reads of the taxonomy."""

from dataclasses import dataclass

from .models import Dimension, ServiceArea, Theme


@dataclass(frozen=True)
class TaxonomyItem:
    dimension: str
    key: str
    label: str
    label_en: str


def taxonomy_items(*, dimension: str = "") -> list[TaxonomyItem]:
    """Active terms of both dimensions (or one), service areas first, in their set order."""
    items: list[TaxonomyItem] = []
    for model, dim in ((ServiceArea, Dimension.SERVICE_AREA), (Theme, Dimension.THEME)):
        if dimension and dimension != dim:
            continue
        items.extend(
            TaxonomyItem(
                dimension=dim.value, key=term.key, label=term.label, label_en=term.label_en
            )
            for term in model.objects.active()
        )
    return items
