"""Templates are edited here: copy the current version into a draft, change its sections and
questions, then publish it. A published version is read-only, so assessments that use it keep
exactly the questions they were written against."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kunnskap.accounts.models import User

from . import services
from .models import Assessment, Participant, Question, Section, Template


def _published(obj: Any) -> bool:
    template = obj if isinstance(obj, Template) else getattr(obj, "template", None)
    if isinstance(obj, Question):
        template = obj.section.template
    return bool(template is not None and template.published_at)


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["position", "key", "title", "guidance"]
    show_change_link = True

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj and _published(obj))

    has_add_permission = has_delete_permission = has_change_permission


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = ["position", "key", "label", "kind", "guidance", "config"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj and _published(obj))

    has_add_permission = has_delete_permission = has_change_permission


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # the admin site is for signed-in staff only
    return user


@admin.register(Template)
class TemplateAdmin(SimpleHistoryAdmin):
    list_display = ["title", "version", "published_at"]
    inlines = [SectionInline]
    actions = ["copy_as_draft", "publish"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return (
            ["version", "title", "note", "published_at"]
            if obj and obj.published_at
            else ["published_at"]
        )

    @admin.action(description=_("Copy as a new draft version"))
    def copy_as_draft(self, request: HttpRequest, queryset: QuerySet[Template]) -> None:
        for template in queryset:
            draft = services.template_copy(template=template, actor=_actor(request))
            self.message_user(request, _("Draft version %(n)s made.") % {"n": draft.version})

    @admin.action(description=_("Publish: new mini-HTAs use it"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Template]) -> None:
        for template in queryset:
            try:
                services.template_publish(template=template, actor=_actor(request))
            except Exception as error:  # a ValidationError: say it, publish the others
                self.message_user(request, str(error), messages.ERROR)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title", "template", "position"]
    list_filter = ["template"]
    inlines = [QuestionInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj and _published(obj))


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    fields = ("user", "role", "added_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # invitations go through the assessment's page, which sends the e-mail


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    # Writing happens on the assessment's own pages; the admin shows and corrects the frame.
    list_display = ["title", "municipality", "status", "version", "lead"]
    list_filter = ["status"]
    search_fields = ["title"]
    readonly_fields = ["template", "status", "version", "publication", "lead"]
    autocomplete_fields = ["municipality"]
    inlines = [ParticipantInline]
