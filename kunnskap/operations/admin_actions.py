"""Admin actions for personal data (GDPR), used on the users' and the needs' admin lists.
Only administrators (superusers) may run them: they reach every app's rows."""

import json
from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from .personal_data import personal_data_erase, personal_data_export


def personal_data_actions(email_of: Callable[[Any], str]) -> list[Callable]:
    """An export and an erase action for a list whose rows name a person by `email_of(row)`."""

    def emails(queryset: QuerySet) -> list[str]:
        return sorted({email_of(row).lower() for row in queryset if email_of(row)})

    @admin.action(description=_("Export personal data (JSON)"))
    def export_personal_data(modeladmin, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        if not request.user.is_superuser:
            raise PermissionDenied
        data = [personal_data_export(email=email) for email in emails(queryset)]
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="personopplysninger.json"'
        return response

    @admin.action(description=_("Erase personal data (keeps the needs)"))
    def erase_personal_data(modeladmin, request: HttpRequest, queryset: QuerySet) -> None:
        if not request.user.is_superuser:
            raise PermissionDenied
        people = emails(queryset)
        for email in people:
            personal_data_erase(email=email)
        modeladmin.message_user(
            request, _("Personal data of %d person(s) erased.") % len(people), messages.SUCCESS
        )

    return [export_personal_data, erase_personal_data]
