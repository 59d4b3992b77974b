from collections.abc import Iterator

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kunnskap.accounts import policy
from kunnskap.accounts.policy import Permission
from kunnskap.caching import render_shared
from kunnskap.lib.csv import csv_response
from kunnskap.lib.http import HtmxHttpRequest
from kunnskap.limits import services as limits
from kunnskap.organisations.models import Municipality, Unit
from kunnskap.rounds import selectors as round_selectors

from . import cache, selectors, services
from .choices import EDITABLE_STATUSES, Source
from .forms import (
    AnswerForm,
    EndorseForm,
    NeedForm,
    ProposalFilterForm,
    ProposalForm,
    ResendForm,
    UnitChoiceField,
    find_municipality,
)
from .models import Proposal

PAGE_SIZE = 25


def _municipality_options() -> list[Municipality]:
    return list(Municipality.objects.only("number", "name", "norwegian_name").order_by("name"))


def submit(request: HtmxHttpRequest) -> HttpResponse:
    """The form where anyone in a municipality says what they need to know."""
    form = ProposalForm(request.POST or None, initial=ProposalForm.initial_for(request.user))
    form.narrow_units()
    repeat = None
    if request.method == "POST" and form.is_valid() and not form.cleaned_data["repeat_confirmed"]:
        repeat = selectors.recent_repeat(
            title=form.cleaned_data["title"],
            question=form.cleaned_data["question"],
            client_hash=services.client_fingerprint(request),
            user=request.user if request.user.is_authenticated else None,
        )
        if repeat is not None:  # back and send again? Ask before storing a second one.
            form.data = request.POST.copy()
            form.data["repeat_confirmed"] = "on"
    if request.method == "POST" and form.is_valid() and repeat is None:
        try:
            proposal, token = services.proposal_submit(
                data=form.to_input(),
                source=Source.WEB,
                client_hash=services.client_fingerprint(request),
                user=request.user if request.user.is_authenticated else None,
            )
        except services.RateLimitExceeded:
            form.add_error(
                None,
                _("Many needs have been sent from your network in the last hour. Try again later."),
            )
        else:
            messages.success(
                request,
                _("Thank you! We have received your need. Its id is %(id)s.")
                % {"id": proposal.public_id},
            )
            return redirect("proposals:status", token=token)
    return render(
        request,
        "proposals/submit.html",
        {
            "form": form,
            "municipalities": _municipality_options(),
            "repeat": repeat,
            "windows": round_selectors.submission_windows(),
        },
        status=422 if form.errors else 200,
    )


@require_GET
def similar(request: HtmxHttpRequest) -> HttpResponse:
    """The similar-needs panel beside the form, refreshed while the person types."""
    text = " ".join(request.GET.get(name, "") for name in ("title", "question"))[:2000]
    return render(
        request, "proposals/_similar.html", {"similar": selectors.similar(text), "text": text}
    )


@require_GET
def unit_options(request: HtmxHttpRequest) -> HttpResponse:
    """The units of the municipality typed in the form (an htmx swap of the select's options)."""
    municipality = find_municipality(request.GET.get("municipality", ""))
    units = Unit.objects.filter(is_active=True, municipality=municipality).order_by("name")
    return render(request, "proposals/_unit_options.html", {"units": units})


def _by_token(token: str) -> Proposal:
    proposal = selectors.proposal_by_token(token)
    if proposal is None:
        raise Http404
    return proposal


@never_cache  # the private status page: no browser or proxy keeps a copy
def status(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The submitter's private page: the need, its timeline, and what she can do now."""
    proposal = _by_token(token)
    question = services.open_question(proposal)
    answer_form = AnswerForm(request.POST or None) if question else None
    if request.method == "POST" and answer_form is not None and answer_form.is_valid():
        services.proposal_answer_clarification(
            proposal=proposal, answer=answer_form.cleaned_data["answer"]
        )
        messages.success(request, _("Thank you for the answer. The need is back in screening."))
        return redirect("proposals:status", token=token)
    text = f"{proposal.title} {proposal.question}"
    suggestions = [  # needs she may share (endorse); products are in the library
        item
        for item in selectors.similar(text, limit=6)
        if item.kind == "proposal" and item.id != proposal.public_id
    ]
    return render(
        request,
        "proposals/status.html",
        {
            "proposal": proposal,
            "token": token,
            "editable": proposal.status in EDITABLE_STATUSES,
            "timeline": selectors.proposal_timeline(proposal, audience="submitter"),
            "endorsements": selectors.proposal_endorsements(proposal, all_=True),
            "criteria": selectors.criteria_answers(proposal),
            "similar": suggestions[:5],
            "question": question,
            "answer_form": answer_form,
        },
        status=422 if answer_form is not None and answer_form.errors else 200,
    )


def resend(request: HtmxHttpRequest) -> HttpResponse:
    """Lost the link? New links go to the submitter's address; the page says the same to all."""
    form = ResendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.status_links_resend(
            email=form.cleaned_data["email"], client=limits.requester_key(request)
        )
        messages.success(
            request,
            _("If needs have been sent from that address, new links are on their way to it."),
        )
        return redirect("proposals:resend")
    return render(request, "proposals/resend.html", {"form": form})


@never_cache
def edit(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The submitter changes her text, until screening starts."""
    proposal = _by_token(token)
    if proposal.status not in EDITABLE_STATUSES:
        messages.info(request, _("The need is being screened and can no longer be changed."))
        return redirect("proposals:status", token=token)
    form = NeedForm(request.POST or None, initial=NeedForm.initial_from(proposal))
    del form.fields["municipality"]  # it decides the hub; the secretariat can forward instead
    unit = form.fields["unit"]
    assert isinstance(unit, UnitChoiceField)
    unit.queryset = Unit.objects.filter(municipality=proposal.municipality, is_active=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_update_by_submitter(proposal=proposal, changes=form.changes())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("proposals:status", token=token)
    return render(
        request,
        "proposals/edit.html",
        {"form": form, "proposal": proposal, "token": token},
        status=422 if form.errors else 200,
    )


def _visible(request: HttpRequest, public_id: str) -> Proposal:
    proposals = (
        selectors.proposals_visible_to(request.user)
        .for_lists()
        .select_related("hub", "duplicate_of")
    )
    return get_object_or_404(proposals, public_id=public_id)


def detail(request: HtmxHttpRequest, public_id: str) -> HttpResponse:
    """A need's public page: the question, who shares it, and its timeline."""
    proposal = _visible(request, public_id)
    endorsements = selectors.proposal_endorsements(proposal)
    return render(
        request,
        "proposals/detail.html",
        {
            "proposal": proposal,
            "endorsements": endorsements,
            "municipality_count": len({e.municipality_id for e in endorsements}),
            "timeline": selectors.proposal_timeline(proposal, audience="public"),
            "criteria": selectors.criteria_answers(proposal),
            "show_submitter": selectors.may_see_submitter(request.user, proposal),
            "may_screen_this": policy.can(request.user, Permission.SCREEN, proposal),
            "publications": proposal.publications.exclude(status="withdrawn").order_by("-pk"),
        },
    )


def endorse(request: HtmxHttpRequest, public_id: str) -> HttpResponse:
    """'We have this need too': a signed-in user, or a submitter through her status link."""
    proposal = _visible(request, public_id)
    token = request.POST.get("token", "")
    if request.method == "POST" and token:
        own = _by_token(token)
        try:
            services.proposal_endorse(
                proposal=proposal,
                municipality=own.municipality,
                unit=own.unit,
                name=own.submitter_name,
                email=own.submitter_email,
                source=own,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(who)s now shares the need %(id)s.")
                % {"who": own.unit or own.municipality, "id": proposal.public_id},
            )
        return redirect("proposals:status", token=token)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?next={request.path}")
    # One speaks for one's own municipality; only an administrator chooses another.
    home: Municipality | None = (
        None if policy.is_admin(request.user) else getattr(request.user, "municipality", None)
    )
    if home is None and not policy.is_admin(request.user):
        if request.method == "POST":
            raise PermissionDenied(_("Your account has no municipality to endorse for."))
        return render(request, "proposals/endorse.html", {"proposal": proposal, "form": None})
    form = EndorseForm(request.POST or None, own=home)
    if request.method == "POST" and form.is_valid():
        municipality = form.cleaned_data["municipality"]
        if not policy.may_endorse_for(request.user, municipality.pk):
            raise PermissionDenied(_("You can endorse for your own municipality only."))
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_endorse(
                proposal=proposal,
                municipality=form.cleaned_data["municipality"],
                unit=form.cleaned_data["unit"],
                user=request.user,
                name=request.user.get_full_name(),
                email=request.user.email,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: your endorsement is registered."))
            return redirect(proposal)
    return render(
        request,
        "proposals/endorse.html",
        {
            "proposal": proposal,
            "form": form,
            "own": home,
            "municipalities": _municipality_options() if home is None else [],
        },
        status=422 if form.errors else 200,
    )


def _filters(params: QueryDict) -> tuple[ProposalFilterForm, selectors.ProposalFilters]:
    form = ProposalFilterForm(params or None)
    if not form.is_valid():
        return form, selectors.ProposalFilters()
    data = form.cleaned_data
    return form, selectors.ProposalFilters(
        status=data["status"], year=data["year"], q=data["q"], **form.classification()
    )


def list_part(*, scope: selectors.ReaderScope, params: QueryDict, part: str) -> str:
    """The filter form and the cards ("content") or the cards alone ("results"), made from the
    reader's scope and the query alone: every reader of the scope shares them."""
    form, filters = _filters(params)
    proposals = selectors.proposal_list(scope=scope, filters=filters)
    page = Paginator(proposals, PAGE_SIZE).get_page(params.get("page"))
    return render_shared(f"proposals/list.html#{part}", {"form": form, "page": page}, params=params)


@cache.lists.for_visitors
def proposal_list(request: HtmxHttpRequest) -> HttpResponse:
    """The public list of needs that screening has accepted (staff see their hubs' too).

    The filter form and the cards are kept in the cache for every reader who may see the same
    needs; each gets her own page frame around them (see `kunnskap.caching`)."""
    part = "results" if request.htmx else "content"
    scope = selectors.reader_scope(request.user)
    key = cache.lists.key(request, layer=part, scope=scope.key)
    html = cache.lists.get(key)
    if html is None:
        html = list_part(scope=scope, params=request.GET, part=part)
        cache.lists.put(key, html)
    if request.htmx:
        return HttpResponse(html)
    # Our own rendering, escaped when it was made.
    return render(request, "proposals/list.html", {"content_html": mark_safe(html)})


def proposal_csv(request: HtmxHttpRequest) -> StreamingHttpResponse:
    """The same list as CSV, without personal data, streamed so size does not matter."""
    _form, filters = _filters(request.GET)
    proposals = selectors.proposal_list(scope=selectors.reader_scope(request.user), filters=filters)

    def rows() -> Iterator[list[object]]:
        # Headers in the reader's language: the file is for people with a spreadsheet (the
        # open data sets keep stable machine names).
        yield [
            _("ID"),
            _("Title"),
            _("Question"),
            _("Status"),
            _("Municipality number"),
            _("Municipality"),
            _("Unit"),
            _("Service area"),
            _("Theme"),
            _("Endorsing municipalities"),
            _("Submitted"),
        ]
        for proposal in proposals.iterator(chunk_size=500):
            yield [
                proposal.public_id,
                proposal.title,
                proposal.question,
                proposal.get_status_display(),
                proposal.municipality.number,
                proposal.municipality.name,
                proposal.unit.name if proposal.unit else "",
                proposal.service_area.label if proposal.service_area else "",
                proposal.theme.label if proposal.theme else "",
                proposal.endorsing_municipalities,
                timezone.localtime(proposal.submitted_at).date().isoformat(),
            ]

    return csv_response(rows(), "kunnskapsbehov")
