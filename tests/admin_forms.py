"""What the admin's change page would post back for an object, as a browser sends it."""

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.forms import BaseForm
from django.test import RequestFactory

from kunnskap.accounts.models import User


def _values(form: BaseForm) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()  # as the widget shows it
        if value is None or isinstance(value, FieldFile):  # a file goes only when chosen anew
            continue
        if isinstance(value, bool):
            if not value:
                continue
            value = "on"
        elif isinstance(value, list | tuple):
            value = [str(item) for item in value]
        data[form.add_prefix(name)] = value
    return data


def change_data(obj: Model, user: User, **changes: Any) -> dict[str, Any]:
    """The change form's data for `obj` unchanged, its inlines included, with `changes`."""
    model_admin = admin.site._registry[type(obj)]
    request = RequestFactory().get("/")
    request.user = user
    form = model_admin.get_form(request, obj, change=True)(instance=obj)
    data = _values(form)
    for formset_class, _inline in model_admin.get_formsets_with_inlines(request, obj):
        formset = formset_class(instance=obj, prefix=formset_class.get_default_prefix())
        management = formset.management_form
        data |= {management.add_prefix(name): value for name, value in management.initial.items()}
        for inline_form in formset.initial_forms:
            data |= _values(inline_form)
    return data | changes
