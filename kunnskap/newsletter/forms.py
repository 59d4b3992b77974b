from django import forms
from django.utils.translation import gettext_lazy as _

from kunnskap.taxonomy.models import PublicationKind, Theme

from .models import Frequency


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Frequency.choices,
        initial=Frequency.MONTHLY,
        widget=forms.RadioSelect,
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        required=False,
        queryset=Theme.objects.active(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose none to get every theme."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of product"),
        required=False,
        choices=PublicationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose none to get every kind."),
    )


class IssueForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    include_days = forms.IntegerField(
        label=_("Add the new and started work of the last days"),
        required=False,
        min_value=0,
        max_value=92,
        initial=0,
        help_text=_("0 sends the text alone."),
    )
