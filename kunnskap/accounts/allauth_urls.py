"""django-allauth's pages at Norwegian addresses, under the names allauth reverses itself.

Only the pages of the flows we use are here, not `allauth.urls`: its sign-up, e-mail and
password pages would open ways around our limits (its password reset sends mail of its own).
Password reset stays Django's view (`accounts:password_reset`), within the mail budget.
"""

from allauth.account import views as account
from allauth.mfa.base import views as mfa
from allauth.mfa.recovery_codes import views as recovery_codes
from allauth.mfa.totp import views as totp
from django.urls import path

from . import two_step, views

urlpatterns = [
    path("logg-inn/", account.login, name="account_login"),
    path("logg-ut/", account.logout, name="account_logout"),
    path("deaktivert/", account.account_inactive, name="account_inactive"),
    path("bekreft-passord/", account.reauthenticate, name="account_reauthenticate"),
    path("glemt-passord/", views.PasswordResetView.as_view(), name="account_reset_password"),
    path("totrinn/", two_step.index, name="mfa_index"),
    path("totrinn/kode/", mfa.authenticate, name="mfa_authenticate"),
    path("totrinn/bekreft/", mfa.reauthenticate, name="mfa_reauthenticate"),
    path("totrinn/app/", two_step.activate_totp, name="mfa_activate_totp"),
    path("totrinn/app/slett/", totp.deactivate_totp, name="mfa_deactivate_totp"),
    path(
        "totrinn/reservekoder/", recovery_codes.view_recovery_codes, name="mfa_view_recovery_codes"
    ),
    path(
        "totrinn/reservekoder/nye/",
        recovery_codes.generate_recovery_codes,
        name="mfa_generate_recovery_codes",
    ),
    path(
        "totrinn/reservekoder/last-ned/",
        recovery_codes.download_recovery_codes,
        name="mfa_download_recovery_codes",
    ),
]
