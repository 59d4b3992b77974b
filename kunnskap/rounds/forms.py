"""Forms of the rounds pages. Each maps onto one service call; the services validate the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kunnskap.organisations.models import Hub
from kunnskap.proposals.models import Proposal
from kunnskap.taxonomy.models import PublicationKind

from .models import PHASES, Criterion, Outcome, Round
from .selectors import Ranked
from .services import CRITERIA_SETS, ROUND_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
UNKNOWN = "unknown"


class ProposalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Proposal) -> str:
        return f"{obj.public_id} – {obj.title}"


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = list(ROUND_FIELDS)
        widgets = {name: DATE for name in PHASES} | {
            "description": forms.Textarea(attrs={"rows": 3})
        }

    def __init__(self, *args: Any, hubs: QuerySet[Hub] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if hubs is not None:  # a new round: where, and with which criteria
            self.fields["hub"] = forms.ModelChoiceField(
                label=_("Hub"), queryset=hubs, initial=hubs.first() if hubs.count() == 1 else None
            )
            self.fields["criteria_set"] = forms.ChoiceField(
                label=_("Criteria"),
                choices=[(key, label) for key, (label, _make) in CRITERIA_SETS.items()],
                initial="default",
                widget=forms.RadioSelect,
                help_text=_("Weights and texts can be changed until scoring starts."),
            )
        for kind in PublicationKind:
            instance = self.instance if self.instance.pk else Round()
            self.fields[f"cost_{kind.value}"] = forms.IntegerField(
                label=kind.label,
                min_value=1,
                max_value=100,
                initial=instance.cost_of(kind.value),
            )

    def costs(self) -> dict[str, int]:
        return {kind.value: self.cleaned_data[f"cost_{kind.value}"] for kind in PublicationKind}

    def cost_fields(self) -> list[forms.BoundField]:
        return [self[f"cost_{kind.value}"] for kind in PublicationKind]

    def main_fields(self) -> list[forms.BoundField]:
        return [field for field in self if not field.name.startswith("cost_")]


class CriterionForm(forms.ModelForm):
    steps_text = forms.CharField(
        label=_("Help text per step"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One line per step, from the lowest score to the highest."),
    )

    class Meta:
        model = Criterion
        fields = ["label", "help_text", "weight", "scale_max"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["steps_text"].initial = "\n".join(self.instance.steps or [])

    def steps(self) -> tuple[str, ...]:
        return tuple(
            line.strip() for line in self.cleaned_data["steps_text"].splitlines() if line.strip()
        )


CriterionFormSet = forms.modelformset_factory(Criterion, form=CriterionForm, extra=0)


class MemberForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), help_text=_("The person must have a user account.")
    )
    is_chair = forms.BooleanField(label=_("Chair of the committee"), required=False)


class EntryForm(forms.Form):
    proposal = ProposalChoiceField(label=_("Knowledge need"), queryset=None)
    product_kind = forms.ChoiceField(
        label=_("Product"),
        choices=PublicationKind.choices,
        initial=PublicationKind.SHORT_SUMMARY,
        help_text=_("What the producer would deliver; larger products cost more of the capacity."),
    )

    def __init__(self, *args: Any, proposals: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["proposal"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = proposals


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ScorecardForm(forms.Form):
    """One member's card for one need: a score or "don't know" per criterion, or recusal."""

    recused = forms.BooleanField(label=_("I recuse myself (conflict of interest)"), required=False)
    recusal_reason = forms.CharField(label=_("Reason for recusal"), max_length=300, required=False)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, data: Any = None, *, criteria: list[Criterion], card: Any = None, **kwargs: Any
    ):
        initial = {}
        if card is not None:
            initial = {
                "recused": card.recused,
                "recusal_reason": card.recusal_reason,
                "comment": card.comment,
            } | {
                f"c_{score.criterion_id}": score.value if score.value is not None else UNKNOWN
                for score in card.scores.all()
            }
        super().__init__(data, initial=initial, **kwargs)
        self.criteria = criteria
        criterion_fields = {}
        for criterion in criteria:
            choices = [
                (str(value), f"{value} – {text}" if text else str(value))
                for value, text in criterion.step_choices()
            ] + [(UNKNOWN, _("Don't know"))]
            criterion_fields[f"c_{criterion.pk}"] = forms.ChoiceField(
                label=criterion.label,
                help_text=criterion.help_text,
                choices=choices,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "score-choice"}),
            )
        # Criteria first, then recusal and comment.
        self.fields = criterion_fields | dict(self.fields)

    def scores(self) -> dict[str, int | None]:
        """Answered criteria only: an unanswered one stays unanswered."""
        answers = {}
        for criterion in self.criteria:
            value = self.cleaned_data.get(f"c_{criterion.pk}")
            if value:
                answers[criterion.key] = None if value == UNKNOWN else int(value)
        return answers

    def criterion_fields(self) -> list[forms.BoundField]:
        return [self[f"c_{criterion.pk}"] for criterion in self.criteria]


class RecommendationForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the steering group"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, ranked: list[Ranked], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ranked = ranked
        for item in ranked:
            self.fields[f"recommend_{item.entry.pk}"] = forms.BooleanField(
                label=_("Recommend %(id)s") % {"id": item.entry.proposal.public_id},
                required=False,
                initial=item.recommended,
            )
            self.fields[f"reason_{item.entry.pk}"] = forms.CharField(
                label=_("Reason for deviating from the ranking"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple[Ranked, forms.BoundField, forms.BoundField]]:
        return [
            (item, self[f"recommend_{item.entry.pk}"], self[f"reason_{item.entry.pk}"])
            for item in self.ranked
        ]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The submitter and the endorsers read this."),
    )
    decided_on = forms.DateField(label=_("Meeting date"), widget=DATE)
    deferred_to = forms.ModelChoiceField(
        label=_("Deferred to round"),
        queryset=Round.objects.none(),
        required=False,
        help_text=_("Only for a deferred need."),
    )

    def __init__(
        self,
        *args: Any,
        later_rounds: QuerySet[Round],
        next_round: Round | None,
        hub: Hub,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["deferred_to"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = later_rounds
        if next_round is not None:
            # The hub's next round is offered first; a later one can be chosen instead.
            field.empty_label = None
            self.initial.setdefault("deferred_to", next_round.pk)
        else:
            field.empty_label = _("A new round of %(hub)s, created in planning") % {"hub": hub}
            field.help_text = _(
                "Only for a deferred need. The hub has no later round yet: deferring creates "
                "one in planning, and the secretariat sets its timetable."
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("decision") != Outcome.DEFERRED:
            data["deferred_to"] = None  # the round offered for a deferral is not part of others
        return data
