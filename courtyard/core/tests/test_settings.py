"""Settings come from the environment and refuse to start unsafely (run in subprocesses)."""

import base64
import os
import subprocess
import sys
from io import StringIO

from django.conf import settings
from django.core.management import call_command

from courtyard.core.management.commands.genkeys import generate

LOAD_SETTINGS = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def clean_env(**extra: str) -> dict[str, str]:
    """The current environment without any Django/Courtyard configuration (test settings set some)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "COURTYARD_")) and k not in ("DATABASE_URL", "PYTEST_CURRENT_TEST")
    }
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def parse(lines: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in lines.strip().splitlines())


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = run(["-c", LOAD_SETTINGS], clean_env(DJANGO_SETTINGS_MODULE="config.settings.base", DJANGO_DEBUG="0"))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_refuses_to_start_without_pii_keys_when_debug_is_off():
    env = clean_env(DJANGO_SETTINGS_MODULE="config.settings.base", DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 60)
    result = run(["-c", LOAD_SETTINGS], env)
    assert result.returncode != 0
    assert "COURTYARD_FIELD_KEY" in result.stderr


def test_debug_demo_starts_without_any_keys():
    result = run(["-c", LOAD_SETTINGS], clean_env(DJANGO_SETTINGS_MODULE="config.settings.base", DJANGO_DEBUG="1"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_genkeys_prints_fresh_keys():
    out = StringIO()
    call_command("genkeys", stdout=out)
    first = parse(out.getvalue())
    assert set(first) == {"DJANGO_SECRET_KEY", "COURTYARD_FIELD_KEY", "COURTYARD_INDEX_KEY"}
    assert len(first["DJANGO_SECRET_KEY"]) >= 50
    for name in ("COURTYARD_FIELD_KEY", "COURTYARD_INDEX_KEY"):
        assert len(base64.b64decode(first[name], validate=True)) == 32
    assert first["COURTYARD_FIELD_KEY"] != first["COURTYARD_INDEX_KEY"]
    second = parse("\n".join(generate()))
    assert all(first[k] != second[k] for k in first)


def test_genkeys_runs_without_settings():
    """On a new server there are no keys yet, so settings cannot load; the module runs on its own."""
    result = run(["-m", "courtyard.core.management.commands.genkeys"], clean_env())
    assert result.returncode == 0, result.stderr
    assert set(parse(result.stdout)) == {"DJANGO_SECRET_KEY", "COURTYARD_FIELD_KEY", "COURTYARD_INDEX_KEY"}


def test_check_deploy_is_clean_with_production_environment():
    keys = parse("\n".join(generate()))
    env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="example.org",
        **keys,
    )
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    assert "no issues" in result.stdout
