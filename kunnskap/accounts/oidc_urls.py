"""Signing in through ID-porten and Entra ID: allauth's pages for it at Norwegian addresses.

A provider's redirect URI is SITE_URL + /konto/oidc/<idporten|entra>/tilbake/ (docs/deployment.md).
"""

from allauth.account import views as account
from allauth.socialaccount import views as socialaccount
from django.urls import path

from . import oidc

urlpatterns = [
    path("oidc/<str:provider_id>/logg-inn/", oidc.login, name="oidc_login"),
    path("oidc/<str:provider_id>/tilbake/", oidc.callback, name="oidc_callback"),
    path("oidc/e-post/", socialaccount.signup, name="socialaccount_signup"),
    path("oidc/feil/", socialaccount.login_error, name="socialaccount_login_error"),
    path("oidc/avbrutt/", socialaccount.login_cancelled, name="socialaccount_login_cancelled"),
    path("e-post/sendt/", account.email_verification_sent, name="account_email_verification_sent"),
    path("e-post/bekreft/<str:key>/", account.confirm_email, name="account_confirm_email"),
]
