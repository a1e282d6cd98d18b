"""The read-replica router: dashboards read inside reading_replica(); writes and everything else stay
on the primary; with no replica configured nothing changes."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connections

from courtyard.core import replica
from courtyard.core.replica import ReplicaRouter, reading_replica
from courtyard.insight.models import Snapshot

pytestmark = pytest.mark.django_db


def test_router_without_a_replica_changes_nothing():
    router = ReplicaRouter()
    with reading_replica():
        assert router.db_for_read(Snapshot) is None
    assert router.db_for_write(Snapshot) is None


def test_router_with_a_replica():
    router = ReplicaRouter()
    with mock.patch.object(replica, "replica_configured", return_value=True):
        assert router.db_for_read(Snapshot) is None  # outside a read-only block: the primary
        with reading_replica():
            assert router.db_for_read(Snapshot) == "replica"
            assert router.db_for_write(Snapshot) is None
        assert router.db_for_read(Snapshot) is None
    assert router.allow_migrate("replica", "insight") is False
    assert router.allow_migrate("default", "insight") is True
    assert "replica" not in connections.databases  # the test settings have none


def test_dashboard_reads_are_marked_for_the_replica_and_posts_are_not(tree, make_user, login):
    seen = []
    original = ReplicaRouter.db_for_read

    def spy(self, model, **hints):
        seen.append((model._meta.label, replica._reading.get()))
        return original(self, model, **hints)

    client = login(make_user("subdistrict_officer", tree.subdistrict))
    with mock.patch.object(ReplicaRouter, "db_for_read", spy):
        assert client.get("/console/insight/").status_code == 200
        assert ("insight.Snapshot", True) in seen
        seen.clear()
        client.post("/console/insight/cases/999999/", {"step": "action", "note": "x"})
        assert all(flag is False for _label, flag in seen)
