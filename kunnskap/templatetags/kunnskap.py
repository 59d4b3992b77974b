from typing import Any

from django import template
from django.core.paginator import Page
from django.http import QueryDict

register = template.Library()


@register.filter
def elided_pages(page: Page) -> list[int | str]:
    """Page numbers around the current page, with an ellipsis for the gaps."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


@register.simple_tag(takes_context=True)
def current_params(context: template.Context) -> QueryDict:
    """The query string a link builds on: the request's, or `params` in a fragment made without
    a request for many readers (`kunnskap.caching.render_shared`)."""
    params = context.get("params")
    if params is not None:
        return params
    request = context.get("request")
    return request.GET if request is not None else QueryDict()


@register.filter
def decimals(value: Any, digits: int = 1) -> str:
    """`{{ mean|decimals:2 }}`: the value rounded as in every export (`kunnskap.lib.numbers`),
    "–" when there is none."""
    from kunnskap.lib.numbers import number

    if value is None or value == "":
        return "–"
    try:
        return number(float(value), int(digits))
    except (TypeError, ValueError):
        return str(value)
