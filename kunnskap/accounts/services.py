"""Writes to users, roles and API tokens."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kunnskap.lib.tokens import hash_token
from kunnskap.organisations.models import Hub, Municipality

from . import policy
from .models import (
    TOKEN_PREFIX,
    ApiToken,
    EntraTenant,
    Role,
    RoleAssignment,
    RoleSource,
    User,
)


@transaction.atomic
def user_create(
    *,
    email: str,
    full_name: str = "",
    password: str | None = None,
    municipality: Municipality | None = None,
    is_admin: bool = False,
) -> User:
    """Create a user who signs in with e-mail; administrators get the admin site too."""
    user = User(
        email=User.objects.normalize_email(email).lower(),
        full_name=full_name,
        municipality=municipality,
        is_staff=is_admin,
        is_superuser=is_admin,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


def user_language_set(*, user: User, language: str) -> None:
    """Remember the language a person chose, for her next sign-in and the mails she gets."""
    if language not in dict(settings.LANGUAGES) or user.language == language:
        return
    user.language = language
    user.save(update_fields=["language"])


def role_grant(*, user: User, role: Role, hub: Hub) -> RoleAssignment:
    """Give a user a role in a hub (idempotent)."""
    assignment, _ = RoleAssignment.objects.get_or_create(user=user, role=role, hub=hub)
    policy.forget_roles(user)
    return assignment


@transaction.atomic
def entra_roles_sync(*, user: User, tenant: EntraTenant, group_ids: list[str]) -> None:
    """Give the roles the person's Entra ID groups carry, and take back those her groups no
    longer carry. Roles granted in the system stay as they are."""
    wanted = {
        (mapping.role, mapping.hub_id)
        for mapping in tenant.group_roles.all()
        if str(mapping.group_id) in {group.lower() for group in group_ids}
    }
    held = {(a.role, a.hub_id): a for a in RoleAssignment.objects.filter(user=user)}
    for role, hub_id in wanted - held.keys():
        RoleAssignment.objects.create(
            user=user, role=role, hub_id=hub_id, source=RoleSource.ENTRA_GROUP
        )
    for key, assignment in held.items():
        if assignment.source == RoleSource.ENTRA_GROUP and key not in wanted:
            assignment.delete()
    policy.forget_roles(user)


def role_revoke(*, user: User, role: Role, hub: Hub) -> None:
    """Take a role in a hub away from a user."""
    for assignment in RoleAssignment.objects.filter(user=user, role=role, hub=hub):
        assignment.delete()
    policy.forget_roles(user)


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Make a token and return it with its raw value, which is shown once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, key_hash=hash_token(raw), hint=raw[:8])
    token.full_clean()
    token.save()
    return token, raw


def token_revoke(*, token: ApiToken) -> ApiToken:
    """Stop a token from working; the row stays for the record."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(*, raw: str) -> User | None:
    """The active user a raw bearer token belongs to, or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.usable().select_related("user").filter(key_hash=hash_token(raw)).first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Record use at most once a minute, so busy integrations do not write on every request.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def user_anonymise(*, user: User) -> None:
    """Erase a person's account data (GDPR): no name, address, position, password, roles or
    tokens, in the row and in its history rows; the row stays, so what she did keeps its place."""
    user.email = f"slettet-{user.pk}@invalid"
    user.full_name = ""
    user.position = ""
    user.municipality = None
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    User.history.filter(id=user.pk).update(
        email=user.email, full_name="", position="", municipality=None
    )
    user.role_assignments.all().delete()
    ApiToken.objects.filter(user=user).delete()
