"""Signing in with OpenID Connect: ID-porten and Microsoft Entra ID.

Both are django-allauth's `openid_connect` provider with what the two need on top
(docs/architecture.md, "Signing in with OpenID Connect"):

- PKCE and a `nonce` on every request, kept in allauth's state; the ID token's signature is
  always checked against the provider's keys (allauth skips it when the token came straight from
  the token endpoint), then its issuer, audience, expiry and nonce;
- ID-porten: `acr_values` sent from the settings only (never from the request), the returned
  `acr` checked against it; `pid`, the national identity number, is dropped before anything is
  stored;
- Entra ID: a multi-tenant issuer (`.../{tenantid}/v2.0`) matched against the token's own `tid`;
  only tenants an administrator has mapped to a municipality may sign in; an e-mail address
  counts as verified only when Entra says its domain is the tenant's (`xms_edov`);
- the ID token kept encrypted in the session for the provider's end-session endpoint.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import jwt
import requests
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.stages import AuthenticateStage
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.forms import SignupForm as BaseSocialSignupForm
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.utils import generate_code_challenge
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import build_absolute_uri
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import EntraTenant
from .oidc_config import IDPORTEN_DEFAULT_ACR

if TYPE_CHECKING:
    from .models import User

# ID-porten's levels of assurance, weakest first.
IDPORTEN_LEVELS = ["idporten-loa-low", "idporten-loa-substantial", "idporten-loa-high"]
# Signatures an ID token may carry; never "none", never a shared-secret HMAC.
SIGNING_ALGORITHMS = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384"}
DISCOVERY_CACHE_SECONDS = 3600
LOGOUT_SESSION_KEY = "oidc_logout"


def refuse(request: HttpRequest, title: str, reason: str) -> ImmediateHttpResponse:
    """A clear page instead of a sign-in: what happened and what the person can do."""
    return ImmediateHttpResponse(
        render(
            request, "accounts/oidc_refused.html", {"title": title, "reason": reason}, status=403
        )
    )


def _fernet() -> Fernet:
    digest = hashlib.sha256(f"oidc-logout:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


class OidcAdapter(OpenIDConnectOAuth2Adapter):
    """allauth's OpenID Connect adapter with the ID token checked in full."""

    state: dict[str, Any] | None = None

    @property
    def openid_config(self) -> dict[str, Any]:
        """The provider's discovery document, kept an hour (it names keys and endpoints)."""
        if not hasattr(self, "_openid_config"):
            url = self.get_provider().server_url
            key = "oidc-discovery:" + hashlib.sha256(url.encode()).hexdigest()
            config = cache.get(key)
            if config is None:
                with get_social_adapter().get_requests_session() as session:
                    response = session.get(url)
                    response.raise_for_status()
                    config = response.json()
                cache.set(key, config, DISCOVERY_CACHE_SECONDS)
            self._openid_config = config
        return self._openid_config

    def parse_token(self, data: dict[str, Any]) -> SocialToken:
        # The access and refresh tokens are never used (no userinfo, no API), and ID-porten's
        # access token carries `pid`: not kept, not even in the session of a pending sign-up.
        token = super().parse_token(data)
        token.token = ""
        token.token_secret = ""
        return token

    def get_callback_url(self, request: HttpRequest, app: SocialApp) -> str:
        path = self.get_provider().get_callback_url()
        return build_absolute_uri(request, path, self.redirect_uri_protocol)

    def complete_login(self, request: HttpRequest, app: SocialApp, token: Any, **kwargs: Any):
        raw = kwargs["response"].get("id_token")
        if not raw:
            raise OAuth2Error("The provider sent no ID token.")
        provider = self.get_provider()
        claims = self.verified_claims(app, raw)
        expected_nonce = (self.state or {}).get("nonce") or ""
        if not expected_nonce or not constant_time_compare(claims.get("nonce", ""), expected_nonce):
            raise OAuth2Error("The ID token's nonce is not the one sent.")
        provider.check_claims(request, claims)
        request.session[LOGOUT_SESSION_KEY] = {
            "provider": provider.id,
            "id_token": _fernet().encrypt(raw.encode()).decode(),
        }
        return provider.sociallogin_from_response(request, {"id_token": claims})

    def verified_claims(self, app: SocialApp, raw: str) -> dict[str, Any]:
        """The ID token's claims once its signature, issuer, audience and expiry hold."""
        config = self.openid_config
        try:
            alg, key = jwtkit.fetch_key(raw, config["jwks_uri"], jwtkit.lookup_kid_jwk)
            if alg not in SIGNING_ALGORITHMS:
                raise OAuth2Error(f"ID token signed with {alg}, which is not allowed.")
            claims = jwt.decode(
                raw,
                key=key,
                algorithms=[alg],
                audience=app.client_id,
                options={"require": ["iss", "sub", "aud", "exp", "iat"], "verify_iss": False},
                leeway=60,
            )
        except (jwt.PyJWTError, KeyError) as error:
            raise OAuth2Error(f"Invalid ID token: {error}") from error
        expected = self.get_provider().expected_issuer(config["issuer"], claims)
        if not constant_time_compare(str(claims["iss"]), expected):
            raise OAuth2Error("The ID token comes from another issuer.")
        return claims


class OidcCallbackView(OAuth2CallbackView):
    """allauth's callback, handing the stashed state (with the nonce) to the adapter."""

    def _get_state(self, request: HttpRequest, provider: Any) -> Any:
        state, response = super()._get_state(request, provider)
        if isinstance(self.adapter, OidcAdapter):
            self.adapter.state = state
        return state, response


class OidcProvider(OpenIDConnectProvider):
    """allauth's OpenID Connect provider with PKCE and a nonce always, and claims checked."""

    oauth2_adapter_class = OidcAdapter
    scopes: list[str] = ["openid", "profile"]

    def get_login_url(self, request: HttpRequest, **kwargs: Any) -> str:
        url = reverse("oidc_login", kwargs={"provider_id": self.id})
        return f"{url}?{urlencode(kwargs)}" if kwargs else url

    def get_callback_url(self) -> str:
        return reverse("oidc_callback", kwargs={"provider_id": self.id})

    @property
    def login_url_connect(self) -> str:
        """Where the button that connects this provider to a signed-in person posts."""
        return self.get_login_url(self.request, process="connect")

    def get_default_scope(self) -> list[str]:
        return list(self.scopes)

    def get_pkce_params(self) -> dict[str, str]:
        return generate_code_challenge()

    def get_auth_params_from_request(self, request: HttpRequest, action: Any) -> dict[str, str]:
        # Not allauth's `?auth_params=` from the address: the caller must not pick the acr.
        return self.get_auth_params()

    def get_scope_from_request(self, request: HttpRequest) -> list[str]:
        return self.get_scope()

    def redirect(
        self,
        request: HttpRequest,
        process: Any,
        next_url: str | None = None,
        data: Any = None,
        **kwargs: Any,
    ) -> HttpResponse:
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None) or self.get_auth_params()
        auth_params["nonce"] = nonce
        return super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )

    def expected_issuer(self, discovered: str, claims: dict[str, Any]) -> str:
        return discovered

    def check_claims(self, request: HttpRequest, claims: dict[str, Any]) -> None:
        """Refuse (ImmediateHttpResponse) a person the service must not let in."""

    def extract_extra_data(self, data: dict[str, Any]) -> dict[str, Any]:
        return data

    def on_sign_in(self, user: User, claims: dict[str, Any]) -> None:
        """What a sign-in through this provider changes on the person (after she is saved)."""

    def end_session_url(self, request: HttpRequest, id_token: str) -> str | None:
        """The provider's end-session address that brings her back to the front page."""
        try:
            endpoint = self.get_oauth2_adapter(request).openid_config.get("end_session_endpoint")
        except (requests.RequestException, ValueError):  # signing out here must go on
            return None
        if not endpoint:
            return None
        query = urlencode(
            {
                "id_token_hint": id_token,
                "client_id": self.app.client_id,
                "post_logout_redirect_uri": request.build_absolute_uri(reverse("home")),
            }
        )
        return f"{endpoint}?{query}"


class IdportenProvider(OidcProvider):
    """ID-porten, the national sign-in: a level of assurance, `pid`, no e-mail address."""

    id = "idporten"
    name = "ID-porten"

    @property
    def required_acr(self) -> str:
        return self.app.settings.get("acr", IDPORTEN_DEFAULT_ACR)

    def get_auth_params(self) -> dict[str, str]:
        return {**super().get_auth_params(), "acr_values": self.required_acr}

    def check_claims(self, request: HttpRequest, claims: dict[str, Any]) -> None:
        acr = claims.get("acr")
        required = self.required_acr
        if acr == required or (
            acr in IDPORTEN_LEVELS
            and required in IDPORTEN_LEVELS
            and IDPORTEN_LEVELS.index(acr) >= IDPORTEN_LEVELS.index(required)
        ):
            return
        raise refuse(
            request,
            _("The sign-in was not secure enough"),
            _(
                "This service needs a sign-in with ID-porten at a higher level of security "
                "(for example BankID, Buypass or Commfides). Sign in again and choose one of them."
            ),
        )

    def extract_extra_data(self, data: dict[str, Any]) -> dict[str, Any]:
        # The national identity number is never stored: the account is linked by `sub`.
        return {part: _without_pid(claims) for part, claims in data.items()}


def _without_pid(claims: Any) -> Any:
    if isinstance(claims, dict):
        return {key: value for key, value in claims.items() if key != "pid"}
    return claims


class EntraProvider(OidcProvider):
    """Microsoft Entra ID for many employers (tenants): each mapped to a municipality."""

    id = "entra"
    name = "Microsoft Entra ID"
    scopes = ["openid", "profile", "email"]

    def expected_issuer(self, discovered: str, claims: dict[str, Any]) -> str:
        # "organizations" names the issuer ".../{tenantid}/v2.0": the token's own tenant.
        return discovered.replace("{tenantid}", str(claims.get("tid", "")))

    def check_claims(self, request: HttpRequest, claims: dict[str, Any]) -> None:
        if tenant_for(claims) is None:
            raise refuse(
                request,
                _("Your organisation cannot sign in here yet"),
                _(
                    "The service does not know the organisation you signed in with. Ask your "
                    "municipality's contact for the service to have it added, or sign in "
                    "another way."
                ),
            )

    def extract_email_addresses(self, data: dict[str, Any]) -> list[EmailAddress]:
        claims = data.get("id_token", {})
        email = claims.get("email")
        if not email:
            return []
        # Entra's `email` is whatever the tenant typed: trusted only for a verified domain.
        verified = claims.get("email_verified") is True or claims.get("xms_edov") is True
        return [EmailAddress(email=email.lower(), verified=verified, primary=True)]

    def on_sign_in(self, user: User, claims: dict[str, Any]) -> None:
        from . import services

        tenant = tenant_for(claims)
        if tenant is not None:
            services.entra_roles_sync(
                user=user, tenant=tenant, group_ids=[str(g) for g in claims.get("groups", [])]
            )


def tenant_for(claims: dict[str, Any]) -> EntraTenant | None:
    """The mapped tenant of an Entra ID token, or None."""
    try:
        return EntraTenant.objects.select_related("municipality").get(
            tenant_id=str(claims.get("tid", ""))
        )
    except (EntraTenant.DoesNotExist, ValidationError, ValueError, TypeError):
        return None


def id_token_claims(sociallogin: Any) -> dict[str, Any]:
    return (sociallogin.account.extra_data or {}).get("id_token", {})


def end_session_url(request: HttpRequest) -> str | None:
    """Where to send the browser after signing out here, to end the provider's session too."""
    stored = request.session.get(LOGOUT_SESSION_KEY)
    if not stored:
        return None
    try:
        id_token = _fernet().decrypt(stored["id_token"].encode()).decode()
        provider = get_social_adapter().get_provider(request, stored["provider"])
    except (InvalidToken, KeyError, SocialApp.DoesNotExist):
        return None
    if not isinstance(provider, OidcProvider):
        return None
    return provider.end_session_url(request, id_token)


def _view(
    view_class: type[OAuth2LoginView] | type[OAuth2CallbackView],
    request: HttpRequest,
    provider_id: str,
) -> HttpResponse:
    try:
        provider = get_social_adapter().get_provider(request, provider_id)
    except SocialApp.DoesNotExist as error:
        raise Http404 from error
    if not isinstance(provider, OidcProvider):
        raise Http404
    try:
        return view_class.adapter_view(provider.get_oauth2_adapter(request))(request)
    except requests.RequestException as error:  # the provider does not answer: say so, no 500
        return render_authentication_error(request, provider, exception=error)


def login(request: HttpRequest, provider_id: str) -> HttpResponse:
    """Start signing in: a POST from the sign-in page's button sends her to the provider."""
    return _view(OAuth2LoginView, request, provider_id)


def callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    """The provider sends her back here with a code, exchanged for the ID token."""
    return _view(OidcCallbackView, request, provider_id)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """allauth's adapter for sign-in through a provider: open to people ID-porten or a mapped
    Entra ID tenant vouches for (the provider's checks ran before), the municipality of the
    tenant on a new person, and group roles kept in step on every sign-in."""

    error_messages = {
        **DefaultSocialAccountAdapter.error_messages,
        "email_taken": gettext_lazy(
            "You already have an account with this address. Sign in with your password first; "
            "then you can connect %s on your page."
        ),
    }

    def get_connect_redirect_url(self, request: HttpRequest, socialaccount: Any) -> str:
        return reverse("accounts:me")

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return isinstance(sociallogin.account.get_provider(), OidcProvider)

    def populate_user(self, request: HttpRequest, sociallogin: Any, data: dict[str, Any]) -> Any:
        user = super().populate_user(request, sociallogin, data)
        claims = id_token_claims(sociallogin)
        user.full_name = (data.get("name") or "")[:200]
        tenant = tenant_for(claims) if sociallogin.account.provider == EntraProvider.id else None
        if tenant is not None:
            user.municipality = tenant.municipality
        return user

    def save_user(self, request: HttpRequest, sociallogin: Any, form: Any = None) -> Any:
        user = super().save_user(request, sociallogin, form)
        sociallogin.account.get_provider().on_sign_in(user, id_token_claims(sociallogin))
        return user

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        if sociallogin.is_existing:
            user = sociallogin.user
            # An account an administrator made (or one from before allauth) has no address rows:
            # its address came from her and a password sign-in trusts it; so does this one. An
            # address typed at a first ID-porten sign-in has its row and waits for the link.
            if not EmailAddress.objects.filter(user=user).exists():
                EmailAddress.objects.create(
                    user=user, email=user.email, verified=True, primary=True
                )
            provider = sociallogin.account.get_provider()
            provider.on_sign_in(user, id_token_claims(sociallogin))


class SignupForm(BaseSocialSignupForm):
    """allauth's last step of a first sign-in without an e-mail address, in our words."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = gettext_lazy("E-mail address")
        self.fields["email"].help_text = gettext_lazy("We send you a link to confirm it.")
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "placeholder": ""})


def connections(request: HttpRequest) -> list[tuple[OidcProvider, bool]]:
    """The configured providers, and whether the signed-in person has connected each."""
    connected = set(
        SocialAccount.objects.filter(user_id=request.user.pk).values_list("provider", flat=True)
    )
    return [
        (provider, provider.id in connected)
        for provider in get_social_adapter().list_providers(request)
        if isinstance(provider, OidcProvider)
    ]


class TwoStepStage(AuthenticateStage):
    """allauth's code step after signing in, except after ID-porten or Entra ID: their sign-in
    carries its own second factor (ID-porten's levels; the employer's conditional access)."""

    def _should_handle(self, request: HttpRequest) -> bool:
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        if sociallogin is not None and isinstance(sociallogin.account.get_provider(), OidcProvider):
            return False
        return super()._should_handle(request)
