from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from kunnskap.lib.http import AuthenticatedHttpRequest, HtmxHttpRequest
from kunnskap.limits import services as limits

from . import policy, services, throttle
from .forms import PasswordResetForm, TokenForm
from .models import ApiToken, User


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, within the mail limits of the client and the address: past them it
    answers the same and sends nothing, as it does for an address it does not know."""

    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: auth_forms.PasswordResetForm) -> HttpResponse:
        client = limits.requester_key(self.request)
        if limits.mail_slot_take(client=client, recipient=form.cleaned_data["email"]):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's new-password page; a new password chosen through the mailed link also ends a
    pause of signing in after failed attempts (`throttle`)."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: auth_forms.SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        throttle.account_unlock(form.user.email)
        return response


def set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


# Without a CSRF token: a forged post could only change someone's language, and a token in the
# frame of every page would make no page the same for two visitors (see library/cache.py).
@csrf_exempt
@require_POST
def language_set(request: HtmxHttpRequest) -> HttpResponse:
    """Django's language switch, which also remembers the choice on a signed-in person."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if isinstance(request.user, User) and check_for_language(language):
        services.user_language_set(user=request.user, language=language)
    return response


@login_required
def me(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in person's roles per hub and API tokens."""
    assignments = request.user.role_assignments.select_related("hub").order_by("hub__name", "role")
    tokens = request.user.api_tokens.all()
    form = TokenForm()
    new_token = None
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            _token, new_token = services.token_create(
                user=request.user, name=form.cleaned_data["name"]
            )
            form = TokenForm()
    authenticators = {a.type: a for a in Authenticator.objects.filter(user=request.user)}
    recovery_codes = authenticators.get(Authenticator.Type.RECOVERY_CODES)
    return render(
        request,
        "accounts/me.html",
        {
            "assignments": assignments,
            "tokens": tokens,
            "form": form,
            "new_token": new_token,
            "two_step": Authenticator.Type.TOTP in authenticators,
            "two_step_required": policy.must_use_two_step(request.user),
            "unused_recovery_codes": (
                len(recovery_codes.wrap().get_unused_codes()) if recovery_codes else 0
            ),
        },
    )


@login_required
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("accounts:me")
