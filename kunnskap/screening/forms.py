"""The forms of the screening workbench and its queue."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kunnskap.accounts.models import User
from kunnskap.forms import service_area_field, theme_field
from kunnskap.library.models import Publication
from kunnskap.organisations.models import Hub
from kunnskap.proposals.choices import Status
from kunnskap.proposals.forms import ClassificationFilters
from kunnskap.proposals.models import TEXT_MAX, Proposal
from kunnskap.taxonomy.models import PublicationKind

from .models import LiteratureSource, ResearchGap

SCREENING_OUTCOMES = [
    (Status.ELIGIBLE, _("Eligible: ready for a prioritisation round")),
    (Status.ANSWERED, _("Answered by existing knowledge")),
    (Status.PARTLY_ANSWERED, _("Partly answered by existing knowledge")),
    (Status.NEEDS_CLARIFICATION, _("Ask the submitter a question")),
    (Status.DUPLICATE, _("Duplicate: merge into another need")),
    (Status.RESEARCH_GAP, _("Research gap: no research answers it")),
    (Status.OUT_OF_SCOPE, _("Outside the scope")),
]


class WorkingCopyForm(forms.ModelForm):
    service_area = service_area_field(_("Choose a service area"))
    theme = theme_field(_("Choose a theme"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The classification the submitter chose, chosen here too: the fields choose by key,
        # the instance's initial values are ids.
        for name in ("service_area", "theme"):
            self.initial[name] = getattr(self.instance, name)

    class Meta:
        model = Proposal
        fields = [
            "working_question",
            "working_population",
            "working_intervention",
            "working_comparison",
            "working_outcome",
            "service_area",
            "theme",
        ]
        widgets: dict[str, forms.Widget] = {"working_question": forms.Textarea(attrs={"rows": 3})}
        widgets.update(
            {
                name: forms.TextInput()
                for name in (
                    "working_population",
                    "working_intervention",
                    "working_comparison",
                    "working_outcome",
                )
            }
        )


class LiteratureSearchForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("Source"), queryset=LiteratureSource.objects.filter(is_active=True)
    )
    query = forms.CharField(label=_("Search string"), max_length=TEXT_MAX)
    searched_on = forms.DateField(
        label=_("Searched on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    results = forms.IntegerField(label=_("Number of results"), required=False, min_value=0)


class HitForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    url = forms.URLField(label=_("Link"), required=False, max_length=500)
    kind = forms.ChoiceField(label=_("Kind"), choices=PublicationKind.choices)
    note = forms.CharField(
        label=_("What it answers"),
        required=False,
        max_length=300,
        help_text=_("One line the submitter will read."),
    )


class PublicationPickForm(forms.Form):
    """A library publication chosen as (part of) the answer to the need."""

    publication = forms.ModelChoiceField(
        label=_("Publication"), queryset=Publication.objects.visible(), widget=forms.HiddenInput
    )


class LibrarySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the library"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Pick a publication that answers the need; the submitter gets its link."),
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=SCREENING_OUTCOMES, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What is known (answered), the question (clarification), the reason (outside the "
            "scope) or what research is missing (research gap). The submitter reads it."
        ),
    )
    duplicate_of = forms.CharField(
        label=_("Merge into (id)"),
        required=False,
        max_length=20,
        help_text=_("For a duplicate: the id of the need to merge into, such as KB2026-014."),
    )

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_duplicate_of(self) -> Proposal | None:
        public_id = self.cleaned_data["duplicate_of"].strip().upper()
        if not public_id:
            return None
        # A need the screener may not see reads as one that does not exist.
        primary = Proposal.objects.visible_to(self.user).filter(public_id=public_id).first()
        if primary is None:
            raise forms.ValidationError(
                _("There is no need with the id %(id)s."), params={"id": public_id}
            )
        return primary


class AssignForm(forms.Form):
    assignee: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Screener"), queryset=None, required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args: Any, screeners: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = screeners


class ForwardForm(forms.Form):
    hub: forms.ModelChoiceField[Hub] = forms.ModelChoiceField(
        label=_("Send on to"), queryset=None, empty_label=None
    )
    reason = forms.CharField(
        label=_("Why"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, hubs: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["hub"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Hub.objects.filter(pk__in=[hub.pk for hub in hubs])


class QueueFilterForm(ClassificationFilters):
    assignee = forms.ChoiceField(
        label=_("Screener"),
        required=False,
        choices=[("", _("Anyone")), ("me", _("Me")), ("nobody", _("Nobody yet"))],
    )
    min_days = forms.IntegerField(label=_("Waited at least (days)"), required=False, min_value=0)
    conflicts = forms.BooleanField(label=_("Only disagreements"), required=False)


class ResearchGapForm(forms.ModelForm):
    class Meta:
        model = ResearchGap
        fields = ["status", "contact", "links"]
        widgets = {"links": forms.Textarea(attrs={"rows": 3})}
