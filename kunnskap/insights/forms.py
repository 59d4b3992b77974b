"""The statistics filters: hub, round, period, KSF region, cluster and municipality."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kunnskap.forms import municipality_filter_field
from kunnskap.organisations.models import Cluster, Hub, Region
from kunnskap.rounds.models import Round

from .selectors import Filters


class RoundChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.hub.name})"


class FilterForm(forms.Form):
    filters_only = True  # every field narrows the numbers: none is marked optional

    hub = forms.ModelChoiceField(
        label=_("Hub"),
        queryset=Hub.objects.filter(is_active=True).order_by("level", "name"),
        required=False,
        empty_label=_("All hubs"),
    )
    round = RoundChoiceField(
        label=_("Round"),
        queryset=Round.objects.select_related("hub").order_by("-proposals_close", "-pk"),
        required=False,
        empty_label=_("All rounds"),
    )
    start = forms.DateField(
        label=_("Submitted from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=_("Submitted to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    region = forms.ModelChoiceField(
        label=_("KSF region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("All regions"),
    )
    cluster = forms.ModelChoiceField(
        label=_("Municipal cluster"),
        queryset=Cluster.objects.all(),
        required=False,
        empty_label=_("All clusters"),
    )
    municipality = municipality_filter_field()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date must not be before the start date."))
        return data

    def filters(self) -> Filters:
        """The valid filters; an invalid field narrows nothing (its error shows at the field)."""
        data = self.cleaned_data if self.is_valid() else getattr(self, "cleaned_data", {})
        return Filters(
            hub=data.get("hub"),
            round=data.get("round"),
            start=data.get("start"),
            end=data.get("end"),
            region=data.get("region"),
            cluster=data.get("cluster"),
            municipality=data.get("municipality"),
        )


class PublicFilterForm(FilterForm):
    """The public page's filters: a hub and a round (seed 003's tables per hub and round)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("start", "end", "region", "cluster", "municipality"):
            del self.fields[name]
