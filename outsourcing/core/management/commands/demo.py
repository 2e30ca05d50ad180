"""Build a believable demo data set and one login per role.

Each domain app may add to it with a `demo.py` module whose `build(ctx)` receives the shared context
(users by role, vendors by key); apps run in INSTALLED_APPS order, so later apps can use earlier data.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

DEMO_LOGINS = [
    ("admin", "admin", "Admin-Demo-2026", None),
    ("manager", "manager", "Manager-Demo-2026", None),
    ("auditor", "auditor", "Auditor-Demo-2026", None),
    ("vendor_a", "vendor", "VendorA-Demo-2026", "a"),
    ("vendor_b", "vendor", "VendorB-Demo-2026", "b"),
]


class Command(BaseCommand):
    help = "Load the demo data set (vendors, people, engagements) and one login per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when users already exist.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and get_user_model().objects.exists():
            self.stdout.write("Demo data already loaded.")
        else:
            with transaction.atomic():
                ctx: dict[str, Any] = {"users": {}, "vendors": {}, "stdout": self.stdout}
                for config in apps.get_app_configs():
                    if not config.name.startswith("outsourcing."):
                        continue
                    module_name = f"{config.name}.demo"
                    if importlib.util.find_spec(module_name) is not None:
                        importlib.import_module(module_name).build(ctx)
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("Demo logins (user name / password):")
        for username, role, password, _vendor in DEMO_LOGINS:
            self.stdout.write(f"  {role:8} {username:10} {password}")
