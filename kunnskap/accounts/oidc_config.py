"""The OpenID Connect providers as the environment configures them (read by settings.py, so
nothing here may import models)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

PROVIDERS = (
    # (allauth provider id, environment prefix, name on the button)
    ("idporten", "IDPORTEN", "ID-porten"),
    ("entra", "ENTRA", "Microsoft Entra ID"),
)
IDPORTEN_DEFAULT_ACR = "idporten-loa-substantial"


def providers_from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """SOCIALACCOUNT_PROVIDERS: a provider only when its issuer and client id are set."""
    configured: dict[str, Any] = {}
    for provider, prefix, name in PROVIDERS:
        issuer = environ.get(f"{prefix}_ISSUER", "").strip().rstrip("/")
        client_id = environ.get(f"{prefix}_CLIENT_ID", "").strip()
        if not issuer or not client_id:
            continue
        extra = {"acr": environ.get("IDPORTEN_ACR") or IDPORTEN_DEFAULT_ACR}
        configured[provider] = {
            "APPS": [
                {
                    "provider_id": provider,
                    "name": name,
                    "client_id": client_id,
                    "secret": environ.get(f"{prefix}_CLIENT_SECRET", ""),
                    "settings": {
                        "server_url": issuer,
                        # The signed ID token carries what we need; userinfo would add nothing
                        # but another copy of `pid`.
                        "fetch_userinfo": False,
                        "token_auth_method": "client_secret_post",
                        **(extra if provider == "idporten" else {}),
                    },
                }
            ]
        }
    return configured


def provider_origins(providers: Mapping[str, Any]) -> list[str]:
    """The providers' origins, for the CSP's form-action: the sign-in and sign-out buttons post
    here and are redirected there."""
    origins = []
    for config in providers.values():
        for app in config.get("APPS", []):
            parts = urlsplit(app["settings"]["server_url"])
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return sorted(set(origins))
