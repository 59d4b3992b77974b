from django import forms
from django.utils.translation import gettext_lazy as _

from .models import County


class MunicipalitySearchForm(forms.Form):
    filters_only = True  # every field narrows a list: none is marked optional

    q = forms.CharField(
        label=_("Name or number"),
        required=False,
        max_length=100,
        help_text=_("Sámi and Norwegian names both work, for example Guovdageaidnu or Kautokeino."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    county = forms.ModelChoiceField(
        label=_("County"),
        queryset=County.objects.all(),
        required=False,
        empty_label=_("All counties"),
        to_field_name="number",
    )

    def clean_county(self) -> str:
        county = self.cleaned_data["county"]
        return county.number if county else ""
