from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from outsourcing.accounts.actions import do_create_user
from outsourcing.core.access import Role


class Command(BaseCommand):
    help = "Create a user. The password comes from OUTSOURCING_PASSWORD or a prompt."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--vendor", type=int, help="The vendor's id (for role vendor).")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("OUTSOURCING_PASSWORD")
        if not password:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ.")
        try:
            user = do_create_user(
                username=options["username"],
                password=password,
                role=options["role"],
                vendor_id=options["vendor"],
                email=options["email"],
                acting_user=None,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        self.stdout.write(self.style.SUCCESS(f"Created {user.username} ({user.role})."))
