import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.models.deletion import ProtectedError

from courtyard.core.audit import Actor, diff, record, snapshot
from courtyard.core.models import AppendOnlyError, AuditEvent, Channel

from .factories import make_community, make_user

pytestmark = pytest.mark.django_db


def test_record_writes_actor_channel_and_changes():
    user = make_user(display_name="Wang")
    community = make_community()
    event = record(Actor(user=user, channel=Channel.ASSISTED, ip="10.0.0.1"), "test.thing", community,
                   changes={"name": [None, "x"]})
    event.refresh_from_db()
    assert event.actor == user
    assert event.actor_label == "Wang"
    assert event.channel == Channel.ASSISTED
    assert event.community_id == community.pk
    assert event.object_id == str(community.pk)
    assert event.changes == {"name": [None, "x"]}
    assert event.ip == "10.0.0.1"


def test_snapshot_hides_encrypted_values_and_hashes():
    user = make_user(phone="13912345678")
    snap = snapshot(user)
    assert snap["phone"] == "set"
    assert "phone_hash" not in snap
    assert "13912345678" not in str(snap)


def test_diff_lists_only_changed_fields():
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": [2, 3], "c": [None, 4]}
    assert diff(None, {"a": 1}) == {"a": [None, 1]}


def test_instance_save_after_create_is_refused():
    event = record(Actor.system(), "test.thing")
    event.note = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).note == ""


def test_instance_delete_is_refused():
    event = record(Actor.system(), "test.thing")
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_and_delete_are_refused():
    record(Actor.system(), "test.thing")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(action="test.thing").update(note="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(action="test.thing").count() == 1


def test_raw_update_on_audit_table_fails():
    """The database itself refuses changes (migration 0004 triggers), whatever the ORM does."""
    event = record(Actor.system(), "test.thing")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET note = %s WHERE id = %s", ["forged", event.pk])
    assert AuditEvent.objects.get(pk=event.pk).note == ""


def test_raw_delete_on_audit_table_fails():
    event = record(Actor.system(), "test.thing")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_deleting_a_user_with_audit_events_is_refused():
    """SET_NULL would be an UPDATE of the audit row; users are deactivated instead."""
    user = make_user()
    record(Actor(user=user), "test.thing")
    with pytest.raises(ProtectedError), transaction.atomic():
        user.delete()
    user.is_active = False
    user.save()


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_audit_table_and_keeps_the_trigger():
    """Transactional tests flush the database; on SQLite that is a DELETE the trigger lifts for."""
    record(Actor.system(), "test.thing")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    event = record(Actor.system(), "test.thing")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET note = 'x' WHERE id = %s", [event.pk])
