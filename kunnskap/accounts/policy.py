"""The one place that decides what a user may do.

Views, the API and templates ask `can(user, Permission.X, hub)`; nothing else looks at roles.
Administrators (superusers) may do everything everywhere; everyone else needs a role that grants
the permission in the hub concerned. Without a hub, the question is "in any hub?" (for example
whether to show a menu entry).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from django.db.models import QuerySet

from kunnskap.organisations.models import Hub

from .models import Role, RoleAssignment

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User


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


def may_use_admin_site(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


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


def round_member(user: User | AnonymousUser, round_: Any) -> Any:
    """The user's membership of this round's committee, or None."""
    if not user.is_authenticated or not user.is_active:
        return None
    return round_.members.filter(user=user).first()


def may_manage_round(user: User | AnonymousUser, round_: HasHub) -> bool:
    return can(user, Permission.MANAGE_ROUNDS, round_)


def may_see_scores(user: User | AnonymousUser, round_: Any, member: Any) -> bool:
    """Others' scores: after submitting one's own, or for everyone concerned once scoring closed."""
    if may_manage_round(user, round_):
        return True
    if member is not None:
        return member.submitted_at is not None or round_.scores_visible
    return round_.scores_visible and can(user, Permission.DECIDE, round_)


def may_recommend(user: User | AnonymousUser, round_: Any, member: Any) -> bool:
    """The chair writes the committee's recommendation; the secretariat may record it."""
    return may_manage_round(user, round_) or bool(member is not None and member.is_chair)


def may_decide(user: User | AnonymousUser, round_: HasHub) -> bool:
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


def may_read_assessment(user: User | AnonymousUser, role: str | None) -> bool:
    """The working text: the group, its reviewers, the method team (screeners), administrators."""
    return role is not None or can(user, Permission.SCREEN)


def may_write_assessment(user: User | AnonymousUser, assessment: Any, role: str | None) -> bool:
    return assessment.is_editable and (is_admin(user) or role in ("lead", "member", "method"))


def may_comment_assessment(user: User | AnonymousUser, assessment: Any, role: str | None) -> bool:
    return assessment.status != "published" and (is_admin(user) or role is not None)


def may_resolve_assessment_comment(
    user: User | AnonymousUser, assessment: Any, role: str | None
) -> bool:
    """The writers mark a comment as dealt with; so may the reviewer who wrote it."""
    return may_write_assessment(user, assessment, role) or role == "reviewer"


def may_review_assessment(user: User | AnonymousUser, assessment: Any) -> bool:
    """A peer reviewer comes from another municipality, or from the method team (a screener)."""
    return (
        getattr(user, "municipality_id", None) != assessment.municipality_id
        or has_role(user, Role.SCREENER)
        or is_admin(user)
    )


def may_lead_assessment(user: User | AnonymousUser, role: str | None) -> bool:
    return is_admin(user) or role == "lead"


def may_approve_assessment(user: User | AnonymousUser, role: str | None) -> bool:
    return is_admin(user) or role == "reviewer"


def may_publish_assessment(user: User | AnonymousUser, role: str | None) -> bool:
    """The lead publishes the approved text; so may the library's editors."""
    return is_admin(user) or role == "lead" or can(user, Permission.PUBLISH)
