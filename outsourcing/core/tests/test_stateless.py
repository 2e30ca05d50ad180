"""Web servers keep no state of their own (docs/deployment.md): what one `serve` instance knows, another knows too —
sessions and sign-in failures in the database, files through the configured storage, no per-process cache."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import outsourcing

SOURCE = Path(outsourcing.__file__).parent


def test_sessions_and_login_failures_live_in_the_database(settings: Any) -> None:
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"


def test_no_code_keeps_shared_state_in_a_process_cache() -> None:
    """Django's default cache is in each process's memory: a throttle or a lockout kept there would count per web
    worker. Nothing may use it until CACHES names a shared cache (the database's or Redis)."""
    uses = [
        f"{path.relative_to(SOURCE)}:{number}"
        for path in SOURCE.rglob("*.py")
        if "tests" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"django\.core\.cache|from django\.core import cache|\bcaches\[", line)
    ]
    assert uses == []


def test_uploaded_files_go_through_the_storage_api_never_the_data_dir_directly() -> None:
    """Every stored file is read and written through Django's storage (FieldFile / default_storage), so that an
    object store serves every web server; only the settings name the local files folder."""
    direct = [
        f"{path.relative_to(SOURCE)}:{number}"
        for path in SOURCE.rglob("*.py")
        if "tests" not in path.parts and path.name != "settings.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "MEDIA_ROOT" in line or re.search(r"\.file\.path\b", line)
    ]
    assert direct == []
