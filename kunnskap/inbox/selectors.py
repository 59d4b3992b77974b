"""What waits for one person ("Mine oppgaver"): one typed row per thing to do, oldest first.

Each role's work is read from the app that owns it, in a fixed number of queries whatever the
number of rows (one or two per kind, and none for a kind the person cannot do): needs to screen,
rounds to score, recommendations to freeze, decisions to record, decisions to order, orders and
milestones due, mini-HTA sections to write, reviews requested and comments to answer, products
ready to publish, and the person's own needs. The page, the menu's count and
`GET /api/v1/me/tasks` all read `tasks_for`.

Who sees what follows the policy: the hubs come from `policy.hub_ids_where` (every active hub for
an administrator), membership of a round or a mini-HTA group from its own rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kunnskap.accounts import policy
from kunnskap.accounts.models import User
from kunnskap.accounts.policy import Permission

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_stubs_ext import StrOrPromise

# An evaluation of a product in use shows this many days before it is due (the reminder's lead).
EVALUATION_HORIZON_DAYS = 30
# A need that has waited longer than this for screening is flagged.
WAITING_LONG_DAYS = 14
# A producer sees a milestone this many days before it is due.
MILESTONE_HORIZON_DAYS = 14
# A finished need of her own stays on the submitter's list this long, so she sees the outcome.
OWN_FINISHED_DAYS = 90


class Kind:
    """The kinds of task, in the order the page shows them, with their headings."""

    SCREEN = "screen"
    SCORE = "score"
    RECOMMEND = "recommend"
    DECIDE = "decide"
    ORDER = "order"
    MILESTONE = "milestone"
    WRITE = "write"
    COMMENTS = "comments"
    REVIEW = "review"
    PUBLISH = "publish"
    EVALUATE = "evaluate"
    CASE = "case"
    CLARIFY = "clarify"
    OWN_NEED = "own_need"


KIND_LABELS: dict[str, StrOrPromise] = {
    Kind.SCREEN: gettext_lazy("Needs to screen"),
    Kind.SCORE: gettext_lazy("Rounds to score"),
    Kind.RECOMMEND: gettext_lazy("Recommendations to freeze"),
    Kind.DECIDE: gettext_lazy("Decisions to record"),
    Kind.ORDER: gettext_lazy("Decisions to order from a producer"),
    Kind.MILESTONE: gettext_lazy("Orders and milestones"),
    Kind.WRITE: gettext_lazy("Mini-HTA sections to write"),
    Kind.COMMENTS: gettext_lazy("Comments to answer"),
    Kind.REVIEW: gettext_lazy("Peer reviews"),
    Kind.PUBLISH: gettext_lazy("Ready to publish"),
    Kind.EVALUATE: gettext_lazy("Evaluations of knowledge in use"),
    Kind.CASE: gettext_lazy("Your team's open cases"),
    Kind.CLARIFY: gettext_lazy("Questions about your needs"),
    Kind.OWN_NEED: gettext_lazy("Your needs"),
}
KIND_ORDER = {kind: position for position, kind in enumerate(KIND_LABELS)}
# Kinds that tell the person how things stand, with nothing for her to do: not counted.
INFORMATION_KINDS = frozenset({Kind.OWN_NEED})


class Flag:
    WAITING_LONG = "waiting_long"
    OVERDUE = "overdue"
    MINE = "mine"
    UNASSIGNED = "unassigned"
    DISAGREEMENT = "disagreement"


FLAG_LABELS: dict[str, StrOrPromise] = {
    Flag.WAITING_LONG: gettext_lazy("Waiting more than 14 days"),
    Flag.OVERDUE: gettext_lazy("Overdue"),
    Flag.MINE: gettext_lazy("Assigned to you"),
    Flag.UNASSIGNED: gettext_lazy("Nobody assigned"),
    Flag.DISAGREEMENT: gettext_lazy("The screeners disagree"),
}
# Flags that call for attention (shown as warnings); the others describe.
URGENT_FLAGS = frozenset({Flag.WAITING_LONG, Flag.OVERDUE, Flag.DISAGREEMENT})


@dataclass(frozen=True)
class Task:
    """One thing that waits for this person, with the link straight to where it is done."""

    kind: str
    title: str
    url: str
    since: datetime  # waiting since: the list is ordered by it, oldest first
    hub: str | None = None  # the hub's name; None for work outside the hubs (mini-HTAs)
    due: date | None = None
    detail: str = ""
    flags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def kind_label(self) -> StrOrPromise:
        return KIND_LABELS[self.kind]

    @property
    def counts(self) -> bool:
        """Whether it is something to do (counted in the menu), not only news."""
        return self.kind not in INFORMATION_KINDS

    @property
    def flag_labels(self) -> list[tuple[str, StrOrPromise, bool]]:
        return [(flag, FLAG_LABELS[flag], flag in URGENT_FLAGS) for flag in self.flags]


def _at(day: date | None) -> datetime:
    """A date as the start of that day, so dated and timed rows sort together."""
    return timezone.make_aware(datetime.combine(day or date.min + timedelta(days=1), time.min))


def _hubs(user: User, *permissions: Permission, field: str = "hub") -> Q | None:
    """A filter to the hubs where the user holds any of the permissions, or None for none."""
    if policy.is_admin(user):
        return Q(**{f"{field}__is_active": True})
    ids: set[int] = set()
    for permission in permissions:
        ids |= policy.hub_ids_where(user, permission)
    return Q(**{f"{field}_id__in": sorted(ids)}) if ids else None


def _count(queryset: QuerySet[Any], field_name: str = "pk") -> Coalesce:
    """A count of related rows as a subquery (no GROUP BY on the outer rows)."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(field_name).annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _link(name: str) -> Callable[[object], str]:
    """A URL maker for one route with one argument: reversing once and filling in per row
    costs a fraction of a `reverse` per row, which was most of the time on long lists."""
    template = reverse(name, args=["0000"])
    head, _marker, tail = template.rpartition("0000")
    return lambda value: f"{head}{value}{tail}"


def _need_title(public_id: str, title: str) -> str:
    return f"{public_id} {title}"


def tasks_for(user: User | AnonymousUser, *, today: date | None = None) -> list[Task]:
    """Everything that waits for this person, grouped by kind and oldest first in each."""
    if not isinstance(user, User) or not user.is_active:
        return []
    today = today or timezone.localdate()
    rows: list[Task] = []
    rows += _screening(user, today)
    rows += _scoring(user, today)
    rows += _recommendations(user, today)
    rows += _decisions(user, today)
    rows += _orders(user)
    rows += _commissions(user, today)
    rows += _publications(user)
    rows += _assessments(user)
    rows += _evaluations(user, today)
    rows += _cases(user)
    rows += _own_needs(user, today)
    return sorted(rows, key=lambda task: (KIND_ORDER[task.kind], task.since, task.title))


def task_count(tasks: list[Task]) -> int:
    return sum(1 for task in tasks if task.counts)


# The kinds, one function each. Every function costs a fixed number of queries.


def _screening(user: User, today: date) -> list[Task]:
    """Needs waiting for screening in her hubs: hers, nobody's, and those two screeners
    disagree on (two votes left means they differ; agreeing votes end screening)."""
    from kunnskap.proposals.choices import AWAITING_SCREENING
    from kunnskap.proposals.models import Proposal
    from kunnskap.screening.models import ScreeningVote

    hubs = _hubs(user, Permission.SCREEN)
    if hubs is None:
        return []
    votes = _count(ScreeningVote.objects.filter(proposal=OuterRef("pk")), "proposal")
    needs = (
        Proposal.objects.filter(hubs, status__in=AWAITING_SCREENING)
        .annotate(vote_count=votes)
        .filter(Q(assignee_id=user.pk) | Q(assignee__isnull=True) | Q(vote_count__gte=2))
        .order_by("submitted_at", "number")
        .values_list("public_id", "title", "submitted_at", "assignee_id", "hub__name", "vote_count")
    )
    long_ago = timezone.now() - timedelta(days=WAITING_LONG_DAYS)
    url = _link("screening:page")
    waited: dict[int, str] = {}
    rows = []
    for public_id, title, submitted_at, assignee_id, hub_name, vote_count in needs:
        flags = []
        if assignee_id == user.pk:
            flags.append(Flag.MINE)
        elif assignee_id is None:
            flags.append(Flag.UNASSIGNED)
        if vote_count >= 2:
            flags.append(Flag.DISAGREEMENT)
        if submitted_at <= long_ago:
            flags.append(Flag.WAITING_LONG)
        days = (today - timezone.localdate(submitted_at)).days
        if days not in waited:
            waited[days] = ngettext("Waiting %(days)s day", "Waiting %(days)s days", days) % {
                "days": days
            }
        rows.append(
            Task(
                kind=Kind.SCREEN,
                title=_need_title(public_id, title),
                url=url(public_id),
                since=submitted_at,
                hub=hub_name,
                detail=waited[days],
                flags=tuple(flags),
            )
        )
    return rows


def _scoring(user: User, today: date) -> list[Task]:
    """Rounds open for scoring whose committee she is on and where she has not submitted,
    with the committee meeting as the deadline and how many needs she has scored."""
    from kunnskap.rounds.models import Criterion, Entry, Member, Scorecard, Stage

    members = list(
        Member.objects.filter(
            user=user,
            round__stage=Stage.SCORING,
            submitted_at__isnull=True,
            round__hub__is_active=True,
        )
        .select_related("round__hub")
        .annotate(
            entry_count=_count(Entry.objects.filter(round=OuterRef("round")), "round"),
            criteria_count=_count(Criterion.objects.filter(round=OuterRef("round")), "round"),
        )
    )
    if not members:
        return []
    scored: dict[int, int] = defaultdict(int)
    criteria = {member.pk: member.criteria_count for member in members}
    for member_id, recused, answered in (
        Scorecard.objects.filter(member__in=members)
        .values_list("member_id", "recused")
        .annotate(n=Count("scores"))
        .order_by()
    ):
        if recused or answered >= criteria[member_id]:
            scored[member_id] += 1
    rows = []
    for member in members:
        round_ = member.round
        deadline = round_.committee_meeting
        rows.append(
            Task(
                kind=Kind.SCORE,
                title=round_.name,
                url=reverse("rounds:score", args=[round_.pk]),
                since=member.added_at,
                hub=round_.hub.name,
                due=deadline,
                detail=_("%(done)s of %(total)s needs scored")
                % {"done": scored[member.pk], "total": member.entry_count},
                flags=(Flag.OVERDUE,) if deadline and deadline < today else (),
            )
        )
    return rows


def _recommendations(user: User, today: date) -> list[Task]:
    """Rounds whose scoring has closed and whose recommendation is not frozen: for the chair
    and the hub's secretariat."""
    from kunnskap.rounds.models import Member, Round, Stage

    chair = Exists(Member.objects.filter(round=OuterRef("pk"), user=user, is_chair=True))
    manage = _hubs(user, Permission.MANAGE_ROUNDS)
    condition = Q(chair) if manage is None else Q(chair) | manage
    rounds = (
        Round.objects.filter(condition, stage=Stage.SCORING_CLOSED, recommended_at__isnull=True)
        .filter(hub__is_active=True)
        .select_related("hub")
    )
    return [
        Task(
            kind=Kind.RECOMMEND,
            title=round_.name,
            url=reverse("rounds:recommendation", args=[round_.pk]),
            since=round_.scoring_closed_at or _at(round_.committee_meeting),
            hub=round_.hub.name,
            due=round_.committee_meeting,
            flags=(Flag.OVERDUE,)
            if round_.committee_meeting and round_.committee_meeting < today
            else (),
        )
        for round_ in rounds
    ]


def _decisions(user: User, today: date) -> list[Task]:
    """Frozen recommendations with needs still undecided: for the steering group and the
    secretariat, which records the meeting's decisions."""
    from kunnskap.rounds.models import Entry, Round, Stage

    hubs = _hubs(user, Permission.DECIDE, Permission.MANAGE_ROUNDS)
    if hubs is None:
        return []
    undecided = _count(Entry.objects.filter(round=OuterRef("pk"), decision=""), "round")
    rounds = (
        Round.objects.filter(hubs, stage=Stage.RECOMMENDED)
        .annotate(undecided=undecided)
        .filter(undecided__gt=0)
        .select_related("hub")
    )
    return [
        Task(
            kind=Kind.DECIDE,
            title=round_.name,
            url=reverse("rounds:decisions", args=[round_.pk]),
            since=round_.recommended_at or _at(round_.decision_meeting),
            hub=round_.hub.name,
            due=round_.decision_meeting,
            detail=ngettext(
                "%(n)s need without a decision", "%(n)s needs without a decision", round_.undecided
            )
            % {"n": round_.undecided},
            flags=(Flag.OVERDUE,)
            if round_.decision_meeting and round_.decision_meeting < today
            else (),
        )
        for round_ in rounds
    ]


def _orders(user: User) -> list[Task]:
    """Needs the steering group decided to order that have no commission (no producer) yet."""
    from kunnskap.rounds.models import Entry, Outcome

    hubs = _hubs(user, Permission.MANAGE_ROUNDS, field="round__hub")
    if hubs is None:
        return []
    entries = (
        Entry.objects.filter(hubs, decision=Outcome.COMMISSIONED, commission__isnull=True)
        .select_related("round__hub", "proposal")
        .only(
            "decided_at",
            "round__name",
            "round__hub__name",
            "round__delivery",
            "proposal__public_id",
            "proposal__title",
        )
    )
    return [
        Task(
            kind=Kind.ORDER,
            title=_need_title(entry.proposal.public_id, entry.proposal.title),
            url=reverse("commissions:create", args=[entry.pk]),
            since=entry.decided_at or _at(None),
            hub=entry.round.hub.name,
            due=entry.round.delivery,
            detail=_("Ordered in %(round)s; choose the producer") % {"round": entry.round.name},
        )
        for entry in entries
    ]


def _commissions(user: User, today: date) -> list[Task]:
    """For producers: new orders to start, and the next milestone when it is due within two
    weeks. For the secretariat: milestones past their date."""
    from kunnskap.commissions.models import Commission, CommissionStatus, Milestone, MilestoneKind

    produce = _hubs(user, Permission.PRODUCE)
    manage = _hubs(user, Permission.MANAGE_ROUNDS)
    if produce is None and manage is None:
        return []
    next_milestone = Milestone.objects.filter(
        commission=OuterRef("pk"), done_on__isnull=True, due_on__isnull=False
    ).order_by("due_on", "pk")
    horizon = today + timedelta(days=MILESTONE_HORIZON_DAYS)
    wanted = Q()
    if produce is not None:
        wanted |= produce & (Q(status=CommissionStatus.ORDERED) | Q(next_due__lte=horizon))
    if manage is not None:
        wanted |= manage & Q(next_due__lt=today)
    commissions = (
        Commission.objects.filter(
            status__in=(CommissionStatus.ORDERED, CommissionStatus.IN_PRODUCTION),
            hub__is_active=True,
        )
        .annotate(
            next_due=Subquery(next_milestone.values("due_on")[:1]),
            next_kind=Subquery(next_milestone.values("kind")[:1]),
        )
        .filter(wanted)
        .values_list(
            "pk",
            "status",
            "due_on",
            "ordered_at",
            "next_due",
            "next_kind",
            "hub__name",
            "proposal__public_id",
            "proposal__title",
            "producer__short_name",
            "producer__name",
        )
    )
    url = _link("commissions:detail")
    labels = {kind: str(label) for kind, label in MilestoneKind.choices}
    rows = []
    for (
        pk,
        status,
        due_on,
        ordered_at,
        next_due,
        next_kind,
        hub_name,
        public_id,
        title,
        producer_short,
        producer_name,
    ) in commissions:
        if status == CommissionStatus.ORDERED:
            detail = _("New order for %(producer)s: report when the work starts") % {
                "producer": producer_short or producer_name
            }
        else:
            detail = _("Next milestone: %(milestone)s") % {"milestone": labels.get(next_kind, "–")}
        due = next_due or due_on
        rows.append(
            Task(
                kind=Kind.MILESTONE,
                title=_need_title(public_id, title),
                url=url(pk),
                since=ordered_at,
                hub=hub_name,
                due=due,
                detail=detail,
                flags=(Flag.OVERDUE,) if due < today else (),
            )
        )
    return rows


def _publications(user: User) -> list[Task]:
    """Ordered products that are delivered while their library entry is still ongoing: for the
    editors (the library is shared) and the secretariat of the ordering hub."""
    from kunnskap.commissions.models import CommissionStatus
    from kunnskap.library.models import Publication, PublicationStatus

    if policy.can(user, Permission.PUBLISH):
        hubs: Q | None = Q()
    else:
        hubs = _hubs(user, Permission.MANAGE_ROUNDS, field="commission__hub")
    if hubs is None:
        return []
    publications = (
        Publication.objects.filter(
            hubs, status=PublicationStatus.ONGOING, commission__status=CommissionStatus.DELIVERED
        )
        .select_related("commission__hub")
        .only(
            "title", "commission__delivered_on", "commission__ordered_at", "commission__hub__name"
        )
    )
    return [
        Task(
            kind=Kind.PUBLISH,
            title=publication.title,
            url=reverse("library:edit", args=[publication.pk]),
            since=_at(publication.commission.delivered_on)
            if publication.commission.delivered_on
            else publication.commission.ordered_at,
            hub=publication.commission.hub.name,
            detail=_("Delivered: publish the product in the library"),
        )
        for publication in publications
        if publication.commission is not None
    ]


def _evaluations(user: User, today: date) -> list[Task]:
    """Products in use whose evaluation is due within the reminder's lead: for the contact the
    municipality named, and, once overdue, for the secretariat and coordinators of its hubs."""
    from kunnskap.followup.models import Adoption, AdoptionStatus
    from kunnskap.followup.selectors import overdue_evaluations

    own = Adoption.objects.for_lists().filter(
        contact=user,
        status=AdoptionStatus.IN_USE,
        evaluation_due__lte=today + timedelta(days=EVALUATION_HORIZON_DAYS),
    )
    rows = list(own)
    if policy.can(user, Permission.MANAGE_ROUNDS) or policy.can(user, Permission.RECORD_ADOPTION):
        seen = {adoption.pk for adoption in rows}
        rows += [a for a in overdue_evaluations(user=user, today=today) if a.pk not in seen]
    evaluate = _link("followup:evaluation_new")
    return [
        Task(
            kind=Kind.EVALUATE,
            title=adoption.publication.title,
            url=evaluate(adoption.pk),
            since=_at(adoption.evaluation_due),
            due=adoption.evaluation_due,
            detail=str(adoption.unit or adoption.municipality),
            flags=(Flag.OVERDUE,)
            if adoption.evaluation_due and adoption.evaluation_due < today
            else (),
        )
        for adoption in rows
    ]


def _cases(user: User) -> list[Task]:
    """Kunnskapsbroen: the open cases she leads, until they end as knowledge found or as a
    research need."""
    from kunnskap.learning.models import Case, CaseStatus

    cases = Case.objects.filter(leader=user, status=CaseStatus.OPEN).select_related("team__hub")
    case_url = _link("learning:case")
    return [
        Task(
            kind=Kind.CASE,
            title=case.title,
            url=case_url(case.pk),
            since=case.opened_at,
            hub=case.team.hub.name,
            detail=case.team.name,
        )
        for case in cases
    ]


def _assessments(user: User) -> list[Task]:
    """Her mini-HTAs: sections without text and comments by others for the writers, the
    peer review for the reviewer, and publishing the approved text for the lead (and for the
    library's editors, who may publish any)."""
    from kunnskap.assessments.models import (
        EDITABLE,
        WRITERS,
        Assessment,
        Comment,
        Participant,
        ParticipantRole,
        Section,
        SectionText,
        Status,
    )

    participations = list(
        Participant.objects.filter(user=user)
        .exclude(assessment__status=Status.PUBLISHED)
        .select_related("assessment")
        .only(
            "role",
            "assessment__title",
            "assessment__status",
            "assessment__template_id",
            "assessment__created_at",
            "assessment__updated_at",
            "assessment__expected_on",
        )
    )
    writing = [
        p.assessment
        for p in participations
        if p.role in WRITERS and p.assessment.status in EDITABLE
    ]
    rows: list[Task] = []
    if writing:
        ids = [assessment.pk for assessment in writing]
        sections: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
        for template_id, section_id, key, title in Section.objects.filter(
            template_id__in={a.template_id for a in writing}
        ).values_list("template_id", "pk", "key", "title"):
            sections[template_id].append((section_id, key, title))
        written = set(
            SectionText.objects.filter(assessment_id__in=ids, revision__gt=0).values_list(
                "assessment_id", "section_id"
            )
        )
        comments: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
        for assessment_id, key, created_at in (
            Comment.objects.filter(assessment_id__in=ids, resolved_at__isnull=True)
            .exclude(author=user)
            .order_by("created_at", "pk")
            .values_list("assessment_id", "section__key", "created_at")
        ):
            comments[assessment_id].append((key, created_at))
        for assessment in writing:
            empty = [
                (key, title)
                for section_id, key, title in sections[assessment.template_id]
                if (assessment.pk, section_id) not in written
            ]
            if empty:
                rows.append(
                    Task(
                        kind=Kind.WRITE,
                        title=assessment.title,
                        url=reverse("assessments:section", args=[assessment.pk, empty[0][0]]),
                        since=assessment.created_at,
                        due=assessment.expected_on,
                        detail=ngettext(
                            "%(n)s section without text, first “%(section)s”",
                            "%(n)s sections without text, first “%(section)s”",
                            len(empty),
                        )
                        % {"n": len(empty), "section": empty[0][1]},
                    )
                )
            open_comments = comments.get(assessment.pk)
            if open_comments:
                rows.append(
                    Task(
                        kind=Kind.COMMENTS,
                        title=assessment.title,
                        url=reverse(
                            "assessments:section", args=[assessment.pk, open_comments[0][0]]
                        ),
                        since=open_comments[0][1],
                        due=assessment.expected_on,
                        detail=ngettext(
                            "%(n)s open comment", "%(n)s open comments", len(open_comments)
                        )
                        % {"n": len(open_comments)},
                    )
                )
    for participation in participations:
        assessment = participation.assessment
        if participation.role == ParticipantRole.REVIEWER and assessment.status in (
            Status.IN_REVIEW,
            Status.REVISED,
        ):
            rows.append(
                Task(
                    kind=Kind.REVIEW,
                    title=assessment.title,
                    url=reverse("assessments:detail", args=[assessment.pk]),
                    since=assessment.updated_at,
                    due=assessment.expected_on,
                    detail=_("Read and comment, then approve")
                    if assessment.status == Status.IN_REVIEW
                    else _("Revised: approve it, or send it back"),
                )
            )
    approved = {
        p.assessment.pk: p.assessment
        for p in participations
        if p.role == ParticipantRole.LEAD and p.assessment.status == Status.APPROVED
    }
    if policy.can(user, Permission.PUBLISH):
        for assessment in Assessment.objects.filter(status=Status.APPROVED).only(
            "title", "updated_at", "expected_on"
        ):
            approved[assessment.pk] = assessment
    for assessment in approved.values():
        rows.append(
            Task(
                kind=Kind.PUBLISH,
                title=assessment.title,
                url=reverse("assessments:detail", args=[assessment.pk]),
                since=assessment.updated_at,
                due=assessment.expected_on,
                detail=_("Approved mini-HTA: publish it in the library"),
            )
        )
    return rows


def _own_needs(user: User, today: date) -> list[Task]:
    """Needs she sent in signed in: a question from the secretariat to answer, and how the
    others stand (until three months after they reached the end of their path)."""
    from kunnskap.proposals.choices import TRANSITIONS, Status
    from kunnskap.proposals.models import Proposal

    finished = [status for status, onward in TRANSITIONS.items() if not onward]
    recent = timezone.now() - timedelta(days=OWN_FINISHED_DAYS)
    needs = (
        Proposal.objects.filter(submitted_by=user)
        .exclude(status__in=finished, updated_at__lt=recent)
        .select_related("hub")
        .only("public_id", "title", "status", "submitted_at", "hub__name")
        .order_by("submitted_at", "number")
    )
    return [
        Task(
            kind=Kind.CLARIFY if need.status == Status.NEEDS_CLARIFICATION else Kind.OWN_NEED,
            title=_need_title(need.public_id, need.title),
            url=reverse("inbox:own_need", args=[need.public_id]),
            since=need.submitted_at,
            hub=need.hub.name,
            detail=str(need.get_status_display()),
        )
        for need in needs
    ]
