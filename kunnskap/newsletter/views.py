"""Newsletter pages: subscribe, confirm, unsubscribe (one click, RFC 8058), and the editor's
issues with their send log."""

import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from kunnskap.accounts.policy import Permission, can
from kunnskap.forms import add_errors
from kunnskap.lib.http import AuthenticatedHttpRequest, HtmxHttpRequest
from kunnskap.limits import services as limits

from . import services
from .forms import IssueForm, SubscribeForm
from .models import DeliveryStatus, Frequency, Issue


def subscribe(request: HtmxHttpRequest) -> HttpResponse:
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.subscribe(
                email=form.cleaned_data["email"],
                frequency=form.cleaned_data["frequency"],
                themes=list(form.cleaned_data["themes"]),
                kinds=form.cleaned_data["kinds"],
                client=limits.requester_key(request),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return render(
                request, "newsletter/check_email.html", {"email": form.cleaned_data["email"]}
            )
    return render(
        request,
        "newsletter/subscribe.html",
        {"form": form, "signup_url": signup_url()},
        status=422 if form.errors else 200,
    )


def signup_url() -> str:
    """The sign-up page's address as printed on posters and slides (seed 000: "scan the code")."""
    return settings.SITE_URL + reverse("newsletter:subscribe")


def qr_code(request: HttpRequest, fmt: str) -> HttpResponse:
    """The sign-up link as a QR code, PNG or SVG (segno), to print; the same for everyone."""
    import segno

    code = segno.make(signup_url(), error="m")
    buffer = io.BytesIO()
    if fmt == "svg":
        code.save(buffer, kind="svg", scale=10, border=4, title=_("Newsletter sign-up"))
        content_type = "image/svg+xml"
    else:
        code.save(buffer, kind="png", scale=10, border=4)
        content_type = "image/png"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="nyhetsbrev-qr.{fmt}"'
    response["Cache-Control"] = "public, max-age=86400"
    return response


@never_cache  # shows the address the link belongs to
def confirm(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The link from the e-mail shows a button; posting it confirms (link scanners only GET)."""
    subscriber = services.subscriber_from(
        token, salt=services.CONFIRM_SALT, max_age=services.CONFIRM_MAX_AGE
    )
    if subscriber is None:
        return render(request, "newsletter/link_invalid.html", status=404)
    choices = services.choices_from(token)
    if request.method == "POST":
        subscriber = services.subscription_confirm(subscriber=subscriber, choices=choices)
        return render(request, "newsletter/confirmed.html", {"subscriber": subscriber})
    frequency = (choices or {}).get("frequency", subscriber.frequency)
    return render(
        request,
        "newsletter/confirm.html",
        {
            "subscriber": subscriber,
            "is_change": subscriber.is_active and choices is not None,
            "frequency": Frequency(frequency).label if frequency in Frequency.values else "",
        },
    )


@never_cache
@csrf_exempt  # mail clients post the one-click unsubscribe without a session (RFC 8058)
def unsubscribe(request: HtmxHttpRequest, token: str) -> HttpResponse:
    subscriber = services.subscriber_from(token, salt=services.UNSUBSCRIBE_SALT)
    if subscriber is None:
        return render(request, "newsletter/link_invalid.html", status=404)
    if request.method == "POST":
        services.unsubscribe(subscriber=subscriber)
        return render(request, "newsletter/unsubscribed.html", {"subscriber": subscriber})
    return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber})


def _editor(request: HttpRequest) -> None:
    if not can(request.user, Permission.PUBLISH):
        raise PermissionDenied


@login_required
def issues(request: AuthenticatedHttpRequest) -> HttpResponse:
    _editor(request)
    counted = {
        name: Count("deliveries", filter=Q(deliveries__status=status))
        for name, status in (
            ("sent", DeliveryStatus.SENT),
            ("failed", DeliveryStatus.FAILED),
            ("waiting", DeliveryStatus.QUEUED),
            ("retrying", DeliveryStatus.RETRYING),
        )
    }
    page = Paginator(Issue.objects.annotate(**counted), 25).get_page(request.GET.get("page"))
    return render(request, "newsletter/issues.html", {"page": page})


@login_required
def issue_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    _editor(request)
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.issue_write(
                actor=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                include_days=form.cleaned_data["include_days"] or 0,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The issue is queued for every confirmed subscriber."))
            return redirect("newsletter:issue", pk=issue.pk)
    return render(
        request, "newsletter/issue_new.html", {"form": form}, status=422 if form.errors else 200
    )


@login_required
def issue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _editor(request)
    item = get_object_or_404(Issue, pk=pk)
    deliveries = item.deliveries.select_related("subscriber").order_by(
        "status", "subscriber__email"
    )
    page = Paginator(deliveries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "newsletter/issue.html",
        {"issue": item, "page": page, "publications": item.publications.all()[:200]},
    )
