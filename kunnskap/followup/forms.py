"""Forms of follow-up: a step of an adoption, an evaluation with its measures, a mini-HTA's
decision, a pilot, a question about a pilot, usefulness, and the filters of the lists."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kunnskap.forms import choices_from, service_area_field, theme_field
from kunnskap.library.models import Publication
from kunnskap.organisations.models import Hub, Municipality, Unit
from kunnskap.proposals.forms import find_municipality
from kunnskap.proposals.models import Proposal

from .models import (
    NOTE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    AdoptionStatus,
    HtaDecisionKind,
    NotAdoptedReason,
    OldPractice,
    Verdict,
)
from .services import MeasureInput, PilotInput

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kunnskap.accounts.models import User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
STEP_CHOICES = [(s.value, s.label) for s in AdoptionStatus if s != AdoptionStatus.EVALUATED]


class AdoptionForm(forms.Form):
    status = forms.ChoiceField(label=_("What did you do?"), choices=STEP_CHOICES)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("The whole municipality"),
    )
    reason = forms.ChoiceField(
        label=_("Why not?"),
        choices=[("", "—"), *NotAdoptedReason.choices],
        required=False,
        help_text=_("Only when the product was not adopted."),
    )
    on = forms.DateField(label=_("Date"), widget=DATE)
    evaluation_due = forms.DateField(
        label=_("Evaluate by"),
        required=False,
        widget=DATE,
        help_text=_("When it comes into use; 12 months on if left empty."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen by your municipality and its secretariat only."),
    )

    def __init__(
        self, *args: Any, municipality: Municipality | None, with_unit: bool = True, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        units = Unit.objects.none()
        if with_unit and municipality is not None:
            units = Unit.objects.filter(municipality=municipality, is_active=True).order_by("name")
        if units.exists():
            choices_from(self, "unit", units)
        else:
            del self.fields["unit"]


class MeasureForm(forms.Form):
    what = forms.CharField(label=_("What was measured"), max_length=300, required=False)
    before = forms.FloatField(label=_("Before"), required=False)
    after = forms.FloatField(label=_("After"), required=False)
    unit = forms.CharField(label=_("Unit of measurement"), max_length=60, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("what") and any(
            data.get(name) not in (None, "") for name in ("before", "after", "unit")
        ):
            self.add_error("what", _("Say what was measured."))
        return data


MeasureFormSet = forms.formset_factory(MeasureForm, extra=3, max_num=10)


class EvaluationForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Did it work?"), choices=Verdict.choices, widget=forms.RadioSelect
    )
    evaluated_on = forms.DateField(label=_("Evaluated on"), widget=DATE)
    old_practice = forms.ChoiceField(
        label=_("Was the old practice stopped?"),
        choices=OldPractice.choices,
        widget=forms.RadioSelect,
    )
    cost = forms.CharField(
        label=_("What it cost"),
        required=False,
        max_length=500,
        help_text=_("Money, hours or other resources, in words."),
    )
    note = forms.CharField(
        label=_("What we found"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Public: other municipalities read it before they start."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["evaluated_on"].initial = timezone.localdate()


def measures_from(formset: Any) -> list[MeasureInput]:
    return [
        MeasureInput(
            what=form.cleaned_data["what"],
            before=form.cleaned_data.get("before"),
            after=form.cleaned_data.get("after"),
            unit=form.cleaned_data.get("unit") or "",
        )
        for form in formset.forms
        if form.cleaned_data.get("what")
    ]


class HtaDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=HtaDecisionKind.choices, widget=forms.RadioSelect
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the measure is adopted on conditions."),
    )
    meeting = forms.CharField(
        label=_("Decision meeting"),
        max_length=300,
        help_text=_("For example the leaders' meeting of 3 March."),
    )
    decided_by = forms.CharField(
        label=_("Who decided"),
        max_length=300,
        help_text=_("A role or a body, not a person's name: it is shown publicly."),
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)


class PilotForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("Description"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you try, for whom, and why."),
    )
    municipality = forms.CharField(
        label=_("Municipality"), help_text=_("Its name or four-digit number.")
    )
    service_area = service_area_field(_("Choose a service area"))
    theme = theme_field(_("Choose a theme"))
    started_on = forms.DateField(label=_("Started"), widget=DATE)
    evaluation_due = forms.DateField(label=_("Planned evaluation"), required=False, widget=DATE)
    contact_role = forms.CharField(
        label=_("Contact role"),
        max_length=200,
        help_text=_("A role, such as “FoU-kontakt”, not a person's name: the page is public."),
    )
    findings = forms.CharField(
        label=_("What we found"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    publications = forms.CharField(
        label=_("Products it rests on"),
        required=False,
        help_text=_("Their numbers in the library, separated by commas, e.g. 12, 40."),
    )
    proposals = forms.CharField(
        label=_("Knowledge needs it rests on"),
        required=False,
        help_text=_("Their ids, separated by commas, e.g. KB2026-014."),
    )

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_municipality(self) -> Municipality:
        found = find_municipality(self.cleaned_data["municipality"])
        if found is None:
            raise forms.ValidationError(_("No municipality has this name or number."))
        return found

    def clean_publications(self) -> list[Publication]:
        parts = [p.strip() for p in self.cleaned_data["publications"].split(",") if p.strip()]
        if any(not p.isdigit() for p in parts):
            raise forms.ValidationError(_("Write the numbers only, separated by commas."))
        ids = [int(p) for p in parts]
        found = Publication.objects.visible().in_bulk(ids)
        missing = [str(i) for i in ids if i not in found]
        if missing:
            raise forms.ValidationError(
                _("No product has the number %(ids)s.") % {"ids": ", ".join(missing)}
            )
        return [found[i] for i in ids]

    def clean_proposals(self) -> list[Proposal]:
        ids = [part.strip().upper() for part in self.cleaned_data["proposals"].split(",")]
        ids = [i for i in ids if i]
        visible = Proposal.objects.visible_to(self.user)
        found = {p.public_id: p for p in visible.filter(public_id__in=ids)}
        missing = [i for i in ids if i not in found]
        if missing:
            raise forms.ValidationError(
                _("No knowledge need has the id %(ids)s.") % {"ids": ", ".join(missing)}
            )
        return [found[i] for i in ids]

    def to_input(self) -> PilotInput:
        return PilotInput(**self.cleaned_data)


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Your e-mail address"))
    message = forms.CharField(
        label=_("Your question"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )


class UsefulnessForm(forms.Form):
    useful = forms.TypedChoiceField(
        label=_("Was this useful for a decision?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seen by the producers, the editors and the steering group."),
    )


class PilotFilterForm(forms.Form):
    """The register's query string: bad values are ignored rather than refused."""

    filters_only = True
    q = forms.CharField(label=_("Search the pilots"), required=False, max_length=500)
    service_area = service_area_field(_("All service areas"))
    theme = theme_field(_("All themes"))


class AccountabilityFilterForm(forms.Form):
    filters_only = True
    hub = forms.ModelChoiceField(
        label=_("Hub"),
        queryset=Hub.objects.filter(is_active=True),
        required=False,
        empty_label=_("All hubs"),
    )
    theme = theme_field(_("All themes"))
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
