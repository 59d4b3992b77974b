"""Pages of mini-HTAs: the list and start form, each assessment's workspace (or its public page),
the section editor with autosave, comments and history, print, Word and PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kunnskap.accounts import policy
from kunnskap.forms import add_errors
from kunnskap.lib.http import AuthenticatedHttpRequest, HtmxHttpRequest
from kunnskap.lib.pdf import PdfUnavailable, pdf_response, pdf_unavailable

from . import answers, documents, selectors, services
from .forms import CommentForm, EditForm, InviteForm, PublishForm, ReturnForm, StartForm
from .models import Assessment, Comment, Participant, Section, Status


def _assessment(pk: int) -> Assessment:
    return get_object_or_404(
        Assessment.objects.select_related("municipality", "lead", "template", "publication"),
        pk=pk,
    )


def _rights(request: HttpRequest, assessment: Assessment) -> dict[str, Any]:
    user = request.user
    role = selectors.role_of(user, assessment)
    return {
        "role": role,
        "may_read": policy.may_read_assessment(user, assessment, role),
        "may_write": policy.may_write_assessment(user, assessment, role),
        "may_comment": policy.may_comment_assessment(user, assessment, role),
        "may_lead": policy.may_lead_assessment(user, role),
        "may_approve": policy.may_approve_assessment(user, role),
        "may_publish": policy.may_publish_assessment(user, role),
        "may_resolve": policy.may_resolve_assessment_comment(user, assessment, role),
    }


def assessment_list(request: HtmxHttpRequest) -> HttpResponse:
    published = (
        Assessment.objects.filter(versions__isnull=False)
        .select_related("municipality")
        .distinct()
        .order_by("-updated_at")[:10]
    )
    return render(
        request,
        "assessments/list.html",
        {
            "mine": selectors.assessments_of(request.user),
            "published": published,
            "may_start": policy.may_start_assessment(request.user),
        },
    )


@login_required
def assessment_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.may_start_assessment(request.user):
        raise PermissionDenied(_("Your user belongs to no municipality; ask an administrator."))
    form = StartForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_start(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The mini-HTA is started, and the library lists it as ongoing. Invite your "
                    "working group next."
                ),
            )
            return redirect(assessment)
    return render(
        request, "assessments/start.html", {"form": form}, status=422 if form.errors else 200
    )


ACTIONS = {
    "review": services.review_request,
    "revised": services.review_revised,
    "approve": services.assessment_approve,
    "new_version": services.assessment_new_version,
}


def assessment_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(pk)
    rights = _rights(request, assessment)
    user = request.user
    if not rights["may_read"] or not user.is_authenticated:  # only the signed-in may read
        return _public(request, assessment)
    invite_form = InviteForm()
    return_form = ReturnForm()
    publish_form = PublishForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in ACTIONS:
                moved = ACTIONS[action](assessment=assessment, actor=user)
                messages.success(
                    request,
                    _("Done: the mini-HTA is now %(status)s.")
                    % {"status": moved.get_status_display().lower()},
                )
                return redirect(assessment)
            if action == "invite":
                invite_form = InviteForm(request.POST)
                if invite_form.is_valid():
                    participant = services.participant_invite(
                        assessment=assessment,
                        actor=user,
                        **invite_form.cleaned_data,
                    )
                    messages.success(
                        request,
                        _("%(name)s is invited as %(role)s and gets an e-mail.")
                        % {
                            "name": participant.user,
                            "role": participant.get_role_display().lower(),
                        },
                    )
                    return redirect(assessment)
            elif action == "remove":
                participant = get_object_or_404(
                    Participant, pk=request.POST.get("participant"), assessment=assessment
                )
                services.participant_remove(participant=participant, actor=user)
                messages.success(
                    request, _("%(name)s has left the group.") % {"name": participant.user}
                )
                return redirect(assessment)
            elif action == "return":
                return_form = ReturnForm(request.POST)
                if return_form.is_valid():
                    services.review_return(
                        assessment=assessment,
                        actor=user,
                        **return_form.cleaned_data,
                    )
                    messages.success(request, _("The text is back with the working group."))
                    return redirect(assessment)
            elif action == "publish":
                publish_form = PublishForm(request.POST)
                if publish_form.is_valid():
                    services.assessment_publish(
                        assessment=assessment,
                        actor=user,
                        **publish_form.cleaned_data,
                    )
                    messages.success(request, _("Published in the library."))
                    return redirect(assessment)
            else:
                raise Http404
        except ValidationError as error:
            form = {"invite": invite_form, "return": return_form, "publish": publish_form}.get(
                action
            )
            if form is not None and form.is_bound:
                add_errors(form, error)
            else:
                for text in error.messages:
                    messages.error(request, text)
        status = 422
    return render(
        request,
        "assessments/detail.html",
        {
            "assessment": assessment,
            "progress": selectors.section_progress(assessment),
            "participants": assessment.participants.select_related("user", "user__municipality"),
            "open_comments": assessment.comments.filter(resolved_at__isnull=True).count(),
            "versions": assessment.versions.all(),
            "invite_form": invite_form,
            "return_form": return_form,
            "publish_form": publish_form,
            "steps": _steps(assessment.status),
            **rights,
        },
        status=status,
    )


def _public(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    """What everyone sees: the latest published version, or that the work is under way."""
    version = assessment.versions.first()
    return render(
        request,
        "assessments/public.html",
        {
            "assessment": assessment,
            "version": version,
            "sections": selectors.document(version.content) if version else [],
        },
    )


@login_required
def assessment_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(pk)
    if not policy.may_lead_assessment(request.user, selectors.role_of(request.user, assessment)):
        raise PermissionDenied
    form = EditForm(request.POST or None, instance=Assessment.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_update(
                assessment=assessment,
                actor=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(assessment)
    return render(
        request,
        "assessments/edit.html",
        {"assessment": assessment, "form": form},
        status=422 if form.errors else 200,
    )


def _section(assessment: Assessment, key: str) -> Section:
    return get_object_or_404(assessment.template.sections, key=key)


def _questions(
    section: Section, data: dict[str, Any], errors: dict[str, list[str]] | None = None
) -> list[selectors.QuestionView]:
    errors = errors or {}
    return [
        selectors.QuestionView(
            key=q.key,
            label=q.label,
            kind=q.kind,
            config=q.config,
            guidance=q.guidance,
            value=data.get(q.key, answers.empty(q)),
            errors=errors.get(q.key, []),
        )
        for q in section.questions.all()
    ]


def _saved_message(saved: services.Saved) -> str:
    if saved.conflict is not None:
        return ""
    when = (
        formats.time_format(timezone.localtime(saved.text.updated_at), "H:i")
        if saved.text.updated_at
        else ""
    )
    if not saved.changed:
        return _("No changes to save.")
    if saved.merged:
        return _("Saved at %(time)s, together with changes others saved meanwhile.") % {
            "time": when
        }
    return _("Saved at %(time)s.") % {"time": when}


@login_required
def section_edit(request: AuthenticatedHttpRequest, pk: int, key: str) -> HttpResponse:
    assessment = _assessment(pk)
    rights = _rights(request, assessment)
    if not rights["may_read"]:
        raise PermissionDenied
    section = _section(assessment, key)
    text = assessment.texts.filter(section=section).first()
    data = dict(text.data) if text else {}
    revision = text.revision if text else 0
    status = 200
    context: dict[str, Any] = {"comment_form": CommentForm()}
    conflict: dict[str, Any] | None = None
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action == "comment":
            form = CommentForm(request.POST)
            context["comment_form"] = form
            if form.is_valid():
                try:
                    services.comment_add(
                        assessment=assessment,
                        section=section,
                        text=form.cleaned_data["text"],
                        actor=request.user,
                    )
                except ValidationError as error:
                    add_errors(form, error)
                else:
                    messages.success(request, _("Your comment is saved."))
                    return redirect(request.path + "#comments")
            status = 422
        elif action == "resolve":
            comment = get_object_or_404(
                Comment, pk=request.POST.get("comment"), assessment=assessment
            )
            services.comment_resolve(comment=comment, actor=request.user)
            messages.success(request, _("The comment is marked as resolved."))
            return redirect(request.path + "#comments")
        else:
            values = {q.key: answers.from_post(q, request.POST) for q in section.questions.all()}
            try:
                base = int(request.POST.get("revision", ""))
            except ValueError:
                base = -1
            try:
                if base < 0:
                    raise ValidationError(_("The form is missing its revision; reload the page."))
                saved = services.section_save(
                    assessment=assessment,
                    section=section,
                    values=values,
                    base_revision=base,
                    actor=request.user,
                )
            except ValidationError as error:
                errors = (
                    error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
                )
                context["errors"] = errors
                data = {q.key: values[q.key] for q in section.questions.all()}
                status = 422
                if request.htmx:
                    return _retarget(
                        _editor(request, assessment, section, data, base, context, status, True)
                    )
            else:
                if saved.conflict is not None:
                    conflict = _conflict(saved, section)
                    data = saved.text.data | {
                        k: saved.conflict.data[k] for k in saved.conflict.changed
                    }
                    revision = saved.text.revision
                    context["conflict"] = conflict
                    if request.htmx:
                        return _retarget(
                            _editor(
                                request, assessment, section, data, revision, context, 200, True
                            )
                        )
                elif request.htmx:
                    refreshed = [
                        q
                        for q in _questions(section, saved.text.data)
                        if saved.merged and q.key in saved.changed and q.value != values.get(q.key)
                    ]
                    return HttpResponse(
                        render_to_string(
                            "assessments/_saved.html",
                            {
                                "message": _saved_message(saved),
                                "revision": saved.text.revision,
                                "refreshed": refreshed,
                            },
                            request=request,
                        )
                    )
                else:
                    messages.success(request, _saved_message(saved))
                    return redirect(request.path)
    return _editor(request, assessment, section, data, revision, context, status)


def _retarget(response: HttpResponse) -> HttpResponse:
    """An autosave answers with the whole editor when it must show errors or a conflict."""
    response["HX-Retarget"] = "#editor"
    response["HX-Reswap"] = "outerHTML"
    return response


def _conflict(saved: services.Saved, section: Section) -> dict[str, Any]:
    """Per clashing question: the other person's text, shown beside one's own."""
    assert saved.conflict is not None
    theirs = _questions(section, saved.text.data)
    return {
        "by": saved.text.updated_by,
        "at": saved.text.updated_at,
        "questions": [q for q in theirs if q.key in saved.conflicting],
    }


def _editor(
    request: HttpRequest,
    assessment: Assessment,
    section: Section,
    data: dict[str, Any],
    revision: int,
    context: dict[str, Any],
    status: int,
    partial: bool = False,
) -> HttpResponse:
    sections = list(assessment.template.sections.all())
    index = next(i for i, s in enumerate(sections) if s.pk == section.pk)
    rights = _rights(request, assessment)
    errors = context.pop("errors", {})
    return render(
        request,
        "assessments/section.html#editor" if partial else "assessments/section.html",
        {
            "assessment": assessment,
            "section": section,
            "questions": _questions(section, data, errors),
            "revision": revision,
            "previous": sections[index - 1] if index > 0 else None,
            "next": sections[index + 1] if index + 1 < len(sections) else None,
            "position": index + 1,
            "count": len(sections),
            "comments": selectors.comments(assessment, section),
            "revisions": selectors.revisions(assessment, section),
            "errors": errors,
            **rights,
            **context,
        },
        status=status,
    )


def _steps(current: str) -> list[tuple[str, str]]:
    """The status path as a stepper: each step's label and whether it is done, current or to
    come."""
    codes = [code for code, _label in Status.choices]
    at = codes.index(current) if current in codes else -1
    return [
        (str(label), "done" if i < at else "current" if i == at else "todo")
        for i, (_code, label) in enumerate(Status.choices)
    ]


def _content(request: HttpRequest, assessment: Assessment) -> tuple[list[dict[str, Any]], Any]:
    readable = selectors.readable_content(request.user, assessment)
    if readable is None:
        raise Http404
    return readable


def print_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(pk)
    content, version = _content(request, assessment)
    return render(
        request,
        "assessments/print.html",
        documents.print_context(assessment, content, version),
    )


def export_docx(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(pk)
    content, version = _content(request, assessment)
    response = HttpResponse(
        documents.assessment_docx(assessment, content, version),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{documents.filename(assessment)}.docx"'
    )
    return response


def export_pdf(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(pk)
    content, version = _content(request, assessment)
    try:
        pdf = documents.assessment_pdf(assessment, content, version)
    except PdfUnavailable:
        return pdf_unavailable(request, reverse("assessments:docx", args=[assessment.pk]))
    return pdf_response(pdf, documents.filename(assessment))
