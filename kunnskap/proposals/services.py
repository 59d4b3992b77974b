"""Writes to knowledge needs: submission, the submitter's edits, endorsements, transitions."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kunnskap import mail
from kunnskap.accounts import policy
from kunnskap.lib.tokens import hash_token
from kunnskap.limits import services as limits
from kunnskap.organisations.models import Municipality, Unit
from kunnskap.organisations.selectors import hub_for_municipality
from kunnskap.search import services as search
from kunnskap.taxonomy.models import ServiceArea, Theme

from .choices import AWAITING_SCREENING, EDITABLE_STATUSES, Source, Status, SubmittedFor, may_move
from .models import Endorsement, Proposal, ProposalCounter, ProposalEvent, StatusLink

if TYPE_CHECKING:
    from kunnskap.accounts.models import User

# What the submitter may change on her status page until screening starts.
EDITABLE_FIELDS = (
    "title",
    "question",
    "background",
    "population",
    "intervention",
    "comparison",
    "outcome",
    "unit",
    "service_area",
    "theme",
    "criteria",
    "decision_deadline",
    "submitter_position",
    "submitted_for",
    "contact_consent",
)
SEARCH_KIND = "proposal"


class RateLimitExceeded(Exception):
    """Too many submissions from one client in the last hour."""


@dataclass(frozen=True)
class ProposalInput:
    """What a submitter says, from the form, the API or an import row."""

    title: str
    question: str
    municipality: Municipality
    submitter_name: str
    submitter_email: str
    background: str = ""
    population: str = ""
    intervention: str = ""
    comparison: str = ""
    outcome: str = ""
    unit: Unit | None = None
    service_area: ServiceArea | None = None
    theme: Theme | None = None
    criteria: dict[str, str] | None = None
    decision_deadline: date | None = None
    submitter_position: str = ""
    submitted_for: str = SubmittedFor.MYSELF
    contact_consent: bool = False


def client_fingerprint(request: HttpRequest) -> str:
    """A keyed hash of the client's key (`limits.client_key`: the address the trusted proxies
    saw, an IPv6 client's /64): enough to rate-limit, useless to identify.

    Signed-in people are not rate-limited ("").
    """
    if request.user.is_authenticated:
        return ""
    address = limits.client_key(request)
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


def status_url(raw_token: str) -> str:
    return settings.SITE_URL + reverse("proposals:status", kwargs={"token": raw_token})


def status_link_create(*, proposal: Proposal) -> str:
    """A new private link to the need's status page; returns the raw token, stored nowhere."""
    raw = secrets.token_urlsafe(24)
    StatusLink.objects.create(proposal=proposal, token_hash=hash_token(raw))
    return raw


def proposal_lock(proposal: Proposal) -> Proposal:
    """The need read again with its row locked until the transaction ends: the first step of
    every service that checks a need's state and then changes it."""
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


def _next_number(year: int) -> int:
    # The UPDATE takes the row lock (PostgreSQL) or the write lock (SQLite) until commit, so
    # concurrent submissions get consecutive numbers and none is handed out twice.
    ProposalCounter.objects.bulk_create([ProposalCounter(year=year)], ignore_conflicts=True)
    ProposalCounter.objects.filter(year=year).update(last_number=F("last_number") + 1)
    return ProposalCounter.objects.get(year=year).last_number


def _check_rate(client_hash: str) -> None:
    """One atomic use of the client's hourly budget, undone if the submission is (limits)."""
    if client_hash and not limits.limit_take(
        scope="proposal",
        subject=client_hash,
        count=settings.PROPOSAL_RATE_LIMIT_PER_HOUR,
        period=limits.HOUR,
    ):
        raise RateLimitExceeded


def _record(
    proposal: Proposal,
    *,
    to_status: str = "",
    from_status: str = "",
    actor: User | None = None,
    actor_label: str = "",
    note: str = "",
    is_public: bool = True,
    staff_only: bool = False,
    at: datetime | None = None,
) -> ProposalEvent:
    return ProposalEvent.objects.create(
        proposal=proposal,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        actor_label=actor_label,
        note=note,
        is_public=is_public and not staff_only,
        staff_only=staff_only,
        at=at or timezone.now(),
    )


def proposal_note(
    *,
    proposal: Proposal,
    note: str,
    actor: User | None = None,
    actor_label: str = "",
    is_public: bool = True,
    staff_only: bool = False,
) -> ProposalEvent:
    """A step on the need's timeline that leaves its status as it is (an order, a publication,
    an assignment). `is_public=False` shows it to the submitter and staff only; `staff_only`
    to staff only."""
    return _record(
        proposal,
        actor=actor,
        actor_label=actor_label,
        note=note,
        is_public=is_public,
        staff_only=staff_only,
    )


def proposal_move(
    *,
    proposal: Proposal,
    to_status: str,
    actor: User | None,
    actor_label: str = "",
    note: str = "",
    is_public: bool = True,
    staff_only: bool = False,
    fields: Sequence[str] = (),
) -> ProposalEvent:
    """The one way a need's status changes: a move `choices.TRANSITIONS` allows, saved with the
    other `fields` the caller changed, and its history row, in the caller's transaction (which
    has locked the row)."""
    from_status = proposal.status
    if not may_move(from_status, to_status):
        raise ValidationError(
            {
                "status": _("A need cannot go from “%(from)s” to “%(to)s”.")
                % {"from": _status_label(from_status), "to": _status_label(to_status)}
            }
        )
    proposal.status = to_status
    proposal.save(update_fields=["status", "updated_at", *fields])
    return _record(
        proposal,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        actor_label=actor_label,
        note=note,
        is_public=is_public,
        staff_only=staff_only,
    )


def _status_label(status: str) -> str:
    return str(Status(status).label).lower() if status in Status.values else status


def _own_endorsement(proposal: Proposal, user: User | None) -> Endorsement:
    """The submitter's municipality (and unit) is the first to share the need."""
    return Endorsement.objects.create(
        proposal=proposal,
        municipality=proposal.municipality,
        unit=proposal.unit,
        is_original=True,
        user=user,
        name=proposal.submitter_name,
        email=proposal.submitter_email,
    )


def proposal_index(proposal: Proposal) -> None:
    """Index the need's text for search (the shared engine); after every change of its text."""
    body = "\n".join(
        part
        for part in (
            proposal.question,
            proposal.background,
            proposal.population,
            proposal.intervention,
            proposal.comparison,
            proposal.outcome,
        )
        if part
    )
    search.document_index(
        kind=SEARCH_KIND,
        key=proposal.public_id,
        title=proposal.title,
        body=body,
        public=proposal.is_public,
    )


@transaction.atomic
def proposal_submit(
    *,
    data: ProposalInput,
    source: Source,
    client_hash: str = "",
    user: User | None = None,
) -> tuple[Proposal, str]:
    """Store a new need with its public id, the submitter's endorsement and a receipt e-mail.

    Returns the proposal and the raw status token, which exists only in the receipt.
    """
    _check_rate(client_hash)
    now = timezone.now()
    proposal = Proposal(
        **{field: getattr(data, field) for field in ProposalInput.__dataclass_fields__},
        hub=hub_for_municipality(data.municipality),
        status=Status.SUBMITTED,
        source=source,
        client_hash=client_hash,
        submitted_at=now,
        submitted_by=user,
        year=now.year,
        number=0,
        public_id="pending",
    )
    proposal.criteria = data.criteria or {}
    proposal.submitter_email = data.submitter_email.strip().lower()
    proposal.submitter_language = translation.get_language() or settings.LANGUAGE_CODE
    proposal.full_clean(exclude=["year", "number", "public_id"])
    proposal.number = _next_number(now.year)
    proposal.public_id = f"KB{now.year}-{proposal.number:03d}"
    proposal.save()
    _own_endorsement(proposal, user)
    _record(proposal, to_status=Status.SUBMITTED, actor=user, actor_label=_("Submitter"))
    proposal_index(proposal)
    raw_token = status_link_create(proposal=proposal)
    # The receipt goes to an address anyone can type: it draws on that address's mail budget.
    # Without it the submitter still has her link (the page she lands on, the API's answer).
    if limits.mail_slot_take(client="", recipient=proposal.submitter_email):
        mail.proposal_receipt(proposal=proposal, status_url=status_url(raw_token))
    return proposal, raw_token


@transaction.atomic
def proposal_update_by_submitter(*, proposal: Proposal, changes: dict[str, Any]) -> Proposal:
    """The submitter's own edit from her status page, allowed until screening starts."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status not in EDITABLE_STATUSES:
        raise ValidationError(_("The need is being screened and can no longer be changed."))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable by the submitter: {', '.join(sorted(unknown))}")
    changed = [field for field, value in changes.items() if getattr(proposal, field) != value]
    if not changed:
        return proposal
    for field in changed:
        setattr(proposal, field, changes[field])
    proposal.full_clean()
    proposal.save()
    for own in Endorsement.objects.filter(proposal=proposal, is_original=True):
        if own.unit_id != proposal.unit_id:
            own.unit = proposal.unit
            own.save(update_fields=["unit"])
    proposal_note(
        proposal=proposal, actor_label=_("Submitter"), note=_("The submitter changed the text.")
    )
    proposal_index(proposal)
    return proposal


@transaction.atomic
def proposal_edit(*, proposal: Proposal, actor: User, changes: dict[str, Any]) -> Proposal:
    """An administrator's correction (the admin): saved with its history row, noted on the staff
    timeline and re-indexed; the lists' cache moves on with the save. The status changes only
    by `proposal_move`."""
    policy.require(policy.may_correct_in_admin(actor, "proposals.change_proposal"))
    proposal = proposal_lock(proposal)
    if "status" in changes:
        raise ValueError("The status changes only by proposal_move.")
    changed = [name for name, value in changes.items() if getattr(proposal, name) != value]
    if not changed:
        return proposal
    for name in changed:
        setattr(proposal, name, changes[name])
    proposal.full_clean()
    proposal.save()
    labels = {field.name: field.verbose_name for field in Proposal._meta.fields}
    proposal_note(
        proposal=proposal,
        actor=actor,
        note=_("Changed in the administration: %(fields)s.")
        % {"fields": ", ".join(str(labels[name]) for name in changed)},
        staff_only=True,
    )
    proposal_index(proposal)
    return proposal


@transaction.atomic
def proposal_endorse(
    *,
    proposal: Proposal,
    municipality: Municipality,
    unit: Unit | None = None,
    user: User | None = None,
    name: str = "",
    email: str = "",
    comment: str = "",
    source: Proposal | None = None,
) -> Endorsement:
    """Record that a municipality (or one of its units) has the same need.

    Through a status link (`source`, the submitter's own need) the endorsement counts once her
    own need has been accepted by screening, so a fresh anonymous link cannot add demand.
    """
    proposal = proposal_lock(proposal)
    if proposal.status in (Status.DUPLICATE, Status.OUT_OF_SCOPE):
        raise ValidationError(_("This need is closed and cannot be endorsed."))
    if unit is not None and unit.municipality_id != municipality.pk:
        raise ValidationError({"unit": _("The unit does not belong to the chosen municipality.")})
    # A municipality counts once, with or without a unit (the constraint says so too).
    already = Endorsement.objects.filter(proposal=proposal, municipality=municipality).first()
    if already is not None:
        raise ValidationError(
            _("%(who)s has already said it shares this need.")
            % {"who": already.unit or municipality}
        )
    endorsement = Endorsement(
        proposal=proposal,
        municipality=municipality,
        unit=unit,
        user=user,
        name=name,
        email=email.strip().lower(),
        comment=comment,
        source=source,
    )
    endorsement.full_clean()
    endorsement.save()
    # One that does not count yet is not public either: the submitter and staff see it; the
    # public timeline gets its step when it starts to count (`endorsements_publish`).
    proposal_note(
        proposal=proposal,
        actor=user,
        note=_("%(who)s shares this need.") % {"who": unit or municipality},
        is_public=source is None or source.accepted_at is not None,
    )
    return endorsement


def endorsements_publish(*, source: Proposal, actor: User | None) -> int:
    """The need `source` has just been accepted: the endorsements made through its status link
    count from now on, and each gets its public step on the need it endorses."""
    made = list(
        Endorsement.objects.filter(source=source).select_related("proposal", "municipality", "unit")
    )
    for endorsement in made:
        proposal_note(
            proposal=endorsement.proposal,
            actor=actor,
            note=_("%(who)s shares this need.")
            % {"who": endorsement.unit or endorsement.municipality},
        )
    return len(made)


@transaction.atomic
def proposal_import(
    *,
    data: ProposalInput,
    public_id: str,
    status: Status,
    submitted_at: datetime,
    accepted: bool,
) -> Proposal:
    """Load a need from an earlier round with its original id, date and status."""
    year, number = parse_public_id(public_id)
    proposal = Proposal(
        **{field: getattr(data, field) for field in ProposalInput.__dataclass_fields__},
        public_id=public_id,
        year=year,
        number=number,
        hub=hub_for_municipality(data.municipality),
        status=status,
        source=Source.IMPORT,
        submitted_at=submitted_at,
        accepted_at=submitted_at if accepted else None,
    )
    proposal.criteria = data.criteria or {}
    proposal.full_clean()
    proposal.save()
    ProposalCounter.objects.bulk_create([ProposalCounter(year=year)], ignore_conflicts=True)
    ProposalCounter.objects.filter(year=year, last_number__lt=number).update(last_number=number)
    _own_endorsement(proposal, None)
    _record(
        proposal, to_status=status, actor_label=_("Import"), note=_("Imported."), at=submitted_at
    )
    proposal_index(proposal)
    return proposal


def parse_public_id(public_id: str) -> tuple[int, int]:
    """'KB2019-014' → (2019, 14); a ValueError names what is wrong."""
    prefix, _sep, number = public_id.partition("-")
    if not (
        prefix.startswith("KB") and len(prefix) == 6 and prefix[2:].isdigit() and number.isdigit()
    ):
        raise ValueError(f"{public_id!r} is not an id like KB2019-014")
    return int(prefix[2:]), int(number)


@transaction.atomic
def proposal_request_clarification(*, proposal: Proposal, actor: User, question: str) -> Proposal:
    """Ask the submitter a question; the need waits for her answer (a screening outcome)."""
    policy.require(policy.may_screen(actor, proposal))
    proposal = proposal_lock(proposal)
    if proposal.status not in AWAITING_SCREENING:
        raise ValidationError(_("Only a need waiting for screening can get a question."))
    if not question.strip():
        raise ValidationError({"note": _("Write the question to the submitter.")})
    proposal_move(
        proposal=proposal,
        to_status=Status.NEEDS_CLARIFICATION,
        actor=actor,
        note=question.strip(),
        is_public=False,
    )
    proposal.votes.all().delete()  # the answer may change what the screeners would decide
    if proposal.submitter_email:
        mail.proposal_clarification(
            proposal=proposal,
            question=question.strip(),
            status_url=status_url(status_link_create(proposal=proposal)),
        )
    return proposal


def open_question(proposal: Proposal) -> ProposalEvent | None:
    """The screener's question the submitter has still to answer."""
    if proposal.status != Status.NEEDS_CLARIFICATION:
        return None
    return (
        proposal.events.filter(to_status=Status.NEEDS_CLARIFICATION).order_by("-at", "-pk").first()
    )


@transaction.atomic
def proposal_answer_clarification(*, proposal: Proposal, answer: str) -> Proposal:
    """The submitter's answer brings the need back to the screening queue."""
    proposal = proposal_lock(proposal)
    if proposal.status != Status.NEEDS_CLARIFICATION:
        raise ValidationError(_("There is no open question to answer."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write your answer.")})
    proposal_move(
        proposal=proposal,
        to_status=Status.SCREENING,
        actor=None,
        actor_label=_("Submitter"),
        note=answer.strip(),
        is_public=False,
    )
    return proposal


@transaction.atomic
def status_links_resend(*, email: str, client: str = "") -> int:
    """E-mail fresh links to every need sent from this address, within the mail limits of the
    client and the address (`limits.mail_slot_take`).

    Returns how many needs the message lists; callers say the same thing whatever it is, so the
    form reveals nothing about who has submitted.
    """
    email = email.strip().lower()
    if not limits.mail_slot_take(client=client, recipient=email):
        return 0
    proposals = list(Proposal.objects.filter(submitter_email=email))
    if not proposals:
        return 0
    links = [
        (proposal, status_url(status_link_create(proposal=proposal))) for proposal in proposals
    ]
    mail.status_links(email=email, links=links)
    return len(links)


# --- Personal data of submitters (GDPR): erase on request, expire after closing -------------------

# Shown where her name was; the need, its text and its public history stay.
ERASED_SUBMITTER = "Innsender slettet"
# A need in one of these statuses is closed: nothing more will be asked of its submitter.
CLOSED_STATUSES = (
    Status.ANSWERED,
    Status.PARTLY_ANSWERED,
    Status.DUPLICATE,
    Status.OUT_OF_SCOPE,
    Status.RESEARCH_GAP,
    Status.NOT_COMMISSIONED,
    Status.PUBLISHED,
)


def _submitter_anonymise(proposals: list[Proposal]) -> int:
    """Replace the submitter's name, address and position on each need and in its history rows;
    remove her status links (they would reach a person no one can name any more)."""
    for proposal in proposals:
        proposal.submitter_name = ERASED_SUBMITTER
        proposal.submitter_email = ""
        proposal.submitter_position = ""
        proposal.contact_consent = False
        proposal.submitted_by = None
        proposal.client_hash = ""
        proposal.save()  # through save(): the cached lists see the change
    ids = [proposal.pk for proposal in proposals]
    Proposal.history.filter(id__in=ids).update(
        submitter_name=ERASED_SUBMITTER,
        submitter_email="",
        submitter_position="",
        submitted_by=None,
    )
    StatusLink.objects.filter(proposal_id__in=ids).delete()
    own = Endorsement.objects.filter(proposal_id__in=ids, is_original=True)
    own.update(name="", email="", user=None)
    Endorsement.history.filter(Q(proposal_id__in=ids) & Q(is_original=True)).update(
        name="", email="", user=None
    )
    return len(ids)


@transaction.atomic
def submitter_erase(*, email: str) -> dict[str, int]:
    """Erase one person's data as submitter and endorser; the needs themselves stay."""
    email = email.strip().lower()
    proposals = list(
        Proposal.objects.select_for_update(of=("self",)).filter(
            Q(submitter_email__iexact=email) | Q(submitted_by__email__iexact=email)
        )
    )
    endorsements = Endorsement.objects.filter(Q(email__iexact=email) | Q(user__email__iexact=email))
    endorsement_ids = list(endorsements.values_list("pk", flat=True))
    endorsements.update(name="", email="", user=None)
    Endorsement.history.filter(id__in=endorsement_ids).update(name="", email="", user=None)
    Endorsement.history.filter(email__iexact=email).update(name="", email="", user=None)
    Proposal.history.filter(submitter_email__iexact=email).update(
        submitter_name=ERASED_SUBMITTER, submitter_email="", submitter_position=""
    )
    return {"proposals": _submitter_anonymise(proposals), "endorsements": len(endorsement_ids)}


@transaction.atomic
def submitter_data_expire(*, closed_before: datetime) -> int:
    """Anonymise the submitters of needs closed before the given time (the retention rule)."""
    from django.db.models import Max

    expired = (
        Proposal.objects.filter(status__in=CLOSED_STATUSES)
        .exclude(submitter_name=ERASED_SUBMITTER)
        .annotate(closed_at=Max("events__at"))
        .filter(closed_at__lt=closed_before)
        .values("pk")
    )
    return _submitter_anonymise(list(Proposal.objects.select_for_update().filter(pk__in=expired)))
