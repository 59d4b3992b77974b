"""Pages of a round: the public timetable and decision log, the secretariat's set-up, each
member's scoring page, the ranking, the recommendation and the steering group's decisions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kunnskap.accounts import policy
from kunnskap.accounts.models import User
from kunnskap.accounts.policy import Permission
from kunnskap.forms import add_errors
from kunnskap.lib.http import AuthenticatedHttpRequest, HtmxHttpRequest
from kunnskap.lib.pdf import PdfUnavailable, pdf_response, pdf_unavailable

from . import documents, selectors, services
from .forms import (
    CriterionFormSet,
    DecisionForm,
    EntryForm,
    MemberForm,
    ReasonForm,
    RecommendationForm,
    RoundForm,
    ScorecardForm,
)
from .models import Entry, Member, Round, Stage

PAGE_SIZE = 25


def _round(pk: int) -> Round:
    return get_object_or_404(Round.objects.select_related("hub"), pk=pk)


def round_list(request: HtmxHttpRequest) -> HttpResponse:
    """Every round's timetable, and the rounds the visitor scores in."""
    page = Paginator(selectors.rounds_visible(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "rounds/list.html",
        {
            "page": page,
            "memberships": selectors.member_rounds(request.user),
            "may_create": policy.hubs_where(request.user, Permission.MANAGE_ROUNDS).exists(),
        },
    )


def round_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    round_ = _round(pk)
    member = policy.round_member(request.user, round_)
    entries = selectors.entries(round_).order_by("rank", "proposal__public_id")
    return render(
        request,
        "rounds/detail.html",
        {
            "round": round_,
            "entries": entries,
            "criteria": round_.criteria.all(),
            "member": member,
            "may_manage": policy.may_manage_round(request.user, round_),
            "may_see_scores": policy.may_see_scores(request.user, round_, member),
            "may_decide": policy.may_decide(request.user, round_),
            "counts": selectors.outcome_counts(entries),
        },
    )


@login_required
def round_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    hubs = policy.hubs_where(request.user, Permission.MANAGE_ROUNDS)
    if not hubs.exists():
        raise PermissionDenied
    form = RoundForm(request.POST or None, hubs=hubs)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        hub = data.pop("hub")
        _label, make_criteria = services.CRITERIA_SETS[data.pop("criteria_set")]
        for key in [name for name in data if name.startswith("cost_")]:
            data.pop(key)
        try:
            round_ = services.round_create(
                hub=hub,
                actor=request.user,
                costs=form.costs(),
                criteria=make_criteria(),
                **data,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The round is created. Add the committee and the needs."))
            return redirect("rounds:manage", pk=round_.pk)
    return render(request, "rounds/create.html", {"form": form}, status=422 if form.errors else 200)


def _manage_forms(request: HttpRequest, round_: Round, action: str) -> dict[str, Any]:
    data = request.POST if request.method == "POST" else None

    def pick(name: str) -> Any:
        return data if action == name else None

    return {
        "settings": RoundForm(pick("settings"), instance=round_, prefix="settings"),
        "criteria": CriterionFormSet(
            pick("criteria"), queryset=round_.criteria.all(), prefix="criteria"
        ),
        "member": MemberForm(pick("member"), prefix="member"),
        "entry": EntryForm(
            pick("entry"), prefix="entry", proposals=selectors.eligible_proposals(round_)
        ),
        "remove_entry": ReasonForm(pick("remove_entry"), prefix="remove"),
    }


def _manage_act(request: HttpRequest, round_: Round, action: str, forms: dict[str, Any]) -> str:
    user = request.user
    assert isinstance(user, User)
    post = request.POST
    if action == "settings":
        form = forms["settings"]
        changes = {
            name: value for name, value in form.cleaned_data.items() if not name.startswith("cost_")
        }
        services.round_update(round_=round_, actor=user, changes=changes, costs=form.costs())
        return _("The round's set-up is saved.")
    if action == "criteria":
        criteria = [
            services.CriterionInput(
                key=criterion_form.instance.key,
                label=criterion_form.cleaned_data["label"],
                help_text=criterion_form.cleaned_data["help_text"],
                scale_max=criterion_form.cleaned_data["scale_max"],
                weight=criterion_form.cleaned_data["weight"],
                steps=criterion_form.steps(),
            )
            for criterion_form in forms["criteria"].forms
        ]
        services.round_update(round_=round_, actor=user, changes={}, criteria=criteria)
        return _("The criteria are saved.")
    if action == "member":
        data = forms["member"].cleaned_data
        person = User.objects.filter(email__iexact=data["email"]).first()
        if person is None:
            raise ValidationError({"email": _("No user has this e-mail address.")})
        services.member_add(round_=round_, user=person, actor=user, is_chair=data["is_chair"])
        return _("%(name)s is on the committee.") % {"name": person}
    if action == "remove_member":
        member = get_object_or_404(Member, round=round_, pk=post.get("member"))
        services.member_remove(member=member, actor=user)
        return _("%(name)s has left the committee.") % {"name": member.user}
    if action == "reopen":
        member = get_object_or_404(Member, round=round_, pk=post.get("member"))
        services.scores_reopen(member=member, actor=user)
        return _("%(name)s can change her scores again.") % {"name": member.user}
    if action == "entry":
        data = forms["entry"].cleaned_data
        entry = services.entry_add(
            round_=round_, proposal=data["proposal"], actor=user, product_kind=data["product_kind"]
        )
        return _("%(id)s is in the round.") % {"id": entry.proposal.public_id}
    if action == "remove_entry":
        entry = get_object_or_404(Entry, round=round_, pk=post.get("entry"))
        services.entry_remove(
            entry=entry, actor=user, reason=forms["remove_entry"].cleaned_data["reason"]
        )
        return _("%(id)s has left the round.") % {"id": entry.proposal.public_id}
    if action == "open":
        services.scoring_open(round_=round_, actor=user)
        return _("Scoring is open, and the members have been told.")
    services.scoring_close(round_=round_, actor=user)
    return _("Scoring is closed. Every saved score counts.")


FORMLESS_ACTIONS = {"remove_member", "reopen", "open", "close"}


@login_required
def round_manage(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round_ = _round(pk)
    if not policy.may_manage_round(request.user, round_):
        raise PermissionDenied
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = _manage_forms(request, round_, action)
    target = forms.get(action)
    if action in FORMLESS_ACTIONS or (target is not None and target.is_valid()):
        try:
            message = _manage_act(request, round_, action, forms)
        except ValidationError as error:
            if target is None or isinstance(target, CriterionFormSet):
                messages.error(request, " ".join(error.messages))
                return redirect("rounds:manage", pk=pk)
            add_errors(target, error)
        else:
            messages.success(request, message)
            return redirect("rounds:manage", pk=pk)
    return render(
        request,
        "rounds/manage.html",
        {
            "round": round_,
            "forms": forms,
            "progress": selectors.scoring_progress(round_),
            "entries": selectors.entries(round_).order_by("proposal__public_id"),
            "has_scores": round_.criteria.filter(scores__isnull=False).exists(),
        },
        status=422 if action and target is not None and not target.is_valid() else 200,
    )


def _member_or_403(request: HttpRequest, round_: Round) -> Member:
    member = policy.round_member(request.user, round_)
    if member is None:
        raise PermissionDenied
    return member


def _scorecard_forms(
    request: HttpRequest, member: Member, criteria: list[Any], bound_entry: int | None
) -> list[tuple[Entry, ScorecardForm]]:
    cards = selectors.scorecards_of(member)
    rows: list[tuple[Entry, ScorecardForm]] = []
    for entry in selectors.entries(member.round).order_by("proposal__public_id"):
        data = request.POST if bound_entry == entry.pk else None
        rows.append(
            (
                entry,
                ScorecardForm(
                    data, criteria=criteria, card=cards.get(entry.pk), prefix=f"e{entry.pk}"
                ),
            )
        )
    return rows


@login_required
def score(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A member's own page: every need of the round, her scores, and the button to submit."""
    round_ = _round(pk)
    member = _member_or_403(request, round_)
    criteria = list(round_.criteria.all())
    action = request.POST.get("action", "") if request.method == "POST" else ""
    bound_entry = (
        int(request.POST["entry"])
        if action == "save" and request.POST.get("entry", "").isdigit()
        else None
    )
    rows = _scorecard_forms(request, member, criteria, bound_entry)
    status = 200
    if action == "submit":
        try:
            services.scores_submit(member=member, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your scores are submitted. You can now see the others'."))
            return redirect("rounds:ranking", pk=pk)
        return redirect("rounds:score", pk=pk)
    if action == "save":
        entry, form = next(((e, f) for e, f in rows if e.pk == bound_entry), (None, None))
        if entry is None or form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.scorecard_save(
                    member=member,
                    actor=request.user,
                    entry=entry,
                    scores=form.scores(),
                    recused=form.cleaned_data["recused"],
                    recusal_reason=form.cleaned_data["recusal_reason"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                add_errors(form, error)
        if not form.errors:
            saved = _("Scores for %(id)s are saved.") % {"id": entry.proposal.public_id}
            if request.htmx:
                member.refresh_from_db()
                form = ScorecardForm(
                    criteria=criteria,
                    card=selectors.scorecards_of(member).get(entry.pk),
                    prefix=f"e{entry.pk}",
                )
                return render(
                    request,
                    "rounds/score.html#card",
                    {
                        "round": round_,
                        "member": member,
                        "entry": entry,
                        "form": form,
                        "saved": saved,
                        "may_edit": True,
                    },
                )
            messages.success(request, saved)
            return redirect(f"{request.path}#need-{entry.pk}")
        status = 422
        if request.htmx:
            return render(
                request,
                "rounds/score.html#card",
                {"round": round_, "member": member, "entry": entry, "form": form, "may_edit": True},
                status=status,
            )
    missing = selectors.missing_scorecards(member)
    return render(
        request,
        "rounds/score.html",
        {
            "round": round_,
            "member": member,
            "rows": rows,
            "missing": missing,
            "may_edit": round_.stage == Stage.SCORING and member.submitted_at is None,
        },
        status=status,
    )


@login_required
def ranking_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round_ = _round(pk)
    member = policy.round_member(request.user, round_)
    if not policy.may_see_scores(request.user, round_, member):
        if member is not None:  # the blind view: her own scores only, until she submits
            return render(request, "rounds/blind.html", {"round": round_, "member": member})
        raise PermissionDenied
    ranked = selectors.ranking(round_)
    cards = selectors.others_scorecards(round_)
    for item in ranked:
        item.cards = cards.get(item.entry.pk, [])
    return render(
        request,
        "rounds/ranking.html",
        {
            "round": round_,
            "member": member,
            "ranked": ranked,
            "criteria": round_.criteria.all(),
            "progress": selectors.scoring_progress(round_),
        },
    )


@login_required
def recommendation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round_ = _round(pk)
    member = policy.round_member(request.user, round_)
    may_see = policy.may_see_scores(request.user, round_, member) or policy.may_decide(
        request.user, round_
    )
    if not may_see:
        raise PermissionDenied
    if round_.recommended_at is not None:
        return render(
            request,
            "rounds/recommendation.html",
            {"round": round_, "entries": documents.frozen_entries(round_)},
        )
    if (
        not policy.may_recommend(request.user, round_, member)
        or round_.stage != Stage.SCORING_CLOSED
    ):
        return render(request, "rounds/recommendation.html", {"round": round_, "entries": None})
    ranked = selectors.ranking(round_)
    form = RecommendationForm(request.POST or None, ranked=ranked)
    if request.method == "POST" and form.is_valid():
        choices = {
            item.entry.pk: services.Choice(
                recommended=form.cleaned_data[f"recommend_{item.entry.pk}"],
                reason=form.cleaned_data[f"reason_{item.entry.pk}"],
            )
            for item in ranked
        }
        try:
            services.recommendation_freeze(
                round_=round_, actor=request.user, choices=choices, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The recommendation is frozen."))
            return redirect("rounds:recommendation", pk=pk)
    return render(
        request,
        "rounds/recommendation.html",
        {"round": round_, "form": form, "entries": None},
        status=422 if form.errors else 200,
    )


def _may_read_recommendation(request: HttpRequest, round_: Round) -> None:
    member = policy.round_member(request.user, round_)
    if round_.recommended_at is None:
        raise PermissionDenied
    if not (
        policy.may_see_scores(request.user, round_, member)
        or policy.may_decide(request.user, round_)
    ):
        raise PermissionDenied


@login_required
def recommendation_docx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round_ = _round(pk)
    _may_read_recommendation(request, round_)
    response = HttpResponse(
        documents.recommendation_docx(round_),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{documents.filename(round_)}.docx"'
    return response


@login_required
def recommendation_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round_ = _round(pk)
    _may_read_recommendation(request, round_)
    try:
        content = documents.recommendation_pdf(round_, request)
    except PdfUnavailable:
        return pdf_unavailable(request, reverse("rounds:recommendation_docx", args=[round_.pk]))
    return pdf_response(content, documents.filename(round_))


@login_required
def decisions(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The steering group's meeting: a decision per recommended need, each on the record."""
    round_ = _round(pk)
    if not policy.may_decide(request.user, round_):
        raise PermissionDenied
    later = selectors.later_rounds(round_)
    next_round = later.first()
    bound = request.POST.get("entry") if request.method == "POST" else None
    rows = []
    status = 200
    for entry in documents.frozen_entries(round_).annotate(commission_id=F("commission__id")):
        form = None
        if not entry.decision:
            data = request.POST if bound == str(entry.pk) else None
            form = DecisionForm(
                data,
                later_rounds=later,
                next_round=next_round,
                hub=round_.hub,
                prefix=f"d{entry.pk}",
                initial={"decided_on": round_.decision_meeting or timezone.localdate()},
            )
            if data is not None and form.is_valid():
                try:
                    decided = services.decision_record(
                        entry=entry, actor=request.user, **form.cleaned_data
                    )
                except ValidationError as error:
                    add_errors(form, error)
                else:
                    message = _(
                        "The decision on %(id)s is recorded, and the submitter is told."
                    ) % {"id": entry.proposal.public_id}
                    if decided.deferred_to is not None:
                        message += " " + _("It is deferred to %(round)s.") % {
                            "round": decided.deferred_to.name
                        }
                    messages.success(request, message)
                    return redirect("rounds:decisions", pk=pk)
            if form.errors:
                status = 422
        rows.append((entry, form))
    return render(
        request,
        "rounds/decisions.html",
        {
            "round": round_,
            "rows": rows,
            "frozen": round_.recommended_at is not None,
            "may_manage": policy.may_manage_round(request.user, round_),
        },
        status=status,
    )


def decision_log(request: HtmxHttpRequest) -> HttpResponse:
    """Every decision of every round, public: what was ordered, and why."""
    rounds = Round.objects.annotate(decided=Count("entries__decided_at")).filter(decided__gt=0)
    selected = request.GET.get("runde", "")
    chosen = rounds.filter(pk=selected).first() if selected.isdigit() else None
    page = Paginator(selectors.decision_log(round_=chosen), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "rounds/decision_log.html",
        {"page": page, "rounds": rounds.order_by("-pk"), "chosen": chosen},
    )
