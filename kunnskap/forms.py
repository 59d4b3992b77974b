"""Forms render as Designsystemet fields: label, description and error wired together.

Every project form gets this through FORM_RENDERER; no form needs a mixin. Django itself adds
`aria-describedby` (pointing at `<id>_helptext` and `<id>_error`) and `aria-invalid`; the
templates under templates/forms give those elements their ids and Designsystemet's classes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.forms import BoundField, CheckboxInput, CheckboxSelectMultiple, RadioSelect, Widget
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CHOICE_WIDGETS = (CheckboxInput, RadioSelect, CheckboxSelectMultiple)


class DesignsystemetBoundField(BoundField):
    def build_widget_attrs(
        self, attrs: dict[str, Any], widget: Widget | None = None
    ) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if not widget.is_hidden:
            classes = widget.attrs.get("class", "")
            attrs["class"] = f"ds-input {classes}".strip()
        return attrs

    @property
    def is_checkbox(self) -> bool:
        return isinstance(self.field.widget, CheckboxInput)


class DesignsystemetFormRenderer(TemplatesSetting):
    """Looks templates up in the project's templates first, so forms/field.html is ours."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = DesignsystemetBoundField


def add_errors(form: Any, error: Any) -> None:
    """Put a service's ValidationError on the form: on the field it names, else on the form."""
    if hasattr(error, "error_dict"):
        for field, texts in error.message_dict.items():
            for text in texts:
                form.add_error(field if field in form.fields else None, text)
    else:
        form.add_error(None, error)


def choices_from(form: forms.BaseForm, name: str, queryset: Any) -> None:
    """Narrow the choices of one of the form's model choice fields to `queryset`."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def municipality_filter_field() -> forms.ModelChoiceField:
    """An optional choice of one municipality by its number, for the lists' filters."""
    from kunnskap.organisations.models import Municipality

    return forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.all(),
        to_field_name="number",
        required=False,
        empty_label=_("All municipalities"),
    )


def service_area_field(empty_label: StrOrPromise) -> forms.ModelChoiceField:
    """An optional choice of one active service area, chosen by its key."""
    from kunnskap.taxonomy.models import ServiceArea

    return forms.ModelChoiceField(
        label=_("Service area"),
        queryset=ServiceArea.objects.active(),
        to_field_name="key",
        required=False,
        empty_label=empty_label,
    )


def theme_field(empty_label: StrOrPromise) -> forms.ModelChoiceField:
    """An optional choice of one active theme, chosen by its key."""
    from kunnskap.taxonomy.models import Theme

    return forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.active(),
        to_field_name="key",
        required=False,
        empty_label=empty_label,
    )
