"""The JSON API: one NinjaAPI that mounts each app's router, with errors that name each field."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kunnskap.accounts.api import router as accounts_router
from kunnskap.api_errors import FieldError
from kunnskap.assessments.api import router as assessments_router
from kunnskap.followup.api import router as followup_router
from kunnskap.inbox.api import router as inbox_router
from kunnskap.insights.api import router as insights_router
from kunnskap.learning.api import router as learning_router
from kunnskap.learning.services import RegistrationLimited
from kunnskap.library.api import router as library_router
from kunnskap.organisations.api import router as organisations_router
from kunnskap.proposals.api import router as proposals_router
from kunnskap.proposals.services import RateLimitExceeded
from kunnskap.rounds.api import router as rounds_router
from kunnskap.screening.api import router as screening_router
from kunnskap.taxonomy.api import router as taxonomy_router

api = NinjaAPI(
    title="Kunnskapsstøtte API",
    version="1",
    description=(
        "The knowledge system of Norwegian municipalities. Lists answer `{count, items}` and take "
        "`limit` and `offset`. Programs authenticate with `Authorization: Bearer <token>` "
        "(`kunnskap token create EMAIL`); the browser uses its session."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("", organisations_router)
api.add_router("", taxonomy_router)
api.add_router("", accounts_router)
api.add_router("", inbox_router)
api.add_router("", proposals_router)
api.add_router("", screening_router)
api.add_router("", rounds_router)
api.add_router("", library_router)
api.add_router("", assessments_router)
api.add_router("", followup_router)
api.add_router("", insights_router)
api.add_router("", learning_router)


def plain_message(error: Mapping[str, Any]) -> str:
    """Pydantic's error in words a person reads, for the common cases."""
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    messages = {
        "missing": _("This field is required."),
        "int_parsing": _("Must be a whole number."),
        "int_type": _("Must be a whole number."),
        "bool_parsing": _("Must be true or false."),
        "string_type": _("Must be text."),
        "json_invalid": _("The request body is not valid JSON."),
        "date_from_datetime_parsing": _("Must be a date written as YYYY-MM-DD."),
        "date_parsing": _("Must be a date written as YYYY-MM-DD."),
        "value_error": str(context.get("error", error.get("msg", ""))),
    }
    if kind == "greater_than_equal":
        return _("Must be at least %(limit)s.") % {"limit": context.get("ge")}
    if kind == "less_than_equal":
        return _("Must be at most %(limit)s.") % {"limit": context.get("le")}
    if kind == "string_too_long":
        return _("Must be at most %(limit)s characters.") % {"limit": context.get("max_length")}
    if kind == "string_too_short":
        return _("Must be at least %(limit)s characters.") % {"limit": context.get("min_length")}
    if kind in {"literal_error", "enum"}:
        return _("Must be one of: %(choices)s.") % {"choices": context.get("expected", "")}
    if kind == "string_pattern_mismatch":
        return _("Has the wrong format.")
    return messages.get(kind) or str(error.get("msg", _("Is not valid.")))


def field_name(error: Mapping[str, Any]) -> str:
    # loc is ("query", "limit") or ("body", "payload", "submitter", "email"): drop the location
    # and ninja's parameter name, keep the path a caller recognises.
    loc = [str(part) for part in error.get("loc", ())]
    if loc and loc[0] in {"query", "path", "body", "header", "cookie", "form"}:
        loc = loc[1:]
        if loc and loc[0] in {"payload", "data", "filters"}:
            loc = loc[1:]
    return ".".join(loc) or "body"


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [{"field": field_name(error), "message": plain_message(error)} for error in exc.errors]
    return api.create_response(
        request,
        {"detail": _("Some fields are not valid."), "errors": errors},
        status=422,
    )


@api.exception_handler(FieldError)
def field_error(request: HttpRequest, exc: FieldError) -> HttpResponse:
    return api.create_response(
        request,
        {
            "detail": _("Some fields are not valid."),
            "errors": [{"field": exc.field, "message": exc.message}],
        },
        status=exc.status,
    )


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {
            "detail": str(exc.message)
            if exc.message != "Unauthorized"
            else _("Sign in or send a valid API token.")
        },
        status=401,
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(DjangoValidationError)
def model_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A service refused the values (full_clean): name each field as the model does."""
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": "body" if field == "__all__" else field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": "body", "message": message} for message in exc.messages]
    return api.create_response(
        request, {"detail": _("Some fields are not valid."), "errors": errors}, status=422
    )


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(exc) or _("You may not do this.")}, status=403
    )


@api.exception_handler(RateLimitExceeded)
def rate_limited(request: HttpRequest, exc: RateLimitExceeded) -> HttpResponse:
    response = api.create_response(
        request,
        {"detail": _("Too many submissions from your address in the last hour. Try again later.")},
        status=429,
    )
    response["Retry-After"] = "3600"
    return response


@api.exception_handler(RegistrationLimited)
def registrations_limited(request: HttpRequest, exc: RegistrationLimited) -> HttpResponse:
    response = api.create_response(
        request,
        {
            "detail": _(
                "Too many registrations from your address in the last hour. Try again later."
            )
        },
        status=429,
    )
    response["Retry-After"] = "3600"
    return response
