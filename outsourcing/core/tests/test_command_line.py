"""The `outsourcing` command line: createuser, demo, and a deployment check with nothing to fix."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from outsourcing.accounts.models import User
from outsourcing.engagements.models import Engagement
from outsourcing.vendors.models import Vendor

pytestmark = pytest.mark.django_db


def test_createuser_takes_the_password_from_the_environment(monkeypatch, vendor_a):
    monkeypatch.setenv("OUTSOURCING_PASSWORD", "Long-Enough-99")
    call_command("createuser", "wang", "--role", "vendor", "--vendor", str(vendor_a.pk))
    user = User.objects.get(username="wang")
    assert user.role == "vendor"
    assert user.vendor == vendor_a
    assert user.check_password("Long-Enough-99")


def test_createuser_explains_what_is_wrong(monkeypatch):
    monkeypatch.setenv("OUTSOURCING_PASSWORD", "Long-Enough-99")
    with pytest.raises(CommandError, match="vendor"):
        call_command("createuser", "wang", "--role", "vendor")
    assert not User.objects.filter(username="wang").exists()


def test_demo_builds_vendors_engagements_and_one_login_per_role(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert set(User.objects.values_list("role", flat=True)) == {"admin", "manager", "auditor", "vendor"}
    assert Vendor.objects.filter(name__contains="有限公司").exists()
    assert Vendor.objects.exclude(english_name="").exists()
    assert Engagement.objects.count() >= 5
    for username in ("admin", "manager", "auditor", "vendor_a", "vendor_b"):
        assert username in out
    call_command("demo", "--if-empty")
    assert "already loaded" in capsys.readouterr().out


def test_check_deploy_reports_nothing_with_the_default_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OUTSOURCING_", "DJANGO_"))}
    env["OUTSOURCING_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "outsourcing", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert (tmp_path / "secret_key").exists()
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
