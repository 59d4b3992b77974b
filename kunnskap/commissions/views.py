"""Pages of commissions: the list, ordering from a decision, and one commission's progress."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kunnskap.accounts import policy
from kunnskap.accounts.policy import Permission
from kunnskap.forms import add_errors
from kunnskap.lib.http import AuthenticatedHttpRequest
from kunnskap.library.models import Publication, PublicationStatus
from kunnskap.lookups import permitted_object, permitted_or_403
from kunnskap.rounds.models import Entry, Outcome

from . import selectors, services
from .forms import CommissionForm, ReportForm, ScopeForm
from .models import Commission, MilestoneKind

WAITING_SHOWN = 50  # decisions waiting for an order: a backlog, the oldest first


@login_required
def commission_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    permitted_or_403(policy.may_follow_commissions(request.user))
    page = Paginator(selectors.commissions_for(request.user), 25).get_page(request.GET.get("page"))
    may_order = policy.can(request.user, Permission.MANAGE_ROUNDS)
    # One query: the oldest decisions, and one more to tell whether there are others.
    waiting = (
        list(selectors.decisions_awaiting_order(request.user)[: WAITING_SHOWN + 1])
        if may_order
        else []
    )
    return render(
        request,
        "commissions/list.html",
        {
            "page": page,
            "today": timezone.localdate(),
            "waiting": waiting[:WAITING_SHOWN],
            "waiting_more": len(waiting) > WAITING_SHOWN,
            "may_order": may_order,
        },
    )


@login_required
def commission_create(request: AuthenticatedHttpRequest, entry_id: int) -> HttpResponse:
    entry = get_object_or_404(
        Entry.objects.select_related("round", "round__hub", "proposal"),
        pk=entry_id,
        decision=Outcome.COMMISSIONED,
    )
    permitted_or_403(policy.may_manage_commission(request.user, entry.round))
    existing = Commission.objects.filter(entry=entry).first()
    if existing is not None:
        return redirect(existing)
    proposal = entry.proposal
    form = CommissionForm(
        request.POST or None,
        initial={
            "question": proposal.working_question or proposal.question,
            "product_kind": entry.product_kind,
            "due_on": entry.round.delivery,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            commission = services.commission_create(
                entry=entry,
                actor=request.user,
                producer=form.cleaned_data["producer"],
                question=form.cleaned_data["question"],
                product_kind=form.cleaned_data["product_kind"],
                due_on=form.cleaned_data["due_on"],
                milestones=form.milestones(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The commission is made. The submitter can follow it."))
            return redirect(commission)
    return render(
        request,
        "commissions/create.html",
        {"entry": entry, "form": form},
        status=422 if form.errors else 200,
    )


def _detail_forms(request: HttpRequest, commission: Commission, action: str) -> dict[str, Any]:
    data = request.POST if request.method == "POST" else None
    done = set(commission.milestones.exclude(done_on=None).values_list("kind", flat=True))
    return {
        "report": ReportForm(
            data if action == "report" else None,
            prefix="report",
            open_kinds=[k for k in MilestoneKind.values if k not in done],
            initial={"done_on": timezone.localdate()},
        ),
        "scope": ScopeForm(data if action == "scope" else None, prefix="scope"),
    }


@login_required
def commission_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    commission = permitted_object(
        Commission.objects.visible_to(request.user).select_related(
            "proposal", "producer", "hub", "entry__round"
        ),
        request.user,
        policy.may_view_commission,
        pk=pk,
    )
    may_manage = policy.may_manage_commission(request.user, commission)
    may_report = policy.may_report_milestone(request.user, commission)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = _detail_forms(request, commission, action)
    target = forms.get(action)
    if request.method == "POST":
        permitted_or_403(may_manage if action == "scope" else may_report)
    if target is not None and target.is_valid():
        data = target.cleaned_data
        try:
            if action == "report":
                services.milestone_report(commission=commission, actor=request.user, **data)
                message = _("The milestone is reported.")
            else:
                services.commission_change_scope(commission=commission, actor=request.user, **data)
                message = _("The question is changed, and the reason recorded.")
        except ValidationError as error:
            add_errors(target, error)
        else:
            messages.success(request, message)
            return redirect(commission)
    publication = Publication.objects.filter(commission=commission).first()
    return render(
        request,
        "commissions/detail.html",
        {
            "commission": commission,
            "milestones": commission.milestones.select_related("reported_by").order_by("pk"),
            "changes": commission.scope_changes.select_related("changed_by"),
            "forms": forms,
            "may_manage": may_manage,
            "may_report": may_report,
            "publication": publication,
            "may_publish": publication is not None
            and publication.status == PublicationStatus.ONGOING
            and policy.may_write_publication(request.user, publication, commission=commission),
            "today": timezone.localdate(),
        },
        status=422 if target is not None and target.errors else 200,
    )
