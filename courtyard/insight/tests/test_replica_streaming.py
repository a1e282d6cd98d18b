"""The read-replica router against a REAL PostgreSQL streaming replica (issue 13 point 7, ADR 0024).

Runs when DATABASE_REPLICA_URL names a hot standby of the test database's primary (CI starts one
with `scripts/pg_replica.sh start`; on a laptop: `PG_REPLICA_PORT=5440 scripts/pg_replica.sh start`,
then DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5440/postgres). With CI=true and no replica
the tests FAIL rather than skip, so CI cannot quietly lose them.

The proof that a read came from the replica: replay is paused on the standby, the primary changes,
and the page (dashboard, report, export) still shows the old figures; writes and the reads after
them (a case step, the case page) see the new rows only the primary has. Rows must be committed for
the standby to see them, so these tests run in transaction mode (the test database is emptied after
each); the replica streams every database of the cluster, the test database included.
"""

from __future__ import annotations

import copy
import io
import os
import time

import dj_database_url
import psycopg
import pytest
from django.db import connection, connections
from django.utils import timezone
from openpyxl import load_workbook

from courtyard.core.audit import Actor
from courtyard.core.indicators import Period
from courtyard.core.models import Attachment
from courtyard.core.replica import REPLICA, reading_replica, replica_configured
from courtyard.insight import scopes
from courtyard.insight.models import ScopeKind, Snapshot, WarningCase
from courtyard.insight.services import take_snapshots
from courtyard.insight.services.reports import request_report
from courtyard.org.models import Dwelling, SelfGovernanceUnit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()


def _need_a_replica() -> dict:
    if not URL:
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail("CI must test against a real streaming replica: run `scripts/pg_replica.sh start` and set "
                        "DATABASE_REPLICA_URL (see docs/operations.md)")
        pytest.skip("no DATABASE_REPLICA_URL: start one with scripts/pg_replica.sh start (docs/operations.md)")
    return dj_database_url.parse(URL)


def _standby(sql: str):
    """One statement on the standby's own `postgres` database, outside Django."""
    cfg = dj_database_url.parse(URL)
    with psycopg.connect(host=cfg["HOST"], port=cfg["PORT"], user=cfg["USER"] or "postgres",
                         password=cfg.get("PASSWORD") or None, dbname="postgres", autocommit=True) as c:
        return c.execute(sql).fetchone()


def _caught_up(timeout: float = 60) -> None:
    """Wait until the standby has replayed everything the primary has written so far."""
    with connection.cursor() as c:
        c.execute("SELECT pg_current_wal_lsn()::text")
        lsn = c.fetchone()[0]
    deadline = time.monotonic() + timeout
    while not _standby(f"SELECT coalesce(pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn, false)")[0]:
        assert time.monotonic() < deadline, f"the standby did not replay up to {lsn} in {timeout} s"
        time.sleep(0.05)


def _pause() -> None:
    _standby("SELECT pg_wal_replay_pause()")
    deadline = time.monotonic() + 30
    while _standby("SELECT pg_get_wal_replay_pause_state()")[0] != "paused":
        assert time.monotonic() < deadline, "the standby did not pause its replay"
        time.sleep(0.05)


def _resume() -> None:
    _standby("SELECT pg_wal_replay_resume()")


@pytest.fixture
def replica(transactional_db):
    """The `replica` alias, pointing at the standby's copy of the test database, for this test only."""
    cfg = _need_a_replica()
    primary = connections["default"].settings_dict
    settings = copy.deepcopy(primary)
    settings.update(HOST=cfg["HOST"], PORT=cfg["PORT"], USER=cfg["USER"] or primary["USER"],
                    PASSWORD=cfg.get("PASSWORD") or primary["PASSWORD"])  # NAME: the test database
    connections.settings[REPLICA] = settings
    try:
        # Connect now: the test case allows queries only on connections it knew when it began (or
        # ones already open), and this alias exists for this test alone.
        connections[REPLICA].connect()
        yield connections[REPLICA]
    finally:
        _resume()
        if REPLICA in [c.alias for c in connections.all(initialized_only=True)]:
            connections[REPLICA].close()
            del connections[REPLICA]
        connections.settings.pop(REPLICA, None)


def test_the_replica_is_a_streaming_standby_of_the_test_database(replica):
    _caught_up()
    with replica.cursor() as c:
        c.execute("SELECT pg_is_in_recovery(), inet_server_port(), current_database()")
        in_recovery, port, name = c.fetchone()
    assert in_recovery is True
    assert port == int(_need_a_replica()["PORT"]) and name == connection.settings_dict["NAME"]
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")
        assert c.fetchone()[0] >= 1
    assert replica_configured()
    assert Snapshot.objects.all().db == "default"
    with reading_replica():
        assert Snapshot.objects.all().db == REPLICA
        assert Snapshot.objects.all().count() == 0  # …and the query does run there
        assert Snapshot.objects.none().db == REPLICA


def _case(t, code: str, level: str = "red") -> WarningCase:
    return WarningCase.objects.create(
        scope_kind=ScopeKind.UNIT, scope_key=f"unit:{t.unit.pk}", scope_name=t.unit.name, place=t.community_a,
        unit=t.unit, path=t.community_a.path, code=code, period_kind="month",
        period_key=Period.containing(timezone.localdate()).previous().key, level=level, numerator=1, denominator=4,
        lead_place=t.subdistrict, deadline=timezone.localdate())


def test_dashboards_reports_and_exports_read_the_replica_writes_stay_on_the_primary(replica, tree, make_user,
                                                                                     login):
    t = tree
    month = Period.containing(timezone.localdate()).previous()
    unit = scopes.of_unit(t.unit)
    take_snapshots(period=month, scopes=[unit], codes=["participation_rate"])
    officer = make_user("subdistrict_officer", t.subdistrict)
    client = login(officer)
    before = _case(t, "satisfaction_rate")
    households = Dwelling.objects.filter(unit=t.unit).exclude(occupancy="vacant").exclude(developer_unsold=True).count()
    _caught_up()

    _pause()  # from here on the standby shows the database as it was
    Snapshot.objects.filter(scope_key=unit.key, code="participation_rate").update(numerator=987654, denominator=999999)
    SelfGovernanceUnit.objects.filter(pk=t.unit.pk).update(name="改名后的院落")
    Dwelling.objects.filter(pk=t.dwellings_unit[0].pk).update(occupancy="vacant")  # one household fewer
    after = _case(t, "response_rate")  # a case only the primary has

    # the dashboard reads the replica: the old name, the old figures
    page = client.get(f"/console/insight/?scope={unit.key}&period={month.key}").content.decode()
    assert t.unit.name in page and "改名后的院落" not in page
    assert "987654" not in page

    # the report's figures come from the replica (the household the primary no longer counts is still
    # there); the report row and its files are written to the primary
    quarter = Period.containing(timezone.localdate(), "quarter").previous()
    report = request_report(by=Actor(user=officer), scope=scopes.of_place(t.community_a), period=quarter)
    report.refresh_from_db()
    assert report.status == "ready", report.error
    xlsx = Attachment.objects.get(pk=report.xlsx_id)
    rows = list(load_workbook(io.BytesIO(xlsx.file.read())).active.iter_rows(values_only=True))
    unit_row = next(r for r in rows if r[2] == "participation_rate" and r[0] == t.unit.name)
    assert unit_row[5] == households
    stored = Snapshot.objects.get(scope_key=unit.key, code="participation_rate", period_start=quarter.start)
    assert stored.denominator == households  # the replica's reading, stored on the primary

    # a console export reads the replica: the case created after the pause is not in it …
    export = client.get("/console/insight/cases/?export=xlsx")
    assert export.status_code == 200
    exported = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))[1:]
    assert len(exported) == 1 and before.scope_name in exported[0]
    # … while the list page itself (not an export) reads the primary
    assert client.get("/console/insight/cases/").content.decode().count(f"/console/insight/cases/{after.pk}/") == 1

    # a write and the read after it stay on the primary: the case exists only there
    r = client.post(f"/console/insight/cases/{after.pk}/", {"step": "action", "note": "主库上的整改措施"})
    assert r.status_code == 302
    assert "主库上的整改措施" in client.get(f"/console/insight/cases/{after.pk}/").content.decode()

    _resume()
    _caught_up()
    page = client.get(f"/console/insight/?scope={unit.key}&period={month.key}").content.decode()
    assert "改名后的院落" in page and "987654" in page
    export = client.get("/console/insight/cases/?export=xlsx")
    assert len(list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))) == 3


def test_without_a_replica_ci_fails_and_a_laptop_skips(monkeypatch):
    import courtyard.insight.tests.test_replica_streaming as me

    monkeypatch.setattr(me, "URL", "")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="real streaming replica"):
        me._need_a_replica()
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception):
        me._need_a_replica()
