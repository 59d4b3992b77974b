"""Writes to the library: create, update, publish and withdraw publications, and import lists.

Every write stores the publication first and puts it in the search index in the same
transaction; publishing tells the needs it answers (a public step on their timelines, and
"published" for a need that was ordered).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kunnskap.accounts import policy
from kunnskap.commissions.models import Producer
from kunnskap.organisations.models import Municipality
from kunnskap.proposals.choices import Status, may_move
from kunnskap.proposals.models import Proposal
from kunnskap.proposals.services import proposal_move, proposal_note
from kunnskap.search import services as search
from kunnskap.taxonomy.models import ServiceArea, Theme

from .models import PDF_MAX_BYTES, Publication, PublicationStatus, PublicationVersion

if TYPE_CHECKING:
    from kunnskap.accounts.models import User

SEARCH_KIND = "publication"


@dataclass
class PublicationInput:
    """What an editor, the API or an import row says of a publication."""

    title: str
    kind: str
    summary: str
    status: str = PublicationStatus.PUBLISHED
    key_messages: str = ""
    question: str = ""
    population: str = ""
    intervention: str = ""
    comparison: str = ""
    outcome: str = ""
    certainty: str = ""
    producer: Producer | None = None
    authors: str = ""
    started_on: date | None = None
    expected_on: date | None = None
    published_on: date | None = None
    url: str = ""
    municipality: Municipality | None = None
    source_id: str | None = None
    themes: list[Theme] = field(default_factory=list)
    service_areas: list[ServiceArea] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)


RELATIONS = ("themes", "service_areas", "proposals")
SCALARS = tuple(f.name for f in fields(PublicationInput) if f.name not in RELATIONS)


def check_pdf(upload: UploadedFile) -> None:
    """A PDF, and not too large: checked by its first bytes, not by its name."""
    if upload.size and upload.size > PDF_MAX_BYTES:
        raise ValidationError(
            {"pdf": _("The file is larger than %(mb)s MB.") % {"mb": PDF_MAX_BYTES // 2**20}}
        )
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError({"pdf": _("The file is not a PDF.")})


def _index(publication: Publication) -> None:
    producer = publication.producer.name if publication.producer else ""
    body = "\n".join(
        part
        for part in (
            publication.summary,
            publication.key_messages,
            publication.question,
            publication.population,
            publication.intervention,
            publication.outcome,
            publication.authors,
            producer,
        )
        if part
    )
    search.document_index(
        kind=SEARCH_KIND,
        key=str(publication.pk),
        title=publication.title,
        body=body,
        public=publication.status != PublicationStatus.WITHDRAWN,
    )


def _version(publication: Publication, *, actor: User | None, note: str) -> None:
    PublicationVersion.objects.create(
        publication=publication,
        version=publication.version,
        note=note,
        status=publication.status,
        title=publication.title,
        summary=publication.summary,
        by=actor,
    )


def _tell_needs(publication: Publication, *, actor: User | None, proposals: list[Proposal]) -> None:
    """A published product is a step on the timeline of every need it answers."""
    note = _("Published in the library: %(title)s") % {"title": publication.title}
    for proposal in Proposal.objects.select_for_update().filter(pk__in=[p.pk for p in proposals]):
        # A need that was ordered becomes "published" when its product is.
        if may_move(proposal.status, Status.PUBLISHED):
            proposal_move(proposal=proposal, to_status=Status.PUBLISHED, actor=actor, note=note)
        else:
            proposal_note(proposal=proposal, actor=actor, note=note)


def _apply(publication: Publication, data: PublicationInput) -> None:
    for name in SCALARS:
        setattr(publication, name, getattr(data, name))
    if publication.source_id == "":
        publication.source_id = None
    if publication.status == PublicationStatus.PUBLISHED and publication.published_on is None:
        publication.published_on = timezone.localdate()
    if publication.status not in (PublicationStatus.ONGOING, PublicationStatus.PUBLISHED):
        raise ValidationError({"status": _("A new publication is ongoing or published.")})


def _check_writer(
    actor: User | None, publication: Publication | None = None, **origin: Any
) -> None:
    """Editors write the library; an ordered product's entry is also its secretariat's and a
    mini-HTA's its lead's. `actor` None is the system: imports and commands run by operators."""
    if actor is not None:
        policy.require(policy.may_write_publication(actor, publication, **origin))


def _check_links(actor: User | None, proposals: list[Proposal]) -> None:
    """A publication answers only needs its writer may see; one she may not see is reported
    with the same words as one that does not exist."""
    if actor is None:
        return
    hidden = [p.public_id for p in proposals if not policy.may_see_proposal(actor, p)]
    if hidden:
        raise ValidationError(
            {"proposals": _("No knowledge need has the id %(ids)s.") % {"ids": ", ".join(hidden)}}
        )


def ordered_entry_for(proposals: list[Proposal]) -> Publication | None:
    """The ongoing library entry that an order for one of these needs made, if there is
    exactly one: publishing a product for the need completes it."""
    ongoing = list(
        Publication.objects.filter(
            status=PublicationStatus.ONGOING,
            commission__isnull=False,
            commission__proposal__in=[p.pk for p in proposals],
        )[:2]
    )
    return ongoing[0] if len(ongoing) == 1 else None


def _completing(ongoing: Publication, data: PublicationInput) -> PublicationInput:
    """What the ongoing entry knew (producer, dates, question, themes, needs) stays where the
    new text says nothing of it."""
    kept = input_from(ongoing)
    scalars = {name: getattr(kept, name) for name in SCALARS if not getattr(data, name)}
    scalars.pop("source_id", None)
    relations = {
        name: getattr(data, name) or getattr(kept, name) for name in ("themes", "service_areas")
    }
    needs = [*data.proposals, *(p for p in kept.proposals if p not in data.proposals)]
    return replace(data, **scalars, **relations, proposals=needs)


@transaction.atomic
def publication_create(
    *,
    data: PublicationInput,
    actor: User | None,
    pdf: UploadedFile | None = None,
    commission: Any = None,
    assessment: Any = None,
) -> Publication:
    """A new entry in the library, ongoing or published, indexed for search at once.

    A published product that answers an ordered need completes the ongoing entry its order
    made (`ordered_entry_for`) instead: one record per product, in the library, the feeds and
    the newsletter."""
    if commission is None and assessment is None and data.status == PublicationStatus.PUBLISHED:
        ongoing = ordered_entry_for(data.proposals)
        if ongoing is not None:
            return publication_update(
                publication=ongoing, data=_completing(ongoing, data), actor=actor, note="", pdf=pdf
            )
    _check_writer(actor, commission=commission, assessment=assessment)
    _check_links(actor, data.proposals)
    publication = Publication(commission=commission)
    _apply(publication, data)
    if pdf is not None:
        check_pdf(pdf)
        publication.pdf = pdf
    publication.full_clean()
    publication.save()
    publication.themes.set(data.themes)
    publication.service_areas.set(data.service_areas)
    publication.proposals.set(data.proposals)
    first = _("Published.") if publication.status == PublicationStatus.PUBLISHED else _("Started.")
    _version(publication, actor=actor, note=first)
    _index(publication)
    if publication.status == PublicationStatus.PUBLISHED:
        _tell_needs(publication, actor=actor, proposals=data.proposals)
    return publication


@transaction.atomic
def publication_update(
    *,
    publication: Publication,
    data: PublicationInput,
    actor: User | None,
    note: str,
    pdf: UploadedFile | None = None,
) -> Publication:
    """Change a publication; a published one gets a new version with the note."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    _check_writer(actor, publication)
    if publication.status == PublicationStatus.WITHDRAWN:
        raise ValidationError(_("A withdrawn publication cannot change."))
    was = publication.status
    linked = list(publication.proposals.all())
    before = {p.pk for p in linked}
    _check_links(actor, [p for p in data.proposals if p.pk not in before])
    if actor is not None:  # links she cannot see are not hers to remove
        wanted = {p.pk for p in data.proposals}
        kept = [p for p in linked if p.pk not in wanted and not policy.may_see_proposal(actor, p)]
        data = replace(data, proposals=[*data.proposals, *kept])
    _apply(publication, data)
    if was == PublicationStatus.PUBLISHED and data.status == PublicationStatus.ONGOING:
        raise ValidationError({"status": _("A published product cannot become ongoing again.")})
    note = note.strip()
    if was == PublicationStatus.PUBLISHED:
        if not note:
            raise ValidationError({"note": _("Say what changed; readers see it in the history.")})
        publication.version += 1
    if pdf is not None:
        check_pdf(pdf)
        publication.pdf = pdf
    publication.full_clean()
    publication.save()
    publication.themes.set(data.themes)
    publication.service_areas.set(data.service_areas)
    publication.proposals.set(data.proposals)
    if was == PublicationStatus.PUBLISHED or publication.status == PublicationStatus.PUBLISHED:
        _version(publication, actor=actor, note=note or _("Published."))
    _index(publication)
    if publication.status == PublicationStatus.PUBLISHED:
        newly = (
            data.proposals
            if was != PublicationStatus.PUBLISHED
            else [p for p in data.proposals if p.pk not in before]
        )
        _tell_needs(publication, actor=actor, proposals=newly)
        if was == PublicationStatus.ONGOING and publication.commission is not None:
            from kunnskap.commissions.services import commission_complete

            commission_complete(commission=publication.commission, actor=actor)
    return publication


@transaction.atomic
def publication_withdraw(*, publication: Publication, actor: User, reason: str) -> Publication:
    """Withdraw a product: it leaves the lists and the search; its page says why."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    _check_writer(actor, publication)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the publication is withdrawn.")})
    if publication.status == PublicationStatus.WITHDRAWN:
        raise ValidationError(_("The publication is withdrawn already."))
    publication.status = PublicationStatus.WITHDRAWN
    publication.withdrawn_reason = reason.strip()
    publication.version += 1
    publication.save()
    _version(publication, actor=actor, note=_("Withdrawn: %(reason)s") % {"reason": reason.strip()})
    _index(publication)
    return publication


def input_from(publication: Publication, **changes: Any) -> PublicationInput:
    """The publication as input, with changes: for an update of a few fields."""
    values = {name: getattr(publication, name) for name in SCALARS}
    values |= {
        "themes": list(publication.themes.all()),
        "service_areas": list(publication.service_areas.all()),
        "proposals": list(publication.proposals.all()),
    }
    return PublicationInput(**(values | changes))


@transaction.atomic
def publications_import(rows: list[PublicationInput]) -> tuple[int, int]:
    """Import a checked list: new rows are created, rows whose source id exists are updated.
    Returns (created, updated). All or nothing: the caller has validated every row."""
    created = updated = 0
    existing = {
        p.source_id: p
        for p in Publication.objects.filter(
            source_id__in=[row.source_id for row in rows if row.source_id]
        )
    }
    for row in rows:
        publication = existing.get(row.source_id or "")
        if publication is None:
            publication_create(data=row, actor=None)
            created += 1
        else:
            publication_update(
                publication=publication, data=row, actor=None, note=_("Updated by import.")
            )
            updated += 1
    return created, updated
