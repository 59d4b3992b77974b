from typing import Any

from django.conf import settings
from django.http import HttpRequest

from kunnskap.accounts import policy
from kunnskap.inbox.counts import LazyCount


def site(request: HttpRequest) -> dict[str, Any]:
    """The site's name and owner, and what the navigation may show to this person."""
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_OWNER": settings.SITE_OWNER,
        "SITE_OWNER_URL": settings.SITE_OWNER_URL,
        "ACCESSIBILITY_STATEMENT_URL": settings.ACCESSIBILITY_STATEMENT_URL,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        "may_use_admin_site": policy.may_use_admin_site(user) if user else False,
        "may_screen": policy.can(user, policy.Permission.SCREEN) if user else False,
        "may_view_insights": policy.may_view_insights(user) if user else False,
        # Computed only when the menu shows it (signed in), and kept per person: see counts.py.
        "inbox_count": LazyCount(user),
        "may_follow_commissions": policy.may_follow_commissions(user) if user else False,
    }
