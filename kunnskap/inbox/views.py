"""The work inbox ("Mine oppgaver"): the page after signing in."""

from __future__ import annotations

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from kunnskap.accounts import policy
from kunnskap.accounts.models import Role, User
from kunnskap.accounts.policy import Permission
from kunnskap.lib.http import AuthenticatedHttpRequest
from kunnskap.proposals import services as proposal_services
from kunnskap.proposals.models import Proposal

from . import counts, selectors
from .selectors import KIND_LABELS, KIND_ORDER, Kind, Task

# Rows shown per kind and hub; the rest are a link away, on the list the kind comes from.
GROUP_SIZE = 10
OTHER_HUB = ""


def _more_url(kind: str) -> str | None:
    return {
        Kind.SCREEN: reverse("screening:queue"),
        Kind.SCORE: reverse("rounds:list"),
        Kind.RECOMMEND: reverse("rounds:list"),
        Kind.DECIDE: reverse("rounds:list"),
        Kind.ORDER: reverse("commissions:list"),
        Kind.MILESTONE: reverse("commissions:list"),
        Kind.WRITE: reverse("assessments:list"),
        Kind.COMMENTS: reverse("assessments:list"),
        Kind.REVIEW: reverse("assessments:list"),
    }.get(kind)


def _groups(tasks: list[Task]) -> list[dict]:
    """Hubs (in the order of their oldest task, work outside the hubs last), and in each the
    kinds of task in the page's order."""
    by_hub: dict[str, list[Task]] = {}
    for task in sorted(tasks, key=lambda t: t.since):
        by_hub.setdefault(task.hub or OTHER_HUB, []).append(task)
    hubs = sorted(by_hub, key=lambda name: name == OTHER_HUB)
    groups = []
    for hub in hubs:
        kinds = []
        rows = sorted(by_hub[hub], key=lambda t: KIND_ORDER[t.kind])
        for kind, items in groupby(rows, key=lambda t: t.kind):
            listed = list(items)
            kinds.append(
                {
                    "kind": kind,
                    "label": KIND_LABELS[kind],
                    "tasks": listed[:GROUP_SIZE],
                    "total": len(listed),
                    "more": len(listed) - GROUP_SIZE if len(listed) > GROUP_SIZE else 0,
                    "more_url": _more_url(kind),
                }
            )
        groups.append({"hub": hub, "kinds": kinds})
    return groups


def usual_pages(user: User) -> list[tuple[str, str]]:
    """Where this person's work usually is: the links of the empty state and the shortcuts."""
    links: list[tuple[str, str]] = []
    if policy.can(user, Permission.SCREEN):
        links.append((_("The screening queue"), reverse("screening:queue")))
    if (
        policy.has_role(user, Role.COMMITTEE)
        or policy.can(user, Permission.DECIDE)
        or policy.can(user, Permission.MANAGE_ROUNDS)
    ):
        links.append((_("Prioritisation rounds"), reverse("rounds:list")))
    if policy.can(user, Permission.DECIDE):
        links.append((_("Decisions made"), reverse("rounds:decision_log")))
    if policy.can(user, Permission.MANAGE_ROUNDS) or policy.can(user, Permission.PRODUCE):
        links.append((_("Commissions"), reverse("commissions:list")))
    if policy.can(user, Permission.PUBLISH):
        links.append((_("Newsletter issues"), reverse("newsletter:issues")))
    if policy.may_view_insights(user):
        links.append((_("Insights"), reverse("insights:statistics")))
    if user.municipality_id or policy.can(user, Permission.WRITE_ASSESSMENT):
        links.append((_("Mini-HTAs"), reverse("assessments:list")))
    links += [
        (_("Ask a question"), reverse("proposals:submit")),
        (_("Search the library"), reverse("library:list")),
        (_("My page: roles and API tokens"), reverse("accounts:me")),
    ]
    return links


@login_required
def tasks(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Everything that waits for the signed-in person, per hub and kind, oldest first."""
    rows = selectors.tasks_for(request.user)
    count = selectors.task_count(rows)
    counts.remember(request.user, count)
    return render(
        request,
        "inbox/tasks.html",
        {
            "groups": _groups(rows),
            "count": count,
            "has_tasks": bool(rows),
            "usual_pages": usual_pages(request.user),
        },
    )


@never_cache
@login_required
def own_need(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """A need she sent in signed in: open its private status page with a fresh link (the links
    in her e-mails are not kept anywhere, so a new one is made for her)."""
    proposal = Proposal.objects.filter(public_id=public_id, submitted_by=request.user).first()
    if proposal is None:
        raise Http404(_("No such need of yours."))
    token = proposal_services.status_link_create(proposal=proposal)
    return redirect("proposals:status", token=token)
