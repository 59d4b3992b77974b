from allauth.account import views as allauth_views
from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("logg-inn/", allauth_views.login, name="login"),
    path("logg-ut/", allauth_views.logout, name="logout"),
    path("min-side/", views.me, name="me"),
    path("min-side/tokens/<int:pk>/trekk-tilbake/", views.token_revoke, name="token_revoke"),
    path(
        "glemt-passord/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "glemt-passord/sendt/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "nytt-passord/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "nytt-passord/ferdig/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
