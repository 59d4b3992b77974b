from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from kunnskap.forms import municipality_filter_field, service_area_field, theme_field
from kunnskap.organisations.models import Municipality, Unit

from .choices import CRITERIA, Status, SubmittedFor
from .models import PICO_MAX, QUESTION_MAX, TEXT_MAX, TITLE_MAX
from .services import ProposalInput


def find_municipality(text: str) -> Municipality | None:
    """A municipality from what a person typed: its number, either name, or the list's label."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return Municipality.objects.filter(number=text.zfill(4)).first()
    name = text.split(" (")[0] if text.endswith(")") and " (" in text else text
    matches = list(
        Municipality.objects.filter(
            Q(name__iexact=text) | Q(name__iexact=name) | Q(norwegian_name__iexact=text)
        )[:2]
    )
    return matches[0] if len(matches) == 1 else None


class MunicipalityField(forms.CharField):
    """A text box with the 357 municipalities as suggestions; both names are accepted."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"list": "municipality-options", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return value.display_name if isinstance(value, Municipality) else value

    def clean(self, value: Any) -> Municipality | None:
        text = super().clean(value)
        if not text:
            return None
        municipality = find_municipality(text)
        if municipality is None:
            raise forms.ValidationError(
                _("We do not know a municipality called “%(text)s”. Choose one from the list."),
                params={"text": text},
            )
        return municipality


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} ({obj.municipality.name})"


class NeedForm(forms.Form):
    """The knowledge need as the submitter writes it; shared by the form and the edit page."""

    title = forms.CharField(
        label=_("Your question in a few words"),
        max_length=TITLE_MAX,
        help_text=_("A short title, for example: Music therapy against agitation in dementia."),
    )
    question = forms.CharField(
        label=_("What do you wonder about?"),
        max_length=QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Ask the question you want answered, as precisely as you can. For example: Does music "
            "therapy reduce agitation in nursing-home residents with dementia, compared with "
            "medication?"
        ),
    )
    background = forms.CharField(
        label=_("Why does it matter?"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What happens in your service today, and what would an answer change?"),
    )
    population = forms.CharField(
        label=_("Who does it concern?"),
        max_length=PICO_MAX,
        required=False,
        help_text=_("For example: older people living at home who have fallen before."),
    )
    intervention = forms.CharField(
        label=_("Which measure?"),
        max_length=PICO_MAX,
        required=False,
        help_text=_("For example: strength and balance training in groups."),
    )
    comparison = forms.CharField(
        label=_("Compared with what?"),
        max_length=PICO_MAX,
        required=False,
        help_text=_("For example: ordinary follow-up by the home care service."),
    )
    outcome = forms.CharField(
        label=_("Which outcomes matter?"),
        max_length=PICO_MAX,
        required=False,
        help_text=_("For example: fewer falls, fewer fractures, quality of life."),
    )
    municipality = MunicipalityField(
        label=_("Municipality"),
        help_text=_("Start typing the name. Sámi and Norwegian names both work."),
    )
    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.filter(is_active=True).select_related("municipality"),
        required=False,
        empty_label=_("No unit"),
        help_text=_("If you ask on behalf of a unit, such as a department or USHT."),
        # The list narrows to the municipality's units once one is chosen.
        widget=forms.Select(
            attrs={
                "hx-get": reverse_lazy("proposals:unit_options"),
                "hx-trigger": "change from:#id_municipality",
                "hx-include": "#id_municipality",
                "hx-swap": "innerHTML",
            }
        ),
    )
    service_area = service_area_field(_("Choose a service area"))
    theme = theme_field(_("Choose a theme"))
    decision_deadline = forms.DateField(
        label=_("When must the decision be made?"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only if a decision depends on the answer."),
    )
    submitter_position = forms.CharField(
        label=_("Your position"),
        max_length=200,
        required=False,
        help_text=_("For example: nurse, head of unit, physiotherapist."),
    )
    submitted_for = forms.ChoiceField(
        label=_("Who are you asking for?"),
        choices=SubmittedFor.choices,
        initial=SubmittedFor.MYSELF,
        widget=forms.RadioSelect,
    )
    contact_consent = forms.BooleanField(
        label=_("The secretariat may contact me about the need"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in CRITERIA:
            self.fields[f"criterion_{criterion.key}"] = forms.ChoiceField(
                label=criterion.question,
                choices=criterion.choices,
                required=False,
                widget=forms.RadioSelect,
            )

    def criteria_fields(self) -> list[forms.BoundField]:
        return [self[f"criterion_{criterion.key}"] for criterion in CRITERIA]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        municipality, unit = data.get("municipality"), data.get("unit")
        if municipality and unit and unit.municipality_id != municipality.pk:  # the form's own
            self.add_error("unit", _("The unit does not belong to the chosen municipality."))
        return data

    def criteria(self) -> dict[str, str]:
        return {
            criterion.key: self.cleaned_data[f"criterion_{criterion.key}"]
            for criterion in CRITERIA
            if self.cleaned_data.get(f"criterion_{criterion.key}")
        }

    def changes(self) -> dict[str, Any]:
        """The cleaned values under the model's field names (for the submitter's edit)."""
        data = self.cleaned_data
        fields = [name for name in self.fields if not name.startswith("criterion_")]
        changes = {name: data[name] for name in fields if name in data}
        changes.pop("municipality", None)  # the municipality stays what it was submitted as
        changes["criteria"] = self.criteria()
        return changes

    @classmethod
    def initial_from(cls, proposal: Any) -> dict[str, Any]:
        initial = {name: getattr(proposal, name) for name in cls.base_fields}
        initial["service_area"] = proposal.service_area.key if proposal.service_area else None
        initial["theme"] = proposal.theme.key if proposal.theme else None
        initial.update({f"criterion_{key}": value for key, value in proposal.criteria.items()})
        return initial


class ProposalForm(NeedForm):
    """The public form: the need plus who asks, with a honeypot against spam robots."""

    submitter_name = forms.CharField(label=_("Your name"), max_length=200)
    submitter_email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send the receipt and a private link to follow the need here."),
    )
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    # Set when the form warned of a repeat: sending again then stores the second one.
    repeat_confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    field_order = [*NeedForm.base_fields, "submitter_name", "submitter_email"]

    @staticmethod
    def initial_for(user: Any) -> dict[str, Any]:
        """A signed-in person's name, address and municipality, filled in for her."""
        if not user.is_authenticated:
            return {}
        initial = {"submitter_name": user.get_full_name(), "submitter_email": user.email}
        if getattr(user, "municipality", None) is not None:
            initial["municipality"] = user.municipality
        return initial

    def narrow_units(self) -> None:
        """Before anything is typed, the unit list holds the pre-filled municipality's units."""
        municipality = self.initial.get("municipality")
        unit = self.fields["unit"]
        if not self.is_bound and isinstance(municipality, Municipality):
            assert isinstance(unit, forms.ModelChoiceField)
            unit.queryset = Unit.objects.filter(is_active=True, municipality=municipality)

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("The form could not be sent. Please try again."))
        return ""

    def to_input(self) -> ProposalInput:
        data = self.cleaned_data
        return ProposalInput(
            title=data["title"],
            question=data["question"],
            background=data["background"],
            population=data["population"],
            intervention=data["intervention"],
            comparison=data["comparison"],
            outcome=data["outcome"],
            municipality=data["municipality"],
            unit=data["unit"],
            service_area=data["service_area"],
            theme=data["theme"],
            criteria=self.criteria(),
            decision_deadline=data["decision_deadline"],
            submitter_name=data["submitter_name"],
            submitter_email=data["submitter_email"],
            submitter_position=data["submitter_position"],
            submitted_for=data["submitted_for"],
            contact_consent=data["contact_consent"],
        )


class EndorseForm(forms.Form):
    """Who shares the need: one's own municipality (fixed) and, optionally, one of its units.

    Only someone who may endorse for any municipality (an administrator) chooses it; the unit
    list then follows the municipality typed, as on the proposal form."""

    municipality = MunicipalityField(label=_("Municipality"))
    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.filter(is_active=True).select_related("municipality"),
        required=False,
        empty_label=_("No unit"),
        help_text=_("If a unit of the municipality has the need, such as a department or USHT."),
        widget=forms.Select(
            attrs={
                "hx-get": reverse_lazy("proposals:unit_options"),
                "hx-trigger": "change from:#id_municipality",
                "hx-include": "#id_municipality",
                "hx-swap": "innerHTML",
            }
        ),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the need means for you, if you want to say it."),
    )

    def __init__(self, *args: Any, own: Municipality | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.own = own
        unit = self.fields["unit"]
        assert isinstance(unit, UnitChoiceField)
        units = Unit.objects.filter(is_active=True).select_related("municipality")
        if own is not None:
            del self.fields["municipality"]
            unit.queryset = units.filter(municipality=own)
            unit.widget.attrs = {}
        elif self.is_bound:
            # The units of the municipality typed; until then, none.
            chosen = find_municipality(self.data.get(self.add_prefix("municipality"), ""))
            unit.queryset = units.filter(municipality=chosen)
        else:
            unit.queryset = units.none()

    def clean(self) -> dict[str, Any]:
        super().clean()
        if self.own is not None:
            self.cleaned_data["municipality"] = self.own
        return self.cleaned_data


class ClassificationFilters(forms.Form):
    """Municipality, service area and theme: the filters the public list and the queue share."""

    filters_only = True  # every field narrows a list: none is marked optional

    municipality = municipality_filter_field()
    service_area = service_area_field(_("All service areas"))
    theme = theme_field(_("All themes"))

    def classification(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            "municipality": data["municipality"].number if data["municipality"] else "",
            "service_area": data["service_area"].key if data["service_area"] else "",
            "theme": data["theme"].key if data["theme"] else "",
        }


class ProposalFilterForm(ClassificationFilters):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Status.choices]
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    field_order = ["q", "status", "municipality", "service_area", "theme", "year"]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ResendForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The address you gave when you sent the need."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
