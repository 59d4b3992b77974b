"""Reads of screening: the queue of needs waiting for it, and the register of research gaps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kunnskap.accounts import policy
from kunnskap.accounts.policy import Permission
from kunnskap.proposals.choices import AWAITING_SCREENING
from kunnskap.proposals.models import Proposal, ProposalQuerySet

from .models import ResearchGap

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kunnskap.accounts.models import User
    from kunnskap.library.models import Publication


@dataclass(frozen=True)
class QueueFilters:
    municipality: str = ""
    service_area: str = ""
    theme: str = ""
    assignee: str = ""  # "me", "nobody", or "" for anyone
    min_days: int | None = None
    conflicts: bool = False


def screening_queue(
    *, user: User | AnonymousUser, filters: QueueFilters | None = None
) -> ProposalQuerySet:
    """Needs waiting for screening in the hubs where the user screens, oldest first."""
    filters = filters or QueueFilters()
    hubs = policy.hubs_where(user, Permission.SCREEN)
    queue = (
        Proposal.objects.filter(hub__in=hubs, status__in=AWAITING_SCREENING)
        .classified(
            municipality=filters.municipality,
            service_area=filters.service_area,
            theme=filters.theme,
        )
        .for_lists()
        .select_related("hub", "assignee")
        .with_endorsement_counts()
        .annotate(vote_count=Count("votes", distinct=True))
        .order_by("submitted_at", "number")
    )
    if filters.assignee == "me":
        queue = queue.filter(assignee_id=user.pk)
    elif filters.assignee == "nobody":
        queue = queue.filter(assignee__isnull=True)
    if filters.min_days:
        queue = queue.filter(submitted_at__lte=timezone.now() - timedelta(days=filters.min_days))
    if filters.conflicts:
        # Two votes that agreed would have ended screening: two left means they differ.
        queue = queue.filter(vote_count__gte=2)
    return queue


def research_gap_list() -> QuerySet[ResearchGap]:
    """Research gaps of public needs, newest first, with who shares each."""
    return (
        ResearchGap.objects.filter(proposal__accepted_at__isnull=False)
        .select_related("proposal__municipality", "proposal__theme", "proposal__service_area")
        .annotate(
            municipalities=Count(
                "proposal__endorsements__municipality",
                filter=Q(proposal__endorsements__source__isnull=True)
                | Q(proposal__endorsements__source__accepted_at__isnull=False),
                distinct=True,
            )
        )
        .order_by("-created_at", "-pk")
    )


LIBRARY_PICKS = 10


def library_candidates(text: str, *, limit: int = LIBRARY_PICKS) -> list[Publication]:
    """Library publications that may answer a need, best match first: the workbench's search."""
    from kunnskap.library.models import Publication
    from kunnskap.library.services import SEARCH_KIND
    from kunnskap.search.selectors import search

    keys = [int(hit.key) for hit in search(text, kinds=[SEARCH_KIND], limit=limit)]
    found = Publication.objects.visible().select_related("producer").in_bulk(keys)
    return [found[key] for key in keys if key in found]
