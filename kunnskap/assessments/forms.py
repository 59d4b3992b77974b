"""Forms of the mini-HTA pages. Section answers are read by `answers.from_post`, not a Form:
their shape (tables of rows) comes from the template's data."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kunnskap.organisations.models import Municipality
from kunnskap.taxonomy.models import Theme

from .models import TITLE_MAX, Assessment, ParticipantRole

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def themes_field() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Themes"),
        required=False,
        queryset=Theme.objects.active(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The library, theme feeds and newsletters find the mini-HTA by its themes."),
    )


class StartForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        help_text=_(
            "Name the measure, for example “Digital night supervision in sheltered housing”."
        ),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none()
    )
    expected_on = forms.DateField(label=_("Expected completion"), required=False, widget=DATE)
    summary = forms.CharField(
        label=_("What the assessment is about"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the library while the work goes on."),
    )
    themes = themes_field()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        if user.is_superuser:
            field.queryset = Municipality.objects.order_by("name")
        else:
            field.queryset = Municipality.objects.filter(pk=user.municipality_id)
            field.initial = user.municipality_id
            field.empty_label = None


class EditForm(forms.ModelForm):
    themes = themes_field()

    class Meta:
        model = Assessment
        fields = ["title", "expected_on", "summary", "themes"]
        widgets = {"expected_on": DATE, "summary": forms.Textarea(attrs={"rows": 4})}


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=200,
        help_text=_("Used when the person has no user yet."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(r.value, r.label) for r in ParticipantRole if r != ParticipantRole.LEAD],
        widget=forms.RadioSelect,
        initial=ParticipantRole.MEMBER,
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What still needs work"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("What changed since the last version"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed from the second version on."),
    )
