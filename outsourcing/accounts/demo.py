"""Demo users: one login per role (built after the vendors, see vendors/demo.py)."""

from typing import Any

from .actions import do_create_user


def build(ctx: dict[str, Any]) -> None:
    # Users are created by vendors.demo once the vendors they belong to exist; it reaches the one user-creating
    # action through the demo's context rather than importing another app's actions.
    ctx["create_user"] = do_create_user
