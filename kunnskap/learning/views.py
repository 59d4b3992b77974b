"""Pages of Kunnskapsbroen: teams and their cases, events with registration, the organisers'
participant lists, calendars and feeds, and the numbers."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.styles import Font

from kunnskap.accounts import policy
from kunnskap.accounts.models import User
from kunnskap.accounts.policy import Permission
from kunnskap.assessments.models import Assessment
from kunnskap.forms import add_errors
from kunnskap.lib.csv import cell, csv_response
from kunnskap.lib.http import AuthenticatedHttpRequest, HtmxHttpRequest
from kunnskap.limits import services as limits
from kunnskap.lookups import permitted_object, permitted_or_403, visible_or_404
from kunnskap.organisations.models import Hub, Municipality
from kunnskap.proposals.services import client_fingerprint

from . import selectors, services
from .calendar import calendar_for
from .forms import (
    CaseForm,
    CourseAssessmentForm,
    EventForm,
    EventUpdateForm,
    FindingForm,
    FoundForm,
    MailForm,
    MemberForm,
    MentorForm,
    NoteForm,
    RegistrationForm,
    ResearchNeedForm,
    ResourceForm,
    SearchForm,
    SessionFormSet,
    TeamForm,
)
from .models import Case, Event, Registration, RegistrationStatus, Team, TeamKind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _municipalities() -> QuerySet[Municipality]:
    return Municipality.objects.order_by("name")


def home(request: HtmxHttpRequest) -> HttpResponse:
    """Kunnskapsbroen: what it is, teams per municipality, the next events, one's own teams."""
    user = request.user
    return render(
        request,
        "learning/home.html",
        {
            "teams_per_municipality": selectors.teams_per_municipality(),
            "results": selectors.published_results(),
            "events": selectors.upcoming_events()[:5],
            "my_teams": selectors.teams_for(user) if user.is_authenticated else [],
            "may_run_learning": policy.may_run_learning(user),
            "may_view_insights": policy.may_view_insights(user),
        },
    )


@login_required
def team_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    hubs = policy.hubs_where(request.user, Permission.RUN_LEARNING)
    permitted_or_403(hubs.exists())
    form = TeamForm(request.POST or None, hubs=hubs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            team = services.team_create(
                hub=data["hub"],
                actor=request.user,
                data=services.TeamInput(
                    name=data["name"],
                    kind=data["kind"],
                    municipality=data["municipality"],
                    unit=data["unit"],
                    service_area=data["service_area"],
                    researcher_team=data["researcher_team"],
                    description=data["description"],
                ),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The team is made. Add its members."))
            return redirect(team)
    return render(
        request,
        "learning/team_form.html",
        {"form": form, "municipalities": _municipalities()},
        status=422 if form.errors else 200,
    )


@login_required
def team_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    team = visible_or_404(
        Team.objects.visible_to(request.user).select_related(
            "hub", "municipality", "unit", "service_area", "researcher_team"
        ),
        pk=pk,
    )
    may_manage = policy.may_manage_team(request.user, team)
    may_resources = policy.may_run_learning(request.user, team)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    data = request.POST if request.method == "POST" else None
    member_form = MemberForm(data if action == "member" else None, prefix="member")
    resource_form = ResourceForm(data if action == "resource" else None, prefix="resource")
    if action == "member":
        permitted_or_403(may_manage)
        if member_form.is_valid():
            try:
                services.member_add(team=team, actor=request.user, **member_form.cleaned_data)
            except ValidationError as error:
                add_errors(member_form, error)
            else:
                messages.success(request, _("The person is in the team and has been told."))
                return redirect(team)
    elif action == "remove":
        permitted_or_403(may_manage)
        membership = visible_or_404(team.memberships.all(), pk=request.POST.get("membership"))
        services.member_remove(membership=membership, actor=request.user)
        messages.success(request, _("The person is no longer in the team."))
        return redirect(team)
    elif action == "resource":
        permitted_or_403(may_resources)
        if resource_form.is_valid():
            services.resource_add(
                hub=team.hub, team=team, actor=request.user, **resource_form.cleaned_data
            )
            messages.success(request, _("The resource is added."))
            return redirect(team)
    cases = Paginator(
        team.cases.select_related("leader", "mentor").order_by("-opened_at"), 20
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/team.html",
        {
            "team": team,
            "members": selectors.team_members(team),
            "cases": cases,
            "brought": selectors.cases_for_researcher_team(team)[:50]
            if team.kind == TeamKind.RESEARCHER
            else [],
            "resources": selectors.team_resources(team),
            "member_form": member_form,
            "resource_form": resource_form,
            "may_manage": may_manage,
            "may_resources": may_resources,
            "may_open_case": policy.may_open_case(request.user, team),
        },
        status=422 if member_form.errors or resource_form.errors else 200,
    )


@login_required
def case_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    team = permitted_object(
        Team.objects.visible_to(request.user), request.user, policy.may_open_case, pk=pk
    )
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(team=team, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("The case is open. Record what the team searches and finds.")
            )
            return redirect(case)
    return render(
        request,
        "learning/case_form.html",
        {"team": team, "form": form},
        status=422 if form.errors else 200,
    )


def _mentor_candidates(case: Case) -> QuerySet[User]:
    team = case.team
    return (
        User.objects.filter(
            team_memberships__team_id__in=[t for t in (team.researcher_team_id,) if t]
        )
        .order_by("full_name", "email")
        .distinct()
    )


@login_required
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = visible_or_404(selectors.case_detail(pk, request.user), pk=pk)
    user = request.user
    may_work = case.is_open and policy.may_work_on_case(user, case)
    may_lead = case.is_open and policy.may_lead_case(user, case)
    may_mentor = case.is_open and policy.may_assign_mentor(user, case)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    data = request.POST if request.method == "POST" else None
    forms: dict[str, Any] = {
        "search": SearchForm(
            data if action == "search" else None,
            prefix="search",
            initial={"searched_on": timezone.localdate()},
        ),
        "finding": FindingForm(data if action == "finding" else None, prefix="finding"),
        "note": NoteForm(data if action == "note" else None, prefix="note"),
        "mentor": MentorForm(
            data if action == "mentor" else None,
            prefix="mentor",
            candidates=_mentor_candidates(case),
        ),
        "found": FoundForm(data if action == "found" else None, prefix="found"),
        "need": ResearchNeedForm(data if action == "need" else None, prefix="need"),
    }
    allowed = {
        "search": may_work,
        "finding": may_work,
        "note": may_work,
        "mentor": may_mentor,
        "found": may_lead,
        "need": may_lead,
    }
    target = forms.get(action)
    if target is not None:
        permitted_or_403(allowed[action])
        if target.is_valid():
            values = target.cleaned_data
            try:
                if action == "search":
                    services.case_search_add(case=case, actor=user, **values)
                    message = _("The search is recorded.")
                elif action == "finding":
                    services.case_finding_add(case=case, actor=user, **values)
                    message = _("The finding is recorded.")
                elif action == "note":
                    services.case_note_add(case=case, actor=user, **values)
                    message = _("The note is recorded.")
                elif action == "mentor":
                    services.case_mentor_assign(case=case, actor=user, mentor=values["mentor"])
                    message = _("The mentor is assigned.")
                elif action == "found":
                    services.case_close_found(case=case, actor=user, **values)
                    message = _("The case is closed: knowledge found.")
                else:
                    case = services.case_submit_as_need(case=case, actor=user, **values)
                    message = _(
                        "The research need is submitted as %(id)s and waits for screening."
                    ) % {"id": case.proposal.public_id if case.proposal else ""}
            except ValidationError as error:
                add_errors(target, error)
            else:
                messages.success(request, message)
                return redirect(case)
    return render(
        request,
        "learning/case.html",
        {
            "case": case,
            "steps": case.steps.select_related("actor"),
            "searches": case.searches.select_related("source", "searched_by"),
            "findings": case.findings.all(),
            "publications": case.publications.all(),
            "forms": forms,
            "may_work": may_work,
            "may_lead": may_lead,
            "may_mentor": may_mentor,
            "may_register_gap": case.team.hub_id is not None
            and policy.can(user, Permission.SCREEN),
        },
        status=422 if target is not None and target.errors else 200,
    )


# Events.


def event_list(request: HtmxHttpRequest) -> HttpResponse:
    hub = None
    if request.GET.get("hub", "").isdigit():
        hub = Hub.objects.filter(pk=int(request.GET["hub"]), is_active=True).first()
    page = Paginator(selectors.upcoming_events(hub), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/events.html",
        {
            "page": page,
            "hub": hub,
            "hubs": Hub.objects.filter(is_active=True, events__isnull=False)
            .distinct()
            .order_by("name"),
            "may_organise": policy.may_run_learning(request.user),
        },
    )


@login_required
def event_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    hubs = policy.hubs_where(request.user, Permission.RUN_LEARNING)
    permitted_or_403(hubs.exists())
    form = EventForm(request.POST or None, hubs=hubs)
    sessions = SessionFormSet(request.POST or None, prefix="sessions")
    if request.method == "POST" and form.is_valid() and sessions.is_valid():
        rows = [
            services.SessionInput(**row)
            for row in (f.cleaned_data for f in sessions.forms)
            if row and not row.get("DELETE")
        ]
        try:
            event = services.event_create(actor=request.user, sessions=rows, **form.cleaned_data)
        except ValidationError as error:
            for key, texts in error.message_dict.items():
                if key.startswith("sessions."):
                    _prefix, index, field = key.split(".")
                    for text in texts:
                        sessions.forms[int(index)].add_error(field, text)
                elif key in form.fields:
                    for text in texts:
                        form.add_error(key, text)
                else:
                    for text in texts:
                        form.add_error(None, text)
        else:
            messages.success(request, _("The event is published."))
            return redirect(event)
    has_errors = bool(
        form.errors or any(f.errors for f in sessions.forms) or sessions.non_form_errors()
    )
    return render(
        request,
        "learning/event_form.html",
        {"form": form, "sessions": sessions},
        status=422 if has_errors else 200,
    )


def _event(pk: int, user: Any) -> Event:
    return visible_or_404(Event.objects.visible_to(user).select_related("hub"), pk=pk)


def _own_course_assessments(event: Event, user: Any) -> QuerySet[Assessment]:
    """The mini-HTAs a registered participant leads that no course holds yet."""
    from kunnskap.assessments.models import ParticipantRole

    if event.kind != "course" or not user.is_authenticated:
        return Assessment.objects.none()
    if not event.registrations.filter(user=user, status=RegistrationStatus.REGISTERED).exists():
        return Assessment.objects.none()
    return Assessment.objects.filter(
        participants__user=user,
        participants__role=ParticipantRole.LEAD,
        course_link__isnull=True,
    ).order_by("title")


def event_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    event = _event(pk, request.user)
    user = request.user
    initial: dict[str, Any] = {}
    if user.is_authenticated:
        initial = {
            "name": user.full_name,
            "email": user.email,
            "municipality": user.municipality,
        }
    own = _own_course_assessments(event, user)
    if request.method == "POST" and request.POST.get("action") == "course":
        if not user.is_authenticated:
            raise Http404(_("Not found."))
        assessment = visible_or_404(own, pk=request.POST.get("assessment", "0") or "0")
        services.course_assessment_link(event=event, assessment=assessment, actor=user)
        messages.success(request, _("The mini-HTA belongs to the course."))
        return redirect(event)
    form = RegistrationForm(request.POST or None, initial=initial)
    placed = None
    if request.method == "POST" and form.is_valid():
        try:
            placed = services.registration_create(
                event=event,
                user=user if user.is_authenticated else None,
                client="" if user.is_authenticated else client_fingerprint(request),
                **form.cleaned_data,
            )
        except services.RegistrationLimited:
            form.add_error(
                None,
                _("Too many registrations from your address in the last hour. Try again later."),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if placed.position:
                messages.info(
                    request,
                    _(
                        "The event is full: you are number %(position)s on the waiting list. "
                        "We have sent you an e-mail."
                    )
                    % {"position": placed.position},
                )
            else:
                messages.success(
                    request, _("You are registered. We have sent you an e-mail with the details.")
                )
            return redirect(event)
    return render(
        request,
        "learning/event.html",
        {
            "event": event,
            "sessions": event.sessions.all(),
            "counts": selectors.event_counts(event),
            "resources": event.resources.all(),
            "assessments": selectors.course_assessments(event, user),
            "form": form,
            "municipalities": _municipalities(),
            "may_organise": policy.may_organise(user, event),
            "own_assessments": own,
            "audience_regions": event.regions.order_by("name"),
            "audience_municipalities": event.municipalities.order_by("name"),
        },
        status=422 if form.errors else 200,
    )


@login_required
def event_manage(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = permitted_object(
        Event.objects.visible_to(request.user).select_related("hub"),
        request.user,
        policy.may_organise,
        pk=pk,
    )
    user = request.user
    action = request.POST.get("action", "") if request.method == "POST" else ""
    data = request.POST if request.method == "POST" else None
    update_form = EventUpdateForm(
        data if action == "update" else None,
        prefix="update",
        initial={
            "title": event.title,
            "description": event.description,
            "capacity": event.capacity,
            "registration_deadline": timezone.localtime(event.registration_deadline),
        },
    )
    mail_form = MailForm(data if action == "mail" else None, prefix="mail")
    resource_form = ResourceForm(data if action == "resource" else None, prefix="resource")
    course_form = CourseAssessmentForm(data if action == "course" else None, prefix="course")
    sessions = list(event.sessions.all())
    try:
        if action == "update" and update_form.is_valid():
            services.event_update(event=event, actor=user, **update_form.cleaned_data)
            messages.success(request, _("The event is changed."))
            return redirect("learning:event_manage", pk=event.pk)
        if action == "mail" and mail_form.is_valid():
            count = services.participants_mail(event=event, actor=user, **mail_form.cleaned_data)
            messages.success(
                request, _("The message is on its way to %(count)s people.") % {"count": count}
            )
            return redirect("learning:event_manage", pk=event.pk)
        if action == "resource" and resource_form.is_valid():
            services.resource_add(
                hub=event.hub, event=event, actor=user, **resource_form.cleaned_data
            )
            messages.success(request, _("The resource is added."))
            return redirect("learning:event_manage", pk=event.pk)
        if action == "course" and course_form.is_valid():
            assessment = visible_or_404(
                Assessment.objects.visible_to(user), pk=course_form.cleaned_data["assessment"]
            )
            services.course_assessment_link(event=event, assessment=assessment, actor=user)
            messages.success(request, _("The mini-HTA belongs to the course."))
            return redirect("learning:event_manage", pk=event.pk)
        if action == "attendance":
            session = visible_or_404(event.sessions.all(), pk=request.POST.get("session"))
            present = event.registrations.filter(
                status=RegistrationStatus.REGISTERED,
                pk__in=[v for v in request.POST.getlist("present") if v.isdigit()],
            )
            services.attendance_set(session=session, actor=user, present=present)
            messages.success(request, _("Attendance is saved."))
            return redirect("learning:event_manage", pk=event.pk)
        if action == "cancel":
            registration = visible_or_404(
                event.registrations.all(), pk=request.POST.get("registration")
            )
            services.registration_cancel(registration=registration, actor=user)
            messages.success(request, _("The registration is cancelled."))
            return redirect("learning:event_manage", pk=event.pk)
    except ValidationError as error:
        target = {
            "update": update_form,
            "mail": mail_form,
            "resource": resource_form,
            "course": course_form,
        }.get(action)
        if target is None:
            raise
        add_errors(target, error)
    people = list(selectors.participants(event))
    attended = {person.pk: {a.session_id for a in person.attendances.all()} for person in people}
    errors = any(f.errors for f in (update_form, mail_form, resource_form, course_form))
    return render(
        request,
        "learning/event_manage.html",
        {
            "event": event,
            "sessions": sessions,
            "registered": [
                {"person": p, "present": attended[p.pk]}
                for p in people
                if p.status == RegistrationStatus.REGISTERED
            ],
            "waiting": [p for p in people if p.status == RegistrationStatus.WAITING],
            "per_municipality": selectors.participants_per_municipality(event),
            "counts": selectors.event_counts(event),
            "update_form": update_form,
            "mail_form": mail_form,
            "resource_form": resource_form,
            "course_form": course_form,
            "assessments": selectors.course_assessments(event, user),
        },
        status=422 if errors else 200,
    )


def _export_rows(event: Event) -> list[list[Any]]:
    sessions = list(event.sessions.all())
    header = [
        _("Name"),
        _("E-mail address"),
        _("Municipality"),
        _("Status"),
        _("Place on the list"),
    ]
    header += [timezone.localtime(s.starts_at).strftime("%Y-%m-%d %H:%M") for s in sessions]
    rows: list[list[Any]] = [header]
    for person in selectors.participants(event):
        present = {a.session_id for a in person.attendances.all()}
        rows.append(
            [
                person.name,
                person.email,
                person.municipality.name,
                person.get_status_display(),
                person.sequence,
            ]
            + [_("yes") if s.pk in present else "" for s in sessions]
        )
    return rows


@login_required
def event_export_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    event = permitted_object(Event.objects.all(), request.user, policy.may_organise, pk=pk)
    return csv_response(_export_rows(event), f"deltakere-{event.pk}")


@login_required
def event_export_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = permitted_object(Event.objects.all(), request.user, policy.may_organise, pk=pk)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Participants")[:31]
    for row in _export_rows(event):
        sheet.append([cell(value) for value in row])
    for header in sheet[1]:
        header.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="deltakere-{event.pk}.xlsx"'
    return response


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response


def event_ics(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    event = _event(pk, request.user)
    return _ics_response(calendar_for([event], event.title), f"arrangement-{event.pk}")


def events_ics(request: HtmxHttpRequest) -> HttpResponse:
    """A calendar to subscribe to: every upcoming event, or one hub's (`?hub=`)."""
    hub = None
    if request.GET.get("hub", "").isdigit():
        hub = Hub.objects.filter(pk=int(request.GET["hub"])).first()
        if hub is None:
            raise Http404(_("Not found."))
    name = _("%(where)s: workshops and courses") % {
        "where": hub.name if hub else _("Kunnskapsbroen")
    }
    return _ics_response(calendar_for(selectors.upcoming_events(hub), name), "arrangementer")


@never_cache
def cancel(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The private cancel link: GET asks, POST cancels (a link scanner cancels nothing)."""
    registration = services.registration_for_token(token)
    if registration is None:
        raise Http404(_("Not found."))
    if request.method == "POST":
        if not limits.limit_take(
            scope="event-cancel", subject=limits.client_key(request), count=30, period=limits.HOUR
        ):
            return HttpResponse(status=429)
        services.registration_cancel_by_token(token=token)
        messages.success(request, _("Your registration is cancelled. Thank you for telling us."))
        return redirect(registration.event)
    return render(
        request, "learning/cancel.html", {"registration": registration, "event": registration.event}
    )


@login_required
def insights(request: AuthenticatedHttpRequest) -> HttpResponse:
    permitted_or_403(policy.may_view_insights(request.user))
    return render(request, "learning/insights.html", selectors.insights())


@require_POST
@login_required
def my_registration_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    registration = visible_or_404(Registration.objects.filter(user=request.user), pk=pk)
    services.registration_cancel(registration=registration, actor=request.user)
    messages.success(request, _("Your registration is cancelled. Thank you for telling us."))
    return redirect(registration.event)
