"""The screening workbench: one page per need, each form posting its own action."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kunnskap.accounts.models import Role, User
from kunnskap.accounts.policy import Permission, can
from kunnskap.forms import add_errors
from kunnskap.organisations.selectors import wider_hubs

from . import screening, selectors
from .choices import Status
from .forms import (
    AssignForm,
    ForwardForm,
    HitForm,
    LiteratureSearchForm,
    OutcomeForm,
    ResearchGapForm,
    WorkingCopyForm,
)
from .models import Proposal, ResearchGap


def _screeners(proposal: Proposal) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        role_assignments__hub=proposal.hub,
        role_assignments__role=Role.SCREENER,
    ).order_by("full_name")


def _forms(request: HttpRequest, proposal: Proposal, bound: str) -> dict[str, Form]:
    data = request.POST if request.method == "POST" else None

    def pick(name: str) -> Any:
        return data if bound == name else None

    return {
        "working": WorkingCopyForm(
            pick("working"),
            instance=proposal,
            prefix="working",
            # An empty working copy starts from the submitter's words.
            initial={
                f"working_{name}": getattr(proposal, name)
                for name in ("question", "population", "intervention", "comparison", "outcome")
                if not getattr(proposal, f"working_{name}")
            },
        ),
        "search": LiteratureSearchForm(
            pick("search"), prefix="search", initial={"searched_on": timezone.localdate()}
        ),
        "hit": HitForm(pick("hit"), prefix="hit"),
        "outcome": OutcomeForm(pick("outcome"), prefix="outcome"),
        "assign": AssignForm(
            pick("assign"),
            prefix="assign",
            screeners=_screeners(proposal),
            initial={"assignee": proposal.assignee_id},
        ),
        "forward": ForwardForm(pick("forward"), prefix="forward", hubs=wider_hubs(proposal.hub)),
        **(
            {"gap": ResearchGapForm(pick("gap"), prefix="gap", instance=gap)}
            if (gap := ResearchGap.objects.filter(proposal=proposal).first())
            else {}
        ),
    }


def _act(action: str, form: Form, proposal: Proposal, user: User) -> str:
    """Call the service behind one form; returns the confirmation to show."""
    data = form.cleaned_data if action != "unmerge" else {}
    if action == "working":
        screening.proposal_update_working_copy(proposal=proposal, actor=user, changes=data)
        return _("The working copy is saved.")
    if action == "search":
        screening.literature_search_add(proposal=proposal, actor=user, **data)
        return _("The search is recorded.")
    if action == "hit":
        screening.literature_hit_add(proposal=proposal, actor=user, **data)
        return _("The hit is recorded.")
    if action == "outcome":
        screened = screening.screening_vote(proposal=proposal, actor=user, **data)
        if screened.status == Status.SCREENING:
            return _("Your outcome is recorded. It takes effect when the screeners agree.")
        return _("The outcome is recorded and the submitter is told.")
    if action == "assign":
        screening.proposal_assign(proposal=proposal, assignee=data["assignee"], actor=user)
        return _("The assignment is saved.")
    if action == "forward":
        screening.proposal_forward(proposal=proposal, actor=user, **data)
        return _("The need has been sent on.")
    if action == "gap":
        screening.research_gap_update(gap=form.instance, actor=user, **data)
        return _("The research need is updated.")
    screening.proposal_unmerge(proposal=proposal, actor=user)
    return _("The merge is undone.")


def _visible_votes(proposal: Proposal, user: User) -> list[Any]:
    """Blind screening: a screener sees her own outcome, and both only once there are two."""
    votes = list(proposal.votes.select_related("screener", "duplicate_of"))
    return votes if len(votes) >= 2 else [vote for vote in votes if vote.screener_id == user.pk]


def screening_page(request: HttpRequest, public_id: str) -> HttpResponse:
    """Everything a librarian needs to screen one need, and the forms to record it."""
    proposal = get_object_or_404(
        Proposal.objects.for_lists().select_related("hub", "assignee", "duplicate_of"),
        public_id=public_id,
    )
    if not can(request.user, Permission.SCREEN, proposal):
        raise PermissionDenied
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = _forms(request, proposal, action)
    if action == "unmerge" or (action in forms and forms[action].is_valid()):
        try:
            message = _act(action, forms.get(action, Form()), proposal, request.user)
        except ValidationError as error:
            target = forms.get(action)
            if target is None:
                messages.error(request, " ".join(error.messages))
                return redirect("screening:page", public_id=public_id)
            add_errors(target, error)
        else:
            messages.success(request, message)
            if action == "forward":  # the need has left this screener's hub
                return redirect("screening:queue")
            return redirect("screening:page", public_id=public_id)
    text = " ".join(filter(None, [proposal.title, proposal.working_question or proposal.question]))
    return render(
        request,
        "proposals/screening.html",
        {
            "proposal": proposal,
            "forms": forms,
            "similar": [item for item in selectors.similar(text, limit=6) if item.id != public_id],
            "endorsements": selectors.proposal_endorsements(proposal, all_=True),
            "timeline": selectors.proposal_timeline(proposal, audience="staff"),
            "searches": proposal.literature_searches.select_related("source", "searched_by"),
            "hits": proposal.hits.all(),
            "criteria": selectors.criteria_answers(proposal),
            "show_submitter": selectors.may_see_submitter(request.user, proposal),
            "votes": _visible_votes(proposal, request.user),
            "two_screeners": settings.SCREENING_REVIEWERS > 1,
        },
        status=422 if action and any(form.errors for form in forms.values()) else 200,
    )
