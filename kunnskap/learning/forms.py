"""Forms of Kunnskapsbroen; the services check the rules, these check the shapes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from kunnskap.forms import choices_from, service_area_field
from kunnskap.library.models import Publication
from kunnskap.organisations.models import Hub, Municipality, Region, Unit
from kunnskap.proposals.forms import MunicipalityField
from kunnskap.screening.models import LiteratureSource
from kunnskap.taxonomy.models import PublicationKind

from .models import TEXT_MAX, EventKind, MemberRole, ResourceKind, Team, TeamKind

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def text_area(label: Any, required: bool = True, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        validators=[MaxLengthValidator(TEXT_MAX)],
    )


class TeamForm(forms.Form):
    hub = forms.ModelChoiceField(label=_("Hub"), queryset=Hub.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label=_("Kind of team"), choices=TeamKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    municipality = MunicipalityField(
        label=_("Municipality"), required=False, help_text=_("Required for a KBP team.")
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.filter(is_active=True), required=False
    )
    service_area = service_area_field(_("No service area"))
    researcher_team = forms.ModelChoiceField(
        label=_("Researcher team"),
        queryset=Team.objects.filter(kind=TeamKind.RESEARCHER),
        required=False,
        help_text=_("The researchers who guide this team."),
    )
    description = text_area(_("Description"), required=False)

    def __init__(self, *args: Any, hubs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_from(self, "hub", hubs)
        choices_from(
            self, "researcher_team", Team.objects.filter(kind=TeamKind.RESEARCHER, hub__in=hubs)
        )
        choices_from(self, "unit", Unit.objects.none())
        municipality = self.data.get("municipality") if self.is_bound else None
        if municipality:
            from kunnskap.proposals.forms import find_municipality

            found = find_municipality(municipality)
            if found is not None:
                choices_from(self, "unit", Unit.objects.filter(municipality=found, is_active=True))


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(
        label=_("Name"), max_length=200, required=False, help_text=_("For someone without a user.")
    )
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)


class CaseForm(forms.Form):
    title = forms.CharField(label=_("The need in a few words"), max_length=200)
    question = text_area(_("Question"))
    population = text_area(_("Population (P)"), required=False, rows=2)
    intervention = text_area(_("Intervention (I)"), required=False, rows=2)
    comparison = text_area(_("Comparison (C)"), required=False, rows=2)
    outcome = text_area(_("Outcome (O)"), required=False, rows=2)


class SearchForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("Source"), queryset=LiteratureSource.objects.filter(is_active=True)
    )
    query = forms.CharField(label=_("Search string"), max_length=TEXT_MAX)
    searched_on = forms.DateField(label=_("Searched on"), widget=DATE)
    results = forms.IntegerField(label=_("Number of results"), min_value=0, required=False)


class FindingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    url = forms.URLField(label=_("Link"), max_length=500, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=PublicationKind.choices, initial=PublicationKind.OTHER
    )
    note = forms.CharField(label=_("What it answers"), max_length=300, required=False)


class NoteForm(forms.Form):
    text = text_area(_("Note"))
    decision = forms.BooleanField(label=_("This is a decision of the team"), required=False)


class MentorForm(forms.Form):
    mentor = forms.ModelChoiceField(label=_("Mentor"), queryset=Team.objects.none())

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_from(self, "mentor", candidates)


class FoundForm(forms.Form):
    conclusion = text_area(_("What the team found"))
    publications = forms.CharField(
        label=_("Library publications"),
        required=False,
        help_text=_("Numbers of publications in the library, separated by commas."),
    )

    def clean_publications(self) -> list[Publication]:
        text = self.cleaned_data.get("publications", "")
        numbers = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
        if any(not number.isdigit() for number in numbers):
            raise forms.ValidationError(_("Write the numbers only, separated by commas."))
        found = list(Publication.objects.visible().filter(pk__in=[int(n) for n in numbers]))
        if len(found) != len(set(numbers)):
            raise forms.ValidationError(_("One of the numbers is no publication in the library."))
        return found


class ResearchNeedForm(forms.Form):
    conclusion = text_area(_("What research is missing"))
    register_gap = forms.BooleanField(
        label=_("Register it in the research-gap register at once (secretariat)"), required=False
    )


class EventForm(forms.Form):
    hub = forms.ModelChoiceField(label=_("Hub"), queryset=Hub.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = text_area(_("Description"), required=False, rows=4)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=100_000)
    registration_deadline = forms.DateTimeField(label=_("Registration deadline"), widget=DATETIME)
    regions = forms.ModelMultipleChoiceField(
        label=_("For the KSF regions"),
        queryset=Region.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    municipalities = forms.CharField(
        label=_("For the municipalities"),
        required=False,
        help_text=_("Names or numbers, separated by commas. Empty: open to everyone."),
    )

    def __init__(self, *args: Any, hubs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_from(self, "hub", hubs)

    def clean_municipalities(self) -> list[Municipality]:
        from kunnskap.proposals.forms import find_municipality

        found = []
        for text in self.cleaned_data.get("municipalities", "").split(","):
            if not text.strip():
                continue
            municipality = find_municipality(text)
            if municipality is None:
                raise forms.ValidationError(
                    _("We do not know a municipality called “%(text)s”. Choose one from the list."),
                    params={"text": text.strip()},
                )
            found.append(municipality)
        return found


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME)
    place = forms.CharField(label=_("Place or video link"), max_length=300)


SessionFormSet = forms.formset_factory(SessionForm, extra=3, max_num=20, min_num=1)


class EventUpdateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = text_area(_("Description"), required=False, rows=4)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=100_000)
    registration_deadline = forms.DateTimeField(label=_("Registration deadline"), widget=DATETIME)


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    municipality = MunicipalityField(label=_("Municipality"))


class MailForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = text_area(_("Message"), rows=6)
    waiting = forms.BooleanField(label=_("Also to the waiting list"), required=False)


class ResourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Link"), max_length=500)


class CourseAssessmentForm(forms.Form):
    assessment = forms.IntegerField(
        label=_("Mini-HTA number"),
        min_value=1,
        help_text=_("The number in the mini-HTA's address."),
    )
