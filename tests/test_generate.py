"""`kunnskap generate`: realistic, deterministic, and consistent with the app's own rules."""

import pytest
from django.core.management import call_command
from django.db import models, transaction

from kunnskap.generate import Generator
from kunnskap.proposals.models import Endorsement, Proposal
from kunnskap.rounds.models import Entry, Round
from kunnskap.rounds.selectors import ranking
from kunnskap.search.selectors import search


def snapshot() -> list[tuple]:
    return list(
        Proposal.objects.order_by("public_id").values_list(
            "public_id", "title", "status", "municipality_id", "theme_id"
        )
    )


def test_the_same_seed_gives_the_same_data(db):
    with transaction.atomic():
        Generator(seed=7).run(proposals=300)
        first = snapshot()
        transaction.set_rollback(True)
    assert Proposal.objects.count() == 0
    Generator(seed=7).run(proposals=300)
    assert snapshot() == first
    assert len({row[2] for row in first}) >= 12  # spread over the statuses


def test_generated_data_behaves_like_real_data(db, capsys):
    call_command("generate", "--proposals", "400", "--publications", "150", "--seed", "3")
    assert "proposals" in capsys.readouterr().out
    assert Proposal.objects.count() == 400
    # Every need has its submitter's municipality as the first endorsement.
    assert Endorsement.objects.filter(is_original=True).count() == 400
    # Rounds rank with the real arithmetic.
    round_ = Round.objects.filter(entries__isnull=False).first()
    ranked = ranking(round_)
    assert ranked and all(item.total is not None for item in ranked)
    assert Entry.objects.exclude(decision="").exists()
    # Accepted needs are in the search index and findable.
    accepted = Proposal.objects.exclude(accepted_at=None).first()
    assert accepted.public_id in [hit.key for hit in search(accepted.question, limit=20)]
    # The library has its products, findable, some answering the published needs.
    from kunnskap.library.models import Publication

    assert Publication.objects.count() == 150
    assert Publication.objects.filter(proposals__isnull=False).exists()
    publication = Publication.objects.first()
    assert str(publication.pk) in [
        hit.key for hit in search(publication.title, kinds=["publication"], limit=50)
    ]


@pytest.mark.parametrize("n", [0])
def test_nothing_asked_nothing_made(db, n):
    report = Generator(seed=1).run(proposals=n)
    assert (report.proposals, report.rounds, report.indexed) == (0, 0, 0)


@pytest.mark.slow
def test_the_text_has_a_long_tail_of_words_as_real_text_has(db):
    """Search speed depends on how many documents hold a word: the text is not a few phrases
    repeated (91 stems over 200,000 documents once), but common words and many rare ones."""
    from kunnskap.search.models import SearchStem

    Generator(seed=5).run(proposals=2_000, publications=2_000)
    documents = 4_000
    stems = list(SearchStem.objects.exclude(stem="").values_list("documents", flat=True))
    assert len(stems) > 1_000
    rare = [n for n in stems if n < documents / 100]
    assert len(rare) / len(stems) > 0.8  # most words are in under one percent of the texts
    assert any(n > documents / 10 for n in stems)  # and some are in a tenth of them


def test_generated_data_has_follow_up(db):
    from kunnskap.followup.models import Adoption, AdoptionStep, Evaluation, Pilot

    Generator(seed=5).run(proposals=400, publications=150)
    assert Adoption.objects.count() > 10
    assert Evaluation.objects.exists()
    assert AdoptionStep.objects.count() >= Adoption.objects.count()
    assert not Adoption.objects.filter(
        decided_on__lt=models.F("publication__published_on")
    ).exists()
    pilot = Pilot.objects.first()
    assert Pilot.objects.count() == 20
    assert str(pilot.pk) in [hit.key for hit in search(pilot.title, kinds=["pilot"], limit=50)]
