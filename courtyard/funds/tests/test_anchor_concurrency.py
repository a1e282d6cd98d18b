"""PostgreSQL: appending to a chain while its head is printed or verified (issue 8 item 6).

* What a statement or PDF prints is consistent with the head it records: the figures are those of the
  entries up to that head, never of an entry appended while the document was being made.
* `ledger_verify` walking a chain while entries are appended reports no false break (it reads the
  account row and the entries in one REPEATABLE READ snapshot).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.db.models import Sum
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.funds import anchors, selectors, services
from courtyard.funds.models import LedgerAnchor, LedgerEntry
from courtyard.funds.verify import verify_account, verify_all

from .factories import account, actor, signers

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

APPENDERS, PER_APPENDER, ROUNDS = 3, 12, 12


def _run(workers):
    """Start every worker at once; collect exceptions."""
    barrier = threading.Barrier(len(workers))
    errors = []

    def wrap(fn):
        try:
            barrier.wait()
            fn()
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrap, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def _appender(acc, people, i):
    def run():
        for n in range(PER_APPENDER):
            services.record_income(by=actor(people["finance"]), account=acc, amount_fen=100 + 7 * i + n,
                                   basis="donation", counterparty_name=f"商户{i}", counterparty_kind="organisation")
    return run


def test_printed_heads_match_printed_figures_while_appending(tree):
    people = signers(tree)
    acc = account(tree, people, funded=0)
    services.record_income(by=actor(people["finance"]), account=acc, amount_fen=1, basis="donation",
                           counterparty_name="首笔", counterparty_kind="person")
    month = timezone.localdate()
    printed, statements = [], []

    def printer():  # what the statement PDF view does
        for _ in range(ROUNDS):
            totals = selectors.month_totals(tree.unit, month)
            t = next(x for x in totals if x["account"].pk == acc.pk)
            anchors.record_printed_heads(by=Actor.system(), heads=[(acc, t["head"]["seq"], t["head"]["hash"])],
                                         source=LedgerAnchor.Source.STATEMENT_PDF, reference=f"{month:%Y-%m}")
            printed.append((t["head"]["seq"], t["closing_fen"]))

    def statement_maker():
        for _ in range(ROUNDS):
            st = services.generate_statement(by=actor(people["finance"]), account=acc, month=month)
            statements.append((st.head_seq, st.closing_fen))

    errors = _run([_appender(acc, people, i) for i in range(APPENDERS)] + [printer, statement_maker])
    assert not errors, errors
    acc.refresh_from_db()
    assert acc.head_seq == 1 + APPENDERS * PER_APPENDER
    assert len(printed) == ROUNDS and len(statements) == ROUNDS
    for head_seq, closing in printed + statements:
        covered = LedgerEntry.objects.filter(account=acc, seq__lte=head_seq).aggregate(s=Sum("amount_fen"))["s"]
        assert closing == covered, (head_seq, closing, covered)
    assert verify_all().first_break is None
    checked, miss = anchors.check_anchors(anchors.recorded_anchors())
    assert miss is None and checked == LedgerAnchor.objects.count() >= 1


def test_verify_during_appends_reports_no_false_break(tree):
    people = signers(tree)
    acc = account(tree, people, funded=0)
    breaks = []

    def verifier():
        for _ in range(ROUNDS * 3):
            _n, broken = verify_account(acc)
            if broken is not None:
                breaks.append(str(broken))

    errors = _run([_appender(acc, people, i) for i in range(APPENDERS)] + [verifier, verifier])
    assert not errors, errors
    assert breaks == []
    acc.refresh_from_db()
    assert acc.head_seq == APPENDERS * PER_APPENDER and verify_all().first_break is None
