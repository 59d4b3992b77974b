"""Forms of the commission pages; the services hold the rules."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kunnskap.taxonomy.models import PublicationKind

from .models import MilestoneKind, Producer

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProducerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Producer) -> str:
        return obj.name


class CommissionForm(forms.Form):
    producer = ProducerChoiceField(
        label=_("Producer"), queryset=Producer.objects.filter(is_active=True)
    )
    question = forms.CharField(
        label=_("Agreed question"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the producer will answer; it may differ from the need's wording."),
    )
    product_kind = forms.ChoiceField(label=_("Product"), choices=PublicationKind.choices)
    due_on = forms.DateField(label=_("Due date"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in MilestoneKind:
            if kind != MilestoneKind.DELIVERED:
                self.fields[f"milestone_{kind.value}"] = forms.DateField(
                    label=kind.label, required=False, widget=DATE
                )

    def milestone_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("milestone_")]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith("milestone_")]

    def milestones(self) -> dict[str, Any]:
        plan = {
            name.removeprefix("milestone_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("milestone_") and value
        }
        return plan | {MilestoneKind.DELIVERED.value: self.cleaned_data["due_on"]}


class ScopeForm(forms.Form):
    question = forms.CharField(
        label=_("New question"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(
        label=_("Reason for the change"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Milestone"), choices=MilestoneKind.choices)
    done_on = forms.DateField(label=_("Done on"), widget=DATE)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to the submitter and the public on the need's page."),
    )

    def __init__(self, *args: Any, open_kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(k, v) for k, v in MilestoneKind.choices if k in open_kinds]
