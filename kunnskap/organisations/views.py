from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from kunnskap.lib.http import HtmxHttpRequest

from . import selectors
from .forms import MunicipalitySearchForm

PAGE_SIZE = 50


def municipality_list(request: HtmxHttpRequest) -> HttpResponse:
    """Every municipality with its county and KSF region, searchable by either name."""
    form = MunicipalitySearchForm(request.GET or None)
    q, county = "", ""
    if form.is_valid():
        q, county = form.cleaned_data["q"], form.cleaned_data["county"]
    page = Paginator(selectors.municipality_list(q=q, county=county), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    template = "organisations/municipality_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"form": form, "page": page, "q": q})
