"""The screening queue, the workbench (one page per need, each form posting its own action)
and the public register of research gaps."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import BaseForm, CheckboxSelectMultiple, Form, RadioSelect
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kunnskap.accounts import policy
from kunnskap.accounts.models import User
from kunnskap.accounts.policy import Permission, can
from kunnskap.lib.http import HtmxHttpRequest
from kunnskap.lookups import permitted_object
from kunnskap.organisations.selectors import wider_hubs
from kunnskap.proposals import selectors as proposal_selectors
from kunnskap.proposals.choices import Status
from kunnskap.proposals.models import Proposal

from . import selectors, services
from .forms import (
    AssignForm,
    ForwardForm,
    HitForm,
    LibrarySearchForm,
    LiteratureSearchForm,
    OutcomeForm,
    PublicationPickForm,
    QueueFilterForm,
    ResearchGapForm,
    WorkingCopyForm,
)
from .models import ResearchGap

PAGE_SIZE = 25


def _screeners(proposal: Proposal) -> QuerySet[User]:
    return policy.users_with(Permission.SCREEN, proposal)


def _forms(request: HttpRequest, proposal: Proposal, bound: str) -> dict[str, BaseForm]:
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
        "pick": PublicationPickForm(pick("pick"), prefix="pick"),
        "outcome": OutcomeForm(pick("outcome"), prefix="outcome", user=request.user),
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


def _act(action: str, form: BaseForm, proposal: Proposal, user: User) -> str:
    """Call the service behind one form; returns the confirmation to show."""
    data = form.cleaned_data if action != "unmerge" else {}
    if action == "working":
        services.proposal_update_working_copy(proposal=proposal, actor=user, changes=data)
        return _("The working copy is saved.")
    if action == "search":
        services.literature_search_add(proposal=proposal, actor=user, **data)
        return _("The search is recorded.")
    if action == "hit":
        services.literature_hit_add(proposal=proposal, actor=user, **data)
        return _("The hit is recorded.")
    if action == "pick":
        publication = data["publication"]
        if services.publication_link(proposal=proposal, publication=publication, actor=user):
            return _("%(title)s is recorded as knowledge that answers the need.") % {
                "title": publication.title
            }
        return _("%(title)s answers the need already.") % {"title": publication.title}
    if action == "outcome":
        screened = services.screening_vote(proposal=proposal, actor=user, **data)
        if screened.status == Status.SCREENING:
            return _("Your outcome is recorded. It takes effect when the screeners agree.")
        return _("The outcome is recorded and the submitter is told.")
    if action == "assign":
        services.proposal_assign(proposal=proposal, assignee=data["assignee"], actor=user)
        return _("The assignment is saved.")
    if action == "forward":
        services.proposal_forward(proposal=proposal, actor=user, **data)
        return _("The need has been sent on.")
    if action == "gap":
        assert isinstance(form, ResearchGapForm)
        services.research_gap_update(gap=form.instance, actor=user, **data)
        return _("The research need is updated.")
    services.proposal_unmerge(proposal=proposal, actor=user)
    return _("The merge is undone.")


# Errors the services name by a key that is no field of the form: where to send the reader.
ERROR_ANCHORS = {"publications": "#id_q", "publication": "#id_q"}


def _add_errors(form: BaseForm, error: ValidationError) -> None:
    """A service's errors on the form; an error of no field keeps where it should lead."""
    anchors: dict[str, str] = getattr(form, "error_anchors", {})
    if hasattr(error, "error_dict"):
        for key, texts in error.message_dict.items():
            for text in texts:
                if key in form.fields:
                    form.add_error(key, text)
                else:
                    form.add_error(None, text)
                    if key in ERROR_ANCHORS:
                        anchors[text] = ERROR_ANCHORS[key]
    else:
        form.add_error(None, error)
    vars(form)["error_anchors"] = anchors  # read back by _error_links


def _error_links(form: BaseForm | None) -> list[tuple[str, str]]:
    """The rejected form's errors for the error summary at the top of the page: each links to
    its field (the first option of a group), or to where the reader can put it right."""
    if form is None or not form.errors:
        return []
    anchors: dict[str, str] = getattr(form, "error_anchors", {})
    links = [
        (anchors.get(str(text), f"#{form.prefix}-form" if form.prefix else "#main"), str(text))
        for text in form.non_field_errors()
    ]
    for field in form:
        for text in field.errors:
            target = field.auto_id
            if field.is_hidden:  # the publication picked: search for another
                target = "id_q"
            elif isinstance(field.field.widget, (RadioSelect, CheckboxSelectMultiple)):
                target = f"{target}_0"
            links.append((f"#{target}", f"{field.label}: {text}"))
    return links


def _visible_votes(proposal: Proposal, user: User) -> list[Any]:
    """Blind screening: a screener sees her own outcome, and both only once there are two."""
    votes = list(proposal.votes.select_related("screener", "duplicate_of"))
    return votes if len(votes) >= 2 else [vote for vote in votes if vote.screener_id == user.pk]


def screening_page(request: HttpRequest, public_id: str) -> HttpResponse:
    """Everything a librarian needs to screen one need, and the forms to record it."""
    proposal = permitted_object(
        Proposal.objects.visible_to(request.user)
        .for_lists()
        .select_related("hub", "assignee", "duplicate_of"),
        request.user,
        policy.may_screen,
        public_id=public_id,
    )
    assert isinstance(request.user, User)  # the policy grants nothing to an anonymous visitor
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
            _add_errors(target, error)
        else:
            messages.success(request, message)
            if action == "forward":  # the need has left this screener's hub
                return redirect("screening:queue")
            return redirect("screening:page", public_id=public_id)
    library = LibrarySearchForm(request.GET or None)
    query = library.cleaned_data["q"].strip() if library.is_valid() else ""
    picks = selectors.library_candidates(query) if query else []
    if getattr(request, "htmx", False) and "q" in request.GET:
        return render(
            request,
            "screening/page.html#library_results",
            {"proposal": proposal, "query": query, "picks": picks},
        )
    text = " ".join(filter(None, [proposal.title, proposal.working_question or proposal.question]))
    return render(
        request,
        "screening/page.html",
        {
            "library_form": library,
            "query": query,
            "picks": picks,
            "answers": proposal.publications.exclude(status="withdrawn").order_by("title"),
            "error_links": _error_links(forms.get(action)),
            "proposal": proposal,
            "forms": forms,
            "similar": [
                item for item in proposal_selectors.similar(text, limit=6) if item.id != public_id
            ],
            "endorsements": proposal_selectors.proposal_endorsements(proposal, all_=True),
            "timeline": proposal_selectors.proposal_timeline(proposal, audience="staff"),
            "searches": proposal.literature_searches.select_related("source", "searched_by"),
            "hits": proposal.hits.all(),
            "criteria": proposal_selectors.criteria_answers(proposal),
            "show_submitter": proposal_selectors.may_see_submitter(request.user, proposal),
            "votes": _visible_votes(proposal, request.user),
            "two_screeners": settings.SCREENING_REVIEWERS > 1,
        },
        status=422 if action and any(form.errors for form in forms.values()) else 200,
    )


def queue(request: HtmxHttpRequest) -> HttpResponse:
    """Needs waiting for screening in the screener's hubs, oldest first."""
    if not can(request.user, Permission.SCREEN):
        raise PermissionDenied
    form = QueueFilterForm(request.GET or None)
    filters = selectors.QueueFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.QueueFilters(
            assignee=data["assignee"],
            min_days=data["min_days"],
            conflicts=data["conflicts"],
            **form.classification(),
        )
    page = Paginator(
        selectors.screening_queue(user=request.user, filters=filters), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [
        (proposal, (today - timezone.localtime(proposal.submitted_at).date()).days)
        for proposal in page.object_list
    ]
    return render(
        request,
        "screening/queue.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "warning_days": settings.SCREENING_WAIT_WARNING_DAYS,
        },
    )


def research_gaps(request: HtmxHttpRequest) -> HttpResponse:
    """The public register of needs no research answers, for researchers and students."""
    page = Paginator(selectors.research_gap_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "screening/research_gaps.html", {"page": page})
