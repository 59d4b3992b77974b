"""Forms of the library: the search with its filters, and the editor's publication form."""

from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from kunnskap.accounts.models import User
from kunnskap.commissions.models import Producer
from kunnskap.organisations.models import Municipality
from kunnskap.proposals.models import Proposal
from kunnskap.taxonomy.models import PublicationKind, ServiceArea, Theme

from .models import Certainty, PublicationStatus
from .selectors import NEWEST, RELEVANCE, LibraryQuery
from .services import PublicationInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SearchForm(forms.Form):
    """The query string of /bibliotek/: bad values are ignored rather than refused."""

    filters_only = True
    q = forms.CharField(label=_("Search the library"), required=False, max_length=500)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(RELEVANCE, _("Relevance")), (NEWEST, _("Newest first"))],
    )

    def query(self) -> LibraryQuery:
        data = self.data

        def number(name: str) -> int | None:
            value = data.get(name, "")
            return int(value) if value.isdigit() else None

        kind = data.get("type", "")
        status = data.get("status", "")
        return LibraryQuery(
            q=(data.get("q") or "")[:500],
            kind=kind if kind in PublicationKind.values else "",
            theme=data.get("tema", "")[:80],
            service_area=data.get("omrade", "")[:80],
            year=number("ar"),
            producer=number("produsent"),
            status=status if status in PublicationStatus.values else "",
            sort=NEWEST if data.get("sort") == NEWEST else RELEVANCE,
        )


# The facets' query parameters, in Norwegian like the page's address.
FACET_PARAMETERS = {
    "kind": "type",
    "theme": "tema",
    "service_area": "omrade",
    "year": "ar",
    "producer": "produsent",
    "status": "status",
}


class PublicationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=PublicationKind.choices)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (PublicationStatus.PUBLISHED, PublicationStatus.PUBLISHED.label),
            (PublicationStatus.ONGOING, PublicationStatus.ONGOING.label),
        ],
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(
        label=_("Summary in plain language"), widget=forms.Textarea(attrs={"rows": 5})
    )
    key_messages = forms.CharField(
        label=_("Key messages"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One message per line."),
    )
    question = forms.CharField(
        label=_("Question"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    population = forms.CharField(label=_("Population"), required=False, max_length=2000)
    intervention = forms.CharField(label=_("Intervention"), required=False, max_length=2000)
    comparison = forms.CharField(label=_("Comparison"), required=False, max_length=2000)
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=2000)
    certainty = forms.ChoiceField(
        label=_("Certainty of the evidence (GRADE)"),
        required=False,
        choices=[("", _("Not graded")), *Certainty.choices],
    )
    producer = forms.ModelChoiceField(
        label=_("Producer"), required=False, queryset=Producer.objects.filter(is_active=True)
    )
    authors = forms.CharField(label=_("Authors"), required=False, max_length=1000)
    started_on = forms.DateField(label=_("Started"), required=False, widget=DATE)
    expected_on = forms.DateField(label=_("Expected"), required=False, widget=DATE)
    published_on = forms.DateField(label=_("Published"), required=False, widget=DATE)
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    pdf = forms.FileField(
        label=_("PDF"),
        required=False,
        help_text=_("At most 20 MB."),
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        required=False,
        queryset=Theme.objects.active(),
        widget=forms.CheckboxSelectMultiple,
    )
    service_areas = forms.ModelMultipleChoiceField(
        label=_("Service areas"),
        required=False,
        queryset=ServiceArea.objects.active(),
        widget=forms.CheckboxSelectMultiple,
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality (for a mini-HTA)"),
        required=False,
        queryset=Municipality.objects.order_by("name"),
    )
    proposals = forms.CharField(
        label=_("Knowledge needs it answers"),
        required=False,
        help_text=_("Their ids, separated by commas, e.g. KB2026-014."),
    )
    note = forms.CharField(
        label=_("What changed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when a published product changes; readers see it in the history."),
    )

    def __init__(
        self, *args: Any, user: User | AnonymousUser, editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not editing:
            del self.fields["note"]

    def clean_proposals(self) -> list[Proposal]:
        ids = [part.strip().upper() for part in self.cleaned_data["proposals"].split(",")]
        ids = [i for i in ids if i]
        # A need the editor may not see reads as one that does not exist.
        visible = Proposal.objects.visible_to(self.user)
        found = {p.public_id: p for p in visible.filter(public_id__in=ids)}
        missing = [i for i in ids if i not in found]
        if missing:
            raise forms.ValidationError(
                _("No knowledge need has the id %(ids)s.") % {"ids": ", ".join(missing)}
            )
        return [found[i] for i in ids]

    def to_input(self) -> PublicationInput:
        data = dict(self.cleaned_data)
        for name in ("pdf", "note"):
            data.pop(name, None)
        data["themes"] = list(data["themes"])
        data["service_areas"] = list(data["service_areas"])
        return PublicationInput(**data)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
