"""Demo users: one login per role (built after the vendors, see vendors/demo.py)."""

from typing import Any


def build(ctx: dict[str, Any]) -> None:
    # Users are created by vendors.demo once the vendors they belong to exist.
    return None
