"""The one place that decides what a user may do.

Views, the API, templates and the services that write ask `can(user, Permission.X, hub)` or one
of the `may_*` questions below; nothing else looks at roles. Administrators (superusers) may do
everything everywhere; everyone else needs a role that grants the permission in the hub
concerned. Without a hub, the question is "in any hub?" (for example whether to show a menu
entry). Roles in an inactive hub, and every role of a deactivated user, count for nothing.

Services call `require(...)`, which raises `PermissionDenied` (403 on a page and in the API);
views and the API look objects up through `visible_to(user)` querysets, so what a caller may not
see is a 404 with the same words as what does not exist (`kunnskap.lookups`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kunnskap.assessments.models import WRITERS, ParticipantRole
from kunnskap.assessments.models import Status as AssessmentStatus
from kunnskap.organisations.models import Hub

from .models import Role, RoleAssignment, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kunnskap.assessments.models import Assessment
    from kunnskap.commissions.models import Commission
    from kunnskap.learning.models import Case, Event, Team
    from kunnskap.library.models import Publication
    from kunnskap.proposals.models import Proposal
    from kunnskap.rounds.models import Member, Round


class Permission(StrEnum):
    ADMINISTER = "administer"
    SCREEN = "screen"
    VIEW_SUBMITTER = "view_submitter"
    SCORE = "score"
    MANAGE_ROUNDS = "manage_rounds"
    DECIDE = "decide"
    PRODUCE = "produce"
    PUBLISH = "publish"
    RECORD_ADOPTION = "record_adoption"
    WRITE_ASSESSMENT = "write_assessment"
    VIEW_STATISTICS = "view_statistics"
    RUN_LEARNING = "run_learning"


GRANTS: dict[Permission, frozenset[Role]] = {
    Permission.ADMINISTER: frozenset(),
    Permission.SCREEN: frozenset({Role.SCREENER}),
    Permission.VIEW_SUBMITTER: frozenset({Role.SCREENER}),
    Permission.SCORE: frozenset({Role.COMMITTEE}),
    # The secretariat's advisers set up rounds and record the meetings' outcomes.
    Permission.MANAGE_ROUNDS: frozenset({Role.SCREENER}),
    Permission.DECIDE: frozenset({Role.STEERING}),
    Permission.PRODUCE: frozenset({Role.PRODUCER}),
    Permission.PUBLISH: frozenset({Role.EDITOR}),
    Permission.RECORD_ADOPTION: frozenset({Role.COORDINATOR}),
    Permission.WRITE_ASSESSMENT: frozenset({Role.COORDINATOR}),
    # Counts only, no personal data: the secretariat reports with them, leaders steer by them.
    Permission.VIEW_STATISTICS: frozenset({Role.SCREENER, Role.STEERING, Role.EDITOR}),
    # Kunnskapsbroen: the secretariat and the municipalities' R&D contacts set up teams and
    # organise workshops and courses.
    Permission.RUN_LEARNING: frozenset({Role.SCREENER, Role.COORDINATOR}),
}


class HasHub(Protocol):
    @property
    def hub_id(self) -> int | None: ...


_CACHE_ATTRIBUTE = "_kunnskap_roles"


def roles_of(user: User | AnonymousUser) -> frozenset[tuple[str, int]]:
    """(role, hub id) pairs of an active user, read once per user object."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = frozenset(
            RoleAssignment.objects.filter(user=user, hub__is_active=True).values_list(
                "role", "hub_id"
            )
        )
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def forget_roles(user: User) -> None:
    """Drop the cached roles after a change, so the next question reads them again."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def is_admin(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def require(allowed: bool, message: str = "") -> None:
    """The services' guard: refuse (403) what the policy does not allow."""
    if not allowed:
        raise PermissionDenied(message or _("You may not do this."))


def has_role(user: User | AnonymousUser, role: Role, hub: Hub | None = None) -> bool:
    return any(
        held == role and (hub is None or hub_id == hub.pk) for held, hub_id in roles_of(user)
    )


def can(
    user: User | AnonymousUser, permission: Permission, target: Hub | HasHub | None = None
) -> bool:
    """May this user do this, in this hub (or in the hub of this object, or anywhere)?"""
    if is_admin(user):
        return True
    granted_by = GRANTS[permission]
    hub_id = target.pk if isinstance(target, Hub) else getattr(target, "hub_id", None)
    if target is not None and hub_id is None:
        return False
    return any(
        role in granted_by and (hub_id is None or held_hub == hub_id)
        for role, held_hub in roles_of(user)
    )


def hub_ids_where(user: User | AnonymousUser, permission: Permission) -> frozenset[int]:
    """The ids of the active hubs where a role of the user grants this permission (an
    administrator's, granted everywhere, are not listed)."""
    return frozenset(hub_id for role, hub_id in roles_of(user) if role in GRANTS[permission])


def hubs_where(user: User | AnonymousUser, permission: Permission) -> QuerySet[Hub]:
    """The hubs in which the user has this permission (all of them for an administrator)."""
    if is_admin(user):
        return Hub.objects.filter(is_active=True)
    return Hub.objects.filter(pk__in=hub_ids_where(user, permission), is_active=True)


def users_with(permission: Permission, hub: Hub | HasHub) -> QuerySet[User]:
    """The active people who hold this permission in an active hub through a role (for lists
    and mail: administrators are not listed)."""
    hub_id = hub.pk if isinstance(hub, Hub) else hub.hub_id
    if hub_id is None:
        return User.objects.none()
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__hub_id=hub_id,
            role_assignments__hub__is_active=True,
            role_assignments__role__in=GRANTS[permission],
        )
        .distinct()
        .order_by("full_name", "email")
    )


# Roles whose holders see personal data or decide for others: with a local password they must
# also use two-step sign-in (an OpenID Connect sign-in carries the provider's second factor).
TWO_STEP_ROLES = frozenset({Role.SCREENER, Role.STEERING, Role.EDITOR})


def must_use_two_step(user: User | AnonymousUser) -> bool:
    """Administrators, admin-site staff and holders of a screening, steering or editor role."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(
        user.is_superuser
        or user.is_staff
        or any(role in TWO_STEP_ROLES for role, _hub in roles_of(user))
    )


def may_use_admin_site(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def may_correct_in_admin(user: User | AnonymousUser, permission: str) -> bool:
    """A correction in the admin site: administrators, and staff given that model's right."""
    return is_admin(user) or (may_use_admin_site(user) and user.has_perm(permission))


def may_view_insights(user: User | AnonymousUser) -> bool:
    """The statistics pages and API: the secretariat, the steering group and the editors of
    any hub, and administrators."""
    return can(user, Permission.VIEW_STATISTICS)


def may_endorse_for(user: User | AnonymousUser, municipality_id: str | None) -> bool:
    """A signed-in person speaks for her own municipality; an administrator for any."""
    if is_admin(user):
        return True
    return bool(
        user.is_authenticated
        and user.is_active
        and municipality_id
        and getattr(user, "municipality_id", None) == municipality_id
    )


# Rounds. Membership of a round's committee is a row of that round, so these take the round.


def round_member(user: User | AnonymousUser, round_: Round) -> Member | None:
    """The user's membership of this round's committee, or None."""
    if not user.is_authenticated or not user.is_active:
        return None
    return round_.members.filter(user=user).first()


def may_manage_round(user: User | AnonymousUser, round_: Round | Hub | HasHub) -> bool:
    """Set up a round, its committee and its needs (a round of a hub, or a new one in it)."""
    return can(user, Permission.MANAGE_ROUNDS, round_)


def is_member_self(user: User | AnonymousUser, member: Member) -> bool:
    """A committee member scores and submits for herself only."""
    return bool(user.is_authenticated and user.is_active and member.user_id == user.pk)


def may_see_scores(user: User | AnonymousUser, round_: Round, member: Member | None) -> bool:
    """Others' scores: after submitting one's own, or for everyone concerned once scoring closed."""
    if may_manage_round(user, round_):
        return True
    if member is not None:
        return member.submitted_at is not None or round_.scores_visible
    return round_.scores_visible and can(user, Permission.DECIDE, round_)


def may_recommend(user: User | AnonymousUser, round_: Round, member: Member | None) -> bool:
    """The chair writes the committee's recommendation; the secretariat may record it."""
    return may_manage_round(user, round_) or bool(member is not None and member.is_chair)


def may_decide(user: User | AnonymousUser, round_: Round | HasHub) -> bool:
    """The steering group decides; the secretariat may record the minutes' decisions."""
    return can(user, Permission.DECIDE, round_) or may_manage_round(user, round_)


# Mini-HTAs. Taking part is a row of the assessment (`assessments.Participant`), so these take
# the assessment and the user's role in it (`role`, None for someone outside the group).


def may_start_assessment(user: User | AnonymousUser, municipality_id: str | None = None) -> bool:
    """Anyone signed in for a municipality starts one for it; an administrator for any."""
    if is_admin(user):
        return True
    own = getattr(user, "municipality_id", None)
    return bool(
        user.is_authenticated
        and user.is_active
        and own
        and (municipality_id is None or municipality_id == own)
    )


def may_read_assessment(
    user: User | AnonymousUser, assessment: Assessment, role: ParticipantRole | str | None
) -> bool:
    """The working text: its group (reviewers included), people of its municipality, the
    screeners (method team) of the hub that owns that municipality, administrators."""
    if role is not None or is_admin(user):
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if getattr(user, "municipality_id", None) == assessment.municipality_id:
        return True
    if not hub_ids_where(user, Permission.SCREEN):
        return False
    from kunnskap.organisations.selectors import hub_for_municipality

    return can(user, Permission.SCREEN, hub_for_municipality(assessment.municipality))


def may_write_assessment(
    user: User | AnonymousUser, assessment: Assessment, role: ParticipantRole | str | None
) -> bool:
    return assessment.is_editable and (is_admin(user) or role in WRITERS)


def may_comment_assessment(
    user: User | AnonymousUser, assessment: Assessment, role: ParticipantRole | str | None
) -> bool:
    return assessment.status != AssessmentStatus.PUBLISHED and (is_admin(user) or role is not None)


def may_resolve_assessment_comment(
    user: User | AnonymousUser, assessment: Assessment, role: ParticipantRole | str | None
) -> bool:
    """The writers mark a comment as dealt with; so may the reviewer who wrote it."""
    return may_write_assessment(user, assessment, role) or role == ParticipantRole.REVIEWER


def may_review_assessment(user: User | AnonymousUser, assessment: Assessment) -> bool:
    """A peer reviewer comes from another municipality, or from the method team (a screener)."""
    return (
        getattr(user, "municipality_id", None) != assessment.municipality_id
        or has_role(user, Role.SCREENER)
        or is_admin(user)
    )


def may_lead_assessment(user: User | AnonymousUser, role: ParticipantRole | str | None) -> bool:
    return is_admin(user) or role == ParticipantRole.LEAD


def may_approve_assessment(user: User | AnonymousUser, role: ParticipantRole | str | None) -> bool:
    return is_admin(user) or role == ParticipantRole.REVIEWER


def may_publish_assessment(user: User | AnonymousUser, role: ParticipantRole | str | None) -> bool:
    """The lead publishes the approved text; so may the library's editors."""
    return is_admin(user) or role == ParticipantRole.LEAD or can(user, Permission.PUBLISH)


def may_manage_template(user: User | AnonymousUser) -> bool:
    """The mini-HTA template is edited in the admin site: administrators, and staff given the
    right to change templates there."""
    return may_correct_in_admin(user, "assessments.change_template")


# Commissions and the library.


def may_manage_commission(user: User | AnonymousUser, commission: Commission | HasHub) -> bool:
    """Order, change the question, plan milestones: the hub's secretariat."""
    return can(user, Permission.MANAGE_ROUNDS, commission)


def may_report_milestone(user: User | AnonymousUser, commission: Commission) -> bool:
    """The hub's producers report progress; so may its secretariat."""
    return may_manage_commission(user, commission) or can(user, Permission.PRODUCE, commission)


def may_view_commission(user: User | AnonymousUser, commission: Commission) -> bool:
    """An order's page: its hub's secretariat and producers, and the library's editors of any
    hub, who publish the product in the shared library."""
    return may_report_milestone(user, commission) or can(user, Permission.PUBLISH)


def may_follow_commissions(user: User | AnonymousUser) -> bool:
    """The list of orders: whoever orders, produces or publishes somewhere."""
    return (
        can(user, Permission.MANAGE_ROUNDS)
        or can(user, Permission.PRODUCE)
        or can(user, Permission.PUBLISH)
    )


def may_write_publication(
    user: User | AnonymousUser,
    publication: Publication | None = None,
    *,
    commission: Commission | None = None,
    assessment: Assessment | None = None,
) -> bool:
    """The library is shared: editors of any hub write every entry. The entry of an ordered
    product is also its commission's secretariat's, and a mini-HTA's is also its lead's. Staff
    given the right in the admin site correct entries there."""
    if can(user, Permission.PUBLISH) or may_correct_in_admin(user, "library.change_publication"):
        return True
    if publication is not None:
        commission = commission or publication.commission
        assessment = assessment or getattr(publication, "assessment", None)
    if commission is not None and may_manage_commission(user, commission):
        return True
    if assessment is not None:
        from kunnskap.assessments.selectors import role_of

        return may_publish_assessment(user, role_of(user, assessment))
    return False


def may_write_newsletter(user: User | AnonymousUser) -> bool:
    return can(user, Permission.PUBLISH)


# Knowledge needs.


def may_see_unscreened(user: User | AnonymousUser, proposal: Proposal | HasHub) -> bool:
    """A need screening has not accepted is its hub's staff's (and the administrators')."""
    return can(user, Permission.VIEW_SUBMITTER, proposal)


def may_see_proposal(user: User | AnonymousUser, proposal: Proposal) -> bool:
    """The same rule as `Proposal.objects.visible_to(user)`, for one need already loaded."""
    return proposal.accepted_at is not None or may_see_unscreened(user, proposal)


def may_screen(user: User | AnonymousUser, proposal: Proposal | HasHub) -> bool:
    return can(user, Permission.SCREEN, proposal)


def may_merge(user: User | AnonymousUser, duplicate: Proposal, primary: Proposal) -> bool:
    """A merge changes both needs (the primary's demand grows): both hubs must be hers."""
    return may_screen(user, duplicate) and may_screen(user, primary)


# Follow-up (nyttiggjort). A municipality speaks for itself; the secretariat and the R&D
# contacts (coordinators) of the hub it belongs to may correct its records.


def _hub_staff_of(user: User | AnonymousUser, municipality_id: str | None) -> bool:
    if not municipality_id or not (
        hub_ids_where(user, Permission.MANAGE_ROUNDS)
        | hub_ids_where(user, Permission.RECORD_ADOPTION)
    ):
        return False
    from kunnskap.organisations.models import Municipality
    from kunnskap.organisations.selectors import hub_for_municipality

    municipality = Municipality.objects.filter(pk=municipality_id).first()
    if municipality is None:
        return False
    hub = hub_for_municipality(municipality)
    return can(user, Permission.MANAGE_ROUNDS, hub) or can(user, Permission.RECORD_ADOPTION, hub)


def may_record_for(user: User | AnonymousUser, municipality_id: str | None) -> bool:
    """Record adoptions, evaluations, pilots and a mini-HTA's decision for this municipality:
    its own signed-in people, its hub's staff, administrators."""
    return may_endorse_for(user, municipality_id) or _hub_staff_of(user, municipality_id)


def may_see_adoption_notes(user: User | AnonymousUser, municipality_id: str | None) -> bool:
    """The notes of a municipality's steps are its own (and its hub's); the rest is public."""
    return may_record_for(user, municipality_id)


def may_follow_up(user: User | AnonymousUser) -> bool:
    """The staff list of overdue evaluations: the secretariat and coordinators of any hub."""
    return can(user, Permission.MANAGE_ROUNDS) or can(user, Permission.RECORD_ADOPTION)


def may_answer_usefulness(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def may_see_usefulness_comments(user: User | AnonymousUser, publication: Publication) -> bool:
    """The comments on a product are for its producers, its editors and the steering group."""
    return (
        may_write_publication(user, publication)
        or can(user, Permission.PRODUCE)
        or can(user, Permission.DECIDE)
    )


# Kunnskapsbroen (learning). Team membership is a row of the team (`learning.Membership`).


def team_role(user: User | AnonymousUser, team: Team) -> str | None:
    """The user's role in this team, or None."""
    if not user.is_authenticated or not user.is_active:
        return None
    return team.memberships.filter(user=user).values_list("role", flat=True).first()


def may_run_learning(user: User | AnonymousUser, hub: Hub | HasHub | None = None) -> bool:
    """Create teams and events in a hub: its secretariat and R&D contacts."""
    return can(user, Permission.RUN_LEARNING, hub)


def may_manage_team(user: User | AnonymousUser, team: Team) -> bool:
    """Invite and remove members: the team's leader, or whoever runs Kunnskapsbroen in its hub."""
    from kunnskap.learning.models import MemberRole

    return may_run_learning(user, team) or team_role(user, team) == MemberRole.LEADER


def may_open_case(user: User | AnonymousUser, team: Team) -> bool:
    """A team leader opens a case for her team (so may the hub's organisers)."""
    from kunnskap.learning.models import TeamKind

    return team.kind == TeamKind.KBP and may_manage_team(user, team)


def _in_researcher_team(user: User | AnonymousUser, team: Team) -> bool:
    researchers = team.researcher_team
    if researchers is None or not user.is_authenticated:
        return False
    return researchers.memberships.filter(user=user).exists()


def may_work_on_case(user: User | AnonymousUser, case: Case) -> bool:
    """Record searches, findings and notes: the team, its researcher team, the case's mentor,
    the hub's organisers."""
    if may_run_learning(user, case.team) or (user.is_authenticated and case.mentor_id == user.pk):
        return True
    return team_role(user, case.team) is not None or _in_researcher_team(user, case.team)


def may_lead_case(user: User | AnonymousUser, case: Case) -> bool:
    """End a case (knowledge found, or a research need): the team leader who owns it."""
    return may_run_learning(user, case.team) or bool(
        user.is_authenticated and case.leader_id == user.pk
    )


def may_assign_mentor(user: User | AnonymousUser, case: Case) -> bool:
    """The researcher team sees the cases its teams bring and gives each a mentor."""
    return may_lead_case(user, case) or _in_researcher_team(user, case.team)


def may_organise(user: User | AnonymousUser, event: Event | Hub | HasHub) -> bool:
    """Change an event, see its participants, mark attendance, export, mail them."""
    return may_run_learning(user, event)
