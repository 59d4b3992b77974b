"""Library pages: search with facets, a page per publication, the editor's forms, the PDF."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kunnskap.accounts import policy
from kunnskap.accounts.policy import Permission, can
from kunnskap.caching import render_shared
from kunnskap.followup import selectors as followup
from kunnskap.forms import add_errors
from kunnskap.lib.http import AuthenticatedHttpRequest, HtmxHttpRequest
from kunnskap.lookups import permitted_or_403, visible_or_404
from kunnskap.search.selectors import explain

from . import cache, selectors, services
from .forms import FACET_PARAMETERS, PublicationForm, SearchForm, WithdrawForm
from .models import Publication, PublicationStatus


def _may_edit(request: HttpRequest) -> bool:
    return can(request.user, Permission.PUBLISH)


def _links(request: HttpRequest, parameter: str, facet: selectors.Facet) -> list[tuple[Any, str]]:
    """Each option with the address that chooses it, or, when chosen, removes it."""
    links = []
    for option in facet.options:
        query = request.GET.copy()
        query.pop("page", None)
        if option.selected:
            query.pop(parameter, None)
        else:
            query[parameter] = option.value
        links.append((option, f"?{query.urlencode()}" if query else "?"))
    return links


@cache.results.for_visitors
def library(request: HtmxHttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    query = form.query()
    cache_key = cache.results.key(request)
    html = cache.results.get(cache_key)
    if html is None:
        html = _results(request, query)
        cache.results.put(cache_key, html)
    return render(
        request,
        "library/list.html",
        {
            "form": form,
            "query": query,
            "results_html": mark_safe(html),  # our own rendering, escaped when it was made
            "may_edit": _may_edit(request),
            "filtered": any(request.GET.get(p) for p in FACET_PARAMETERS.values()),
        },
    )


def _results(request: HttpRequest, query: selectors.LibraryQuery) -> str:
    """The facets and the result list: what the cache keeps, the same for every reader."""
    results = selectors.library_search(query, page=request.GET.get("page"))
    rows = [
        (publication, results.hits.get(publication.pk)) for publication in results.page.object_list
    ]
    facets = [
        (
            FACET_PARAMETERS[name],
            label,
            _links(request, FACET_PARAMETERS[name], results.facets[name]),
        )
        for name, label in (
            ("kind", _("Kind")),
            ("status", _("Status")),
            ("theme", _("Theme")),
            ("service_area", _("Service area")),
            ("year", _("Year")),
            ("producer", _("Producer")),
        )
    ]
    return render_shared(
        "library/list.html#results",
        {
            "query": query,
            "results": results,
            "page": results.page,
            "rows": rows,
            "facets": facets,
            "filtered": any(request.GET.get(p) for p in FACET_PARAMETERS.values()),
            # "Did you mean" for an unknown word; with no close match, the thesaurus terms tried.
            "explanation": explain(query.q) if query.q.strip() else None,
        },
        params=request.GET,
    )


def detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    try:
        publication = selectors.publication_detail(pk)
    except Publication.DoesNotExist as error:
        raise Http404 from error
    may_edit = policy.may_write_publication(request.user, publication)
    commission = publication.commission if publication.commission_id else None
    usage = followup.publication_usage(publication, request.user)
    return render(
        request,
        "library/detail.html",
        {
            "publication": publication,
            **followup.usage_context(publication, request.user, usage),
            "needs": selectors.answered_needs(publication),
            "municipalities": selectors.asking_municipalities(publication),
            "versions": publication.versions.all(),
            "may_edit": may_edit,
            "commission": commission
            if commission is not None and policy.may_view_commission(request.user, commission)
            else None,
            "withdraw_form": WithdrawForm(prefix="withdraw") if may_edit else None,
        },
    )


def pdf(request: HtmxHttpRequest, pk: int) -> FileResponse:
    publication = get_object_or_404(Publication, pk=pk)
    if not publication.pdf:
        raise Http404
    return FileResponse(
        publication.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"publikasjon-{publication.pk}.pdf",
    )


def _initial(request: HttpRequest, publication: Publication) -> dict[str, Any]:
    values = {name: getattr(publication, name) for name in services.SCALARS}
    values["themes"] = list(publication.themes.all())
    values["service_areas"] = list(publication.service_areas.all())
    # Only the needs this editor may see; the service keeps the other links as they are.
    needs = publication.proposals.visible_to(request.user).order_by("public_id")
    values["proposals"] = ", ".join(p.public_id for p in needs)
    return values


@login_required
def edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    publication = (
        visible_or_404(Publication.objects.visible_to(request.user), pk=pk)
        if pk is not None
        else None
    )
    permitted_or_403(policy.may_write_publication(request.user, publication))
    if publication is not None and publication.status == PublicationStatus.WITHDRAWN:
        raise PermissionDenied
    initial = _initial(request, publication) if publication else {}
    if publication is None or (
        # "Publish the product" on an order's page: the ongoing entry, ready to publish.
        request.GET.get("publish") and publication.status == PublicationStatus.ONGOING
    ):
        initial["status"] = PublicationStatus.PUBLISHED
    form = PublicationForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        editing=publication is not None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("pdf")
        data = form.to_input()
        completes = (
            services.ordered_entry_for(data.proposals)
            if publication is None and data.status == PublicationStatus.PUBLISHED
            else None
        )
        try:
            if publication is None:
                publication = services.publication_create(data=data, actor=request.user, pdf=upload)
            else:
                publication = services.publication_update(
                    publication=publication,
                    data=data,
                    actor=request.user,
                    note=form.cleaned_data.get("note", ""),
                    pdf=upload,
                )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if completes is not None:
                messages.success(
                    request,
                    _(
                        "The need was ordered and its ongoing entry is now the published "
                        "product: the library holds one entry for it."
                    ),
                )
            else:
                messages.success(request, _("The publication is saved."))
            return redirect(publication)
    return render(
        request,
        "library/edit.html",
        {"form": form, "publication": publication},
        status=422 if form.errors else 200,
    )


@login_required
def withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    publication = visible_or_404(Publication.objects.visible_to(request.user), pk=pk)
    permitted_or_403(
        policy.may_write_publication(request.user, publication) and request.method == "POST"
    )
    form = WithdrawForm(request.POST, prefix="withdraw")
    if form.is_valid():
        try:
            services.publication_withdraw(
                publication=publication, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The publication is withdrawn."))
    else:
        messages.error(request, _("Say why the publication is withdrawn."))
    return redirect(publication)
