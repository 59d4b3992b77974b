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


def visible_or_404[M: Model](visible: QuerySet[M], **lookup: Any) -> M:
    """The one object of `visible` (a `visible_to(user)` queryset) that matches, or 404: what
    the reader may not see answers exactly as what does not exist."""
    found = visible.filter(**lookup).first()
    if found is None:
        raise Http404(_("Not found."))
    return found


def permitted_or_403(allowed: bool, message: str = "") -> None:
    """She may see it: say plainly that she may not do this (403)."""
    if not allowed:
        raise PermissionDenied(message or _("You may not do this."))


def permitted_object[M: Model](
    visible: QuerySet[M],
    user: User | AnonymousUser,
    may: Callable[[Any, M], bool],
    message: str = "",
    **lookup: Any,
) -> M:
    """Look up what the user may see (404 otherwise), then ask the policy whether she may act
    on it (403 otherwise)."""
    found = visible_or_404(visible, **lookup)
    permitted_or_403(may(user, found), message)
    return found
