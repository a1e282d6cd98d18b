"""Entries: integer fen, append-only in the ORM and in the database, corrections, the hash chain."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from courtyard.core.models import AppendOnlyError
from courtyard.funds import chain, services
from courtyard.funds.models import LedgerEntry
from courtyard.funds.verify import verify_all

from .factories import account, actor, signers

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree):
    return signers(tree)


def _income(acc, people, fen, **kw):
    return services.record_income(by=actor(people["finance"]), account=acc, amount_fen=fen,
                                  basis=kw.pop("basis", "donation"), counterparty_name=kw.pop("name", "学道街商户联盟"),
                                  counterparty_kind=kw.pop("kind", "organisation"), receipt_no="R-1", **kw)


def test_entries_chain_and_balance(tree, people):
    acc = account(tree, people, funded=0)
    e1 = _income(acc, people, 500_00)
    e2 = _income(acc, people, 1)
    acc.refresh_from_db()
    assert (e1.seq, e2.seq) == (1, 2)
    assert e1.prev_hash == chain.GENESIS and e2.prev_hash == e1.hash
    assert acc.head_hash == e2.hash and acc.head_seq == 2 and acc.balance_fen == 50001
    assert e2.hash == chain.entry_hash(e1.hash, LedgerEntry.objects.get(pk=e2.pk).chain_values())
    assert verify_all().first_break is None


def test_amounts_are_integer_fen(tree, people):
    acc = account(tree, people, funded=0)
    with pytest.raises(TypeError):
        services.append_entry(by=actor(people["finance"]), account=acc, kind="income", amount_fen=1.5,
                              basis="donation", counterparty_name="x", counterparty_kind="organisation")


def test_orm_refuses_update_and_delete(tree, people):
    acc = account(tree, people)
    entry = acc.entries.get()
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount_fen=1)
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.all().delete()


@pytest.mark.parametrize("sql", [
    "UPDATE funds_ledgerentry SET amount_fen = 1 WHERE id = %s",
    "DELETE FROM funds_ledgerentry WHERE id = %s",
])
def test_database_refuses_update_and_delete(tree, people, sql):
    acc = account(tree, people)
    entry = acc.entries.get()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
        c.execute(sql, [entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).amount_fen == entry.amount_fen


def test_correction_is_a_reversing_entry(tree, people):
    acc = account(tree, people, funded=0)
    wrong = _income(acc, people, 9_000_00)
    rev = services.reverse_entry(by=actor(people["finance"]), entry=wrong, reason="金额录错")
    assert rev.kind == "reversal" and rev.amount_fen == -9_000_00 and rev.reverses == wrong
    acc.refresh_from_db()
    assert acc.balance_fen == 0
    with pytest.raises(Exception, match="already been corrected"):
        services.reverse_entry(by=actor(people["finance"]), entry=wrong, reason="again")
    assert verify_all().first_break is None


def _drop_update_trigger():
    with connection.cursor() as c:
        if connection.vendor == "sqlite":
            c.execute("DROP TRIGGER funds_ledgerentry_no_update")
        else:
            c.execute("DROP TRIGGER funds_ledgerentry_append_only ON funds_ledgerentry")


def test_tampering_is_detected_by_ledger_verify(tree, people):
    acc = account(tree, people, funded=0)
    _income(acc, people, 100_00)
    victim = _income(acc, people, 200_00)
    _income(acc, people, 300_00)
    call_command("ledger_verify", stdout=io.StringIO())
    _drop_update_trigger()  # rolled back with the test's transaction
    with connection.cursor() as c:
        c.execute("UPDATE funds_ledgerentry SET amount_fen = 20 WHERE id = %s", [victim.pk])
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("ledger_verify", stdout=io.StringIO(), stderr=err)
    assert exit_info.value.code == 1
    assert f"entry #{victim.seq} (id {victim.pk})" in err.getvalue()
    assert "content changed" in err.getvalue()


def test_relinking_after_tampering_is_detected_at_the_head(tree, people):
    """Someone rewrites an entry AND recomputes its hash: the next entry's prev_hash no longer matches."""
    acc = account(tree, people, funded=0)
    victim = _income(acc, people, 200_00)
    _income(acc, people, 300_00)
    _drop_update_trigger()
    values = LedgerEntry.objects.get(pk=victim.pk).chain_values()
    values["amount_fen"] = 20
    forged = chain.entry_hash(victim.prev_hash, values)
    with connection.cursor() as c:
        c.execute("UPDATE funds_ledgerentry SET amount_fen = 20, hash = %s WHERE id = %s", [forged, victim.pk])
    broken = verify_all().first_break
    assert broken is not None and broken.seq == victim.seq + 1
    assert "previous-hash" in broken.reason


def test_deleted_entry_is_detected(tree, people):
    acc = account(tree, people, funded=0)
    _income(acc, people, 100_00)
    gone = _income(acc, people, 200_00)
    _income(acc, people, 300_00)
    with connection.cursor() as c:
        if connection.vendor == "sqlite":
            c.execute("DROP TRIGGER funds_ledgerentry_no_delete")
        else:
            c.execute("DROP TRIGGER funds_ledgerentry_append_only ON funds_ledgerentry")
        c.execute("DELETE FROM funds_ledgerentry WHERE id = %s", [gone.pk])
    broken = verify_all().first_break
    assert broken is not None and "missing" in broken.reason and broken.seq == gone.seq
