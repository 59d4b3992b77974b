"""`kunnskap user create EMAIL ...` and `kunnskap user grant EMAIL --role R --hub H`."""

import sys
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from kunnskap import mail
from kunnskap.accounts import services
from kunnskap.accounts.forms import password_link_context
from kunnskap.accounts.models import Role, User
from kunnskap.organisations.models import Hub, Municipality

ROLE_CODES = [role.value for role in Role]


class Command(BaseCommand):
    help = "Create users and give them roles in hubs."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a user.")
        create.add_argument("email")
        create.add_argument("--name", default="", help="Full name.")
        create.add_argument("--municipality", help="Municipality number, such as 4601.")
        create.add_argument("--admin", action="store_true", help="Administrator in every hub.")
        create.add_argument(
            "--password-stdin", action="store_true", help="Read the password from standard input."
        )
        create.add_argument(
            "--invite", action="store_true", help="E-mail a link to choose a password."
        )
        create.add_argument("--role", choices=ROLE_CODES, action="append", default=[])
        create.add_argument("--hub", help="The hub the roles are held in (its name).")
        grant = sub.add_parser("grant", help="Give an existing user a role in a hub.")
        grant.add_argument("email")
        grant.add_argument("--role", choices=ROLE_CODES, required=True)
        grant.add_argument("--hub", required=True)

    def handle(self, *args: Any, action: str, email: str, **options: Any) -> None:
        hub = self._hub(options.get("hub"))
        if action == "grant":
            if hub is None:
                raise CommandError("Name the hub the role is held in with --hub.")
            user = User.objects.filter(email=email.strip().lower()).first()
            if user is None:
                raise CommandError(f"No user has the e-mail address {email}.")
            services.role_grant(user=user, role=Role(options["role"]), hub=hub)
            self.stdout.write(f"{user.email} is now {options['role']} in {hub}.")
            return
        if options["role"] and hub is None:
            raise CommandError("Name the hub the roles are held in with --hub.")
        password = sys.stdin.readline().rstrip("\n") if options["password_stdin"] else None
        if password is not None:
            try:
                validate_password(password)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        municipality = None
        if options["municipality"]:
            municipality = Municipality.objects.filter(number=options["municipality"]).first()
            if municipality is None:
                raise CommandError(f"No municipality has the number {options['municipality']}.")
        try:
            with transaction.atomic():
                user = services.user_create(
                    email=email,
                    full_name=options["name"],
                    password=password,
                    municipality=municipality,
                    is_admin=options["admin"],
                )
                if hub is not None:  # roles were refused above without a hub
                    for role in options["role"]:
                        services.role_grant(user=user, role=Role(role), hub=hub)
                if options["invite"]:
                    mail.welcome(email=user.email, context=password_link_context(user))
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"Created {user.email}.")

    def _hub(self, name: str | None) -> Hub | None:
        if not name:
            return None
        hub = Hub.objects.filter(name=name).first()
        if hub is None:
            names = ", ".join(Hub.objects.values_list("name", flat=True))
            raise CommandError(f"No hub is called {name!r}. Hubs: {names}.")
        return hub
