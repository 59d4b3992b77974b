"""Lookups for views and the API: 404 for what the caller may not see, 403 for what she may see
but not do.

A need of another hub that screening has not accepted answers exactly as a need that does not
exist, so sequential ids read nothing. Both exceptions work on pages (Django's handlers) and in
the API (`kunnskap.api`'s handlers): `Http404` → 404, `PermissionDenied` → 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kunnskap.accounts.models import User


def visible_or_404[M: Model](
    queryset: QuerySet[M], user: User | AnonymousUser | None = None, **lookup: Any
) -> M:
    """The one object the reader may see, or 404. With `user`, the queryset is narrowed by its
    `visible_to(user)` first; without, the caller has narrowed it."""
    if user is not None:
        queryset = queryset.visible_to(user)  # type: ignore[attr-defined]
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404(_("Not found."))
    return found


def permitted_or_403(allowed: bool, message: str = "") -> None:
    """She may see it: say plainly that she may not do this (403)."""
    if not allowed:
        raise PermissionDenied(message or _("You may not do this."))


def permitted_object[M: Model](
    queryset: QuerySet[M],
    user: User | AnonymousUser,
    may: Callable[[Any, M], bool],
    message: str = "",
    **lookup: Any,
) -> M:
    """Look up what the user may see (404 otherwise), then ask the policy whether she may act
    on it (403 otherwise)."""
    found = visible_or_404(queryset, user, **lookup)
    permitted_or_403(may(user, found), message)
    return found
