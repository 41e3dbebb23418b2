"""Start-up behaviour: typed settings, one-line configuration errors, the deploy self-check."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROD_KEY = secrets.token_urlsafe(64)


def run_cli(*args: str, env: dict | None = None, cwd: Path | None = None, timeout: int = 180):
    base = {k: v for k, v in os.environ.items()
            if k not in ("SEOUL_DIGITAL_TESTING", "DJANGO_SETTINGS_MODULE", "DATABASE_URL",
                         "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    base["PYTHONPATH"] = str(ROOT / "src")
    base.update(env or {})
    return subprocess.run([sys.executable, "-m", "seoul_digital", *args], env=base,
                          cwd=cwd or ROOT, capture_output=True, text=True, timeout=timeout)


def test_missing_secret_key_in_production_is_one_clear_line(tmp_path):
    result = run_cli("check", env={"DEBUG": "0", "VAR_DIR": str(tmp_path)})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "SECRET_KEY" in lines[0], result.stderr


@pytest.mark.parametrize("url", ["not a url", "postgres//missing-colon", "mystery://host/db"])
def test_malformed_database_url_is_one_clear_line(tmp_path, url):
    result = run_cli("check", env={"DEBUG": "1", "VAR_DIR": str(tmp_path), "DATABASE_URL": url})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "DATABASE_URL" in lines[0], result.stderr


def test_bad_boolean_names_the_variable(tmp_path):
    result = run_cli("check", env={"DEBUG": "maybe", "VAR_DIR": str(tmp_path)})
    assert result.returncode == 2 and "DEBUG" in result.stderr


def test_demo_mode_generates_and_keeps_a_secret_key(tmp_path):
    env = {"DEBUG": "1", "VAR_DIR": str(tmp_path)}
    assert run_cli("manage", "check", env=env).returncode == 0
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert run_cli("manage", "check", env=env).returncode == 0
    assert (tmp_path / "secret_key").read_text() == key
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


@pytest.mark.slow
def test_check_passes_with_production_settings(tmp_path):
    env = {"DEBUG": "0", "SECRET_KEY": PROD_KEY, "ALLOWED_HOSTS": "platform.example.org",
           "VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    migrate = run_cli("manage", "migrate", "--noinput", env=env, timeout=300)
    assert migrate.returncode == 0, migrate.stderr
    result = run_cli("check", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "django check --deploy: no issues" in result.stdout
    assert "25 districts loaded" in result.stdout


def test_check_fails_loudly_on_insecure_production_settings(tmp_path):
    env = {"DEBUG": "0", "SECRET_KEY": "short", "ALLOWED_HOSTS": "platform.example.org",
           "VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "SECURE_SSL_REDIRECT": "0"}
    result = run_cli("check", env=env)
    assert result.returncode == 1
    assert "FAIL" in result.stdout and "security.W" in result.stdout


def test_help_lists_programme_groups():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("serve", "worker", "demo-data", "check", "sewer", "siting", "bikes",
                    "quality", "inclusion", "governance"):
        assert command in result.stdout


def test_a_programme_command_loads_only_its_own_group():
    code = ("import sys\nfrom seoul_digital.cli import cli\n"
            "try:\n    cli.main(['quality', '--help'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('seoul_digital.') and m.endswith('.cli')))\n"
            "print('django' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded, django_loaded = out.strip().splitlines()[-2:]
    assert loaded == "['seoul_digital.cli', 'seoul_digital.quality.cli']"
    assert django_loaded == "False"
