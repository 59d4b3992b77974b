"""The demo publications carry the themes their texts are about (40 of 46 once carried "ME",
so the library's biggest facet was wrong and welfare technology showed one item)."""

import csv
from collections import Counter

from kunnskap.library.testset import PUBLICATIONS


def rows() -> list[dict[str, str]]:
    with PUBLICATIONS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_only_the_publication_about_me_cfs_carries_the_theme_me():
    carrying = [row["source_id"] for row in rows() if "me" in row["themes"].split(";")]
    assert carrying == ["me-cfs-unge"]


def test_every_theme_named_in_a_row_is_one_the_text_is_about():
    words = {
        "velferdsteknologi": (
            "sensor",
            "gps",
            "dispenser",
            "velferdsteknologi",
            "avstand",
            "trygghetsalarm",
        ),
        "demens-behandling": ("demens",),
        "sovn": ("søvn", "sover"),
        "palliasjon": ("lindrende", "livets slutt", "dø "),
        "barnevern": ("barnevern",),
        "ernaering": ("ernær", "spiser", "måltid", "mat"),
        "rehabilitering": ("rehabilitering", "trening"),
    }
    for row in rows():
        text = f"{row['title']} {row['summary']}".lower()
        for theme in row["themes"].split(";"):
            if theme in words:
                assert any(word in text for word in words[theme]), (row["source_id"], theme)


def test_welfare_technology_is_more_than_one_item():
    counts = Counter(theme for row in rows() for theme in row["themes"].split(";"))
    assert counts["velferdsteknologi"] >= 5
    assert counts.most_common(1)[0][0] != "me"
