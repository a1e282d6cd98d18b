"""PostgreSQL: concurrent payments and appends cannot pay twice or fork the chain."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from courtyard.funds import services
from courtyard.funds.models import LedgerEntry
from courtyard.funds.verify import verify_all

from .factories import account, actor, signers, three_party_approved

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(n, fn):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run(i):
        try:
            barrier.wait()
            results.append(fn(i))
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_concurrent_payments_pay_once(tree):
    people = signers(tree)
    acc = account(tree, people)
    req = three_party_approved(tree, people, acc)
    results, errors = _race(6, lambda i: services.pay(by=actor(people["finance"]), request=req,
                                                      receipt_no=f"FP-{i}"))
    assert len(results) == 1 and len(errors) == 5
    assert LedgerEntry.objects.filter(request=req, kind="payment").count() == 1
    assert verify_all().first_break is None


def test_concurrent_appends_do_not_fork_the_chain(tree):
    people = signers(tree)
    acc = account(tree, people, funded=0)
    results, errors = _race(8, lambda i: services.record_income(
        by=actor(people["finance"]), account=acc, amount_fen=100 + i, basis="donation",
        counterparty_name=f"商户{i}", counterparty_kind="organisation"))
    assert not errors and len(results) == 8
    acc.refresh_from_db()
    assert acc.head_seq == 8 and acc.balance_fen == sum(100 + i for i in range(8))
    assert verify_all().first_break is None


def test_concurrent_sign_offs_finish_once(tree):
    """The last two signatures arrive together: the request is approved once, then paid once."""
    people = signers(tree)
    acc = account(tree, people)
    req = services.create_request(by=actor(people["staff"]), account=acc, title="并发签字", amount_fen=10_000,
                                  category="works", payee_name="某公司", payee_kind="organisation")
    services.sign(by=actor(people["supervisor"]), request=req, step="supervisor")
    steps = [("finance", "finance"), ("committee", "committee")]
    results, errors = _race(2, lambda i: services.sign(by=actor(people[steps[i][1]]), request=req,
                                                       step=steps[i][0]))
    assert not errors
    req.refresh_from_db()
    assert req.state == "approved"
    results, errors = _race(4, lambda i: services.pay(by=actor(people["finance"]), request=req))
    assert len(results) == 1
