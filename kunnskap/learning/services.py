"""Writes of Kunnskapsbroen: teams and members, cases and how they end, events, registrations
with a waiting list, attendance, course mini-HTAs and the method team's resources.

Every service that acts for a person takes `actor` and asks `kunnskap.accounts.policy` first.
Registration is open to anyone (rate-limited per client through `kunnskap.limits`); its
cancellation needs the private link's token or an organiser. The waiting list moves under the
event's row lock, so concurrent registrations and cancellations each count exactly once.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kunnskap.accounts import policy
from kunnskap.accounts import services as accounts
from kunnskap.lib.tokens import hash_token
from kunnskap.limits import services as limits
from kunnskap.organisations.models import Hub, Municipality, Region, Unit
from kunnskap.proposals import services as proposals
from kunnskap.proposals.choices import Source, Status
from kunnskap.screening import services as screening
from kunnskap.screening.models import LiteratureSource
from kunnskap.taxonomy.models import ServiceArea

from . import emails
from .models import (
    Attendance,
    Case,
    CaseFinding,
    CaseSearch,
    CaseStatus,
    CaseStep,
    CourseAssessment,
    Event,
    EventKind,
    MemberRole,
    Membership,
    Registration,
    RegistrationStatus,
    Resource,
    Session,
    StepKind,
    Team,
    TeamKind,
)

if TYPE_CHECKING:
    from kunnskap.accounts.models import User
    from kunnskap.assessments.models import Assessment
    from kunnskap.library.models import Publication

UserModel = get_user_model()


class RegistrationLimited(Exception):
    """Too many registrations from one client in the last hour."""


# Teams.


@dataclass(frozen=True)
class TeamInput:
    """What a team is: from the form and the API alike."""

    name: str
    kind: str = TeamKind.KBP
    municipality: Municipality | None = None
    unit: Unit | None = None
    service_area: ServiceArea | None = None
    researcher_team: Team | None = None
    description: str = ""


@transaction.atomic
def team_create(*, hub: Hub, data: TeamInput, actor: User) -> Team:
    """A hub (its secretariat or an R&D contact) sets up a KBP, researcher or method team."""
    policy.require(policy.may_run_learning(actor, hub))
    team = Team(
        hub=hub,
        kind=data.kind,
        name=data.name.strip(),
        municipality=data.municipality,
        unit=data.unit,
        service_area=data.service_area,
        researcher_team=data.researcher_team,
        description=data.description.strip(),
        created_by=actor,
    )
    errors: dict[str, str] = {}
    if data.kind == TeamKind.KBP and data.municipality is None:
        errors["municipality"] = _("A KBP team belongs to a municipality.")
    if data.unit is not None and data.unit.municipality_id != getattr(
        data.municipality, "pk", None
    ):
        errors["unit"] = _("The unit must belong to the team's municipality.")
    if data.researcher_team is not None and (
        data.researcher_team.kind != TeamKind.RESEARCHER or data.researcher_team.hub_id != hub.pk
    ):
        errors["researcher_team"] = _("Choose a researcher team of the same hub.")
    if Team.objects.filter(hub=hub, name__iexact=team.name).exists():
        errors["name"] = _("The hub has a team with this name already.")
    if errors:
        raise ValidationError(errors)
    team.full_clean()
    team.save()
    return team


@transaction.atomic
def member_add(
    *, team: Team, email: str, role: str, actor: User, full_name: str = ""
) -> Membership:
    """Add a person by e-mail; someone without an account gets one and a link to choose a
    password. A person may be in several teams."""
    policy.require(policy.may_manage_team(actor, team))
    if role not in MemberRole.values:
        raise ValidationError({"role": _("Choose a role.")})
    if team.kind == TeamKind.RESEARCHER and role not in (MemberRole.RESEARCHER, MemberRole.LEADER):
        raise ValidationError({"role": _("A researcher team has researchers and a leader.")})
    email = UserModel.objects.normalize_email(email.strip()).lower()
    if not email or "@" not in email:
        raise ValidationError({"email": _("Enter a valid e-mail address.")})
    user = UserModel.objects.filter(email=email).first()
    if user is not None and team.memberships.filter(user=user).exists():
        raise ValidationError({"email": _("%(email)s is in the team already.") % {"email": email}})
    if not limits.mail_slot_take(client=f"user:{actor.pk}", recipient=email):
        raise ValidationError(
            {
                "email": _(
                    "Many messages have gone to this address or from you lately. "
                    "Try again in an hour."
                )
            }
        )
    created = user is None
    if user is None:
        user = accounts.user_create(email=email, full_name=full_name.strip())
    membership = Membership.objects.create(team=team, user=user, role=role, invited_by=actor)
    emails.team_invited(membership=membership, inviter=actor, new_account=created)
    return membership


@transaction.atomic
def member_remove(*, membership: Membership, actor: User) -> None:
    """Take a person out of a team (her cases stay with the team)."""
    policy.require(policy.may_manage_team(actor, membership.team))
    membership.delete()


# Cases.


def _step(case: Case, kind: str, actor: User | None, text: str = "") -> CaseStep:
    return CaseStep.objects.create(case=case, kind=kind, actor=actor, text=text)


def _locked_case(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("team").get(pk=case.pk)


@transaction.atomic
def case_open(
    *,
    team: Team,
    actor: User,
    title: str,
    question: str,
    population: str = "",
    intervention: str = "",
    comparison: str = "",
    outcome: str = "",
) -> Case:
    """The team leader opens a case for a knowledge need her team has found; she owns it."""
    policy.require(policy.may_open_case(actor, team))
    case = Case(
        team=team,
        leader=actor,
        title=title.strip(),
        question=question.strip(),
        population=population.strip(),
        intervention=intervention.strip(),
        comparison=comparison.strip(),
        outcome=outcome.strip(),
    )
    case.full_clean()
    case.save()
    _step(case, StepKind.OPENED, actor)
    return case


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(_("The case is closed."))


@transaction.atomic
def case_search_add(
    *,
    case: Case,
    actor: User,
    source: LiteratureSource,
    query: str,
    searched_on: date,
    results: int | None = None,
) -> CaseSearch:
    """Record what the team searched: where, with which words, when, how many results."""
    case = _locked_case(case)
    policy.require(policy.may_work_on_case(actor, case))
    _require_open(case)
    search = CaseSearch(
        case=case,
        source=source,
        query=query.strip(),
        searched_on=searched_on,
        results=results,
        searched_by=actor,
    )
    search.full_clean()
    search.save()
    _step(case, StepKind.SEARCH, actor, f"{source.name}: {search.query}")
    return search


@transaction.atomic
def case_finding_add(
    *, case: Case, actor: User, title: str, kind: str, url: str = "", note: str = ""
) -> CaseFinding:
    """Record a piece of knowledge the team found."""
    case = _locked_case(case)
    policy.require(policy.may_work_on_case(actor, case))
    _require_open(case)
    finding = CaseFinding(
        case=case, title=title.strip(), url=url, kind=kind, note=note.strip(), added_by=actor
    )
    finding.full_clean()
    finding.save()
    _step(case, StepKind.FINDING, actor, finding.title)
    return finding


@transaction.atomic
def case_note_add(*, case: Case, actor: User, text: str, decision: bool = False) -> CaseStep:
    """A note or a decision of the team, on the case's path."""
    case = _locked_case(case)
    policy.require(policy.may_work_on_case(actor, case))
    _require_open(case)
    if not text.strip():
        raise ValidationError({"text": _("Write the note.")})
    step = CaseStep(
        case=case,
        kind=StepKind.DECISION if decision else StepKind.NOTE,
        actor=actor,
        text=text.strip(),
    )
    step.full_clean()
    step.save()
    return step


@transaction.atomic
def case_mentor_assign(*, case: Case, actor: User, mentor: User) -> Case:
    """The researcher team gives a case a mentor: one of its researchers."""
    case = _locked_case(case)
    policy.require(policy.may_assign_mentor(actor, case))
    _require_open(case)
    researchers = Membership.objects.filter(team__kbp_teams=case.team, user=mentor)
    if not (researchers.exists() or case.team.memberships.filter(user=mentor).exists()):
        raise ValidationError({"mentor": _("The mentor is one of the researcher team.")})
    case.mentor = mentor
    case.save(update_fields=["mentor"])
    _step(case, StepKind.MENTOR, actor, mentor.full_name or mentor.email)
    return case


def _close(case: Case, status: str, conclusion: str) -> None:
    case.status = status
    case.conclusion = conclusion
    case.closed_at = timezone.now()


@transaction.atomic
def case_close_found(
    *,
    case: Case,
    actor: User,
    conclusion: str,
    publications: Sequence[Publication] = (),
) -> Case:
    """The case ends with knowledge found: what the team concluded, and the publications."""
    case = _locked_case(case)
    policy.require(policy.may_lead_case(actor, case))
    _require_open(case)
    if not conclusion.strip():
        raise ValidationError({"conclusion": _("Say in plain words what the team found.")})
    if not publications and not case.findings.exists():
        raise ValidationError(
            {"publications": _("Link a publication or record what the team found first.")}
        )
    _close(case, CaseStatus.KNOWLEDGE_FOUND, conclusion.strip())
    case.save(update_fields=["status", "conclusion", "closed_at"])
    if publications:
        case.publications.add(*publications)
    _step(case, StepKind.KNOWLEDGE_FOUND, actor, case.conclusion)
    return case


def _background(case: Case) -> str:
    lines = [
        _("Worked by the KBP team %(team)s (%(municipality)s).")
        % {"team": case.team.name, "municipality": case.team.municipality}
    ]
    if case.conclusion:
        lines.append(case.conclusion)
    return "\n\n".join(lines)


@transaction.atomic
def case_submit_as_need(
    *, case: Case, actor: User, conclusion: str, register_gap: bool = False
) -> Case:
    """The case uncovered a research need: submit it as a knowledge need with the question,
    PICO and the team's searches and findings filled in; it then goes through screening.

    With `register_gap`, someone who screens for the need's hub registers it in the
    research-gap register at once (screening's own outcome)."""
    case = _locked_case(case)
    policy.require(policy.may_lead_case(actor, case))
    _require_open(case)
    if not conclusion.strip():
        raise ValidationError({"conclusion": _("Say what research is missing.")})
    team = case.team
    if team.municipality is None:
        raise ValidationError(_("Only a KBP team of a municipality submits needs."))
    _close(case, CaseStatus.RESEARCH_NEED, conclusion.strip())
    proposal, _token = proposals.proposal_submit(
        data=proposals.ProposalInput(
            title=case.title,
            question=case.question,
            municipality=team.municipality,
            submitter_name=actor.full_name or actor.email,
            submitter_email=actor.email,
            background=_background(case),
            population=case.population,
            intervention=case.intervention,
            comparison=case.comparison,
            outcome=case.outcome,
            unit=team.unit,
            service_area=team.service_area,
        ),
        source=Source.WEB,
        user=actor,
    )
    screening.team_work_attach(
        proposal=proposal,
        actor=actor,
        searches=[
            {
                "source": search.source,
                "query": search.query,
                "searched_on": search.searched_on,
                "results": search.results,
                "searched_by": search.searched_by,
            }
            for search in case.searches.select_related("source", "searched_by")
        ],
        hits=[
            {
                "title": finding.title,
                "url": finding.url,
                "kind": finding.kind,
                "note": finding.note,
                "added_by": finding.added_by,
            }
            for finding in case.findings.select_related("added_by")
        ],
    )
    case.proposal = proposal
    _step(case, StepKind.SUBMITTED, actor, proposal.public_id)
    if register_gap:
        policy.require(
            policy.may_screen(actor, proposal),
            _("Only the secretariat registers research needs; the need is in its queue."),
        )
        proposal = screening.proposal_screen(
            proposal=proposal, actor=actor, outcome=Status.RESEARCH_GAP, note=case.conclusion
        )
        case.proposal = proposal
        case.research_gap = proposal.research_gap
        _step(case, StepKind.RESEARCH_GAP, actor, proposal.public_id)
    case.save(update_fields=["status", "conclusion", "closed_at", "proposal", "research_gap"])
    return case


# Events.


@dataclass(frozen=True)
class SessionInput:
    starts_at: datetime
    ends_at: datetime
    place: str


def _check_sessions(sessions: Sequence[SessionInput]) -> None:
    errors: dict[str, str] = {}
    if not sessions:
        errors["sessions"] = _("Add at least one session.")
    for index, session in enumerate(sessions):
        if session.ends_at <= session.starts_at:
            errors[f"sessions.{index}.ends_at"] = _("A session ends after it starts.")
        if not session.place.strip():
            errors[f"sessions.{index}.place"] = _("Give a place or a video link.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def event_create(
    *,
    hub: Hub,
    actor: User,
    kind: str,
    title: str,
    capacity: int,
    registration_deadline: datetime,
    sessions: Sequence[SessionInput],
    description: str = "",
    municipalities: Iterable[Municipality] = (),
    regions: Iterable[Region] = (),
) -> Event:
    """A hub creates a workshop, course, network meeting or webinar with its sessions."""
    policy.require(policy.may_organise(actor, hub))
    errors: dict[str, str] = {}
    if kind not in EventKind.values:
        errors["kind"] = _("Choose workshop, course, network meeting or webinar.")
    if capacity is None or capacity < 1:
        errors["capacity"] = _("The capacity is at least one place.")
    if registration_deadline <= timezone.now():
        errors["registration_deadline"] = _("The registration deadline must be in the future.")
    try:
        _check_sessions(sessions)
    except ValidationError as error:
        errors.update({key: value[0] for key, value in error.message_dict.items()})
    if not errors and registration_deadline > min(s.starts_at for s in sessions):
        errors["registration_deadline"] = _("The deadline comes before the first session.")
    if errors:
        raise ValidationError(errors)
    event = Event(
        hub=hub,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        capacity=capacity,
        registration_deadline=registration_deadline,
        created_by=actor,
    )
    event.full_clean()
    event.save()
    for session in sessions:
        Session.objects.create(
            event=event,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            place=session.place.strip(),
        )
    event.municipalities.set(list(municipalities))
    event.regions.set(list(regions))
    return event


def _locked_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _registered(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.REGISTERED).count()


def _promote(event: Event) -> list[Registration]:
    """Fill free places from the waiting list, first come first served (under the lock)."""
    free = event.capacity - _registered(event)
    if free <= 0:
        return []
    moved = list(
        event.registrations.filter(status=RegistrationStatus.WAITING).order_by("sequence")[:free]
    )
    now = timezone.now()
    for registration in moved:
        registration.status = RegistrationStatus.REGISTERED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        emails.registration_promoted(registration=registration)
    return moved


@transaction.atomic
def event_update(
    *,
    event: Event,
    actor: User,
    title: str | None = None,
    description: str | None = None,
    capacity: int | None = None,
    registration_deadline: datetime | None = None,
) -> Event:
    """Change an event; more places move the waiting list up, fewer than are taken are refused."""
    event = _locked_event(event)
    policy.require(policy.may_organise(actor, event))
    errors: dict[str, str] = {}
    if capacity is not None:
        taken = _registered(event)
        if capacity < max(taken, 1):
            errors["capacity"] = _(
                "%(taken)s people are registered: the capacity cannot be lower."
            ) % {"taken": taken}
        event.capacity = capacity
    if registration_deadline is not None:
        first = event.sessions.order_by("starts_at").values_list("starts_at", flat=True).first()
        if registration_deadline <= timezone.now():
            errors["registration_deadline"] = _("The registration deadline must be in the future.")
        elif first is not None and registration_deadline > first:
            errors["registration_deadline"] = _("The deadline comes before the first session.")
        event.registration_deadline = registration_deadline
    if errors:
        raise ValidationError(errors)
    if title is not None:
        event.title = title.strip()
    if description is not None:
        event.description = description.strip()
    event.full_clean()
    event.save()
    _promote(event)
    return event


@transaction.atomic
def session_add(*, event: Event, actor: User, session: SessionInput) -> Session:
    """One more session of an event."""
    policy.require(policy.may_organise(actor, event))
    try:
        _check_sessions([session])
    except ValidationError as error:
        raise ValidationError(
            {key.replace("sessions.0.", ""): value for key, value in error.message_dict.items()}
        ) from None
    return Session.objects.create(
        event=event, starts_at=session.starts_at, ends_at=session.ends_at, place=session.place
    )


@dataclass(frozen=True)
class Placed:
    registration: Registration
    token: str
    position: int | None


def waiting_position(registration: Registration) -> int | None:
    """The place on the waiting list (1 is next), or None for someone registered."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    return (
        Registration.objects.filter(
            event_id=registration.event_id,
            status=RegistrationStatus.WAITING,
            sequence__lt=registration.sequence,
        ).count()
        + 1
    )


@transaction.atomic
def registration_create(
    *,
    event: Event,
    name: str,
    email: str,
    municipality: Municipality | None,
    user: User | None = None,
    client: str = "",
) -> Placed:
    """Register for an event, or join its waiting list when it is full, in arrival order.

    Anyone may register; an anonymous client has an hourly budget (`limits`). The event row is
    locked, so the count of places and the order of arrival hold under concurrency."""
    if client and not limits.limit_take(
        scope="event-registration",
        subject=client,
        count=settings.EVENT_REGISTRATION_RATE_LIMIT_PER_HOUR,
        period=limits.HOUR,
    ):
        raise RegistrationLimited
    event = _locked_event(event)
    email = UserModel.objects.normalize_email((email or "").strip()).lower()
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = _("Enter your name.")
    if not email or "@" not in email:
        errors["email"] = _("Enter a valid e-mail address.")
    if municipality is None:
        errors["municipality"] = _("Choose your municipality.")
    if event.is_cancelled:
        errors["event"] = _("The event is cancelled.")
    elif timezone.now() > event.registration_deadline:
        errors["registration_deadline"] = _("The registration deadline has passed.")
    if (
        email
        and event.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .filter(email=email)
        .exists()
    ):
        errors["email"] = _("This address is registered for the event already.")
    if errors:
        raise ValidationError(errors)
    full = _registered(event) >= event.capacity
    sequence = (event.registrations.aggregate(last=Max("sequence"))["last"] or 0) + 1
    raw = secrets.token_urlsafe(24)
    registration = Registration(
        event=event,
        user=user,
        name=name.strip(),
        email=email,
        municipality=municipality,
        status=RegistrationStatus.WAITING if full else RegistrationStatus.REGISTERED,
        sequence=sequence,
        cancel_token_hash=hash_token(raw),
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    registration.full_clean(exclude=["cancel_token_hash"])
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        raise ValidationError(
            {"email": _("This address is registered for the event already.")}
        ) from None
    # A confirmation to an address anyone can type draws on that address's mail budget.
    if limits.mail_slot_take(client=client, recipient=email):
        emails.registration_confirmed(registration=registration, token=raw)
    return Placed(registration, raw, waiting_position(registration))


def _cancel(registration: Registration) -> Registration:
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    was_registered = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if was_registered:
        _promote(registration.event)
    return registration


def registration_for_token(token: str) -> Registration | None:
    """The registration a cancel link names, or None."""
    return (
        Registration.objects.select_related("event")
        .filter(cancel_token_hash=hash_token(token))
        .first()
    )


@transaction.atomic
def registration_cancel_by_token(*, token: str) -> Registration | None:
    """The holder of the cancel link gives up her place; the first on the waiting list moves up.
    Cancelling twice changes nothing."""
    registration = registration_for_token(token)
    if registration is None:
        return None
    _locked_event(registration.event)
    return _cancel(registration)


@transaction.atomic
def registration_cancel(*, registration: Registration, actor: User) -> Registration:
    """An organiser (or the signed-in participant herself) cancels a registration."""
    policy.require(
        policy.may_organise(actor, registration.event)
        or (actor.is_authenticated and registration.user_id == actor.pk)
    )
    _locked_event(registration.event)
    return _cancel(registration)


@transaction.atomic
def attendance_set(
    *, session: Session, actor: User, present: Iterable[Registration]
) -> list[Attendance]:
    """Mark who came to a session: the list given replaces what was marked."""
    policy.require(policy.may_organise(actor, session.event))
    chosen = {r.pk: r for r in present if r.event_id == session.event_id}
    session.attendances.exclude(registration_id__in=chosen).delete()
    have = set(session.attendances.values_list("registration_id", flat=True))
    return [
        Attendance.objects.create(registration=r, session=session, marked_by=actor)
        for pk, r in chosen.items()
        if pk not in have
    ]


@transaction.atomic
def participants_mail(
    *, event: Event, actor: User, subject: str, text: str, waiting: bool = False
) -> int:
    """An organiser writes to the registered participants (and the waiting list if asked)."""
    policy.require(policy.may_organise(actor, event))
    errors = {}
    if not subject.strip():
        errors["subject"] = _("Write a subject.")
    if not text.strip():
        errors["text"] = _("Write the message.")
    if errors:
        raise ValidationError(errors)
    statuses = [RegistrationStatus.REGISTERED] + ([RegistrationStatus.WAITING] if waiting else [])
    recipients = list(event.registrations.filter(status__in=statuses))
    for registration in recipients:
        emails.participants_message(
            registration=registration, subject=subject.strip(), text=text.strip(), sender=actor
        )
    return len(recipients)


def reminders_send(*, now: datetime | None = None) -> int:
    """Remind each registered participant two days before an event's first session to come."""
    now = now or timezone.now()
    day = timezone.localdate(now) + timedelta(days=2)
    sent = 0
    with transaction.atomic():
        ids = Registration.objects.filter(
            status=RegistrationStatus.REGISTERED,
            reminded_at=None,
            event__is_cancelled=False,
            event__sessions__starts_at__date=day,
        ).values_list("pk", flat=True)
        # PostgreSQL locks no DISTINCT rows: pick the ids, then lock the rows themselves.
        due = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("event")
            .filter(pk__in=set(ids), reminded_at=None)
            .order_by("pk")
        )
        for registration in due:
            session = registration.event.sessions.filter(starts_at__date=day).first()
            registration.reminded_at = now
            registration.save(update_fields=["reminded_at"])
            emails.event_reminder(registration=registration, session=session)
            sent += 1
    return sent


@transaction.atomic
def course_assessment_link(
    *, event: Event, assessment: Assessment, actor: User
) -> CourseAssessment:
    """A participant's mini-HTA belongs to the course: her own link, or the organiser's."""
    from kunnskap.assessments.selectors import role_of

    policy.require(
        policy.may_organise(actor, event)
        or policy.may_lead_assessment(actor, role_of(actor, assessment))
    )
    if event.kind != EventKind.COURSE:
        raise ValidationError({"event": _("Only a course has mini-HTAs.")})
    link, _created = CourseAssessment.objects.get_or_create(
        assessment=assessment, defaults={"event": event, "added_by": actor}
    )
    if link.event_id != event.pk:
        raise ValidationError({"assessment": _("The mini-HTA belongs to another course.")})
    return link


@transaction.atomic
def resource_add(
    *,
    hub: Hub,
    actor: User,
    kind: str,
    title: str,
    url: str,
    event: Event | None = None,
    team: Team | None = None,
) -> Resource:
    """The method team's tool (template, guide, e-learning) on a course or a team page."""
    policy.require(policy.may_run_learning(actor, hub))
    resource = Resource(hub=hub, kind=kind, title=title.strip(), url=url, event=event, team=team)
    resource.full_clean()
    resource.save()
    return resource


def registrations_erase(*, email: str) -> int:
    """Personal data: a person's registrations lose her name and address (operator)."""
    email = email.strip().lower()
    rows = list(Registration.objects.filter(email=email))
    for registration in rows:
        registration.name = _("Erased participant")
        registration.email = f"slettet-{registration.pk}@invalid"
        registration.user = None
        registration.save(update_fields=["name", "email", "user"])
        registration.history.all().update(name=registration.name, email=registration.email)
    return len(rows)
