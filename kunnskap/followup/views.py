"""Pages of follow-up: the pilot register, a product's adoption by a municipality, its
evaluation, a mini-HTA's decision, the evaluations due, and the accountability chain."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kunnskap.accounts import policy
from kunnskap.forms import add_errors
from kunnskap.lib.http import AuthenticatedHttpRequest, HtmxHttpRequest
from kunnskap.library.models import Publication
from kunnskap.limits import services as limits
from kunnskap.lookups import permitted_or_403, visible_or_404
from kunnskap.taxonomy.models import PublicationKind

from . import selectors, services
from .forms import (
    AccountabilityFilterForm,
    AdoptionForm,
    ContactForm,
    EvaluationForm,
    HtaDecisionForm,
    MeasureFormSet,
    PilotFilterForm,
    PilotForm,
    UsefulnessForm,
    measures_from,
)
from .models import Adoption, AdoptionStatus, HtaDecision, Pilot

PAGE_SIZE = 25


def _status(form: Any, *more: Any) -> int:
    return (
        422
        if form.errors or any(getattr(m, "errors", None) and any(m.errors) for m in more)
        else 200
    )


# The pilot register.


def pilots(request: HtmxHttpRequest) -> HttpResponse:
    """The public register of pilots and local measures: search it before starting one."""
    form = PilotFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.pilot_list(
        q=data.get("q") or "",
        theme=data["theme"].key if data.get("theme") else "",
        service_area=data["service_area"].key if data.get("service_area") else "",
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": data.get("q") or ""}
    if request.htmx:
        return render(request, "followup/pilots.html#results", context)
    return render(request, "followup/pilots.html", context)


@require_GET
def pilot_similar(request: HtmxHttpRequest) -> HttpResponse:
    """The similar-pilots panel beside the form, refreshed while the person types."""
    text = " ".join(request.GET.get(name, "") for name in ("title", "description"))[:2000]
    exclude = request.GET.get("pilot")
    return render(
        request,
        "followup/_similar.html",
        {
            "similar": selectors.similar_pilots(
                text, exclude=int(exclude) if exclude and exclude.isdigit() else None
            ),
        },
    )


@login_required
def pilot_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    permitted_or_403(
        policy.may_record_for(request.user, request.user.municipality_id)
        or policy.may_follow_up(request.user),
        _("Sign in with an account of a municipality to register a pilot."),
    )
    form = PilotForm(
        request.POST or None,
        user=request.user,
        initial={
            "municipality": request.user.municipality.name if request.user.municipality else "",
            "started_on": timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            pilot = services.pilot_register(data=form.to_input(), actor=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The pilot is in the register."))
            return redirect(pilot)
    return render(
        request, "followup/pilot_form.html", {"form": form, "pilot": None}, status=_status(form)
    )


def _pilot_initial(pilot: Pilot, user: Any) -> dict[str, Any]:
    return {
        "title": pilot.title,
        "description": pilot.description,
        "municipality": pilot.municipality.name,
        "service_area": pilot.service_area,
        "theme": pilot.theme,
        "started_on": pilot.started_on,
        "evaluation_due": pilot.evaluation_due,
        "contact_role": pilot.contact_role,
        "findings": pilot.findings,
        "publications": ", ".join(
            str(pk) for pk in pilot.publications.values_list("pk", flat=True)
        ),
        "proposals": ", ".join(
            pilot.proposals.visible_to(user).values_list("public_id", flat=True)
        ),
    }


@login_required
def pilot_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    pilot = visible_or_404(Pilot.objects.visible_to(request.user).for_lists(), pk=pk)
    permitted_or_403(policy.may_record_for(request.user, pilot.municipality_id))
    form = PilotForm(
        request.POST or None, user=request.user, initial=_pilot_initial(pilot, request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pilot_update(pilot=pilot, data=form.to_input(), actor=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The pilot is saved."))
            return redirect(pilot)
    return render(
        request, "followup/pilot_form.html", {"form": form, "pilot": pilot}, status=_status(form)
    )


def pilot_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A pilot: what is tried, what was found, and a way to ask the municipality about it."""
    pilot = visible_or_404(Pilot.objects.visible_to(request.user).for_lists(), pk=pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.pilot_contact(
                pilot=pilot, client=limits.requester_key(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if sent:
                messages.success(
                    request,
                    _("Your question is sent. The secretariat passes it on to the municipality."),
                )
                return redirect(pilot)
            form.add_error(None, _("Many messages have been sent from here. Try again later."))
    return render(
        request,
        "followup/pilot_detail.html",
        {
            "pilot": pilot,
            "publications": pilot.publications.visible(),
            "needs": pilot.proposals.visible_to(request.user).select_related("municipality"),
            "similar": selectors.similar_pilots(
                f"{pilot.title} {pilot.description}", exclude=pilot.pk, limit=4
            ),
            "form": form,
            "may_edit": policy.may_record_for(request.user, pilot.municipality_id),
        },
        status=_status(form),
    )


# Adoption of a product.


def _publication(request: HtmxHttpRequest, pk: int) -> Publication:
    return visible_or_404(
        Publication.objects.visible_to(request.user).select_related("municipality"), pk=pk
    )


@login_required
def adoption_new(request: AuthenticatedHttpRequest, publication_pk: int) -> HttpResponse:
    """What the user's municipality did with a product: the next step of its record."""
    publication = _publication(request, publication_pk)
    municipality = request.user.municipality
    permitted_or_403(
        municipality is not None and policy.may_record_for(request.user, municipality.pk),
        _("Your account belongs to no municipality."),
    )
    assert municipality is not None
    form = AdoptionForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            adoption = services.adoption_record(
                publication=publication,
                municipality=municipality,
                unit=data.get("unit"),
                actor=request.user,
                status=data["status"],
                reason=data["reason"],
                note=data["note"],
                on=data["on"],
                evaluation_due=data["evaluation_due"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Recorded: %(status)s.") % {"status": adoption.get_status_display()}
            )
            return redirect(adoption)
    current = Adoption.objects.filter(
        publication=publication, municipality=municipality
    ).select_related("unit")
    return render(
        request,
        "followup/adoption_form.html",
        {
            "form": form,
            "publication": publication,
            "municipality": municipality,
            "current": current,
        },
        status=_status(form),
    )


def adoption_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One municipality's record of one product: its steps and evaluations."""
    adoption = visible_or_404(
        Adoption.objects.visible_to(request.user).for_lists().select_related("contact"), pk=pk
    )
    may_record = policy.may_record_for(request.user, adoption.municipality_id)
    form = AdoptionForm(None, municipality=None, with_unit=False) if may_record else None
    return render(
        request,
        "followup/adoption_detail.html",
        {
            "adoption": adoption,
            "steps": selectors.adoption_steps(adoption),
            "evaluations": adoption.evaluations.prefetch_related("measures"),
            "may_record": may_record,
            "may_see_notes": policy.may_see_adoption_notes(request.user, adoption.municipality_id),
            "may_evaluate": may_record
            and adoption.status in (AdoptionStatus.IN_USE, AdoptionStatus.EVALUATED),
            "form": form,
        },
    )


@login_required
@require_POST
def adoption_step(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The next step of a record from its own page (the municipality, or its hub correcting)."""
    adoption = visible_or_404(Adoption.objects.visible_to(request.user).for_lists(), pk=pk)
    permitted_or_403(policy.may_record_for(request.user, adoption.municipality_id))
    form = AdoptionForm(request.POST, municipality=None, with_unit=False)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.adoption_record(
                publication=adoption.publication,
                municipality=adoption.municipality,
                unit=adoption.unit,
                actor=request.user,
                status=data["status"],
                reason=data["reason"],
                note=data["note"],
                on=data["on"],
                evaluation_due=data["evaluation_due"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The step is recorded."))
            return redirect(adoption)
    return render(
        request,
        "followup/adoption_detail.html",
        {
            "adoption": adoption,
            "steps": selectors.adoption_steps(adoption),
            "evaluations": adoption.evaluations.prefetch_related("measures"),
            "may_record": True,
            "may_see_notes": True,
            "may_evaluate": adoption.status in (AdoptionStatus.IN_USE, AdoptionStatus.EVALUATED),
            "form": form,
        },
        status=422,
    )


@login_required
def evaluation_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    adoption = visible_or_404(Adoption.objects.visible_to(request.user).for_lists(), pk=pk)
    permitted_or_403(policy.may_record_for(request.user, adoption.municipality_id))
    form = EvaluationForm(request.POST or None)
    measures = MeasureFormSet(request.POST or None, prefix="measures")
    if request.method == "POST" and form.is_valid() and measures.is_valid():
        try:
            services.evaluation_record(
                adoption=adoption,
                actor=request.user,
                measures=measures_from(measures),
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The evaluation is recorded. Thank you!"))
            return redirect(adoption)
    return render(
        request,
        "followup/evaluation_form.html",
        {"form": form, "measures": measures, "adoption": adoption},
        status=_status(form, *measures.forms),
    )


@login_required
def hta_decision(request: AuthenticatedHttpRequest, publication_pk: int) -> HttpResponse:
    """A mini-HTA's own municipality records its decision on the measure."""
    publication = _publication(request, publication_pk)
    permitted_or_403(
        publication.kind == PublicationKind.MINI_HTA
        and policy.may_record_for(request.user, publication.municipality_id),
        _("The municipality that wrote the mini-HTA records its decision."),
    )
    current = HtaDecision.objects.filter(publication=publication).first()
    initial: dict[str, Any] = {"decided_on": timezone.localdate()}
    if current:
        initial = {
            name: getattr(current, name)
            for name in ("decision", "conditions", "meeting", "decided_by", "decided_on")
        }
    form = HtaDecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.hta_decision_record(
                publication=publication, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect(publication)
    return render(
        request,
        "followup/hta_decision_form.html",
        {"form": form, "publication": publication},
        status=_status(form),
    )


@login_required
@require_POST
def usefulness(request: AuthenticatedHttpRequest, publication_pk: int) -> HttpResponse:
    publication = _publication(request, publication_pk)
    form = UsefulnessForm(request.POST)
    if form.is_valid():
        try:
            services.usefulness_answer(
                publication=publication, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Thank you for the answer."))
    else:
        messages.error(request, _("Choose yes or no."))
    return redirect(f"{publication.get_absolute_url()}#usefulness-heading")


# Evaluations due and the staff list.


@login_required
def tasks(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My municipality's records, evaluations due first; for hub staff, the overdue ones."""
    today = timezone.localdate()
    page = Paginator(selectors.my_adoptions(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "followup/tasks.html",
        {"page": page, "today": today, "may_follow_up": policy.may_follow_up(request.user)},
    )


@login_required
def overdue(request: AuthenticatedHttpRequest) -> HttpResponse:
    permitted_or_403(policy.may_follow_up(request.user))
    today = timezone.localdate()
    page = Paginator(
        selectors.overdue_evaluations(user=request.user, today=today), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "followup/overdue.html", {"page": page, "today": today})


# Accountability.


def accountability(request: HtmxHttpRequest) -> HttpResponse:
    """Each steering-group decision to order, followed to the municipalities and evaluations."""
    form = AccountabilityFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.accountability(
        hub=data["hub"].pk if data.get("hub") else None,
        theme=data["theme"].key if data.get("theme") else "",
        year=data.get("year"),
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [
        {"entry": entry, "chain": selectors.chain(entry), "progress": selectors.progress(entry)}
        for entry in selectors.with_counts(list(page.object_list))
    ]
    return render(
        request, "followup/accountability.html", {"form": form, "page": page, "items": items}
    )


def accountability_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One decision's chain, step by step, with the municipalities and their evaluations."""
    entry = selectors.with_counts([visible_or_404(selectors.accountability(), pk=pk)])[0]
    commission = getattr(entry, "commission", None)
    publication = getattr(commission, "publication", None) if commission else None
    usage = selectors.publication_usage(publication, request.user) if publication else None
    return render(
        request,
        "followup/accountability_detail.html",
        {
            "entry": entry,
            "chain": selectors.chain(entry),
            "progress": selectors.progress(entry),
            "commission": commission,
            "publication": publication,
            "usage": usage,
        },
    )
