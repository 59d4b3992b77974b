"""Writes to mini-HTAs: start, invite, save a section, comment, review, publish, new version.

An assessment is visible in the library from the moment it starts (an ongoing `mini_hta`
publication, created in the same transaction), so nobody starts the same work twice. Section
saves never overwrite each other silently: see `section_save`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kunnskap import mail
from kunnskap.accounts import policy
from kunnskap.accounts import services as accounts
from kunnskap.accounts.models import User as UserModel
from kunnskap.history import update_with_history
from kunnskap.library import services as library
from kunnskap.library.models import Certainty, PublicationStatus
from kunnskap.limits import services as limits
from kunnskap.organisations.models import Municipality
from kunnskap.taxonomy.models import PublicationKind, Theme

from . import answers
from .models import (
    WRITERS,
    Assessment,
    AssessmentVersion,
    Comment,
    Participant,
    ParticipantRole,
    Question,
    Section,
    SectionRevision,
    SectionText,
    Status,
    Template,
)
from .selectors import content_of, role_of

if TYPE_CHECKING:
    from kunnskap.accounts.models import User

CAS_ATTEMPTS = 5


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this with this mini-HTA."))


def _link(assessment: Assessment) -> str:
    from django.conf import settings

    return settings.SITE_URL + reverse("assessments:detail", args=[assessment.pk])


def _tell(assessment: Assessment, users: list[Any], what: str) -> None:
    for user in users:
        if user.email:
            mail.send(
                to=[user.email],
                template="assessment_step",
                context={
                    "assessment": assessment,
                    "what": what,
                    "name": user.get_short_name(),
                    "url": _link(assessment),
                },
            )


def _people(assessment: Assessment, *roles: str) -> list[Any]:
    return [p.user for p in assessment.participants.select_related("user") if p.role in roles]


def _publication_input(assessment: Assessment, **changes: Any) -> library.PublicationInput:
    writers = _people(assessment, *WRITERS)
    values: dict[str, Any] = {
        "title": assessment.title,
        "kind": PublicationKind.MINI_HTA,
        "status": PublicationStatus.ONGOING,
        "summary": assessment.summary
        or _("A mini-HTA under way in %(municipality)s.")
        % {"municipality": assessment.municipality},
        "municipality": assessment.municipality,
        "authors": ", ".join(user.full_name or user.email for user in writers),
        "started_on": timezone.localdate(assessment.created_at),
        "expected_on": assessment.expected_on,
        "themes": list(assessment.themes.all()),
    }
    return library.PublicationInput(**(values | changes))


@transaction.atomic
def assessment_start(
    *,
    title: str,
    municipality: Municipality,
    actor: User,
    expected_on: date | None = None,
    summary: str = "",
    themes: Iterable[Theme] = (),
) -> Assessment:
    """Start a mini-HTA with the current template; it is listed in the library at once."""
    _require(policy.may_start_assessment(actor, municipality.pk))
    template = Template.objects.current()
    if template is None:
        raise ValidationError(_("No template has been published yet; ask an administrator."))
    if expected_on is not None and expected_on < timezone.localdate():
        raise ValidationError({"expected_on": _("The expected completion cannot be in the past.")})
    assessment = Assessment(
        title=title.strip(),
        municipality=municipality,
        template=template,
        lead=actor,
        expected_on=expected_on,
        summary=summary.strip(),
    )
    assessment.full_clean(exclude=["publication"])
    assessment.save()
    assessment.themes.set(themes)
    Participant.objects.create(assessment=assessment, user=actor, role=ParticipantRole.LEAD)
    assessment.publication = library.publication_create(
        data=_publication_input(assessment), actor=actor, assessment=assessment
    )
    assessment.save(update_fields=["publication"])
    return assessment


@transaction.atomic
def assessment_update(
    *,
    assessment: Assessment,
    actor: User,
    title: str,
    expected_on: date | None,
    summary: str,
    themes: Iterable[Theme] | None = None,
) -> Assessment:
    """Change the title, the expected completion, the summary and the themes; the library
    follows (a published entry takes the new themes too)."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _require(policy.may_lead_assessment(actor, role_of(actor, assessment)))
    assessment.title = title.strip()
    assessment.expected_on = expected_on
    assessment.summary = summary.strip()
    assessment.full_clean(exclude=["publication"])
    assessment.save()
    if themes is not None:
        assessment.themes.set(themes)
        _sync_themes(assessment, actor)
    _sync_ongoing(assessment, actor)
    return assessment


def _sync_themes(assessment: Assessment, actor: User) -> None:
    """A published entry is not rewritten from the working text, but takes the new themes."""
    publication = assessment.publication
    themes = list(assessment.themes.all())
    if (
        publication is not None
        and publication.status == PublicationStatus.PUBLISHED
        and set(themes) != set(publication.themes.all())
    ):
        library.publication_update(
            publication=publication,
            data=library.input_from(publication, themes=themes),
            actor=actor,
            note=_("Themes changed."),
        )


def _sync_ongoing(assessment: Assessment, actor: User | None) -> None:
    """Keep the ongoing library entry's title, dates and authors true while work goes on."""
    publication = assessment.publication
    if publication is not None and publication.status == PublicationStatus.ONGOING:
        library.publication_update(
            publication=publication,
            data=_publication_input(assessment),
            actor=actor,
            note="",
        )


@transaction.atomic
def participant_invite(
    *, assessment: Assessment, email: str, role: str, actor: User, full_name: str = ""
) -> Participant:
    """Add a person to the group by e-mail; someone without a user gets one and a link to
    choose a password. A reviewer comes from another municipality or the method team."""
    _require(policy.may_lead_assessment(actor, role_of(actor, assessment)))
    if role not in (ParticipantRole.MEMBER, ParticipantRole.METHOD, ParticipantRole.REVIEWER):
        raise ValidationError({"role": _("Choose working group, method support or reviewer.")})
    email = UserModel.objects.normalize_email(email.strip()).lower()
    if not limits.mail_slot_take(client=f"user:{actor.pk}", recipient=email):
        raise ValidationError(
            {
                "email": _(
                    "Many messages have gone to this address or from you lately. "
                    "Try again in an hour."
                )
            }
        )
    user = UserModel.objects.filter(email=email).first()
    created = user is None
    if user is None:
        user = accounts.user_create(email=email, full_name=full_name.strip())
    existing = assessment.participants.filter(user=user).first()
    if existing is not None:
        raise ValidationError(
            {
                "email": _("%(email)s is in the group already, as %(role)s.")
                % {"email": email, "role": existing.get_role_display().lower()}
            }
        )
    if role == ParticipantRole.REVIEWER and not policy.may_review_assessment(user, assessment):
        raise ValidationError(
            {"email": _("A peer reviewer comes from another municipality or the method team.")}
        )
    participant = Participant.objects.create(
        assessment=assessment, user=user, role=role, invited_by=actor
    )
    context: dict[str, Any] = {
        "assessment": assessment,
        "role": participant.get_role_display(),
        "inviter": actor.full_name or actor.email,
        "url": _link(assessment),
    }
    if created:
        from kunnskap.accounts.forms import password_link_context

        context["password"] = password_link_context(user)
    mail.send(to=[user.email], template="assessment_invited", context=context)
    if role != ParticipantRole.REVIEWER:
        _sync_ongoing(assessment, actor)
    return participant


@transaction.atomic
def participant_remove(*, participant: Participant, actor: User) -> None:
    assessment = participant.assessment
    _require(policy.may_lead_assessment(actor, role_of(actor, assessment)))
    if participant.role == ParticipantRole.LEAD:
        raise ValidationError(_("The lead cannot leave the group."))
    participant.delete()
    _sync_ongoing(assessment, actor)


@dataclass
class Saved:
    """What a section save did: the current text, the questions it changed, and a conflict."""

    text: SectionText
    changed: list[str] = field(default_factory=list)
    conflict: SectionRevision | None = None
    conflicting: list[str] = field(default_factory=list)
    merged: bool = False


def _check(section: Section, values: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """Every question's value checked; a question the input leaves out keeps its value."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for question in section.questions.all():
        if question.key not in values:
            cleaned[question.key] = current.get(question.key, answers.empty(question))
            continue
        try:
            cleaned[question.key] = answers.clean(question, values[question.key])
        except ValidationError as error:
            errors[question.key] = error.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def _diff(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [key for key in after if after[key] != before.get(key)]


def _full(section: Section, data: dict[str, Any]) -> dict[str, Any]:
    """Every question of the section, unanswered ones with their empty value."""
    return {q.key: data.get(q.key, answers.empty(q)) for q in section.questions.all()}


def section_save(
    *,
    assessment: Assessment,
    section: Section,
    values: dict[str, Any],
    base_revision: int,
    actor: User,
) -> Saved:
    """Save a section written against `base_revision`.

    The write is a compare-and-swap on the revision number. If someone saved in between, the
    save is merged question by question when the two changed different questions; when both
    changed the same question differently, nothing is overwritten: this text is stored as a
    conflicting revision, and the caller shows both. Both databases run the same statement, so
    two people saving at the same instant cannot both win.
    """
    if section.template_id != assessment.template_id:
        raise ValidationError(_("This section belongs to another template."))
    role = role_of(actor, assessment)
    assessment.refresh_from_db(fields=["status"])
    if not assessment.is_editable:
        raise ValidationError(
            _("The text is locked while it is %(status)s.")
            % {"status": assessment.get_status_display().lower()}
        )
    _require(policy.may_write_assessment(actor, assessment, role))
    text, _created = SectionText.objects.get_or_create(assessment=assessment, section=section)
    with transaction.atomic():
        base = _full(section, _revision_data(assessment, section, base_revision))
        mine = _check(section, values, base)
    for _attempt in range(CAS_ATTEMPTS):
        text.refresh_from_db()
        text.data = _full(section, text.data)
        if text.revision == base_revision:
            proposed = mine
            merged = False
        else:
            theirs = _diff(base, text.data)
            ours = _diff(base, mine)
            clashes = [k for k in ours if k in theirs and mine[k] != text.data.get(k)]
            if clashes:
                conflict = SectionRevision.objects.create(
                    assessment=assessment,
                    section=section,
                    revision=None,
                    based_on=base_revision,
                    data=mine,
                    changed=ours,
                    conflict=True,
                    by=actor,
                )
                return Saved(text=text, conflict=conflict, conflicting=clashes)
            proposed = text.data | {key: mine[key] for key in ours}
            merged = bool(ours)
        changed = _diff(text.data, proposed)
        if not changed:
            return Saved(text=text)
        with transaction.atomic():
            won = SectionText.objects.filter(pk=text.pk, revision=text.revision).update(
                data=proposed,
                revision=text.revision + 1,
                updated_by=actor,
                updated_at=timezone.now(),
            )
            if won:
                SectionRevision.objects.create(
                    assessment=assessment,
                    section=section,
                    revision=text.revision + 1,
                    based_on=base_revision,
                    data=proposed,
                    changed=changed,
                    by=actor,
                )
                update_with_history(
                    Assessment.objects.filter(pk=assessment.pk),
                    actor=actor,
                    updated_at=timezone.now(),
                )
        if won:
            text.refresh_from_db()
            return Saved(text=text, changed=changed, merged=merged)
    raise ValidationError(_("Others are saving this section right now; try again."))


def _revision_data(assessment: Assessment, section: Section, revision: int) -> dict[str, Any]:
    if revision <= 0:
        return {}
    row = SectionRevision.objects.filter(
        assessment=assessment, section=section, revision=revision, conflict=False
    ).first()
    if row is None:
        raise ValidationError(_("Revision %(n)s of this section does not exist.") % {"n": revision})
    return dict(row.data)


@transaction.atomic
def comment_add(*, assessment: Assessment, section: Section, text: str, actor: User) -> Comment:
    _require(policy.may_comment_assessment(actor, assessment, role_of(actor, assessment)))
    if section.template_id != assessment.template_id:
        raise ValidationError(_("This section belongs to another template."))
    comment = Comment(assessment=assessment, section=section, author=actor, text=text.strip())
    if not comment.text:
        raise ValidationError({"text": _("Write the comment.")})
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def comment_resolve(*, comment: Comment, actor: User) -> Comment:
    assessment = Assessment.objects.get(pk=comment.assessment_id)
    role = role_of(actor, assessment)
    _require(policy.may_resolve_assessment_comment(actor, assessment, role))
    if comment.resolved_at is None:
        comment.resolved_at = timezone.now()
        comment.resolved_by = actor
        comment.save()
    return comment


def _move(assessment: Assessment, *, allowed_from: tuple[str, ...], to: str) -> Assessment:
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status not in allowed_from:
        raise ValidationError(
            _("This cannot be done while the mini-HTA is %(status)s.")
            % {"status": assessment.get_status_display().lower()}
        )
    assessment.status = to
    assessment.save()
    return assessment


@transaction.atomic
def review_request(*, assessment: Assessment, actor: User) -> Assessment:
    """The lead sends the draft to peer review; the reviewers are told."""
    _require(policy.may_lead_assessment(actor, role_of(actor, assessment)))
    reviewers = _people(assessment, ParticipantRole.REVIEWER)
    if not reviewers:
        raise ValidationError(_("Invite a peer reviewer first."))
    assessment = _move(assessment, allowed_from=(Status.DRAFT,), to=Status.IN_REVIEW)
    _tell(assessment, reviewers, _("The working group asks for your peer review."))
    return assessment


@transaction.atomic
def review_revised(*, assessment: Assessment, actor: User) -> Assessment:
    """The lead says the comments are dealt with; the text locks for the reviewer's reading."""
    _require(policy.may_lead_assessment(actor, role_of(actor, assessment)))
    open_comments = assessment.comments.filter(resolved_at__isnull=True).count()
    if open_comments:
        raise ValidationError(
            ngettext(
                "%(n)s comment is not resolved yet.",
                "%(n)s comments are not resolved yet.",
                open_comments,
            )
            % {"n": open_comments}
        )
    assessment = _move(assessment, allowed_from=(Status.IN_REVIEW,), to=Status.REVISED)
    _tell(assessment, _people(assessment, ParticipantRole.REVIEWER), _("The text is revised."))
    return assessment


@transaction.atomic
def review_return(*, assessment: Assessment, actor: User, comment: str) -> Assessment:
    """The reviewer sends a revised text back for more work, saying why."""
    _require(policy.may_approve_assessment(actor, role_of(actor, assessment)))
    if not comment.strip():
        raise ValidationError({"comment": _("Say what still needs work.")})
    assessment = _move(assessment, allowed_from=(Status.REVISED,), to=Status.IN_REVIEW)
    first = assessment.template.sections.first()
    assert first is not None
    Comment.objects.create(assessment=assessment, section=first, author=actor, text=comment.strip())
    _tell(
        assessment, _people(assessment, ParticipantRole.LEAD), _("The reviewer asks for more work.")
    )
    return assessment


@transaction.atomic
def assessment_approve(*, assessment: Assessment, actor: User) -> Assessment:
    """The reviewer approves the text (after revision, or at once when nothing needs changing)."""
    _require(policy.may_approve_assessment(actor, role_of(actor, assessment)))
    if assessment.comments.filter(resolved_at__isnull=True).exists():
        raise ValidationError(_("Resolve the open comments before approving."))
    assessment = _move(
        assessment, allowed_from=(Status.IN_REVIEW, Status.REVISED), to=Status.APPROVED
    )
    _tell(
        assessment, _people(assessment, ParticipantRole.LEAD), _("The peer reviewer approved it.")
    )
    return assessment


CERTAINTY_WORDS = {
    "høy": Certainty.HIGH,
    "middels": Certainty.MODERATE,
    "lav": Certainty.LOW,
    "svært lav": Certainty.VERY_LOW,
}


@transaction.atomic
def assessment_publish(*, assessment: Assessment, actor: User, note: str = "") -> Assessment:
    """Freeze the approved text as a published version and publish it in the library.

    The first publication turns the ongoing library entry into a published `mini_hta`; a later
    one is a new version of it, with the note saying what changed.
    """
    _require(policy.may_publish_assessment(actor, role_of(actor, assessment)))
    assessment = _move(assessment, allowed_from=(Status.APPROVED,), to=Status.PUBLISHED)
    if not assessment.summary.strip():
        raise ValidationError({"summary": _("Write the summary in plain language first.")})
    note = note.strip()
    if assessment.version > 1 and not note:
        raise ValidationError({"note": _("Say what changed; readers see it in the history.")})
    content = content_of(assessment)
    AssessmentVersion.objects.create(
        assessment=assessment,
        version=assessment.version,
        title=assessment.title,
        summary=assessment.summary,
        content=content,
        note=note or _("Published."),
        published_by=actor,
    )
    answers_by_key = {q["key"]: q["value"] for s in content for q in s["questions"]}
    pico = answers_by_key.get("pico") or {}
    recommendation = answers_by_key.get("recommendation") or ""
    certainty_text = str(answers_by_key.get("certainty") or "").lower()
    certainty = next(
        (
            code
            for word, code in sorted(CERTAINTY_WORDS.items(), key=lambda i: -len(i[0]))
            if word in certainty_text
        ),
        "",
    )
    data = _publication_input(
        assessment,
        status=PublicationStatus.PUBLISHED,
        summary=assessment.summary,
        key_messages=_("Recommendation: %(choice)s") % {"choice": recommendation}
        if recommendation
        else "",
        population=pico.get("population", ""),
        intervention=pico.get("intervention", ""),
        comparison=pico.get("comparison", ""),
        outcome=pico.get("outcome", ""),
        certainty=certainty,
        published_on=timezone.localdate(),
    )
    publication = assessment.publication
    if publication is None:
        assessment.publication = library.publication_create(
            data=data, actor=actor, assessment=assessment
        )
        assessment.save(update_fields=["publication"])
    else:
        library.publication_update(
            publication=publication,
            data=_keep_links(publication, data),
            actor=actor,
            note=note or _("Published."),
        )
    _tell(
        assessment,
        [p.user for p in assessment.participants.select_related("user") if p.user_id != actor.pk],
        _("It is published in the library."),
    )
    return assessment


def _keep_links(publication: Any, data: library.PublicationInput) -> library.PublicationInput:
    """What the library knows beyond the text (needs it answers, service areas) stays; the
    themes are the mini-HTA's own, or the library's where the mini-HTA has none."""
    data.themes = data.themes or list(publication.themes.all())
    data.service_areas = list(publication.service_areas.all())
    data.proposals = list(publication.proposals.all())
    return data


@transaction.atomic
def assessment_new_version(*, assessment: Assessment, actor: User) -> Assessment:
    """Start updating a published mini-HTA: the group writes again; the library keeps showing
    the published version until the new one is published."""
    _require(policy.may_lead_assessment(actor, role_of(actor, assessment)))
    assessment = _move(assessment, allowed_from=(Status.PUBLISHED,), to=Status.DRAFT)
    assessment.version += 1
    assessment.save(update_fields=["version", "updated_at"])
    return assessment


@transaction.atomic
def template_copy(*, template: Template, actor: User) -> Template:
    """A new draft version with the same sections and questions, for an administrator to edit."""
    _require(policy.may_manage_template(actor))
    last = Template.objects.order_by("-version").values_list("version", flat=True).first() or 0
    draft = Template.objects.create(
        version=last + 1, title=template.title, note="", published_at=None
    )
    for section in template.sections.prefetch_related("questions"):
        questions = list(section.questions.all())
        section.pk = None
        section.template = draft
        section.save()
        for question in questions:
            question.pk = None
            question.section = section
        Question.objects.bulk_create(questions)
    return draft


@transaction.atomic
def template_publish(*, template: Template, actor: User) -> Template:
    """From now on new mini-HTAs get this version; those under way keep theirs."""
    _require(policy.may_manage_template(actor))
    template = Template.objects.select_for_update().get(pk=template.pk)
    if template.published_at is not None:
        raise ValidationError(_("Version %(n)s is published already.") % {"n": template.version})
    sections = list(template.sections.prefetch_related("questions"))
    if not sections or any(not s.questions.all() for s in sections):
        raise ValidationError(_("Every section needs at least one question."))
    for section in sections:
        for question in section.questions.all():
            answers.check_config(question)
    template.published_at = timezone.now()
    template.save()
    return template
