"""POST /api/v1/proposals/{id}/screening: a screening outcome, with the knowledge found."""

from typing import Literal

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from kunnskap.accounts.api_auth import SIGNED_IN
from kunnskap.accounts.policy import Permission, can
from kunnskap.api_errors import FieldError
from kunnskap.lib.http import SignedInApiRequest
from kunnskap.proposals import selectors as proposal_selectors
from kunnskap.proposals.api import ProposalOut, terms_by_key, with_details
from kunnskap.proposals.models import TEXT_MAX, Proposal
from kunnskap.taxonomy.models import PublicationKind

from . import services

router = Router(tags=["proposals"])


class HitIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    url: str = Field("", max_length=500)
    kind: PublicationKind = PublicationKind.OTHER
    note: str = Field("", max_length=300)


class ScreeningIn(Schema):
    outcome: Literal[
        "eligible",
        "answered",
        "partly_answered",
        "needs_clarification",
        "duplicate",
        "out_of_scope",
        "research_gap",
    ]
    note: str = Field("", max_length=TEXT_MAX)
    hits: list[HitIn] = Field(
        default_factory=list, description="Existing knowledge that answers the need."
    )
    publications: list[int] = Field(
        default_factory=list, description="Ids of library publications that answer the need."
    )
    duplicate_of: str | None = Field(None, description="The primary need's id, for a duplicate.")
    service_area: str | None = None
    theme: str | None = None


@router.post("/proposals/{public_id}/screening", response=ProposalOut, auth=SIGNED_IN)
def proposal_screening(request: SignedInApiRequest, public_id: str, payload: ScreeningIn):
    """Record a screening outcome (screeners of the need's hub, and administrators)."""
    proposal = get_object_or_404(
        proposal_selectors.proposals_visible_to(request.auth), public_id=public_id
    )
    if not can(request.auth, Permission.SCREEN, proposal):
        raise HttpError(403, _("You may not screen needs of this hub."))
    from kunnskap.library.models import Publication

    publications = list(Publication.objects.visible().filter(pk__in=payload.publications))
    unknown = set(payload.publications) - {p.pk for p in publications}
    if unknown:
        raise FieldError(
            "publications",
            _("The library has no publication %(ids)s.")
            % {"ids": ", ".join(str(pk) for pk in sorted(unknown))},
        )
    primary = None
    if payload.duplicate_of:
        # A need the caller may not see reads as one that does not exist.
        primary = (
            Proposal.objects.visible_to(request.auth).filter(public_id=payload.duplicate_of).first()
        )
        if primary is None:
            raise FieldError(
                "duplicate_of",
                _("There is no need with the id %(id)s.") % {"id": payload.duplicate_of},
            )
    service_area, theme = terms_by_key(service_area=payload.service_area, theme=payload.theme)
    with transaction.atomic():
        for hit in payload.hits:
            services.literature_hit_add(proposal=proposal, actor=request.auth, **hit.dict())
        for publication in publications:
            services.publication_link(
                proposal=proposal, publication=publication, actor=request.auth
            )
        services.screening_vote(
            proposal=proposal,
            actor=request.auth,
            outcome=payload.outcome,
            note=payload.note,
            duplicate_of=primary,
            service_area=service_area,
            theme=theme,
        )
    return with_details(Proposal.objects).get(pk=proposal.pk)
