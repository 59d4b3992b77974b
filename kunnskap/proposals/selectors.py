"""Reads of knowledge needs, always through what the reader may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Case, IntegerField, Q, QuerySet, When
from django.urls import reverse
from django.utils import timezone

from kunnskap.accounts import policy
from kunnskap.accounts.policy import Permission
from kunnskap.lib.tokens import hash_token
from kunnskap.search import selectors as search

from .choices import CRITERIA
from .models import Endorsement, Proposal, ProposalEvent, ProposalQuerySet
from .services import SEARCH_KIND

PUBLICATION_KIND = "publication"  # the library's kind in the shared index

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kunnskap.accounts.models import User

# A list search ranks at most this many matches; more are not useful to a person paging.
SEARCH_CANDIDATES = 500


@dataclass(frozen=True)
class ReaderScope:
    """What of the needs a reader may see: every need, or the public ones and those of some
    hubs. Readers with one scope see the same lists, so those lists are made from it alone."""

    everything: bool = False
    hub_ids: tuple[int, ...] = ()

    @property
    def key(self) -> str:
        return "all" if self.everything else "public+" + ",".join(map(str, self.hub_ids))

    @property
    def sees_private(self) -> bool:
        return self.everything or bool(self.hub_ids)


def reader_scope(user: User | AnonymousUser) -> ReaderScope:
    if policy.is_admin(user):
        return ReaderScope(everything=True)
    return ReaderScope(hub_ids=tuple(sorted(policy.hub_ids_where(user, Permission.VIEW_SUBMITTER))))


def proposals_visible_in(scope: ReaderScope) -> ProposalQuerySet:
    """Public needs for everyone; every need of their hubs for staff who may see submitters."""
    return Proposal.objects.visible_in(scope)


def proposals_visible_to(user: User | AnonymousUser) -> ProposalQuerySet:
    return Proposal.objects.visible_to(user)


def may_see_submitter(user: User | AnonymousUser, proposal: Proposal) -> bool:
    return policy.may_see_unscreened(user, proposal)


@dataclass(frozen=True)
class ProposalFilters:
    status: str = ""
    municipality: str = ""
    service_area: str = ""
    theme: str = ""
    year: int | None = None
    q: str = ""


def proposal_list(*, scope: ReaderScope, filters: ProposalFilters) -> ProposalQuerySet:
    """The needs readers of this scope may see, filtered; a text search orders by relevance."""
    # An aggregate drops Meta.ordering, so the list order is stated here.
    proposals = (
        proposals_visible_in(scope)
        .for_lists()
        .with_endorsement_counts()
        .order_by("-submitted_at", "-number")
    )
    if filters.status:
        proposals = proposals.filter(status=filters.status)
    proposals = proposals.classified(
        municipality=filters.municipality, service_area=filters.service_area, theme=filters.theme
    )
    if filters.year:
        proposals = proposals.filter(year=filters.year)
    if filters.q.strip():
        # Readers who see only public needs search only public ones, so private matches cannot
        # use up the candidates.
        hits = search.search(
            filters.q,
            kinds=[SEARCH_KIND],
            limit=SEARCH_CANDIDATES,
            public_only=not scope.sees_private,
        )
        keys = [hit.key for hit in hits]
        order = Case(
            *[When(public_id=key, then=rank) for rank, key in enumerate(keys)],
            output_field=IntegerField(),
        )
        proposals = proposals.filter(public_id__in=keys).order_by(order)
    return proposals


def proposal_by_token(raw_token: str) -> Proposal | None:
    """The need a private status link belongs to."""
    return (
        Proposal.objects.for_lists()
        .select_related("hub")
        .filter(status_links__token_hash=hash_token(raw_token))
        .first()
    )


def proposal_timeline(proposal: Proposal, *, audience: str) -> QuerySet[ProposalEvent]:
    """Events for "public", for the "submitter" (her private exchange too) or for "staff" (all)."""
    events = proposal.events.select_related("actor")
    if audience == "public":
        return events.filter(is_public=True)
    if audience == "submitter":
        return events.filter(staff_only=False)
    return events


def proposal_endorsements(proposal: Proposal, *, all_: bool = False) -> QuerySet[Endorsement]:
    """Who shares the need; the submitter's own page and staff see the uncounted ones too."""
    endorsements = proposal.endorsements.select_related("municipality", "unit")
    return endorsements if all_ else endorsements.counted()


@dataclass(frozen=True)
class Similar:
    kind: str
    id: str
    title: str
    score: float
    url: str


def similar(text: str, *, limit: int = 5) -> list[Similar]:
    """Public needs and products most like the text, best first (the similar-needs panel)."""
    if not text.strip():
        return []
    # Needs and library publications share the index, each under its own kind.
    return [
        Similar(
            kind="proposal" if hit.kind == SEARCH_KIND else "publication",
            id=hit.key,
            title=hit.title,
            score=hit.score,
            url=Proposal(public_id=hit.key).get_absolute_url()
            if hit.kind == SEARCH_KIND
            else reverse("library:detail", args=[int(hit.key)]),
        )
        for hit in search.search(
            text, kinds=[SEARCH_KIND, PUBLICATION_KIND], limit=limit, public_only=True
        )
    ]


def criteria_answers(proposal: Proposal) -> list[tuple[str, str]]:
    """The submitter's answers to the criteria questions, as (question, answer) in order."""
    answers = []
    for criterion in CRITERIA:
        if value := proposal.criteria.get(criterion.key):
            answers.append(
                (str(criterion.question), str(dict(criterion.choices).get(value, value)))
            )
    return answers


REPEAT_WINDOW = timedelta(hours=1)


def recent_repeat(
    *, title: str, question: str, client_hash: str, user: User | None
) -> Proposal | None:
    """The need with the same title and question sent from the same client (the same signed-in
    person, or the same network key) within the last hour: going back and sending again."""
    if not client_hash and user is None:
        return None
    same_client = Q(submitted_by=user) if user is not None else Q(client_hash=client_hash)
    return (
        Proposal.objects.filter(
            same_client,
            submitted_at__gte=timezone.now() - REPEAT_WINDOW,
            title__iexact=title.strip(),
            question__iexact=question.strip(),
        )
        .order_by("-submitted_at")
        .first()
    )
