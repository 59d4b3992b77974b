"""`kunnskap token create EMAIL`: print a new API token for a user."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kunnskap.accounts import services
from kunnskap.accounts.models import User


class Command(BaseCommand):
    help = "Create or list API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token and print it (shown only once).")
        create.add_argument("email")
        create.add_argument("--name", default="command line")
        listing = sub.add_parser("list", help="List a user's tokens.")
        listing.add_argument("email")

    def handle(self, *args: Any, action: str, email: str, **options: Any) -> None:
        user = User.objects.filter(email=email.strip().lower()).first()
        if user is None:
            raise CommandError(f"No user has the e-mail address {email}.")
        if action == "create":
            _token, raw = services.token_create(user=user, name=options["name"])
            self.stdout.write(raw)
            return
        for token in user.api_tokens.all():
            state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
            self.stdout.write(f"{token.pk}\t{token.hint}…\t{token.name}\t{state}")
