"""The sign-in providers a page offers the person in front of it."""

from typing import Any

from django import template

from kunnskap.accounts import oidc

register = template.Library()


@register.simple_tag(takes_context=True)
def sign_in_connections(context: dict[str, Any]) -> list[tuple[oidc.OidcProvider, bool]]:
    """The configured providers, and whether the signed-in person has connected each."""
    return oidc.connections(context["request"])
