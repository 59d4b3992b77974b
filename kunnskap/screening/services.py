"""Services of the screening workbench: the librarian's record and the outcomes of screening.

Each outcome is one transition with a history row; the views and `POST
/api/v1/proposals/{id}/screening` both call `proposal_screen`. Each function asks the policy
first (`policy.may_screen`: a screener of the need's hub; a merge needs both hubs), then checks
state. A need the actor may not see is "not found", in the words used for a missing id.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kunnskap import mail
from kunnskap.accounts import policy
from kunnskap.accounts.policy import Permission
from kunnskap.organisations.models import Hub
from kunnskap.organisations.selectors import wider_hubs
from kunnskap.proposals.choices import AWAITING_SCREENING, Status
from kunnskap.proposals.models import Endorsement, Proposal
from kunnskap.proposals.services import (
    endorsements_publish,
    proposal_index,
    proposal_lock,
    proposal_move,
    proposal_note,
    proposal_request_clarification,
    status_link_create,
    status_url,
)
from kunnskap.rounds.models import Stage
from kunnskap.taxonomy.models import ServiceArea, Theme

from .models import LiteratureHit, LiteratureSearch, LiteratureSource, ResearchGap, ScreeningVote

if TYPE_CHECKING:
    from kunnskap.accounts.models import User

# Outcomes of screening itself, before a need enters a prioritisation round.
SETTLED_BY_SCREENING = (
    Status.ELIGIBLE,
    Status.ANSWERED,
    Status.PARTLY_ANSWERED,
    Status.RESEARCH_GAP,
)
# What an outcome may change besides the status (`proposal_screen`, `_merge`).
OUTCOME_FIELDS = ("service_area", "theme", "accepted_at", "outcome_summary", "duplicate_of")
WORKING_FIELDS = (
    "working_question",
    "working_population",
    "working_intervention",
    "working_comparison",
    "working_outcome",
    "service_area",
    "theme",
)


def _start(proposal: Proposal, actor: User) -> None:
    """The first thing a screener does to a need starts its screening (and ends editing)."""
    if proposal.status == Status.SUBMITTED:
        proposal_move(proposal=proposal, to_status=Status.SCREENING, actor=actor)


@transaction.atomic
def proposal_assign(*, proposal: Proposal, assignee: User | None, actor: User) -> Proposal:
    """Give the need to a screener of its hub (or to nobody)."""
    policy.require(policy.may_screen(actor, proposal))
    proposal = proposal_lock(proposal)
    if (
        assignee is not None
        and not policy.users_with(Permission.SCREEN, proposal).filter(pk=assignee.pk).exists()
    ):
        raise ValidationError({"assignee": _("Choose a screener of this need's hub.")})
    proposal.assignee = assignee
    proposal.save(update_fields=["assignee", "updated_at"])
    proposal_note(
        proposal=proposal,
        actor=actor,
        note=_("Assigned to %(name)s.") % {"name": assignee} if assignee else _("Unassigned."),
        staff_only=True,
    )
    return proposal


@transaction.atomic
def proposal_update_working_copy(
    *, proposal: Proposal, actor: User, changes: dict[str, Any]
) -> Proposal:
    """The screener's version of the question, its PICO and classification."""
    policy.require(policy.may_screen(actor, proposal))
    proposal = proposal_lock(proposal)
    unknown = set(changes) - set(WORKING_FIELDS)
    if unknown:
        raise ValueError(f"Not part of the working copy: {', '.join(sorted(unknown))}")
    for field, value in changes.items():
        setattr(proposal, field, value)
    proposal.full_clean()
    proposal.save()
    _start(proposal, actor)
    return proposal


@transaction.atomic
def literature_search_add(
    *,
    proposal: Proposal,
    actor: User,
    source: LiteratureSource,
    query: str,
    searched_on: date,
    results: int | None = None,
) -> LiteratureSearch:
    """Record a search made for the need: where, with which words, when, how many results."""
    policy.require(policy.may_screen(actor, proposal))
    search = LiteratureSearch(
        proposal=proposal,
        source=source,
        query=query.strip(),
        searched_on=searched_on,
        results=results,
        searched_by=actor,
    )
    search.full_clean()
    search.save()
    _start(proposal_lock(proposal), actor)
    return search


@transaction.atomic
def literature_hit_add(
    *, proposal: Proposal, actor: User, title: str, url: str = "", kind: str, note: str = ""
) -> LiteratureHit:
    """Record a piece of existing knowledge that answers (part of) the need."""
    policy.require(policy.may_screen(actor, proposal))
    hit = LiteratureHit(
        proposal=proposal,
        title=title.strip(),
        url=url,
        kind=kind,
        note=note.strip(),
        added_by=actor,
    )
    hit.full_clean()
    hit.save()
    _start(proposal_lock(proposal), actor)
    return hit


@transaction.atomic
def team_work_attach(
    *,
    proposal: Proposal,
    actor: User,
    searches: list[dict[str, Any]],
    hits: list[dict[str, Any]],
) -> tuple[list[LiteratureSearch], list[LiteratureHit]]:
    """A KBP team's searches and findings, made before its leader submitted the need, become
    the need's literature record, so screening starts from the team's work (issue 19).

    Only the person who has just submitted the need attaches, while it waits for screening;
    who made each search and when is kept.
    """
    policy.require(
        actor.is_authenticated
        and proposal.submitted_by_id == actor.pk
        and proposal.status == Status.SUBMITTED
    )
    made_searches = []
    for values in searches:
        search = LiteratureSearch(proposal=proposal, **values)
        search.full_clean()
        search.save()
        made_searches.append(search)
    made_hits = []
    for values in hits:
        hit = LiteratureHit(proposal=proposal, **values)
        hit.full_clean()
        hit.save()
        made_hits.append(hit)
    return made_searches, made_hits


@transaction.atomic
def publication_link(*, proposal: Proposal, publication: Any, actor: User) -> bool:
    """A library publication answers this need (recorded as screening goes). Returns False when
    it was linked already (nothing changes)."""
    policy.require(policy.may_screen(actor, proposal))
    proposal = proposal_lock(proposal)
    if publication.status == "withdrawn":
        raise ValidationError({"publication": _("The publication is withdrawn.")})
    if publication.proposals.filter(pk=proposal.pk).exists():
        return False
    _start(proposal, actor)
    publication.proposals.add(proposal)
    proposal_note(
        proposal=proposal,
        actor=actor,
        note=_("Answered by %(title)s in the library.") % {"title": publication.title},
        staff_only=True,
    )
    return True


@transaction.atomic
def proposal_forward(*, proposal: Proposal, hub: Hub, actor: User, reason: str) -> Proposal:
    """Send the need on to a wider hub (a region or the national level), with the reason."""
    policy.require(policy.may_screen(actor, proposal))
    proposal = proposal_lock(proposal)
    if hub not in wider_hubs(proposal.hub):
        raise ValidationError({"hub": _("A need can only go on to a wider hub.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the need goes on.")})
    note = _("Forwarded from %(old)s to %(new)s: %(reason)s") % {
        "old": proposal.hub,
        "new": hub,
        "reason": reason.strip(),
    }
    proposal.hub = hub
    proposal.assignee = None
    proposal.save(update_fields=["hub", "assignee", "updated_at"])
    proposal_note(proposal=proposal, actor=actor, note=note, staff_only=True)
    return proposal


def _accept(proposal: Proposal, actor: User) -> None:
    """Screening accepts the text: it is public from now on, and so is the demand its
    submitter added to other needs through her status link."""
    if proposal.accepted_at is None:
        proposal.accepted_at = timezone.now()
        endorsements_publish(source=proposal, actor=actor)


def _tell_submitter(proposal: Proposal) -> None:
    if proposal.submitter_email:
        mail.proposal_screened(
            proposal=proposal, status_url=status_url(status_link_create(proposal=proposal))
        )


@transaction.atomic
def proposal_screen(
    *,
    proposal: Proposal,
    actor: User,
    outcome: str,
    note: str = "",
    duplicate_of: Proposal | None = None,
    service_area: ServiceArea | None = None,
    theme: Theme | None = None,
) -> Proposal:
    """Record the outcome of screening: one transition, one history row, the submitter told."""
    policy.require(policy.may_screen(actor, proposal))
    proposal = proposal_lock(proposal)
    note = note.strip()
    if outcome == Status.NEEDS_CLARIFICATION:
        return proposal_request_clarification(proposal=proposal, actor=actor, question=note)
    if proposal.status not in AWAITING_SCREENING:
        raise ValidationError(
            _("The need is %(status)s; only a need waiting for screening gets an outcome.")
            % {"status": proposal.get_status_display().lower()}
        )
    if service_area is not None:
        proposal.service_area = service_area
    if theme is not None:
        proposal.theme = theme
    if outcome == Status.DUPLICATE:
        return _merge(proposal=proposal, primary=duplicate_of, actor=actor, note=note)
    if outcome in (Status.ANSWERED, Status.PARTLY_ANSWERED):
        errors = {}  # both at once: the screener puts them right in one go
        if not (proposal.hits.exists() or proposal.publications.exists()):
            errors["publications"] = _("Link the knowledge that answers the need first.")
        if not note:
            errors["note"] = _("Say in plain words what is known.")
        if errors:
            raise ValidationError(errors)
    elif outcome == Status.OUT_OF_SCOPE:
        if not note:
            raise ValidationError({"note": _("Give the reason the submitter will read.")})
    elif outcome == Status.RESEARCH_GAP:
        if not note:
            raise ValidationError({"note": _("Describe what research is missing.")})
    elif outcome != Status.ELIGIBLE:
        raise ValidationError(
            {"outcome": _("Unknown outcome: %(outcome)s.") % {"outcome": outcome}}
        )

    if outcome == Status.OUT_OF_SCOPE:  # a need outside the scope stays private
        proposal.accepted_at = None
    else:
        _accept(proposal, actor)
    if outcome in (Status.ANSWERED, Status.PARTLY_ANSWERED, Status.OUT_OF_SCOPE):
        proposal.outcome_summary = note
    proposal.full_clean()
    proposal_move(
        proposal=proposal,
        to_status=outcome,
        actor=actor,
        note=note if outcome != Status.OUT_OF_SCOPE else "",
        fields=OUTCOME_FIELDS,
    )
    if outcome == Status.RESEARCH_GAP:
        ResearchGap.objects.create(
            proposal=proposal, description=note, contact=settings.CONTACT_EMAIL
        )
    proposal_index(proposal)
    _tell_submitter(proposal)
    return proposal


def _open_for_demand(primary: Proposal) -> bool:
    """May the primary's demand still grow? Not once a round past planning has counted it."""
    if primary.status == Status.IN_ROUND:
        return (
            not primary.round_entries.filter(decision="")
            .exclude(round__stage=Stage.PLANNING)
            .exists()
        )
    return primary.status in (*AWAITING_SCREENING, *SETTLED_BY_SCREENING, Status.DEFERRED)


def _check_primary(*, proposal: Proposal, primary: Proposal, actor: User) -> None:
    """The need to merge into: one the actor may see ("not found" otherwise, in the words for a
    missing id), of a hub where she screens too (403), whose demand may still change."""
    if not policy.may_see_proposal(actor, primary):
        raise ValidationError(
            {"duplicate_of": _("There is no need with the id %(id)s.") % {"id": primary.public_id}}
        )
    policy.require(
        policy.may_merge(actor, proposal, primary),
        _(
            "You may merge only into a need of a hub where you screen; a need that belongs to "
            "a wider hub is forwarded there first."
        ),
    )
    if not _open_for_demand(primary):
        raise ValidationError(
            {
                "duplicate_of": _(
                    "%(id)s is in a prioritisation round past planning; its demand can no "
                    "longer change."
                )
                % {"id": primary.public_id}
            }
        )


def _merge(*, proposal: Proposal, primary: Proposal | None, actor: User, note: str) -> Proposal:
    if primary is None:
        raise ValidationError({"duplicate_of": _("Choose the need this one duplicates.")})
    primary = proposal_lock(primary)
    _check_primary(proposal=proposal, primary=primary, actor=actor)
    if primary.pk == proposal.pk:
        raise ValidationError({"duplicate_of": _("A need cannot duplicate itself.")})
    if primary.status in (Status.DUPLICATE, Status.OUT_OF_SCOPE):
        raise ValidationError(
            {
                "duplicate_of": _("%(id)s is closed; merge into an open need.")
                % {"id": primary.public_id}
            }
        )
    if not primary.is_public:
        # The submitter and the public will see the primary's title: it must be screened first.
        raise ValidationError(
            {
                "duplicate_of": _("Screen %(id)s first; merge only into an accepted need.")
                % {"id": primary.public_id}
            }
        )
    if proposal.duplicates.exists():
        raise ValidationError(
            {"duplicate_of": _("Other needs are merged into this one; merge those first.")}
        )
    held = {endorsement.municipality_id for endorsement in primary.endorsements.all()}
    for endorsement in proposal.endorsements.all():
        # Each municipality counts once: one the primary has already stays behind.
        if endorsement.municipality_id not in held:
            endorsement.proposal = primary
            endorsement.merged_from = proposal
            endorsement.save()
            held.add(endorsement.municipality_id)
    proposal.duplicate_of = primary
    _accept(proposal, actor)
    proposal.full_clean()
    proposal_move(
        proposal=proposal,
        to_status=Status.DUPLICATE,
        actor=actor,
        note=" ".join(filter(None, [_("Merged into %(id)s.") % {"id": primary.public_id}, note])),
        fields=OUTCOME_FIELDS,
    )
    proposal_note(
        proposal=primary,
        actor=actor,
        note=_("%(id)s was merged into this need.") % {"id": proposal.public_id},
    )
    proposal_index(proposal)
    _tell_submitter(proposal)
    return proposal


@transaction.atomic
def proposal_unmerge(*, proposal: Proposal, actor: User) -> Proposal:
    """Undo a merge: the endorsements that moved go back, and the need returns to screening."""
    policy.require(policy.may_screen(actor, proposal))
    proposal = proposal_lock(proposal)
    if proposal.status != Status.DUPLICATE or proposal.duplicate_of is None:
        raise ValidationError(_("The need is not merged into another."))
    primary = proposal.duplicate_of
    policy.require(policy.may_merge(actor, proposal, primary))
    if primary.status not in (*AWAITING_SCREENING, *SETTLED_BY_SCREENING):
        # Its demand has been counted in a round; taking it away now would change the record.
        raise ValidationError(
            _("%(id)s has gone on to prioritisation; the merge can no longer be undone.")
            % {"id": primary.public_id}
        )
    for endorsement in Endorsement.objects.filter(proposal=primary, merged_from=proposal):
        endorsement.proposal = proposal
        endorsement.merged_from = None
        endorsement.save()
    proposal.duplicate_of = None
    proposal.accepted_at = None  # back in screening: private until accepted again
    proposal_move(
        proposal=proposal,
        to_status=Status.SCREENING,
        actor=actor,
        note=_("The merge into %(id)s was undone.") % {"id": primary.public_id},
        fields=["duplicate_of", "accepted_at"],
    )
    proposal.votes.all().delete()
    proposal_note(
        proposal=primary,
        actor=actor,
        note=_("%(id)s is no longer merged into this need.") % {"id": proposal.public_id},
    )
    proposal_index(proposal)
    return proposal


@transaction.atomic
def screening_vote(
    *,
    proposal: Proposal,
    actor: User,
    outcome: str,
    note: str = "",
    duplicate_of: Proposal | None = None,
    service_area: ServiceArea | None = None,
    theme: Theme | None = None,
) -> Proposal:
    """An outcome under the installation's screening rule: one screener, or two blind and a third.

    With two screeners, the first two outcomes are votes; when they agree the outcome is applied,
    when they differ the need waits in the conflict list until a third screener decides. A
    question to the submitter is never a vote: it does not end screening.
    """

    def decide(text: str) -> Proposal:
        return proposal_screen(
            proposal=proposal,
            actor=actor,
            outcome=outcome,
            note=text,
            duplicate_of=duplicate_of,
            service_area=service_area,
            theme=theme,
        )

    policy.require(policy.may_screen(actor, proposal))
    if settings.SCREENING_REVIEWERS < 2 or outcome == Status.NEEDS_CLARIFICATION:
        return decide(note)
    proposal = proposal_lock(proposal)
    if outcome == Status.DUPLICATE and duplicate_of is not None:
        _check_primary(proposal=proposal, primary=duplicate_of, actor=actor)
    if proposal.status not in AWAITING_SCREENING:
        raise ValidationError(_("Only a need waiting for screening gets an outcome."))
    votes = list(proposal.votes.all())
    if any(vote.screener_id == actor.pk for vote in votes):
        raise ValidationError(
            _("You have recorded your outcome already; the other screener decides too.")
        )
    if len(votes) >= 2:  # a conflict, and this is the third screener's decision
        return decide(note)
    vote = ScreeningVote(
        proposal=proposal,
        screener=actor,
        outcome=outcome,
        note=note.strip(),
        duplicate_of=duplicate_of,
    )
    vote.full_clean()
    vote.save()
    _start(proposal, actor)
    if not votes:
        proposal_note(
            proposal=proposal,
            actor=actor,
            note=_("First screening outcome recorded (blind)."),
            staff_only=True,
        )
        return proposal
    first = votes[0]
    if first.agrees_with(vote):
        return decide(note or first.note)
    proposal_note(
        proposal=proposal,
        actor=actor,
        note=_("The two screeners disagree (%(a)s / %(b)s); a third screener decides.")
        % {"a": first.get_outcome_display(), "b": vote.get_outcome_display()},
        staff_only=True,
    )
    return proposal


@transaction.atomic
def research_gap_update(
    *, gap: ResearchGap, actor: User, status: str, contact: str, links: str = ""
) -> ResearchGap:
    """Keep the register true: who took the gap up, what came of it, whom to contact."""
    policy.require(policy.may_screen(actor, gap.proposal))
    gap = ResearchGap.objects.select_for_update().get(pk=gap.pk)
    changed = gap.status != status
    gap.status, gap.contact, gap.links = status, contact.strip(), links.strip()
    gap.full_clean()
    gap.save()
    if changed:
        proposal_note(
            proposal=gap.proposal,
            actor=actor,
            note=_("Research need: %(status)s.") % {"status": gap.get_status_display()},
        )
    return gap
