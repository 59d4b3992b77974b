from django import template
from django.core.paginator import Page

register = template.Library()


@register.filter
def elided_pages(page: Page) -> list[int | str]:
    """Page numbers around the current page, with an ellipsis for the gaps."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
