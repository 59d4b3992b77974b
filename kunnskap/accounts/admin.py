from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kunnskap.operations.admin_actions import personal_data_actions

from . import services
from .models import ApiToken, EntraGroupRole, EntraTenant, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    fields = ["role", "hub", "granted_at", "source"]
    readonly_fields = ["granted_at", "source"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "municipality", "is_active", "is_superuser"]
    list_filter = ["is_active", "is_superuser", "role_assignments__role"]
    search_fields = ["email", "full_name"]
    autocomplete_fields = ["municipality"]
    inlines = [RoleAssignmentInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "position", "municipality")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )
    readonly_fields = ["last_login", "date_joined"]
    actions = personal_data_actions(lambda user: user.email)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "hub", "granted_at", "source"]
    list_filter = ["role", "hub", "source"]
    list_select_related = ["user", "hub"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "hint", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "hint", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Raw tokens are shown once, at creation: by `kunnskap token create` or the account page.
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            services.token_revoke(token=token)
        messages.success(request, _("The tokens were revoked."))


class EntraGroupRoleInline(admin.TabularInline):
    model = EntraGroupRole
    extra = 1
    fields = ["group_id", "role", "hub"]


@admin.register(EntraTenant)
class EntraTenantAdmin(SimpleHistoryAdmin):
    """Which employers' Entra ID may sign in, their municipality, and the roles of their groups."""

    list_display = ["name", "tenant_id", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["name", "tenant_id", "municipality__name"]
    autocomplete_fields = ["municipality"]
    inlines = [EntraGroupRoleInline]


@admin.register(EntraGroupRole)
class EntraGroupRoleAdmin(SimpleHistoryAdmin):
    list_display = ["group_id", "role", "hub", "tenant"]
    list_filter = ["role", "hub", "tenant"]
    list_select_related = ["tenant", "hub"]
    search_fields = ["group_id", "tenant__name"]
