"""`manage.py indicators`: the same numbers from the command line; bad input is one line, exit ≠ 0."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from courtyard.core.indicators import Period, catalogue
from courtyard.insight import engine, scopes

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("indicators", *args, stdout=out)
    return out.getvalue()


def test_json_output_matches_the_engine(sd, file_one):
    file_one()
    month = Period.containing(timezone.localdate())
    rows = json.loads(run("--place", str(sd.t.community_a.pk), "--period", month.key, "--json"))
    assert [r["code"] for r in rows] == list(catalogue())
    expected = [r.as_dict() for r in engine.readings(scopes.of_place(sd.t.community_a), month)]
    assert rows == expected
    for row in rows:
        assert set(row) == {"code", "value", "numerator", "denominator", "target", "colour"}
        assert row["value"] is None or row["value"].count(".") == 1


def test_unit_by_slug_and_table(sd):
    text = run("--place", sd.t.unit.slug, "--period", "2026-Q1")
    assert sd.t.unit.name in text and "participation_rate" in text


@pytest.mark.parametrize(("place", "period"), [("999999", "2026-11"), ("no-such-unit", "2026-11"),
                                               ("1", "2026-13"), ("1", "11/2026"), ("unit:0", "2026")])
def test_bad_input_is_a_command_error(tree, place, period):
    if place == "1":
        place = str(tree.community_a.pk)
    with pytest.raises(CommandError):
        run("--place", place, "--period", period)


def test_building_is_not_a_scope(tree):
    with pytest.raises(CommandError):
        run("--place", str(tree.building1.pk), "--period", "2026-11")


def test_bad_period_from_the_shell_is_one_line_without_traceback():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.test")}
    proc = subprocess.run([sys.executable, "manage.py", "indicators", "--place", "1", "--period", "2026-13"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr and "2026-13" in lines[0]
