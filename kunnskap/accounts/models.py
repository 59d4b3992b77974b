"""Users who sign in with their e-mail address, the roles they hold per hub, and API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Every superuser is an administrator in every hub."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        "organisations.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("The municipality the person works for, if any."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("admin site access"),
        default=False,
        help_text=_("Whether the person may sign in to the administration pages."),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of the pages and e-mails; empty until the person chooses."),
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    """The roles of DESIGN.md, held per hub. Administrators are superusers, not a role row."""

    SUBMITTER = "submitter", _("Submitter")
    SCREENER = "screener", _("Screener (librarian)")
    COMMITTEE = "committee", _("Committee member")
    STEERING = "steering", _("Steering group member")
    PRODUCER = "producer", _("Producer")
    EDITOR = "editor", _("Editor")
    COORDINATOR = "coordinator", _("R&D coordinator")


class RoleSource(models.TextChoices):
    """Who gave a role: the system's people (kept until they take it), or an Entra group
    (kept while the person is in the group)."""

    SYSTEM = "system", _("Granted in the system")
    ENTRA_GROUP = "entra_group", _("From an Entra ID group")


class RoleAssignment(models.Model):
    """One person holding one role in one hub."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    hub = models.ForeignKey(
        "organisations.Hub",
        verbose_name=_("hub"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    source = models.CharField(
        _("source"),
        max_length=20,
        choices=RoleSource.choices,
        default=RoleSource.SYSTEM,
        editable=False,
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["hub", "role"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "hub"], name="role_once_per_hub")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()} ({self.hub})"


TOKEN_PREFIX = "ks_"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A bearer token for programs; only its hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(
        _("first characters"), max_length=12, editable=False, help_text=_("To recognise it.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"


class EntraTenant(models.Model):
    """A Microsoft Entra ID tenant (an employer's directory) whose people may sign in, and the
    municipality they work for. People of a tenant that is not listed are refused."""

    tenant_id = models.UUIDField(
        _("tenant id"),
        unique=True,
        help_text=_("The directory (tenant) id from Entra ID, for example 72f988bf-86f1-…"),
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("For example Bergen kommune."))
    municipality = models.ForeignKey(
        "organisations.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="entra_tenants",
        help_text=_("A new person from this tenant is registered in this municipality."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("Entra ID tenant")
        verbose_name_plural = _("Entra ID tenants")

    def __str__(self) -> str:
        return self.name


class EntraGroupRole(models.Model):
    """Members of an Entra ID group of a tenant hold a role in a hub while they are members."""

    tenant = models.ForeignKey(
        EntraTenant,
        verbose_name=_("Entra ID tenant"),
        on_delete=models.CASCADE,
        related_name="group_roles",
    )
    group_id = models.UUIDField(_("group id"), help_text=_("The object id of the group."))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    hub = models.ForeignKey(
        "organisations.Hub",
        verbose_name=_("hub"),
        on_delete=models.CASCADE,
        related_name="entra_group_roles",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["tenant", "hub", "role"]
        verbose_name = _("Entra ID group role")
        verbose_name_plural = _("Entra ID group roles")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "group_id", "role", "hub"], name="entra_group_role_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.get_role_display()} ({self.hub})"
